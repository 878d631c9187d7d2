"""Every authenticated route answers 429 past the key's burst: the test walks the routes."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account
from integration.merchant.helpers import NOW

BURST = 3


def keys(db_url: str) -> dict[Role, str]:
    engine = make_engine(db_url)
    try:
        factory = make_session_factory(engine)
        return {
            role: create_account(SqlAlchemyUnitOfWork(factory), role.value, role, NOW).plain
            for role in (Role.MERCHANT, Role.OPERATOR)
        }
    finally:
        engine.dispose()


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def test_every_authenticated_route_answers_429_past_the_burst(db_url: str) -> None:
    plain = keys(db_url)
    settings = Settings(
        database_url=db_url, rate_limit_burst=BURST, rate_limit_per_second=0.001,
        worker_in_process=False,
    )  # fmt: skip
    app = create_app(settings)
    routes = [  # every operation the API publishes (routers are included lazily)
        (method.upper(), concrete(path))
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    ]
    with TestClient(app) as client:
        authenticated = [(m, p) for m, p in routes if client.request(m, p).status_code == 401]
        assert len(authenticated) >= 20, authenticated  # the walk found the API
        headers = {role: {"Authorization": f"Bearer {key}"} for role, key in plain.items()}
        for role in headers:  # spend each key's burst on its first route
            for _ in range(BURST):
                client.get("/v1/webhooks", headers=headers[role])
        unlimited = []
        for method, path in authenticated:
            codes = [client.request(method, path, headers=h).status_code for h in headers.values()]
            if 429 not in codes:
                unlimited.append((method, path, codes))
            else:
                answer = client.request(method, path, headers=headers[Role.MERCHANT])
                if answer.status_code == 429:
                    assert int(answer.headers["Retry-After"]) >= 1
    assert unlimited == []
