"""Shared fixtures: fresh migrated databases on SQLite and PostgreSQL, and a live server.

`db_url` is parametrized over both backends, so every integration test runs twice.
PostgreSQL is skipped (visibly) only when no PostgreSQL binaries are installed, and never
under `CI=true`, where a missing PostgreSQL fails the tests that need it.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from ewtp.adapters.db.engine import make_engine
from ewtp.adapters.db.migrate import upgrade
from support.ci import missing_or_skip
from support.postgres import PostgresServer, find_bindir

# Nothing in the tests reaches the internet: the worker's daily ECB fetch is off unless a
# test turns it on against its own local server.
os.environ.setdefault("EWTP_FX_FETCH_ENABLED", "false")

BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()
_pg_passed: list[str] = []
_pg_info: dict[str, str] = {}


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the whole session."""
    bindir = find_bindir()
    if bindir is None:
        missing_or_skip("PostgreSQL: no initdb/pg_ctl binaries found (apt install postgresql)")
    server = PostgresServer(bindir)
    server.start()
    _pg_info["version"] = server.version
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(postgres: PostgresServer) -> str:
    """A migrated template database; tests clone it, which is much faster than migrating."""
    admin = make_engine(postgres.url(), connect_timeout=5).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text("CREATE DATABASE ewtp_template"))
    engine = make_engine(postgres.url("ewtp_template"))
    upgrade(engine)
    engine.dispose()
    admin.dispose()
    return "ewtp_template"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def fresh_postgres_url(postgres: PostgresServer, template: str) -> str:
    name = f"ewtp_test_{next(_counter)}"
    admin = make_engine(postgres.url()).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return postgres.url(name)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a fresh, fully migrated database on each backend."""
    if request.param == "postgresql":
        postgres: PostgresServer = request.getfixturevalue("postgres")
        return fresh_postgres_url(postgres, request.getfixturevalue("pg_template"))
    template: Path = request.getfixturevalue("sqlite_template")
    target = tmp_path / "ewtp.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def pg_url(postgres: PostgresServer, pg_template: str) -> str:
    """A fresh migrated PostgreSQL database, for tests that need PostgreSQL itself."""
    return fresh_postgres_url(postgres, pg_template)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and "postgres" in report.nodeid:
        _pg_passed.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _pg_info:
        terminalreporter.write_line(
            f"PostgreSQL: {_pg_info['version']} (throwaway server); "
            f"{len(_pg_passed)} PostgreSQL test(s) passed",
            green=True,
        )
    else:
        terminalreporter.write_line("PostgreSQL: not started in this run", yellow=True)
