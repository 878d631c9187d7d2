"""The unit of work of the customs capability: accounts plus the customs repositories."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ewtp.adapters.db.customs.repository import (
    SqlAlchemyCbecUsageRepository,
    SqlAlchemyCustomsRulesRepository,
    SqlAlchemyFeeAuditRepository,
    SqlAlchemyFxRepository,
    SqlAlchemyManifestJobRepository,
)
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.services.customs.ports import CustomsUnitOfWork

__all__ = ["SqlAlchemyCustomsUnitOfWork"]


class SqlAlchemyCustomsUnitOfWork(SqlAlchemyUnitOfWork, CustomsUnitOfWork):
    """One session with `customs_rules`, `fx`, `cbec_usage`, `manifest_jobs` and `fee_audit`."""

    fx: SqlAlchemyFxRepository

    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self.customs_rules = SqlAlchemyCustomsRulesRepository(session)
        self.fx = SqlAlchemyFxRepository(session)
        self.cbec_usage = SqlAlchemyCbecUsageRepository(session)
        self.manifest_jobs = SqlAlchemyManifestJobRepository(session)
        self.fee_audit = SqlAlchemyFeeAuditRepository(session)
