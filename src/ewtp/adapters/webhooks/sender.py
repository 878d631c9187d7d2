"""Webhook HTTP: an httpx sender with a 10 s timeout, and the SSRF guard.

The guard resolves the URL's host and refuses it when any address is loopback, private,
link-local, a cloud metadata service, or an IPv6 form that embeds such an IPv4 address
(`domain.webhooks.forbidden_address_reason`). It runs when an endpoint is registered and
again before every send, and the send connects to the very address it checked: the URL
is rewritten to that IP, with the original Host header and TLS server name (SNI and the
certificate check), so a DNS name that answers a public address to the check and a
loopback one to the connection (DNS rebinding) cannot reach inside. Redirects are not
followed. At registration the guard also refuses plain http:// (`allow_http=False`).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

import httpx

from ewtp.domain.errors import InvalidInput
from ewtp.domain.webhooks.model import forbidden_address_reason
from ewtp.services.webhooks.deliver import AbstractWebhookSender, SendResult
from ewtp.services.webhooks.manage import AbstractUrlGuard

__all__ = ["TIMEOUT_SECONDS", "HttpxWebhookSender", "PinnedUrl", "SsrfGuard"]

TIMEOUT_SECONDS = 10.0
MAX_URL = 2000
Resolver = Callable[..., list[Any]]  # socket.getaddrinfo's shape


@dataclass(frozen=True, slots=True)
class PinnedUrl:
    """Where to connect (the checked address) and who to say we are talking to."""

    url: str  # the URL with the checked IP in place of the host name
    host: str  # the Host header: the original host[:port]
    server_name: str  # the original host name, for TLS SNI and the certificate check


class SsrfGuard(AbstractUrlGuard):
    def __init__(
        self,
        allow_private: bool = False,
        resolver: Resolver | None = None,
        *,
        allow_http: bool = True,
    ) -> None:
        """`allow_http=False` at registration: deliveries carry shipment data and a
        signature, so they go over TLS unless `EWTP_WEBHOOK_ALLOW_HTTP=1` (local testing)."""
        self.allow_private = allow_private
        self.allow_http = allow_http
        self._resolve = resolver or socket.getaddrinfo

    def check(self, url: str) -> None:
        self.pin(url)

    def pin(self, url: str) -> PinnedUrl:
        """The URL bound to one address its host resolves to; InvalidInput when any is
        forbidden (a name with one private address among public ones is refused)."""
        parts = _parse(url)
        if parts.scheme != "https" and not self.allow_http:
            raise InvalidInput(
                "must be an https:// URL (plain http is refused unless EWTP_WEBHOOK_ALLOW_HTTP=1)",
                field="url",
            )
        hostname = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            infos = self._resolve(hostname, port, proto=socket.IPPROTO_TCP)
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"host does not resolve ({exc})", field="url") from exc
        addresses = [str(info[4][0]).split("%")[0] for info in infos]
        if not addresses:
            raise InvalidInput("host does not resolve (no address)", field="url")
        if not self.allow_private:
            for address in addresses:
                reason = forbidden_address_reason(address)
                if reason:
                    raise InvalidInput(
                        f"{hostname} resolves to {address}, {reason}; webhooks must be public",
                        field="url",
                    )
        return _pinned(parts, addresses[0], port)


def _parse(url: str) -> SplitResult:
    if len(url) > MAX_URL:
        raise InvalidInput(f"must be at most {MAX_URL} characters", field="url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("must be an absolute http(s) URL", field="url")
    if parts.username or parts.password:
        raise InvalidInput("must not carry credentials", field="url")
    try:
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as exc:
        raise InvalidInput(f"bad port ({exc})", field="url") from exc
    return parts


def _pinned(parts: SplitResult, address: str, port: int) -> PinnedUrl:
    ip = ipaddress.ip_address(address)
    literal = f"[{ip}]" if ip.version == 6 else str(ip)
    url = urlunsplit((parts.scheme, f"{literal}:{port}", parts.path, parts.query, ""))
    return PinnedUrl(url=url, host=parts.netloc, server_name=parts.hostname or "")


class HttpxWebhookSender(AbstractWebhookSender):
    """POSTs with httpx; the transport is injectable so tests can use httpx.MockTransport."""

    def __init__(
        self,
        guard: SsrfGuard,
        transport: httpx.BaseTransport | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self._guard = guard
        self._client = httpx.Client(
            timeout=timeout, follow_redirects=False, transport=transport, trust_env=False
        )

    def send(self, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        try:
            pinned = self._guard.pin(url)
        except InvalidInput as exc:
            return SendResult(None, f"refused: {exc.message}")
        try:
            response = self._client.post(
                pinned.url,
                content=body,
                headers={**headers, "Host": pinned.host},
                extensions={"sni_hostname": pinned.server_name},
            )
        except httpx.HTTPError as exc:
            return SendResult(None, f"{type(exc).__name__}: {exc}"[:500])
        error = None if response.is_success else f"HTTP {response.status_code}"
        return SendResult(response.status_code, error)

    def close(self) -> None:
        self._client.close()
