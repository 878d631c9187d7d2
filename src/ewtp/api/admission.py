"""Admission control: a bounded number of requests in flight, a bounded wait for the rest.

Past `EWTP_MAX_IN_FLIGHT` requests a new one waits up to `EWTP_OVERLOAD_WAIT_SECONDS` for
a slot and is then answered 503 with Retry-After, instead of queueing behind the thread
pool and the database pool until a client times out. `/health` and static files skip the
gate, so a monitor sees a loaded server answer at once.
"""

from __future__ import annotations

import math

import anyio
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from ewtp.api.problems import problem_response

__all__ = ["Admission"]

EXEMPT = ("/health", "/static/")


class Admission:
    """ASGI middleware: at most `limit` requests at once; the rest wait `wait` s, then 503."""

    def __init__(self, app: ASGIApp, *, limit: int, wait: float) -> None:
        self.app = app
        self.limit = limit
        self.wait = wait
        self._slots: anyio.Semaphore | None = None  # made on first use, in the server's loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT):
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = anyio.Semaphore(self.limit)
        slots = self._slots
        admitted = False
        with anyio.move_on_after(self.wait):  # bounds the wait for a slot, not the work
            await slots.acquire()
            admitted = True
        if admitted:
            try:
                await self.app(scope, receive, send)
            finally:
                slots.release()
            return
        retry = max(1, math.ceil(self.wait))
        response = problem_response(
            Request(scope),
            503,
            f"the service is at capacity ({self.limit} requests in progress); "
            f"retry after {retry} s",
            code="overloaded",
            headers={"Retry-After": str(retry)},
        )
        await response(scope, receive, send)
