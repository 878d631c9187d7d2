"""Use cases around Idempotency-Key: reserve a key, store the answer, or replay it.

The reservation is its own short transaction that inserts the (account, key) row; the
primary key makes a concurrent twin fail, so exactly one request runs and the others
wait for its stored answer. A retry that finds the row pending past its lease takes it
over with a compare-and-set on the lease start, so of concurrent retries exactly one runs;
the answer (or release) of a holder whose lease was taken over is then ignored.

Keys are trimmed (`validate_key`) by every use case here, so " k1 " and "k1" are one key.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ewtp.domain.merchant.idempotency import Decision, IdempotencyRecord, decide, validate_key
from ewtp.services.merchant.ports import MerchantUnitOfWork

__all__ = ["Reservation", "abandon_key", "complete_key", "reserve_key"]


@dataclass(frozen=True, slots=True)
class Reservation:
    decision: Decision
    record: IdempotencyRecord | None


def reserve_key(
    uow: MerchantUnitOfWork,
    account_id: str,
    key: str,
    print_: str,
    now: datetime,
    ttl: timedelta,
    lease: timedelta,
) -> Reservation:
    """PROCEED (the key is now ours), REPLAY (stored answer) or WAIT (a twin is running).

    The record of a PROCEED is the reservation: its `created_at` is the lease to pass to
    `complete_key` and `abandon_key`. Raises InvalidInput when the key was used with a
    different request.
    """
    key = validate_key(key)
    for _attempt in range(3):
        with uow:
            record = uow.idempotency.get(account_id, key)
            decision = decide(record, print_, now, ttl, lease)
            if decision is Decision.TAKE_OVER:
                assert record is not None
                if uow.idempotency.take_over(record, now):
                    uow.commit()
                    return Reservation(Decision.PROCEED, replace(record, created_at=now))
                continue  # another retry took it, or it completed: look again
            if decision is not Decision.PROCEED:
                return Reservation(decision, record)
            if record is not None:  # expired: forget it and take the key afresh
                uow.idempotency.delete(account_id, key)
            fresh = IdempotencyRecord(account_id, key, print_, now)
            if uow.idempotency.reserve(fresh):
                uow.commit()
                return Reservation(Decision.PROCEED, fresh)
    return Reservation(Decision.WAIT, None)


def complete_key(
    uow: MerchantUnitOfWork,
    account_id: str,
    key: str,
    status_code: int,
    body: bytes,
    media_type: str,
    leased_at: datetime | None = None,
) -> None:
    """Store the answer that later replays will return (unless the lease was taken over)."""
    with uow:
        uow.idempotency.complete(
            account_id, validate_key(key), status_code, body, media_type, leased_at
        )
        uow.commit()


def abandon_key(
    uow: MerchantUnitOfWork, account_id: str, key: str, leased_at: datetime | None = None
) -> None:
    """Release a key whose request failed unexpectedly, so a retry can run."""
    with uow:
        uow.idempotency.delete(account_id, validate_key(key), leased_at)
        uow.commit()
