"""Use cases around Idempotency-Key: reserve a key, store the answer, or replay it.

The reservation is its own short transaction that inserts the (account, key) row; the
primary key makes a concurrent twin fail, so exactly one request runs and the others
wait for its stored answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ewtp.domain.idempotency import Decision, IdempotencyRecord, decide, validate_key
from ewtp.services.merchant_ports import MerchantUnitOfWork

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
) -> Reservation:
    """PROCEED (the key is now ours), REPLAY (stored answer) or WAIT (a twin is running).

    Raises InvalidInput when the key was used with a different request.
    """
    key = validate_key(key)
    for _attempt in range(3):
        with uow:
            record = uow.idempotency.get(account_id, key)
            decision = decide(record, print_, now, ttl)
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
) -> None:
    """Store the answer that later replays will return."""
    with uow:
        uow.idempotency.complete(account_id, key, status_code, body, media_type)
        uow.commit()


def abandon_key(uow: MerchantUnitOfWork, account_id: str, key: str) -> None:
    """Release a key whose request failed unexpectedly, so a retry can run."""
    with uow:
        uow.idempotency.delete(account_id, key)
        uow.commit()
