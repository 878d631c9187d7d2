"""The HS6 index of the tariff answers exactly what a scan of the table in order does."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ewtp.domain.customs.rules import RuleBook, TariffLine

HS6 = ["610910", "851713", "910211", "999999"]
START = date(2026, 1, 1)


def book_of(tariff: tuple[TariffLine, ...]) -> RuleBook:
    return RuleBook((), tariff, (), (), (), (), (), (), (), (), frozenset(), frozenset())


def scanned(tariff: tuple[TariffLine, ...], hs_code: str, on: date) -> TariffLine | None:
    """The first line of the table, in order, for the code's HS6 in force on `on`."""
    for line in tariff:
        in_force = line.valid_from <= on and (line.valid_to is None or on <= line.valid_to)
        if line.hs6 == hs_code[:6] and in_force:
            return line
    return None


@st.composite
def tariff_lines(draw: st.DrawFn) -> TariffLine:
    first = START + timedelta(days=draw(st.integers(0, 60)))
    length = draw(st.one_of(st.none(), st.integers(0, 60)))
    return TariffLine(
        hs6=draw(st.sampled_from(HS6)),
        description="",
        rate=Decimal(draw(st.integers(0, 20))),
        valid_from=first,
        valid_to=None if length is None else first + timedelta(days=length),
        source=f"row {draw(st.integers(0, 10**6))}",
    )


codes = st.one_of(
    st.sampled_from(HS6),
    st.tuples(st.sampled_from(HS6), st.sampled_from(["00", "1000", "9"])).map("".join),
    st.sampled_from(["6109", "", "12345", "1234567"]),
)


@given(
    st.lists(tariff_lines(), max_size=12).map(tuple),
    codes,
    st.integers(-5, 130).map(lambda d: START + timedelta(days=d)),
)
def test_indexed_lookup_equals_the_scan_in_table_order(
    tariff: tuple[TariffLine, ...], hs_code: str, on: date
) -> None:
    assert book_of(tariff).tariff_line(hs_code, on) == scanned(tariff, hs_code, on)


def test_a_replaced_tariff_is_indexed_afresh_and_the_index_is_not_compared() -> None:
    line = TariffLine("610910", "T-shirts", Decimal(12), START, None, "TARIC")
    empty = book_of(())
    assert empty.tariff_line("61091000", START) is None
    loaded = dataclasses.replace(empty, tariff=(line,))
    assert loaded.tariff_line("61091000", START) == line
    assert loaded == book_of((line,))
    assert hash(loaded) == hash(book_of((line,)))
