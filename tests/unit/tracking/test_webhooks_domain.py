"""Webhook rules: the signature, the retry schedule and the SSRF address check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.domain.errors import InvalidInput
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking.timeline import ScanEvent, derive_timeline
from ewtp.domain.webhooks.model import (
    forbidden_address_reason,
    next_attempt_at,
    signature_header,
    validate_event_types,
    verify,
)
from unit.tracking.strategies import streams

BODY = b'{"id":"evt_1"}'
# printf '1700000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_test
OPENSSL_HEX = "c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925"


def test_signature_matches_an_hmac_computed_by_openssl() -> None:
    assert signature_header("whsec_test", 1_700_000_000, BODY) == f"t=1700000000,v1={OPENSSL_HEX}"


def test_verification_rejects_a_changed_body_a_wrong_secret_and_a_stale_time() -> None:
    header = signature_header("whsec_test", 1_700_000_000, BODY)
    assert verify("whsec_test", header, BODY, now=1_700_000_010)
    assert not verify("whsec_test", header, BODY + b" ", now=1_700_000_010)
    assert not verify("whsec_other", header, BODY, now=1_700_000_010)
    assert not verify("whsec_test", header, BODY, now=1_700_000_000 + 301)
    assert not verify("whsec_test", "garbage", BODY, now=1_700_000_000)


def test_retries_follow_the_schedule_then_stop() -> None:
    now = datetime(2026, 11, 22, tzinfo=UTC)
    schedule = (60, 300, 1800)
    assert next_attempt_at(schedule, 1, now) == now + timedelta(seconds=60)
    assert next_attempt_at(schedule, 3, now) == now + timedelta(seconds=1800)
    assert next_attempt_at(schedule, 4, now) is None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("192.168.0.10", "a private address"),
        ("172.16.5.4", "a private address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("100.100.100.200", "a cloud metadata address"),
        ("169.254.10.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("100.64.0.1", "a private address"),
        ("0.0.0.0", "a private address"),
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_ssrf_check_refuses_internal_addresses(address: str, reason: str | None) -> None:
    assert forbidden_address_reason(address) == reason


def test_event_types_are_validated_and_deduplicated() -> None:
    assert validate_event_types(["shipment.delivered", "tracking.updated", "tracking.updated"]) == (
        "tracking.updated",
        "shipment.delivered",
    )
    with pytest.raises(InvalidInput) as caught:
        validate_event_types(["shipment.teleported"])
    assert caught.value.field == "events"


@settings(max_examples=200, deadline=None)
@given(stream=streams(), data=st.data())
def test_the_fold_is_order_independent_even_when_copies_differ(
    stream: list[ScanEvent], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(stream))
    assert derive_timeline(shuffled, ShipmentStatus.BOOKED) == derive_timeline(
        stream, ShipmentStatus.BOOKED
    )
