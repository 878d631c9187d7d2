"""Student-t quantiles against published table values, and interval arithmetic."""

from __future__ import annotations

import pytest

from ewtp.domain.simulation.stats import mean_interval, nearest_rank, t_quantile


@pytest.mark.parametrize(
    ("df", "value"),
    [(1, 12.706), (4, 2.776), (9, 2.262), (29, 2.045), (120, 1.980)],  # two-sided 95% tables
)
def test_t_quantile_matches_the_tables(df: int, value: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(value, abs=5e-4)


def test_mean_interval_of_known_values() -> None:
    interval = mean_interval([1.0, 2.0, 3.0, 4.0, 5.0])
    # mean 3, s = sqrt(2.5), half width = 2.776 * s / sqrt(5)
    assert interval.mean == 3.0
    assert interval.half_width == pytest.approx(2.7764 * (2.5**0.5) / 5**0.5, rel=1e-3)


def test_nearest_rank() -> None:
    assert nearest_rank([1.0, 2.0, 3.0, 4.0], 0.95) == 4.0
    assert nearest_rank([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0
