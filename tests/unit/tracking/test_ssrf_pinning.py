"""The webhook SSRF guard: pinned resolution (no DNS rebinding) and IPv6 transition forms."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpcore
import httpx
import pytest

from ewtp.adapters.webhooks.sender import HttpxWebhookSender, SsrfGuard
from ewtp.domain.errors import InvalidInput
from ewtp.domain.webhooks.model import forbidden_address_reason

PUBLIC = "93.184.216.34"  # what the rebinding name answers first
REBIND = "hooks.rebind.example"


class Rebinding:
    """A resolver that answers a public address to the first lookup, loopback after."""

    def __init__(self, loopback_port: int) -> None:
        self.calls = 0
        self.loopback_port = loopback_port

    def __call__(self, _host: str, port: int, *_args: Any, **_kwargs: Any) -> list[Any]:
        self.calls += 1
        address = PUBLIC if self.calls == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]


class RecordingBackend(httpcore.SyncBackend):
    """httpcore's socket backend, resolving names with `resolver` as the OS would; a public
    IP is refused instead of dialled, so the test never leaves this machine."""

    def __init__(self, resolver: Rebinding) -> None:
        self.dialled: list[str] = []
        self.resolver = resolver

    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.dialled.append(host)
        if host == REBIND:  # an unpinned client resolves again: loopback now
            host = self.resolver(host, port)[0][4][0]
            port = self.resolver.loopback_port
        if host != "127.0.0.1":
            raise httpcore.ConnectError(f"test: no route to {host}")
        return super().connect_tcp(host, port, *args, **kwargs)


@pytest.fixture
def loopback_receiver() -> Iterator[tuple[int, list[str]]]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


def sender_on(backend: RecordingBackend, guard: SsrfGuard) -> HttpxWebhookSender:
    transport = httpx.HTTPTransport()
    transport._pool._network_backend = backend  # the only way in; test-only
    return HttpxWebhookSender(guard, transport=transport, timeout=5)


def test_a_name_that_rebinds_to_loopback_after_the_check_cannot_reach_loopback(
    loopback_receiver: tuple[int, list[str]],
) -> None:
    port, hits = loopback_receiver
    resolver = Rebinding(port)
    backend = RecordingBackend(resolver)
    sender = sender_on(backend, SsrfGuard(resolver=resolver))
    try:
        result = sender.send(f"http://{REBIND}:{port}/hook", b"{}", {})
    finally:
        sender.close()
    assert hits == []  # the loopback receiver was never reached
    assert backend.dialled == [PUBLIC]  # the connection went to the address checked
    assert resolver.calls == 1  # and nothing resolved the name a second time
    assert result.status_code is None


def test_the_rebinding_resolver_does_reach_loopback_without_pinning(
    loopback_receiver: tuple[int, list[str]],
) -> None:
    """The oracle for the test above: an ordinary client on the same resolver is fooled."""
    port, hits = loopback_receiver
    resolver = Rebinding(port)
    SsrfGuard(resolver=resolver).check(f"http://{REBIND}:{port}/hook")  # public: passes
    transport = httpx.HTTPTransport()
    transport._pool._network_backend = RecordingBackend(resolver)
    with httpx.Client(transport=transport) as client:
        assert client.post(f"http://{REBIND}:{port}/hook").status_code == 204
    assert hits == ["/hook"]


def test_the_pinned_request_keeps_the_host_header_and_the_tls_server_name() -> None:
    seen: list[httpx.Request] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    guard = SsrfGuard(resolver=lambda _host, port, **_: [(2, 1, 6, "", (PUBLIC, port))])
    sender = HttpxWebhookSender(guard, transport=httpx.MockTransport(receiver))
    assert sender.send("https://hooks.shop.example:8443/in?x=1", b"{}", {}).status_code == 200
    (request,) = seen
    assert str(request.url) == f"https://{PUBLIC}:8443/in?x=1"
    assert request.headers["host"] == "hooks.shop.example:8443"
    assert request.extensions["sni_hostname"] == "hooks.shop.example"


@pytest.mark.parametrize(
    "address",
    [
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254 (metadata)
        "64:ff9b::7f00:1",  # NAT64 (RFC 6052) of 127.0.0.1
        "64:ff9b:1::c0a8:101",  # local-use NAT64 (RFC 8215) of 192.168.1.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.1.2.3",
        "::127.0.0.1",  # IPv4-compatible (deprecated)
    ],
)
def test_ipv6_transition_forms_of_private_addresses_are_refused(address: str) -> None:
    assert forbidden_address_reason(address) is not None
    guard = SsrfGuard(resolver=lambda _host, port, **_: [(10, 1, 6, "", (address, port, 0, 0))])
    with pytest.raises(InvalidInput, match="webhooks must be public"):
        guard.check("http://[2002:7f00:1::]/")


def test_the_issue_url_is_refused_by_its_literal_address() -> None:
    with pytest.raises(InvalidInput, match="loopback"):
        SsrfGuard().check("http://[2002:7f00:1::]/")


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "2002:5db8:d822::"])
def test_public_addresses_and_their_6to4_form_pass(address: str) -> None:
    assert forbidden_address_reason(address) is None
