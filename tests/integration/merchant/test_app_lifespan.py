"""The application's lifespan owns the quote writer's thread and the frozen heap: both
exist from start-up, before any request, and neither outlives the shutdown."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ewtp.api.app import create_app
from ewtp.api.schemas.examples import QUOTE_REQUEST
from ewtp.config import Settings

from .helpers import factory, merchant_key, seed_network

WRITER = "ewtp-quote-writer"


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    with factory(db_url) as made:
        yield made


def writers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == WRITER]


def test_the_writer_thread_runs_from_startup_to_shutdown_of_each_lifespan(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    seed_network(sessions)
    auth = {"Authorization": f"Bearer {merchant_key(sessions, 'Acme')}"}
    app = create_app(Settings(database_url=db_url, worker_in_process=False))
    assert writers() == []  # building the application starts nothing
    with TestClient(app) as client:
        running = writers()
        assert len(running) == 1  # before any request
        assert running[0].is_alive()
        assert gc.get_freeze_count() > 0
        quote = client.post("/v1/quotes", json=QUOTE_REQUEST, headers=auth)
        assert quote.status_code == 201, quote.text
        again = client.get(f"/v1/quotes/{quote.json()['id']}", headers=auth)
        assert again.status_code == 200
        assert again.json() == quote.json()
        assert writers() == running  # the same thread all along, not one per burst
    assert not running[0].is_alive()
    assert writers() == []
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:  # served again: a fresh writer, stopped again
        assert writers() not in ([], running)
        assert client.post("/v1/quotes", json=QUOTE_REQUEST, headers=auth).status_code == 201
    assert writers() == []
