"""Session expiry and sign-in limits, against times worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ewtp.domain.users import AttemptWindow, SessionPolicy, WebSession, retry_after
from ewtp.domain.users.limits import after_failure
from ewtp.domain.users.sessions import SessionState, session_state

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
POLICY = SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=8))


def _session(last_seen: datetime, ended: datetime | None = None) -> WebSession:
    return WebSession("d", "u", "c", created_at=T0, last_seen_at=last_seen, ended_at=ended)


def test_a_session_is_active_until_its_idle_limit_then_expired() -> None:
    s = _session(T0)
    assert session_state(s, T0 + timedelta(seconds=30), POLICY) is SessionState.ACTIVE
    assert session_state(s, T0 + timedelta(minutes=29, seconds=59), POLICY) is SessionState.STALE
    assert session_state(s, T0 + timedelta(minutes=30), POLICY) is SessionState.EXPIRED


def test_a_busy_session_still_ends_eight_hours_after_sign_in() -> None:
    s = _session(T0 + timedelta(hours=7, minutes=59))
    assert (
        session_state(s, T0 + timedelta(hours=7, minutes=59, seconds=30), POLICY)
        is SessionState.ACTIVE
    )
    assert session_state(s, T0 + timedelta(hours=8), POLICY) is SessionState.EXPIRED


def test_a_signed_out_session_is_ended_whatever_the_time() -> None:
    assert session_state(_session(T0, ended=T0), T0, POLICY) is SessionState.ENDED


def test_the_sixth_failure_in_fifteen_minutes_waits_for_the_window_to_end() -> None:
    span = timedelta(minutes=15)
    window = None
    for minute in range(5):
        window = after_failure(window, "email:a@b.c", span, T0 + timedelta(minutes=minute))
    assert window == AttemptWindow("email:a@b.c", T0, 5)
    # Window opened at 09:00; at 09:10:30 the key waits until 09:15:00: 270 s.
    assert retry_after(window, 5, span, T0 + timedelta(minutes=10, seconds=30)) == 270
    assert retry_after(window, 6, span, T0 + timedelta(minutes=10)) == 0
    assert retry_after(window, 5, span, T0 + timedelta(minutes=15)) == 0
    fresh = after_failure(window, "email:a@b.c", span, T0 + timedelta(minutes=16))
    assert fresh == AttemptWindow("email:a@b.c", T0 + timedelta(minutes=16), 1)


@given(st.lists(st.integers(min_value=0, max_value=3600), max_size=40), st.integers(1, 10))
def test_failures_in_a_window_never_exceed_the_attempts_made(gaps: list[int], limit: int) -> None:
    span = timedelta(minutes=15)
    window, now = None, T0
    for gap in gaps:
        now += timedelta(seconds=gap)
        wait = retry_after(window, limit, span, now)
        if wait:  # refused: not counted, and the wait ends exactly at the window's end
            assert window is not None
            assert now + timedelta(seconds=wait) >= window.window_start + span
            continue
        window = after_failure(window, "k", span, now)
        assert 1 <= window.failures <= limit
        assert window.window_start <= now < window.window_start + span
