"""The delivery loop tells a database outage from a bug, and survives both."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import pytest

from ewtp.services.webhooks.deliver import run_worker


class StoreAway(Exception):
    """Stands in for the storage's own error (SQLAlchemyError in production)."""


class OnePass(threading.Event):
    """Stops the loop the first time it waits."""

    def wait(self, timeout: float | None = None) -> bool:  # noqa: ARG002
        self.set()
        return True


def run_once(error: Exception) -> None:
    def factory() -> object:
        raise error

    run_worker(
        factory,  # type: ignore[arg-type]
        sender=None,  # type: ignore[arg-type]
        clock=lambda: datetime(2026, 12, 1, tzinfo=UTC),
        schedule=(60,),
        stop=OnePass(),
        poll_seconds=0.01,
        unavailable=(StoreAway,),
    )


def test_a_storage_outage_is_one_warning_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        run_once(StoreAway("connection refused"))
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "database unavailable (connection refused)" in record.getMessage()
    assert record.exc_info is None


def test_a_bug_is_logged_with_its_traceback_not_called_an_outage(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        run_once(KeyError("endpoint"))
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert "unavailable" not in record.getMessage()
    assert record.exc_info is not None
    assert record.exc_info[0] is KeyError
