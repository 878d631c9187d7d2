"""Split a rounded consignment total over its item lines so the lines sum to it exactly.

Each line's exact (unrounded) share is cut down to the cent; the cents still missing go,
one each, to the lines with the largest cut-off remainders (ties: the earlier line).
This is the largest-remainder (Hamilton) method. The work is done on integer numerators
over one common denominator: the same exact shares as `Fraction`s, for less per quote.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from math import lcm

__all__ = ["allocate", "allocate_ratios", "over_common_denominator"]


def over_common_denominator(parts: Sequence[tuple[int, int]]) -> tuple[list[int], int]:
    """The exact values `n / d` of `parts` as numerators over one positive denominator."""
    if any(d == 0 for _, d in parts):
        raise ZeroDivisionError("a share with a zero denominator")
    denominator = lcm(*(d for _, d in parts)) if parts else 1
    return [n * (denominator // d) for n, d in parts], denominator


def allocate(total: Decimal, exact_parts: Sequence[Fraction]) -> list[Decimal]:
    """Cent amounts, one per part, that sum to `total` and follow the parts' proportions."""
    numerators, denominator = over_common_denominator(
        [(p.numerator, p.denominator) for p in exact_parts]
    )
    return allocate_ratios(total, numerators, denominator)


def allocate_ratios(total: Decimal, numerators: Sequence[int], denominator: int) -> list[Decimal]:
    """`allocate` for the parts `numerators[i] / denominator` (`denominator` > 0)."""
    if not numerators:
        return []
    # each part cut towards zero to the cent
    floors = [100 * n // denominator if n >= 0 else -(-100 * n // denominator) for n in numerators]
    missing = int(total.scaleb(2) - sum(floors))
    if missing < 0:  # only when the parts sum above the total (never for our totals)
        floors[0] += missing
    elif missing:
        # remainder_i = numerators[i] / denominator - floors[i] / 100, scaled by 100 x denominator
        order = sorted(
            range(len(numerators)), key=lambda i: (floors[i] * denominator - 100 * numerators[i], i)
        )
        for k in range(missing):
            floors[order[k % len(order)]] += 1
    return [Decimal(f).scaleb(-2) for f in floors]
