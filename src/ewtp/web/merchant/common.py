"""What the merchant pages share: units of work on the application's database (the
engines are the API's own, `http.merchant_engines.engines_of`)."""

from __future__ import annotations

from fastapi import Request

from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.adapters.db.tracking.uow import SqlAlchemyTrackingUnitOfWork
from ewtp.adapters.db.users.uow import SqlAlchemyUsersUnitOfWork
from ewtp.web.pages import factory_of

__all__ = [
    "customs_uow",
    "merchant_uow",
    "tracking_uow",
    "users_uow",
]


def merchant_uow(request: Request) -> SqlAlchemyMerchantUnitOfWork:
    return SqlAlchemyMerchantUnitOfWork(factory_of(request))


def users_uow(request: Request) -> SqlAlchemyUsersUnitOfWork:
    return SqlAlchemyUsersUnitOfWork(factory_of(request))


def tracking_uow(request: Request) -> SqlAlchemyTrackingUnitOfWork:
    return SqlAlchemyTrackingUnitOfWork(factory_of(request))


def customs_uow(request: Request) -> SqlAlchemyCustomsUnitOfWork:
    return SqlAlchemyCustomsUnitOfWork(factory_of(request))
