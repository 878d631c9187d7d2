"""What the merchant pages share: units of work and engines from the application state."""

from __future__ import annotations

import threading

from fastapi import Request

from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.adapters.db.tracking.uow import SqlAlchemyTrackingUnitOfWork
from ewtp.adapters.db.users.uow import SqlAlchemyUsersUnitOfWork
from ewtp.adapters.merchant.engines import MerchantEngines, build_engines
from ewtp.domain.errors import InvalidInput
from ewtp.services.merchant.ports import AbstractCustomsEngine, AbstractRoutePlanner
from ewtp.web.pages import factory_of

__all__ = [
    "customs_uow",
    "engines",
    "merchant_uow",
    "planner_and_customs",
    "tracking_uow",
    "users_uow",
]

_lock = threading.Lock()


def merchant_uow(request: Request) -> SqlAlchemyMerchantUnitOfWork:
    return SqlAlchemyMerchantUnitOfWork(factory_of(request))


def users_uow(request: Request) -> SqlAlchemyUsersUnitOfWork:
    return SqlAlchemyUsersUnitOfWork(factory_of(request))


def tracking_uow(request: Request) -> SqlAlchemyTrackingUnitOfWork:
    return SqlAlchemyTrackingUnitOfWork(factory_of(request))


def customs_uow(request: Request) -> SqlAlchemyCustomsUnitOfWork:
    return SqlAlchemyCustomsUnitOfWork(factory_of(request))


def engines(request: Request) -> MerchantEngines:
    """The application's merchant engines (the same object the API uses, built once)."""
    state = request.app.state
    found: MerchantEngines | None = getattr(state, "merchant_engines", None)
    if found is None:
        with _lock:
            found = getattr(state, "merchant_engines", None)
            if found is None:
                found = build_engines(state.session_factory)
                state.merchant_engines = found
    return found


def planner_and_customs(
    found: MerchantEngines,
) -> tuple[AbstractRoutePlanner, AbstractCustomsEngine]:
    if found.planner is None or found.customs is None:
        raise InvalidInput(
            "the route or customs engine is not installed in this build", field="form"
        )
    return found.planner, found.customs
