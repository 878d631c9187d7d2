"""What the server really answers on every operation is declared in its OpenAPI document.

The unit tests read the document; this one asks the running application. Every operation
is called without a key, with a merchant key and with an operator key (each past its
burst), with no body and placeholder ids: every status that comes back (401, 403, 404,
422, 429, ...) must be one the operation declares, and every error must be a problem+json
body. The walk reads the routes from the document, so routes merged later are covered.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.api.app import create_app
from ewtp.api.problems import PROBLEM_JSON
from ewtp.config import Settings
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account
from integration.merchant.helpers import NOW

BURST = 2


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


def test_every_status_the_server_answers_is_declared(sqlite_template: Path, tmp_path: Path) -> None:
    # The statuses come from the application's chain, not the backend: SQLite suffices.
    shutil.copy(sqlite_template, tmp_path / "ewtp.db")
    url = f"sqlite:///{tmp_path / 'ewtp.db'}"
    plain = keys(url)
    callers: dict[str, dict[str, str]] = {"anonymous": {}} | {
        role.value: {"Authorization": f"Bearer {key}"} for role, key in plain.items()
    }
    undeclared: list[tuple[str, str, str, int]] = []
    not_problems: list[tuple[str, str, str, int]] = []
    seen: set[int] = set()
    for burst in (10_000, BURST):  # first within the rate limit, then past it
        settings = Settings(
            database_url=url, rate_limit_burst=burst, rate_limit_per_second=0.001,
            worker_in_process=False,
        )  # fmt: skip
        app = create_app(settings)
        calls = [
            (method.upper(), re.sub(r"\{[^}]+\}", "x", path), op)
            for path, item in app.openapi()["paths"].items()
            for method, op in item.items()
        ]
        with TestClient(app) as client:
            for caller, headers in callers.items():
                for _ in range(BURST + 1 if headers and burst == BURST else 0):
                    client.get("/v1/webhooks", headers=headers)  # spend the key's burst
                for method, path, op in calls:
                    answer = client.request(method, path, headers=headers)
                    code = answer.status_code
                    seen.add(code)
                    declared = op["responses"].get(str(code))
                    if declared is None:
                        undeclared.append((caller, method, path, code))
                        continue
                    media = answer.headers.get("content-type", "")
                    if PROBLEM_JSON in declared.get("content", {}) and media != PROBLEM_JSON:
                        not_problems.append((caller, method, path, code))
                    if code == 429:
                        assert int(answer.headers["Retry-After"]) >= 1
    assert undeclared == [], "\n".join(map(str, undeclared))
    assert not_problems == []
    assert {200, 401, 403, 404, 422, 429} <= seen  # the walk reached the server's answers
