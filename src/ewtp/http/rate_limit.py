"""The per-key rate limit: one token bucket per API key, charged on every authenticated call.

Both ways a request is authenticated (the generic `PrincipalDep` chain and the merchant
fast path `LimitedMerchantDep`) charge the key here right after the key is known, so no
authenticated route escapes it. Past `EWTP_RATE_LIMIT_BURST` requests at once, and
`EWTP_RATE_LIMIT_PER_SECOND` sustained, the answer is 429 with Retry-After. The buckets
live in this process (with N workers a key may send N times the rate).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from fastapi import HTTPException, Request

from ewtp.config import Settings
from ewtp.domain.accounts import Principal
from ewtp.domain.ratelimit import TokenBucket

__all__ = ["charge_rate_limit"]


@dataclass
class _Buckets:
    lock: threading.Lock
    by_key: dict[str, TokenBucket]


_made = threading.Lock()


def _buckets(request: Request) -> _Buckets:
    state = request.app.state
    buckets: _Buckets | None = getattr(state, "key_buckets", None)
    if buckets is None:
        with _made:
            buckets = getattr(state, "key_buckets", None)
            if buckets is None:
                buckets = state.key_buckets = _Buckets(threading.Lock(), {})
    return buckets


def charge_rate_limit(request: Request, principal: Principal) -> None:
    """Take one token from the key's bucket, or raise 429 saying when to retry."""
    settings: Settings = request.app.state.settings
    buckets = _buckets(request)
    now = time.monotonic()
    with buckets.lock:
        bucket = buckets.by_key.get(principal.key_id)
        if bucket is None:
            bucket = TokenBucket.full(
                settings.rate_limit_burst, settings.rate_limit_per_second, now
            )
            buckets.by_key[principal.key_id] = bucket
        wait = bucket.take(now)
    if wait:
        raise HTTPException(
            status_code=429,
            detail=f"rate limit of {settings.rate_limit_per_second:g} requests/s for this API "
            f"key exceeded; retry after {wait} s",
            headers={"Retry-After": str(wait)},
        )
