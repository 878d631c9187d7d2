"""Under CI=true a missing PostgreSQL or Chromium fails the run instead of skipping."""

from __future__ import annotations

import pytest

from support.ci import missing_or_skip


def test_a_missing_dependency_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required under CI=true"):
        missing_or_skip("no Chromium at /usr/bin/chromium")


def test_a_missing_dependency_skips_visibly_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="skipped outside CI"):
        missing_or_skip("no Chromium at /usr/bin/chromium")
