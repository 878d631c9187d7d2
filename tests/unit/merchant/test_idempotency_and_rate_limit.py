"""Idempotency-Key decisions and the per-key token bucket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ewtp.domain.errors import InvalidInput
from ewtp.domain.idempotency import Decision, IdempotencyRecord, decide, fingerprint
from ewtp.domain.ratelimit import TokenBucket
from ewtp.services.idempotency import abandon_key, complete_key, reserve_key

from .fakes import FakeMerchantUnitOfWork

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def test_same_body_replays_and_a_different_body_is_refused_saying_so() -> None:
    uow = FakeMerchantUnitOfWork()
    first = reserve_key(uow, "acct", "k1", "print-a", NOW, DAY)
    assert first.decision is Decision.PROCEED
    assert reserve_key(uow, "acct", "k1", "print-a", NOW, DAY).decision is Decision.WAIT
    complete_key(uow, "acct", "k1", 201, b'{"id": "x"}', "application/json")
    again = reserve_key(uow, "acct", "k1", "print-a", NOW + timedelta(hours=23), DAY)
    assert again.decision is Decision.REPLAY
    assert again.record is not None
    assert again.record.body == b'{"id": "x"}'
    with pytest.raises(InvalidInput, match="different request body") as err:
        reserve_key(uow, "acct", "k1", "print-b", NOW, DAY)
    assert err.value.field == "Idempotency-Key"


def test_keys_are_per_merchant_and_forgotten_only_after_the_retention() -> None:
    uow = FakeMerchantUnitOfWork()
    reserve_key(uow, "acct", "k1", "p", NOW, DAY)
    assert reserve_key(uow, "other", "k1", "q", NOW, DAY).decision is Decision.PROCEED
    complete_key(uow, "acct", "k1", 201, b"{}", "application/json")
    late = reserve_key(uow, "acct", "k1", "changed", NOW + DAY, DAY)
    assert late.decision is Decision.PROCEED


def test_an_abandoned_key_can_run_again() -> None:
    uow = FakeMerchantUnitOfWork()
    reserve_key(uow, "acct", "k1", "p", NOW, DAY)
    abandon_key(uow, "acct", "k1")
    assert reserve_key(uow, "acct", "k1", "p", NOW, DAY).decision is Decision.PROCEED


def test_fingerprint_separates_parts_unambiguously() -> None:
    assert fingerprint("POST", "/a", "", b"bc") != fingerprint("POST", "/ab", "", b"c")
    assert fingerprint("POST", "/a", "x=1", b"") != fingerprint("POST", "/a", "", b"x=1")
    assert fingerprint("post", "/a", "", b"") == fingerprint("POST", "/a", "", b"")


def test_decide_without_a_record_proceeds() -> None:
    assert decide(None, "p", NOW, DAY) is Decision.PROCEED
    record = IdempotencyRecord("a", "k", "p", NOW - DAY + timedelta(seconds=1))
    assert decide(record, "p", NOW, DAY) is Decision.WAIT


def test_bucket_allows_a_burst_then_asks_to_wait_then_refills() -> None:
    bucket = TokenBucket.full(capacity=3, rate=0.5, now=100.0)
    assert [bucket.take(100.0) for _ in range(3)] == [0, 0, 0]
    assert bucket.take(100.0) == 2  # one token takes 2 s at 0.5/s
    assert bucket.take(101.0) == 1
    assert bucket.take(102.0) == 0
    assert bucket.take(102.0) == 2


def test_bucket_never_holds_more_than_its_capacity() -> None:
    bucket = TokenBucket.full(capacity=2, rate=10, now=0.0)
    assert [bucket.take(1000.0) for _ in range(3)] == [0, 0, 1]
