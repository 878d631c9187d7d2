"""Download the ECB rates file over HTTP, and the daily fetch loop of the worker.

The ECB publishes its reference rates around 16:00 CET on TARGET business days; the loop
fetches once at start and then every day at `EWTP_FX_FETCH_TIME_UTC` (16:30 by default),
from `EWTP_FX_SOURCE_URL`. A failed fetch is logged and retried at the next run; the
rates held stay as they were.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta

import httpx
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.clock import utcnow
from ewtp.adapters.customs.fx import parse_ecb_bytes
from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.fx_rates import FetchResult, fetch_fx_rates

__all__ = ["FxFetchThread", "download", "fetch_now", "next_run"]

log = logging.getLogger("ewtp.fx")
MAX_BYTES = 20 * 1024 * 1024  # the full ECB history zip is under 1 MiB


def download(url: str, timeout: float = 30.0) -> bytes:
    """The body of `url`, or a clear error naming the URL (never a partial body)."""
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            response.raise_for_status()
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise InvalidInput(f"{url} is larger than {MAX_BYTES} bytes", field="url")
            return bytes(body)
    except httpx.HTTPStatusError as exc:
        status = exc.response.status_code
        raise InvalidInput(f"cannot download {url}: HTTP {status}", field="url") from None
    except httpx.HTTPError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInput(f"cannot download {url}: {reason}", field="url") from None


def fetch_now(factory: sessionmaker[Session], url: str) -> FetchResult:
    return fetch_fx_rates(SqlAlchemyCustomsUnitOfWork(factory), url, download, parse_ecb_bytes)


def next_run(now: datetime, at: time) -> datetime:
    """The next daily fetch time after `now` (UTC)."""
    run = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return run if run > now else run + timedelta(days=1)


class FxFetchThread:
    """Fetch at start, then daily after the ECB publishes, until stopped."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        url: str,
        at: time,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._factory, self._url, self._at, self._clock = factory, url, at, clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ewtp-fx-fetch", daemon=True)

    def _once(self) -> None:
        try:
            result = fetch_now(self._factory, self._url)
            log.info("fetched %d ECB rates up to %s", result.rates, result.last_date)
        except Exception as exc:  # a failed fetch must not stop the worker
            log.warning("ECB rates fetch from %s failed: %s", self._url, exc)

    def _run(self) -> None:
        self._once()
        while not self._stop.is_set():
            now = self._clock()
            if self._stop.wait((next_run(now, self._at) - now).total_seconds()):
                return
            self._once()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
