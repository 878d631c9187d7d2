"""Database access for CLI commands, built once per process from the settings."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.config import get_settings

__all__ = ["engine", "session_factory", "uow"]


@lru_cache(maxsize=1)
def engine() -> Engine:
    settings = get_settings()
    return make_engine(settings.database_url, connect_timeout=settings.db_connect_timeout_seconds)


@lru_cache(maxsize=1)
def session_factory() -> sessionmaker[Session]:
    return make_session_factory(engine())


def uow() -> SqlAlchemyUnitOfWork:
    """A fresh unit of work on the configured database."""
    return SqlAlchemyUnitOfWork(session_factory())
