"""Run the webhook delivery loop: in a thread of `ewtp serve`, or as `ewtp worker`."""

from __future__ import annotations

import threading
from datetime import time, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.clock import utcnow
from ewtp.adapters.customs.fx_fetch import FxFetchThread
from ewtp.adapters.db.tracking.uow import SqlAlchemyTrackingUnitOfWork
from ewtp.adapters.webhooks.sender import HttpxWebhookSender, SsrfGuard
from ewtp.config import Settings
from ewtp.services.webhooks.deliver import run_worker

__all__ = ["WorkerThread", "run_blocking"]


def run_blocking(factory: sessionmaker[Session], settings: Settings, stop: threading.Event) -> None:
    """Deliver webhooks until `stop` is set (and keep the customs ECB rates current)."""
    sender = HttpxWebhookSender(SsrfGuard(allow_private=settings.webhook_allow_private))
    fx = None
    if settings.fx_fetch_enabled:
        fx = FxFetchThread(
            factory, settings.fx_source_url, time.fromisoformat(settings.fx_fetch_time_utc)
        )
        fx.start()
    try:
        run_worker(
            lambda: SqlAlchemyTrackingUnitOfWork(factory),
            sender,
            utcnow,
            settings.webhook_retry_schedule,
            stop,
            settings.worker_poll_seconds,
            timedelta(days=settings.webhook_retention_days),
            unavailable=(SQLAlchemyError,),
        )
    finally:
        sender.close()
        if fx is not None:
            fx.stop()


class WorkerThread:
    """The in-process worker of `ewtp serve`: a daemon thread stopped at shutdown."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=run_blocking, args=(factory, settings, self._stop), name="ewtp-webhooks",
            daemon=True,
        )  # fmt: skip

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
