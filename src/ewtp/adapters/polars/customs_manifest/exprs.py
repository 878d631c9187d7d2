"""Integer-exact polars expressions shared by the bulk engine's modules.

Amounts are ×10^4 (`amount4`), ECB rates ×10^6 (`src6`), results in cents; every division
rounds half-up exactly once, as (2n + d) // 2d on non-negative Int128 values.
"""

from __future__ import annotations

import polars as pl

from ewtp.domain.customs.money import MAX_AMOUNT

__all__ = [
    "E5", "I128", "MAX4", "MAX_I4", "MONEY", "MONEY_RE", "STALE_DAYS",
    "blank", "convert", "fmt", "lit", "money4", "round_half_up",
]  # fmt: skip

I128 = pl.Int128
MONEY = pl.Decimal(18, 2)
MONEY_RE = r"^\d{1,8}(?:\.\d{1,4})?$"
MAX4 = int(MAX_AMOUNT) * 10**4
MAX_I4 = 10**12  # beyond this a consignment takes the scalar path (Int128 headroom)
STALE_DAYS = 4
E5 = 100 * 1000  # 100 % in thousandths of a percent


def lit(value: int) -> pl.Expr:
    return pl.lit(value, dtype=I128)


def round_half_up(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """Half-up rounding of num/den for num >= 0, den > 0."""
    return (num * 2 + den) // (den * 2)


def convert(amount4: pl.Expr, src6: pl.Expr, dst6: pl.Expr) -> pl.Expr:
    """Cents of `amount4`/10^4 converted by dst/src (the scalar `convert`)."""
    return round_half_up(amount4.cast(I128) * dst6.cast(I128), src6.cast(I128) * 100)


def money4(col: str) -> tuple[pl.Expr, pl.Expr]:
    """(amount ×10^4 as Int64, well-formed flag) for a decimal text column."""
    text = pl.col(col)
    ok = text.str.contains(MONEY_RE).fill_null(False)
    scaled = (text.cast(pl.Decimal(18, 4), strict=False) * 10_000).cast(pl.Int64, strict=False)
    value = pl.when(ok).then(scaled)
    return value, ok & (value <= MAX4).fill_null(False)


def blank(col: str) -> pl.Expr:
    return pl.col(col).is_null() | (pl.col(col).str.strip_chars() == "")


def fmt(cents: pl.Expr) -> pl.Expr:
    """Integer cents as a Decimal(18, 2) amount."""
    return (cents.cast(MONEY) / 100).cast(MONEY)
