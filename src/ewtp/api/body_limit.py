"""A ceiling on request bodies, checked before any route reads them.

Without it a client can make the server buffer any amount: pydantic parses a JSON body
only after all of it is in memory. A body that declares its length is judged on the
header alone; a chunked one is read up to the limit and replayed to the route, so a good
request loses nothing and an oversized one is refused before anything is written.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ewtp.api.problems import problem_response

__all__ = ["BodyLimit"]


class BodyLimit:
    """ASGI middleware answering 413 (problem+json, field `body`) above `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _declared_length(scope)
        if length is not None:
            if length > self.max_bytes:
                await self._refuse(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        # No Content-Length (chunked): read it here, up to the limit, then replay it.
        chunks: list[Message] = []
        size = 0
        while True:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = _mib(self.max_bytes)
        reason = f"must be at most {limit} (EWTP_MAX_REQUEST_BYTES); split it into smaller requests"
        response = problem_response(
            Request(scope),
            413,
            f"request body too large: it {reason}",
            code="payload_too_large",
            errors=[{"field": "body", "in": "body", "reason": reason}],
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _mib(size: int) -> str:
    return f"{size / 2**20:g} MiB" if size >= 2**20 else f"{size:,} bytes"
