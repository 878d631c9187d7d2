"""Webhook HTTP: an httpx sender with a 10 s timeout, and the SSRF guard.

The guard resolves the URL's host and refuses it when any address is loopback, private,
link-local or a cloud metadata service (`domain.webhooks.forbidden_address_reason`). It
runs when an endpoint is registered and again before every send, so a DNS name that is
later pointed at an internal address is refused too. Redirects are not followed.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx

from ewtp.domain.errors import InvalidInput
from ewtp.domain.webhooks.model import forbidden_address_reason
from ewtp.services.webhooks.deliver import AbstractWebhookSender, SendResult
from ewtp.services.webhooks.manage import AbstractUrlGuard

__all__ = ["TIMEOUT_SECONDS", "HttpxWebhookSender", "SsrfGuard"]

TIMEOUT_SECONDS = 10.0
MAX_URL = 2000


class SsrfGuard(AbstractUrlGuard):
    def __init__(self, allow_private: bool = False) -> None:
        self.allow_private = allow_private

    def check(self, url: str) -> None:
        if len(url) > MAX_URL:
            raise InvalidInput(f"must be at most {MAX_URL} characters", field="url")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput("must be an absolute http(s) URL", field="url")
        if parts.username or parts.password:
            raise InvalidInput("must not carry credentials", field="url")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"host does not resolve ({exc})", field="url") from exc
        if self.allow_private:
            return
        for info in infos:
            address = str(info[4][0]).split("%")[0]
            reason = forbidden_address_reason(address)
            if reason:
                raise InvalidInput(
                    f"{parts.hostname} resolves to {address}, {reason}; webhooks must be public",
                    field="url",
                )


class HttpxWebhookSender(AbstractWebhookSender):
    """POSTs with httpx; the transport is injectable so tests can use httpx.MockTransport."""

    def __init__(
        self,
        guard: AbstractUrlGuard,
        transport: httpx.BaseTransport | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._guard = guard
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=False, transport=transport, trust_env=False
        )

    def send(self, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        try:
            self._guard.check(url)
        except InvalidInput as exc:
            return SendResult(None, f"refused: {exc.message}")
        try:
            response = self._client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return SendResult(None, f"{type(exc).__name__}: {exc}"[:500])
        error = None if response.is_success else f"HTTP {response.status_code}"
        return SendResult(response.status_code, error)

    def close(self) -> None:
        self._client.close()
