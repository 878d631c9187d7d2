"""When a web session ends: after `idle` without a request, or `absolute` after sign-in.

    signed in ──request──► active ──(idle passed)──► expired
        │                    │  ╰──(absolute passed)──► expired
        ╰──── sign out ──────┴──────────────────────► ended

The last-seen time is written at most once per `touch_every`, so a busy page does not
turn every read into a write; the idle limit is therefore exact to within that step.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from ewtp.domain.users.model import WebSession

__all__ = ["SessionPolicy", "SessionState", "session_state"]


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    idle: timedelta
    absolute: timedelta
    touch_every: timedelta = timedelta(minutes=1)


class SessionState(enum.StrEnum):
    ACTIVE = "active"
    STALE = "stale"  # active, and its last-seen time is due to be written
    EXPIRED = "expired"
    ENDED = "ended"


def session_state(session: WebSession, now: datetime, policy: SessionPolicy) -> SessionState:
    if session.ended_at is not None:
        return SessionState.ENDED
    if now >= session.created_at + policy.absolute or now >= session.last_seen_at + policy.idle:
        return SessionState.EXPIRED
    if now >= session.last_seen_at + policy.touch_every:
        return SessionState.STALE
    return SessionState.ACTIVE
