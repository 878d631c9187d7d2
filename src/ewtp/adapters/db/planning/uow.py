"""The unit of work of capacity planning: the network (for the timetable) and the plans."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.db.planning.repository import SqlAlchemyPlanRepository
from ewtp.services.planning.ports import PlanningUnitOfWork

__all__ = ["SqlAlchemyPlanningUnitOfWork"]


class SqlAlchemyPlanningUnitOfWork(SqlAlchemyNetworkUnitOfWork, PlanningUnitOfWork):
    """Has `.plans` besides `.network` and `.accounts`."""

    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self.plans = SqlAlchemyPlanRepository(session)
