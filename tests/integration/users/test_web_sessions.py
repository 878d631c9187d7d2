"""Web sessions on SQLite and PostgreSQL: fixation, expiry, logout, the sign-in limit,
the invite flow, CSRF, and that a session cookie never opens /v1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.users.uow import SqlAlchemyUsersUnitOfWork
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.domain.users import SessionPolicy
from ewtp.http.auth import SESSION_COOKIE
from ewtp.services.users.signin import resume_session
from support.web import PASSWORD, csrf_of, sign_in, sign_up


def _settings(db_url: str, **extra: object) -> Settings:
    return Settings(database_url=db_url, worker_in_process=False, password_hash_fast=True, **extra)


@pytest.fixture
def app_settings(db_url: str) -> Settings:
    return _settings(db_url, signin_max_per_email=3, signin_max_per_ip=6)


@pytest.fixture
def client(app_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings)) as c:
        yield c


def test_sign_up_opens_a_session_with_a_hardened_cookie(client: TestClient) -> None:
    answer = sign_up(client, "owner@example.com")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/app"
    cookie = answer.headers["set-cookie"].lower()
    assert f"{SESSION_COOKIE}=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie  # served on 127.0.0.1: plain-HTTP development
    assert client.get("/app").status_code == 200


def test_the_cookie_is_secure_outside_localhost(db_url: str) -> None:
    settings = _settings(db_url, host="0.0.0.0")
    with TestClient(create_app(settings)) as c:
        answer = sign_up(c, "owner@example.com")
    assert "secure" in answer.headers["set-cookie"].lower()


def test_sign_in_issues_a_new_session_id_and_ends_the_planted_one(
    client: TestClient, app_settings: Settings
) -> None:
    sign_up(client, "owner@example.com")
    planted = client.cookies[SESSION_COOKIE]  # e.g. set by an attacker before sign-in
    answer = sign_in(client, "owner@example.com")
    assert answer.status_code == 303
    fresh = client.cookies[SESSION_COOKIE]
    assert fresh != planted
    with TestClient(create_app(app_settings)) as attacker:
        attacker.cookies.set(SESSION_COOKIE, planted)
        assert attacker.get("/app", follow_redirects=False).status_code == 303
        attacker.cookies.set(SESSION_COOKIE, fresh)
        assert attacker.get("/app", follow_redirects=False).status_code == 200


def test_sign_out_ends_the_session_on_the_server(
    client: TestClient, app_settings: Settings
) -> None:
    sign_up(client, "owner@example.com")
    cookie = client.cookies[SESSION_COOKIE]
    token = csrf_of(client.get("/app").text)
    assert (
        client.post("/signout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    with TestClient(create_app(app_settings)) as replay:
        replay.cookies.set(SESSION_COOKIE, cookie)  # the cookie kept by someone else
        answer = replay.get("/app", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/signin")


def test_sessions_expire_when_idle_and_absolutely(
    client: TestClient, app_settings: Settings
) -> None:
    sign_up(client, "owner@example.com")
    token = client.cookies[SESSION_COOKIE]
    factory = client.app.state.session_factory  # type: ignore[attr-defined]
    policy = SessionPolicy(idle=timedelta(minutes=60), absolute=timedelta(hours=12))
    uow = SqlAlchemyUsersUnitOfWork(factory)
    start = utcnow()
    assert resume_session(uow, token, start + timedelta(minutes=59), policy) is not None
    # Seen at +59 min (the touch was written), so +118 min is within an hour of it...
    assert resume_session(uow, token, start + timedelta(minutes=118), policy) is not None
    # ...but two idle hours after that is not.
    assert resume_session(uow, token, start + timedelta(minutes=240), policy) is None
    sign_in(client, "owner@example.com")
    busy = client.cookies[SESSION_COOKIE]
    at = utcnow()
    for minutes in range(50, 12 * 60, 50):  # used every 50 minutes: never idle
        assert resume_session(uow, busy, at + timedelta(minutes=minutes), policy) is not None
    assert resume_session(uow, busy, at + timedelta(hours=12, minutes=1), policy) is None


def test_sign_in_is_limited_per_email_with_a_clear_message(client: TestClient) -> None:
    sign_up(client, "owner@example.com")
    client.cookies.clear()
    for _ in range(3):
        assert sign_in(client, "owner@example.com", "wrong password!").status_code == 401
    answer = sign_in(client, "owner@example.com")  # the right password, too late
    assert answer.status_code == 429
    assert int(answer.headers["retry-after"]) > 0
    assert "too many failed sign-ins" in answer.text
    assert re.search(
        r'data-field="email">too many failed sign-ins; try again in 15 minute', answer.text
    )
    assert SESSION_COOKIE not in client.cookies


def test_sign_in_is_limited_per_ip_across_emails(client: TestClient) -> None:
    sign_up(client, "owner@example.com")
    client.cookies.clear()
    for n in range(6):
        assert sign_in(client, f"nobody{n}@example.com", "wrong password!").status_code == 401
    answer = sign_in(client, "owner@example.com")
    assert answer.status_code == 429
    assert "your network address" in answer.text or "too many failed sign-ins" in answer.text


def test_an_invitation_link_works_once_and_joins_the_account(
    client: TestClient, app_settings: Settings
) -> None:
    sign_up(client, "owner@example.com", company="Shenzhen Lights")
    page = client.get("/app/settings")
    answer = client.post(
        "/app/settings/invite",
        data={"csrf_token": csrf_of(page.text), "invite_email": "Member@Example.com"},
    )
    assert answer.status_code == 201
    link = re.search(r'id="invite-link">([^<]+)<', answer.text)
    assert link
    path = "/invite/" + link[1].rsplit("/invite/", 1)[1]
    with TestClient(create_app(app_settings)) as guest:
        invite = guest.get(path)
        assert invite.status_code == 200
        assert "Shenzhen Lights" in invite.text
        short = guest.post(path, data={"csrf_token": csrf_of(invite.text), "password": "short"})
        assert short.status_code == 422
        assert 'data-field="password">must be at least 10 characters' in short.text
        joined = guest.post(
            path, data={"csrf_token": csrf_of(invite.text), "password": PASSWORD},
            follow_redirects=False,
        )  # fmt: skip
        assert joined.status_code == 303
        members = guest.get("/app/settings").text
        assert "owner@example.com" in members
        assert "member@example.com" in members
        assert guest.get(path).status_code == 404  # used
        token = csrf_of(guest.get("/app").text)
        again = guest.post(path, data={"csrf_token": token, "password": PASSWORD})
        assert again.status_code == 404
    assert sign_in(client, "member@example.com").status_code == 303


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    sign_up(client, "owner@example.com")
    assert client.post("/app/developers/keys", data={}).status_code == 403
    assert client.post("/app/developers/keys", data={"csrf_token": "forged"}).status_code == 403
    token = csrf_of(client.get("/app/developers").text)
    assert client.post("/app/developers/keys", headers={"X-CSRF-Token": token}).status_code == 201
    assert client.post("/signout", data={}).status_code == 403


def test_a_session_cookie_never_authenticates_the_api(client: TestClient) -> None:
    sign_up(client, "owner@example.com")
    assert client.get("/app").status_code == 200
    answer = client.get("/v1/shipments")
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_another_merchants_shipment_is_the_same_404_as_a_missing_one(
    client: TestClient, app_settings: Settings
) -> None:
    sign_up(client, "owner@example.com")
    token = csrf_of(client.get("/app/developers").text)
    key_page = client.post("/app/developers/keys", data={"csrf_token": token})
    key = re.search(r'id="new-key">([^<]+)<', key_page.text)
    assert key
    template = client.get(
        "/v1/shipments/bulk/template", headers={"Authorization": f"Bearer {key[1]}"}
    ).text
    made = client.post(
        "/v1/shipments/bulk", headers={"Authorization": f"Bearer {key[1]}"},
        files={"file": ("t.csv", template, "text/csv")},
    ).json()  # fmt: skip
    mine = made["shipments"][0]["id"]
    assert client.get(f"/app/shipments/{mine}").status_code == 200
    with TestClient(create_app(app_settings)) as other:
        sign_up(other, "rival@example.com", company="Rival")
        theirs = other.get(f"/app/shipments/{mine}")
        missing = other.get("/app/shipments/00000000-0000-0000-0000-000000000000")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.text == missing.text


def test_errors_come_in_the_browsers_language_next_to_their_field(client: TestClient) -> None:
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    page = client.get("/signup", headers=chinese)
    assert '<html lang="zh-Hans"' in page.text
    data = {
        "csrf_token": csrf_of(page.text),
        "company": "深圳灯具",
        "email": "a@example.com",
        "password": "short",
    }
    answer = client.post("/signup", data=data, headers=chinese)
    assert answer.status_code == 422
    assert 'data-field="password">至少 10 个字符' in answer.text
    english = client.post("/signup", data=data, headers={"Accept-Language": "en-GB"})
    assert 'data-field="password">must be at least 10 characters' in english.text
