"""The users use cases against in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ewtp.domain.accounts import Role
from ewtp.domain.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from ewtp.domain.users import Membership, SessionPolicy, SignInPolicy, TooManyAttempts
from ewtp.services.accounts import issue_key
from ewtp.services.users.manage import (
    accept_invitation,
    disable_user,
    invite_user,
    reset_password,
    set_preferences,
    sign_up,
)
from ewtp.services.users.settings import list_keys, revoke_account_key, save_profile
from ewtp.services.users.signin import resume_session, sign_in, sign_out
from ewtp.services.users.tokens import digest_of
from unit.users.fakes import FakeUsersUnitOfWork, PlainHasher

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LIMITS = SignInPolicy(per_email=3, per_ip=5, window=timedelta(minutes=15))
SESSIONS = SessionPolicy(idle=timedelta(minutes=60), absolute=timedelta(hours=12))
HASHER = PlainHasher()
PASSWORD = "long enough password"


def _owner(uow: FakeUsersUnitOfWork, email: str = "Owner@Example.com") -> str:
    who = sign_up(uow, HASHER, company="Acme", email=email, password=PASSWORD, now=T0)
    assert who.account.role is Role.MERCHANT
    assert who.user.role is Membership.OWNER
    assert who.user.email == email.lower()
    assert who.token is not None
    return who.token


def test_sign_in_replaces_the_browsers_session_and_stores_only_digests() -> None:
    uow = FakeUsersUnitOfWork()
    old = _owner(uow)
    who = sign_in(uow, HASHER, email="owner@example.com", password=PASSWORD, ip="10.0.0.1",
                  now=T0, policy=LIMITS, previous_token=old)  # fmt: skip
    assert who.token is not None
    assert who.token != old
    assert uow.sessions.rows[digest_of(old)].ended_at == T0
    assert who.token not in uow.sessions.rows  # stored by digest only
    assert resume_session(uow, old, T0, SESSIONS) is None
    assert resume_session(uow, who.token, T0, SESSIONS) is not None


def test_failures_count_per_email_and_ip_and_success_clears_only_the_email() -> None:
    uow = FakeUsersUnitOfWork()
    _owner(uow)
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            sign_in(
                uow,
                HASHER,
                email="owner@example.com",
                password="wrong one!",
                ip="10.0.0.1",
                now=T0,
                policy=LIMITS,
            )
    assert uow.attempts.rows["email:owner@example.com"].failures == 2
    sign_in(
        uow,
        HASHER,
        email="owner@example.com",
        password=PASSWORD,
        ip="10.0.0.1",
        now=T0,
        policy=LIMITS,
    )
    assert "email:owner@example.com" not in uow.attempts.rows
    assert uow.attempts.rows["ip:10.0.0.1"].failures == 2


def test_the_limit_refuses_even_the_right_password_until_the_window_ends() -> None:
    uow = FakeUsersUnitOfWork()
    _owner(uow)
    for minute in range(3):
        with pytest.raises(Unauthenticated):
            sign_in(uow, HASHER, email="owner@example.com", password="nope nope!", ip="a",
                    now=T0 + timedelta(minutes=minute), policy=LIMITS)  # fmt: skip
    with pytest.raises(TooManyAttempts) as caught:
        sign_in(
            uow,
            HASHER,
            email="owner@example.com",
            password=PASSWORD,
            ip="b",
            now=T0 + timedelta(minutes=5),
            policy=LIMITS,
        )
    assert caught.value.retry_after == 10 * 60
    assert caught.value.field == "email"
    who = sign_in(
        uow,
        HASHER,
        email="owner@example.com",
        password=PASSWORD,
        ip="b",
        now=T0 + timedelta(minutes=15),
        policy=LIMITS,
    )
    assert who.user.email == "owner@example.com"


def test_a_disabled_user_cannot_sign_in_and_loses_their_sessions() -> None:
    uow = FakeUsersUnitOfWork()
    token = _owner(uow)
    disable_user(uow, email="owner@example.com", now=T0)
    assert resume_session(uow, token, T0, SESSIONS) is None
    with pytest.raises(Unauthenticated):
        sign_in(
            uow, HASHER, email="owner@example.com", password=PASSWORD, ip="a", now=T0, policy=LIMITS
        )


def test_reset_password_ends_every_session_and_the_new_password_works() -> None:
    uow = FakeUsersUnitOfWork()
    token = _owner(uow)
    reset_password(uow, HASHER, email="owner@example.com", password="another long one", now=T0)
    assert resume_session(uow, token, T0, SESSIONS) is None
    sign_in(
        uow,
        HASHER,
        email="owner@example.com",
        password="another long one",
        ip="a",
        now=T0,
        policy=LIMITS,
    )
    with pytest.raises(NotFound):
        reset_password(uow, HASHER, email="nobody@example.com", password="another long one", now=T0)


def test_an_invitation_is_used_once_and_expires_after_seven_days() -> None:
    uow = FakeUsersUnitOfWork()
    owner = sign_up(uow, HASHER, company="Acme", email="o@example.com", password=PASSWORD, now=T0)
    issued = invite_user(uow, account_id=owner.account.id, email="m@example.com",
                         role=Membership.MEMBER, invited_by=owner.user.id, now=T0)  # fmt: skip
    member = accept_invitation(
        uow, HASHER, token=issued.token, password=PASSWORD, now=T0 + timedelta(days=1)
    )
    assert (member.account.id, member.user.role) == (owner.account.id, Membership.MEMBER)
    with pytest.raises(NotFound):
        accept_invitation(
            uow, HASHER, token=issued.token, password=PASSWORD, now=T0 + timedelta(days=1)
        )
    late = invite_user(uow, account_id=owner.account.id, email="late@example.com",
                       role=Membership.MEMBER, invited_by=None, now=T0)  # fmt: skip
    with pytest.raises(NotFound):
        accept_invitation(
            uow, HASHER, token=late.token, password=PASSWORD, now=T0 + timedelta(days=7)
        )
    with pytest.raises(Conflict):
        invite_user(
            uow,
            account_id=owner.account.id,
            email="M@example.com",
            role=Membership.MEMBER,
            invited_by=None,
            now=T0,
        )


def test_sign_out_is_harmless_twice_and_sessions_idle_out() -> None:
    uow = FakeUsersUnitOfWork()
    token = _owner(uow)
    assert resume_session(uow, token, T0 + timedelta(minutes=59), SESSIONS) is not None
    assert resume_session(uow, token, T0 + timedelta(minutes=118), SESSIONS) is not None
    assert resume_session(uow, token, T0 + timedelta(minutes=179), SESSIONS) is None
    sign_out(uow, token, T0)
    sign_out(uow, token, T0)
    sign_out(uow, None, T0)


def test_preferences_and_profile_are_checked_field_by_field() -> None:
    uow = FakeUsersUnitOfWork()
    owner = sign_up(uow, HASHER, company="Acme", email="o@example.com", password=PASSWORD, now=T0)
    with pytest.raises(InvalidInput) as caught:
        set_preferences(uow, owner.user.id, language="fr", time_zone="UTC")
    assert caught.value.field == "language"
    with pytest.raises(InvalidInput) as caught:
        set_preferences(uow, owner.user.id, language=None, time_zone="Mars/Olympus")
    assert caught.value.field == "time_zone"
    assert (
        set_preferences(uow, owner.user.id, language="zh_Hans", time_zone="Asia/Shanghai").language
        == "zh_Hans"
    )
    with pytest.raises(InvalidInput) as caught:
        save_profile(
            uow,
            owner.account.id,
            sender={"name": "A", "line1": "1", "city": "C", "postal_code": "1", "country": "CHN"},
            ioss=None,
        )
    assert caught.value.field == "sender.country"
    with pytest.raises(InvalidInput) as caught:
        save_profile(uow, owner.account.id, sender={}, ioss="IM123")
    assert caught.value.field == "ioss"
    saved = save_profile(uow, owner.account.id, sender={}, ioss=" im1234567890 ")
    assert saved.ioss == "IM1234567890"


def test_a_key_of_another_account_is_not_found_like_a_missing_one() -> None:
    uow = FakeUsersUnitOfWork()
    mine = sign_up(
        uow, HASHER, company="A", email="a@example.com", password=PASSWORD, now=T0
    ).account.id
    theirs = sign_up(
        uow, HASHER, company="B", email="b@example.com", password=PASSWORD, now=T0
    ).account.id
    their_key = issue_key(uow, theirs, T0).key
    with pytest.raises(NotFound):
        revoke_account_key(uow, mine, their_key.id, T0)
    with pytest.raises(NotFound):
        revoke_account_key(uow, mine, "no-such-key", T0)
    assert list_keys(uow, mine) == []
    assert revoke_account_key(uow, theirs, their_key.id, T0).id == their_key.id
    assert uow.accounts.keys[their_key.id].revoked_at == T0
