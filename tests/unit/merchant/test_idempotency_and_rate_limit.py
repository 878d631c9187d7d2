"""Idempotency-Key decisions and the per-key token bucket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.idempotency import Decision, IdempotencyRecord, decide, fingerprint
from ewtp.domain.ratelimit import TokenBucket
from ewtp.services.merchant.idempotency import abandon_key, complete_key, reserve_key

from .fakes import FakeMerchantUnitOfWork

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
DAY = timedelta(hours=24)
LEASE = timedelta(minutes=10)


def test_same_body_replays_and_a_different_body_is_refused_saying_so() -> None:
    uow = FakeMerchantUnitOfWork()
    first = reserve_key(uow, "acct", "k1", "print-a", NOW, DAY, LEASE)
    assert first.decision is Decision.PROCEED
    assert reserve_key(uow, "acct", "k1", "print-a", NOW, DAY, LEASE).decision is Decision.WAIT
    complete_key(uow, "acct", "k1", 201, b'{"id": "x"}', "application/json")
    again = reserve_key(uow, "acct", "k1", "print-a", NOW + timedelta(hours=23), DAY, LEASE)
    assert again.decision is Decision.REPLAY
    assert again.record is not None
    assert again.record.body == b'{"id": "x"}'
    with pytest.raises(InvalidInput, match="different request body") as err:
        reserve_key(uow, "acct", "k1", "print-b", NOW, DAY, LEASE)
    assert err.value.field == "Idempotency-Key"


def test_keys_are_per_merchant_and_forgotten_only_after_the_retention() -> None:
    uow = FakeMerchantUnitOfWork()
    reserve_key(uow, "acct", "k1", "p", NOW, DAY, LEASE)
    assert reserve_key(uow, "other", "k1", "q", NOW, DAY, LEASE).decision is Decision.PROCEED
    complete_key(uow, "acct", "k1", 201, b"{}", "application/json")
    late = reserve_key(uow, "acct", "k1", "changed", NOW + DAY, DAY, LEASE)
    assert late.decision is Decision.PROCEED


def test_an_abandoned_key_can_run_again() -> None:
    uow = FakeMerchantUnitOfWork()
    reserve_key(uow, "acct", "k1", "p", NOW, DAY, LEASE)
    abandon_key(uow, "acct", "k1")
    assert reserve_key(uow, "acct", "k1", "p", NOW, DAY, LEASE).decision is Decision.PROCEED


def test_fingerprint_separates_parts_unambiguously() -> None:
    assert fingerprint("POST", "/a", "", b"bc") != fingerprint("POST", "/ab", "", b"c")
    assert fingerprint("POST", "/a", "x=1", b"") != fingerprint("POST", "/a", "", b"x=1")
    assert fingerprint("post", "/a", "", b"") == fingerprint("POST", "/a", "", b"")


def test_decide_without_a_record_proceeds() -> None:
    assert decide(None, "p", NOW, DAY, LEASE) is Decision.PROCEED
    record = IdempotencyRecord("a", "k", "p", NOW - DAY + timedelta(seconds=1))
    assert decide(record, "p", NOW, DAY, DAY) is Decision.WAIT


def test_decide_takes_over_a_pending_record_only_once_its_lease_has_run_out() -> None:
    pending = IdempotencyRecord("a", "k", "p", NOW)
    assert decide(pending, "p", NOW + LEASE - timedelta(seconds=1), DAY, LEASE) is Decision.WAIT
    assert decide(pending, "p", NOW + LEASE, DAY, LEASE) is Decision.TAKE_OVER
    done = IdempotencyRecord("a", "k", "p", NOW, 201, b"{}", "application/json")
    assert decide(done, "p", NOW + LEASE, DAY, LEASE) is Decision.REPLAY
    with pytest.raises(InvalidInput, match="different request body"):
        decide(pending, "other", NOW + LEASE, DAY, LEASE)


def test_a_retry_after_the_lease_runs_the_request_and_holds_a_new_lease() -> None:
    uow = FakeMerchantUnitOfWork()
    reserve_key(uow, "acct", "k1", "p", NOW, DAY, LEASE)  # its worker dies: never completed
    early = reserve_key(uow, "acct", "k1", "p", NOW + LEASE / 2, DAY, LEASE)
    assert early.decision is Decision.WAIT
    retry = reserve_key(uow, "acct", "k1", "p", NOW + LEASE, DAY, LEASE)
    assert retry.decision is Decision.PROCEED
    assert retry.record is not None
    assert retry.record.created_at == NOW + LEASE
    twin = reserve_key(uow, "acct", "k1", "p", NOW + LEASE, DAY, LEASE)
    assert twin.decision is Decision.WAIT  # the new lease is held


def test_a_holder_whose_lease_was_taken_over_neither_answers_nor_releases_the_key() -> None:
    uow = FakeMerchantUnitOfWork()
    reserve_key(uow, "acct", "k1", "p", NOW, DAY, LEASE)
    reserve_key(uow, "acct", "k1", "p", NOW + LEASE, DAY, LEASE)  # taken over
    complete_key(uow, "acct", "k1", 201, b"late", "application/json", leased_at=NOW)
    abandon_key(uow, "acct", "k1", leased_at=NOW)
    waiting = reserve_key(uow, "acct", "k1", "p", NOW + LEASE, DAY, LEASE)
    assert waiting.decision is Decision.WAIT
    complete_key(uow, "acct", "k1", 201, b"new", "application/json", leased_at=NOW + LEASE)
    replay = reserve_key(uow, "acct", "k1", "p", NOW + LEASE, DAY, LEASE)
    assert replay.decision is Decision.REPLAY
    assert replay.record is not None
    assert replay.record.body == b"new"


def test_a_key_with_surrounding_blanks_is_stored_completed_and_released_trimmed() -> None:
    uow = FakeMerchantUnitOfWork()
    reserve_key(uow, "acct", " k1 ", "p", NOW, DAY, LEASE)
    complete_key(uow, "acct", " k1 ", 201, b"{}", "application/json")
    replay = reserve_key(uow, "acct", "k1", "p", NOW, DAY, LEASE)
    assert replay.decision is Decision.REPLAY
    reserve_key(uow, "acct", "k2", "p", NOW, DAY, LEASE)
    abandon_key(uow, "acct", "\tk2 ")
    assert reserve_key(uow, "acct", "k2", "p", NOW, DAY, LEASE).decision is Decision.PROCEED


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
