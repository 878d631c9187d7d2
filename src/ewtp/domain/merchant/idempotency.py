"""Idempotency keys: the same key and body replay the first answer; a new body is refused.

A key is scoped to the account (surrounding blanks are not part of it). Its record moves

    pending ──(answer stored)──► completed
       │
       └──(a retry after the lease, `Settings.idempotency_lease_seconds`)──► pending again,
          held by that retry: the request that held it is presumed gone (a crashed worker)

A record older than the retention window (>= 24 h, `Settings.idempotency_ttl_hours`) is
forgotten and the key may be reused. A pending record's lease starts at `created_at`.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from ewtp.domain.errors import InvalidInput

__all__ = [
    "MAX_KEY_LENGTH",
    "Decision",
    "IdempotencyRecord",
    "decide",
    "fingerprint",
    "validate_key",
]

MAX_KEY_LENGTH = 200


class Decision(enum.Enum):
    PROCEED = "proceed"  # no live record: run the request
    REPLAY = "replay"  # same body, finished: return the stored answer
    WAIT = "wait"  # same body, still running elsewhere
    TAKE_OVER = "take_over"  # same body, pending past its lease: run it again, once


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    account_id: str
    key: str
    fingerprint: str
    created_at: datetime
    status_code: int | None = None
    body: bytes | None = None
    media_type: str | None = None

    @property
    def completed(self) -> bool:
        return self.status_code is not None


def validate_key(key: str) -> str:
    clean = key.strip()
    if not clean or len(clean) > MAX_KEY_LENGTH or not clean.isprintable():
        raise InvalidInput(
            f"must be 1 to {MAX_KEY_LENGTH} printable characters", field="Idempotency-Key"
        )
    return clean


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """A digest of what makes two requests 'the same request'."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def decide(
    record: IdempotencyRecord | None,
    print_: str,
    now: datetime,
    ttl: timedelta,
    lease: timedelta,
) -> Decision:
    """What to do with a request given the key's stored record (if any)."""
    if record is None or now - record.created_at >= ttl:
        return Decision.PROCEED
    if record.fingerprint != print_:
        raise InvalidInput(
            "this Idempotency-Key was already used with a different request body; "
            "use a new key for a new request",
            field="Idempotency-Key",
        )
    if record.completed:
        return Decision.REPLAY
    return Decision.TAKE_OVER if now - record.created_at >= lease else Decision.WAIT
