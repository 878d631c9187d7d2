"""The merchant e2e server (merchants and an operator on a seeded network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from e2e.merchant.conftest import Live, live_server


@pytest.fixture
def live(db_url: str, tmp_path: Path) -> Iterator[Live]:
    yield from live_server(db_url, tmp_path)
