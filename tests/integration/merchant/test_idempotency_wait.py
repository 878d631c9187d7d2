"""A duplicate Idempotency-Key request waits for its twin on the event loop: with one
worker thread, an unrelated request is still served meanwhile, and the duplicate gets
the twin's answer once it is stored (or 409 when the wait's bound passes)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import ewtp.http.merchant as merchant_http
from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.api.app import create_app
from ewtp.api.schemas.examples import QUOTE_REQUEST
from ewtp.api.schemas.shipment_request import QuoteCreate
from ewtp.config import Settings
from ewtp.domain.accounts import Role
from ewtp.domain.merchant.idempotency import Decision, fingerprint
from ewtp.services.accounts import create_account
from ewtp.services.merchant.idempotency import Reservation, complete_key, reserve_key

from .helpers import NOW, factory, seed_network

HELD = "held-by-a-twin"


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    with factory(db_url) as made:
        yield made


class Waiting:
    """Wraps `reserve_key` as the API calls it: `seen` is set at its first WAIT."""

    def __init__(self) -> None:
        self.seen = threading.Event()
        self.real = reserve_key

    def __call__(self, *args: Any) -> Reservation:
        found = self.real(*args)
        if found.decision is Decision.WAIT:
            self.seen.set()
        return found


def _setup(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, bound: float
) -> tuple[TestClient, dict[str, str], str, Waiting]:
    seed_network(sessions)
    uow = SqlAlchemyMerchantUnitOfWork(sessions)
    issued = create_account(uow, "Acme", Role.MERCHANT, NOW)
    account_id, auth = issued.account.id, {"Authorization": f"Bearer {issued.plain}"}
    # The twin: the same key and body, reserved and still running (its lease is long).
    body = QuoteCreate.model_validate(QUOTE_REQUEST).model_dump_json().encode()
    print_ = fingerprint("POST", "/v1/shipments", "", body)
    held = reserve_key(
        uow, account_id, HELD, print_, utcnow(), timedelta(hours=1), timedelta(hours=1)
    )
    assert held.decision is Decision.PROCEED
    waiting = Waiting()
    monkeypatch.setattr(merchant_http, "reserve_key", waiting)
    monkeypatch.setattr(merchant_http, "WAIT_FOR_TWIN_SECONDS", bound)
    settings = Settings(
        database_url=db_url, merchant_threads=1, overload_wait_seconds=0.5, worker_in_process=False
    )
    client = TestClient(create_app(settings))
    return client, auth, account_id, waiting


def _post_in_background(
    client: TestClient, headers: dict[str, str]
) -> tuple[threading.Thread, list[Any]]:
    answers: list[Any] = []

    def post() -> None:
        answers.append(client.post("/v1/shipments", json=QUOTE_REQUEST, headers=headers))

    thread = threading.Thread(target=post)
    thread.start()
    return thread, answers


def test_a_waiting_duplicate_leaves_the_only_worker_thread_to_others_and_gets_the_answer(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, auth, account_id, waiting = _setup(db_url, sessions, monkeypatch, bound=60.0)
    with client:
        duplicate, answers = _post_in_background(client, {**auth, "Idempotency-Key": HELD})
        assert waiting.seen.wait(30), "the duplicate found its twin running"
        # With its one worker thread held by the waiting duplicate, this would be
        # answered 503 after 0.5 s (EWTP_OVERLOAD_WAIT_SECONDS).
        other = client.post("/v1/shipments", json=QUOTE_REQUEST, headers=auth)
        assert other.status_code == 201, other.text
        assert duplicate.is_alive()  # still waiting for its twin
        stored = b'{"id": "from-the-twin"}'
        uow = SqlAlchemyMerchantUnitOfWork(sessions)
        complete_key(uow, account_id, HELD, 201, stored, "application/json")
        duplicate.join(30)
    assert not duplicate.is_alive()
    (replayed,) = answers
    assert (replayed.status_code, replayed.content) == (201, stored)
    assert replayed.headers["idempotent-replayed"] == "true"


def test_a_duplicate_whose_twin_runs_past_the_bound_is_answered_409(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, auth, _account_id, waiting = _setup(db_url, sessions, monkeypatch, bound=0.3)
    with client:
        answer = client.post(
            "/v1/shipments", json=QUOTE_REQUEST, headers={**auth, "Idempotency-Key": HELD}
        )
    assert waiting.seen.is_set()
    assert answer.status_code == 409
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "Idempotency-Key" in answer.text
