"""Record each authenticated `/v1` request (method, path, status, time) in the account's
recent-requests log, which the web app's developers page shows."""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ewtp.adapters.clock import utcnow
from ewtp.adapters.request_log import ApiRequest, RequestLog

__all__ = ["RecordApiRequests"]


class RecordApiRequests:
    """Pure ASGI (no per-request task), so the API's hot path pays a few microseconds."""

    def __init__(self, app: ASGIApp, log: RequestLog) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            state: dict[str, Any] = scope.get("state") or {}
            principal = state.get("principal")
            if principal is not None:
                self.log.add(
                    principal.account_id,
                    ApiRequest(
                        at=utcnow(),
                        method=scope["method"],
                        path=scope["path"],
                        status=status,
                        millis=(time.perf_counter() - started) * 1000,
                        key_id=principal.key_id,
                    ),
                )
