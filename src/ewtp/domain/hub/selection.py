"""Deterministic selection of parcels for a customs physical inspection.

A parcel is selected when the first 8 bytes of BLAKE2b(tracking number), read as an
integer in [0, 2^64), fall below `rate * 2^64`. The hash spreads numbers uniformly, so
over many parcels the selected share is close to the rate, and the same number always
gets the same answer (a rescan never flips it). A parcel whose customs assessment
carries a screening flag is always selected.
"""

from __future__ import annotations

from decimal import Decimal
from hashlib import blake2b

__all__ = ["SCALE", "Selector", "selected_for_inspection", "threshold"]

SCALE = 1 << 64


def threshold(rate: Decimal) -> int:
    """The hash value below which a number is selected."""
    return int(rate * SCALE)


def selected_for_inspection(tracking_number: str, rate: Decimal, flagged: bool = False) -> bool:
    if flagged:
        return True
    return _hash(tracking_number) < threshold(rate)


def _hash(tracking_number: str) -> int:
    digest = blake2b(tracking_number.encode("ascii", "replace"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class Selector:
    """`selected_for_inspection` with the threshold computed once (the hot path)."""

    __slots__ = ("_limit",)

    def __init__(self, rate: Decimal) -> None:
        self._limit = threshold(rate)

    def __call__(self, tracking_number: str, flagged: bool = False) -> bool:
        if flagged:
            return True
        digest = blake2b(tracking_number.encode("ascii", "replace"), digest_size=8).digest()
        return int.from_bytes(digest, "big") < self._limit
