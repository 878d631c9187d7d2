"""Webhook rules: event types, the signature, the retry schedule and the SSRF address check.

Signature (like Stripe's): header `Ewtp-Signature: t=<unix seconds>,v1=<hex>` where hex is
HMAC-SHA256 over the bytes `"<t>." + raw body`, keyed with the endpoint's secret. Receivers
recompute it, compare in constant time, and reject stale `t` to stop replays.

Delivery of one event to one endpoint:

    pending ──2xx──► succeeded
       │ ▲
       │ └── failure, tries left: next try after schedule[attempts - 1] seconds
       └──── failure after the last try ──► failed (the endpoint is marked failing)
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ewtp.domain.errors import InvalidInput

__all__ = [
    "EVENT_TYPES",
    "SIGNATURE_HEADER",
    "DeliveryStatus",
    "Endpoint",
    "forbidden_address_reason",
    "next_attempt_at",
    "sign",
    "signature_header",
    "validate_event_types",
    "verify",
]

EVENT_TYPES = (
    "shipment.booked",
    "tracking.updated",
    "shipment.delivered",
    "shipment.exception",
    "shipment.promise_at_risk",
)
SIGNATURE_HEADER = "Ewtp-Signature"
# Cloud metadata services that are not inside the link-local range: Alibaba Cloud uses
# 100.100.100.200 (in the RFC 6598 shared range), AWS also answers on fd00:ec2::254.
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_METADATA = frozenset(
    {ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("fd00:ec2::254")}
)


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Endpoint:
    id: str
    account_id: str
    url: str
    events: tuple[str, ...]
    secret: str
    created_at: datetime
    failing: bool = False


def validate_event_types(events: Sequence[str]) -> tuple[str, ...]:
    """The distinct event types in a stable order, or InvalidInput naming the bad one."""
    if not events:
        raise InvalidInput("subscribe to at least one event type", field="events")
    for name in events:
        if name not in EVENT_TYPES:
            raise InvalidInput(
                f"unknown event type {name!r}; one of {', '.join(EVENT_TYPES)}", field="events"
            )
    return tuple(t for t in EVENT_TYPES if t in set(events))


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of `<t>.<body>`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """What a receiver does: parse the header, check the age and the HMAC."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), parts.get("v1", ""))


def next_attempt_at(schedule: Sequence[int], attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed tries, or None when the schedule is spent."""
    if attempts < 1 or attempts > len(schedule):
        return None
    return now + timedelta(seconds=schedule[attempts - 1])


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 transition form reaches: IPv4-mapped (::ffff:a.b.c.d),
    IPv4-compatible (::a.b.c.d), 6to4 (2002::/16, RFC 3056), Teredo (2001::/32, server
    and client, RFC 4380) and NAT64 (64:ff9b::/96 RFC 6052, 64:ff9b:1::/48 RFC 8215)."""
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        found.append(low32)
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:  # not :: or ::1 (judged as themselves)
        found.append(low32)
    return found


def forbidden_address_reason(address: str) -> str | None:
    """Why a resolved IP must not receive webhooks (SSRF), or None when it is public.

    An IPv6 address that embeds an IPv4 one (`embedded_ipv4`) is judged by that address
    too, since a gateway would deliver the packet there.
    """
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is a.b.c.d on a dual-stack socket
            return forbidden_address_reason(str(ip.ipv4_mapped))
        for inner in embedded_ipv4(ip):
            reason = forbidden_address_reason(str(inner))
            if reason:
                return f"{reason} (embedded in {ip})"
    if ip in _METADATA or str(ip) == "169.254.169.254":
        return "a cloud metadata address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private or (isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED):
        return "a private address"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return "a reserved address"
    return None
