"""Sign-in limits: at most `max_failures` failed attempts per key in a fixed window.

Keys are `email:<address>` and `ip:<address>`; a password guesser is stopped per account
(email) and per machine (IP). A success clears the email's counter, never the IP's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["AttemptWindow", "SignInPolicy", "after_failure", "retry_after"]


@dataclass(frozen=True, slots=True)
class SignInPolicy:
    per_email: int
    per_ip: int
    window: timedelta


@dataclass(frozen=True, slots=True)
class AttemptWindow:
    key: str
    window_start: datetime
    failures: int


def retry_after(window: AttemptWindow | None, limit: int, span: timedelta, now: datetime) -> int:
    """Whole seconds until the key may try again; 0 when it may try now."""
    if window is None or now >= window.window_start + span or window.failures < limit:
        return 0
    left = window.window_start + span - now
    return max(1, int(left.total_seconds() + 0.999))


def after_failure(
    window: AttemptWindow | None, key: str, span: timedelta, now: datetime
) -> AttemptWindow:
    """The counter after one more failure (a new window once the old one has passed)."""
    if window is None or now >= window.window_start + span:
        return AttemptWindow(key, now, 1)
    return AttemptWindow(key, window.window_start, window.failures + 1)
