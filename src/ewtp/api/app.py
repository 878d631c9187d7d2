"""Build the FastAPI application: settings, database, routers, error handling."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ewtp import __version__, web
from ewtp.adapters.clock import utcnow
from ewtp.adapters.customs.fx import stale_rates_warning
from ewtp.adapters.db.customs.repository import newest_fx_date
from ewtp.adapters.db.engine import PoolBudget, make_engine, make_session_factory, redact_url
from ewtp.adapters.db.health import probe_database
from ewtp.adapters.db.merchant.quote_writer import QuoteWriter
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.adapters.db.simulation.uow import SqlAlchemySimulationUnitOfWork
from ewtp.adapters.request_log import RequestLog
from ewtp.adapters.webhooks.worker import WorkerThread
from ewtp.api import routers
from ewtp.api.admission import Admission
from ewtp.api.body_limit import BodyLimit
from ewtp.api.heap import freeze_heap, thaw_heap
from ewtp.api.openapi import install_openapi, operation_id
from ewtp.api.problems import install_problem_handlers
from ewtp.api.request_log import RecordApiRequests
from ewtp.config import Settings, get_settings
from ewtp.services.simulation.jobs import fail_interrupted
from ewtp.web.app import install_pages

__all__ = ["create_app"]

log = logging.getLogger("ewtp")

DESCRIPTION = """
The open electronic World Trade Platform: quote, book, label and track cross-border
parcels between China and Europe, with duties and taxes and the 72-hour promise.

Authenticate with `Authorization: Bearer <api key>`. Errors are RFC 9457
`application/problem+json` bodies; a 422 lists every invalid field.
"""


def discover_routers() -> list[APIRouter]:
    """Every `router` defined by a module of `ewtp.api.routers`, in name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(routers.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{routers.__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            found.append(router)
    return found


def mount_pages(app: FastAPI) -> None:
    """Each page package `ewtp.web.<name>`: its `router`, and its `STATIC` at /static/<name>."""
    for info in sorted(pkgutil.iter_modules(web.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{web.__name__}.{info.name}.router")
        app.include_router(module.router)
        static = getattr(module, "STATIC", None)
        if static is not None and static.is_dir():
            app.mount(f"/static/{info.name}", StaticFiles(directory=static), name=info.name)


def warn_if_rates_are_stale(session_factory: sessionmaker[Session], max_age: int) -> None:
    """One start-up warning when today's non-EUR amounts would be refused for old rates."""
    try:
        with session_factory() as session:
            newest = newest_fx_date(session)
    except SQLAlchemyError:
        return  # not migrated yet: the requests themselves will say so
    warning = stale_rates_warning(newest, utcnow().date(), max_age)
    if warning:
        log.warning(warning)


def interrupted_simulations(session_factory: sessionmaker[Session]) -> None:
    """Simulation runs a previous server left queued or running are failed, saying why."""
    try:
        count = fail_interrupted(SqlAlchemySimulationUnitOfWork(session_factory), utcnow())
    except SQLAlchemyError:
        return  # not migrated yet
    if count:
        log.warning("%d interrupted simulation run(s) marked failed", count)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application, wired to the database named by `settings`."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        problem = probe_database(app.state.engine)
        if problem:
            log.warning(
                "database %s is unreachable (%s); /health will answer 503 until it is back",
                redact_url(settings.database_url),
                problem,
            )
        else:
            interrupted_simulations(app.state.session_factory)
            # Reading the bundled rates takes most of a second; off the start-up path, it
            # also leaves them parsed for the first quote that needs them.
            threading.Thread(
                target=warn_if_rates_are_stale,
                args=(app.state.session_factory, settings.fx_max_age_days),
                name="fx-age-check",
                daemon=True,
            ).start()
        worker = None
        if settings.worker_in_process:  # so `ewtp serve` alone delivers webhooks
            worker = WorkerThread(app.state.session_factory, settings)
            worker.start()
        app.state.quote_store.start()
        freeze_heap()  # everything built so far lives as long as the application
        yield
        thaw_heap()
        app.state.quote_store.stop()
        if worker is not None:
            worker.stop()
        app.state.engine.dispose()
        app.state.health_engine.dispose()
        if getattr(app.state, "health_monitor", None) is not None:
            app.state.health_monitor.close()

    app = FastAPI(
        title="ewtp",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None,  # served offline by `web/apidocs/router.py`
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = make_engine(
        settings.database_url,
        connect_timeout=settings.db_connect_timeout_seconds,
        pool=PoolBudget(
            settings.db_pool_size, settings.db_max_overflow, settings.overload_wait_seconds
        ),
        sqlite_busy_seconds=settings.sqlite_busy_seconds,
    )
    # /health probes on a connection of its own, so a busy pool cannot make it slow.
    app.state.health_engine = make_engine(
        settings.database_url,
        connect_timeout=settings.db_connect_timeout_seconds,
        pool=PoolBudget(1, 0, settings.overload_wait_seconds),
        sqlite_busy_seconds=settings.sqlite_busy_seconds,
    )
    app.state.session_factory = make_session_factory(app.state.engine)
    # Quotes of concurrent requests share one commit (its thread runs in the lifespan).
    app.state.quote_store = QuoteWriter(
        partial(SqlAlchemyMerchantUnitOfWork, app.state.session_factory)
    )
    install_problem_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.state.request_log = RequestLog()
    app.add_middleware(RecordApiRequests, log=app.state.request_log)
    app.add_middleware(Admission, limit=settings.max_in_flight, wait=settings.overload_wait_seconds)
    for router in discover_routers():
        app.include_router(router)
    mount_pages(app)
    install_pages(app)
    install_openapi(app)

    return app
