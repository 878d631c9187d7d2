"""Split a rounded consignment total over its item lines so the lines sum to it exactly.

Each line's exact (unrounded) share is cut down to the cent; the cents still missing go,
one each, to the lines with the largest cut-off remainders (ties: the earlier line).
This is the largest-remainder (Hamilton) method.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from ewtp.domain.customs.money import CENT

__all__ = ["allocate"]


def allocate(total: Decimal, exact_parts: Sequence[Fraction]) -> list[Decimal]:
    """Cent amounts, one per part, that sum to `total` and follow the parts' proportions."""
    floors = [Decimal(int(p * 100) if p >= 0 else -int(-p * 100)).scaleb(-2) for p in exact_parts]
    missing = int((total - sum(floors, Decimal(0))) / CENT)
    if not exact_parts:
        return []
    if missing < 0:  # only when the parts sum above the total (never for our totals)
        floors[0] += missing * CENT
        return floors
    order = sorted(
        range(len(exact_parts)), key=lambda i: (-(exact_parts[i] - Fraction(floors[i])), i)
    )
    for k in range(missing):
        floors[order[k % len(order)]] += CENT
    return floors
