"""Engine and session factory for SQLite (embedded default) or PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["PoolBudget", "make_engine", "make_session_factory", "redact_url"]


@dataclass(frozen=True, slots=True)
class PoolBudget:
    """Connections of one engine: `size` kept, `overflow` more at a peak, and how long a
    caller waits for one (`timeout`) before SQLAlchemy raises its pool TimeoutError."""

    size: int = 5
    overflow: int = 10
    timeout: float = 30.0


def make_engine(
    url: str,
    *,
    connect_timeout: int = 3,
    pool: PoolBudget | None = None,
    sqlite_busy_seconds: float = 30.0,
) -> Engine:
    """Create an engine with the platform's per-backend settings.

    SQLite gets WAL (readers never block the writer) and foreign keys, which it leaves
    off by default. Its parent folder is created so a fresh checkout just works.
    `pool` bounds the connections (the server passes its documented budget; the
    defaults are SQLAlchemy's own, for the CLI).
    """
    parsed = make_url(url)
    budget = pool or PoolBudget()
    sized: dict[str, Any] = {
        "pool_size": budget.size,
        "max_overflow": budget.overflow,
        "pool_timeout": budget.timeout,
    }
    if parsed.get_backend_name() == "sqlite":
        memory = not parsed.database or parsed.database == ":memory:"
        if not memory:
            Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": sqlite_busy_seconds, "check_same_thread": False},
            **({} if memory else sized),
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = connect_timeout
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **sized)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, for returning results."""
    return sessionmaker(engine, expire_on_commit=False)


def redact_url(url: str) -> str:
    """The URL with its password hidden, for logs and error messages."""
    return make_url(url).render_as_string(hide_password=True)
