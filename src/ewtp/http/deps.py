"""Shared FastAPI dependencies, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.config import Settings
from ewtp.domain.accounts import Principal, Role
from ewtp.http.rate_limit import charge_rate_limit
from ewtp.services.accounts import authenticate, require_role

__all__ = [
    "EngineDep",
    "MerchantDep",
    "OperatorDep",
    "PrincipalDep",
    "SessionFactoryDep",
    "SettingsDep",
    "UowDep",
]

_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer <key>`.")


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_session_factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]


def get_uow(factory: SessionFactoryDep) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(factory)


UowDep = Annotated[SqlAlchemyUnitOfWork, Depends(get_uow)]


def get_principal(
    request: Request,
    uow: UowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    """The caller's principal (401 without a valid key), with its rate limit charged."""
    principal = authenticate(uow, credentials.credentials if credentials else None)
    request.state.principal = principal
    charge_rate_limit(request, principal)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_merchant(principal: PrincipalDep) -> Principal:
    return require_role(principal, Role.MERCHANT)


def get_operator(principal: PrincipalDep) -> Principal:
    return require_role(principal, Role.OPERATOR)


MerchantDep = Annotated[Principal, Depends(get_merchant)]
OperatorDep = Annotated[Principal, Depends(get_operator)]
