"""Under `CI=true` a missing PostgreSQL or Chromium fails the run; elsewhere it skips visibly."""

from __future__ import annotations

import os

import pytest

__all__ = ["in_ci", "missing_or_skip"]


def in_ci() -> bool:
    """True under `CI=true`, where a missing dependency must fail the run, not skip."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing_or_skip(reason: str) -> None:
    """Fail under CI (a skip there would hide untested code); skip visibly elsewhere."""
    if in_ci():
        pytest.fail(f"{reason} (required under CI=true)", pytrace=False)
    pytest.skip(f"{reason}; skipped outside CI")
