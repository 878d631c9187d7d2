"""Request rules every interface shares: countries, control characters, full field paths,
parcel limits from the rate card, and the option booked when none is named."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ewtp.adapters.merchant.pricing_data import load_rate_card
from ewtp.domain.countries import ISO_COUNTRIES
from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.quotes import Price, QuoteOption, default_option
from ewtp.domain.merchant.shipments import Item, Parcel, ServiceLevel, validate_request

from .strategies import make_request

CARD = load_rate_card()
ON = datetime(2026, 11, 22, tzinfo=UTC).date()


def test_the_country_list_is_iso_3166_as_pycountry_ships_it() -> None:
    assert {c.alpha_2 for c in pycountry.countries} == ISO_COUNTRIES


def test_country_codes_are_case_insensitive_and_come_back_upper_case() -> None:
    request = make_request()
    lower = replace(
        request,
        sender=replace(request.sender, country="cn"),
        recipient=replace(request.recipient, country="fr"),
    )
    checked = validate_request(lower)
    assert (checked.sender.country, checked.recipient.country) == ("CN", "FR")


def test_an_unassigned_country_code_is_refused_naming_the_field() -> None:
    request = make_request()
    with pytest.raises(InvalidInput) as bad:
        validate_request(replace(request, recipient=replace(request.recipient, country="XX")))
    assert bad.value.field == "recipient.country"
    assert "XX" in bad.value.message


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\n", "\u200b", "\x7f"])
def test_control_characters_are_refused_naming_the_field(char: str) -> None:
    request = make_request()
    recipient = replace(request.recipient, name=f"Marie{char}Dupont")
    with pytest.raises(InvalidInput) as bad:
        validate_request(replace(request, recipient=recipient))
    assert bad.value.field == "recipient.name"
    lines = replace(request.sender, lines=("88 Wensan Road", f"Floor{char}2"))
    with pytest.raises(InvalidInput) as bad_line:
        validate_request(replace(request, sender=lines))
    assert bad_line.value.field == "sender.lines[1]"


def test_a_second_currency_is_named_by_its_full_path() -> None:
    request = make_request()
    item = request.parcels[0].items[0]
    parcel = replace(request.parcels[0], items=(item, replace(item, currency="USD")))
    with pytest.raises(InvalidInput) as bad:
        validate_request(replace(request, parcels=(request.parcels[0], parcel)))
    assert bad.value.field == "parcels[1].items[1].currency"


def parcel(kg: str, l: str, w: str, h: str) -> Parcel:  # noqa: E741
    item = Item("Mug", "691200", 1, Decimal(5), "EUR", "CN")
    return Parcel(Decimal(kg), Decimal(l), Decimal(w), Decimal(h), (item,))


@pytest.mark.parametrize(
    ("box", "field", "ok"),
    [
        (("30", "40", "30", "20"), None, True),  # exactly the weight limit
        (("30.001", "40", "30", "20"), "parcels[1].weight_kg", False),
        (("5000", "40", "30", "20"), "parcels[1].weight_kg", False),
        (("5", "150", "30", "20"), None, True),  # 150 + 2 x 50 = 250
        (("5", "20", "151", "10"), "parcels[1].width_cm", False),  # one side over 1.5 m
        (("5", "100", "50", "50"), None, True),  # 100 + 2 x 100 = 300, exactly the limit
        (("5", "100", "50", "50.5"), "parcels[1].length_cm", False),  # 301 cm
    ],
)
def test_parcel_limits_come_from_the_rate_card_with_their_source(
    box: tuple[str, str, str, str], field: str | None, ok: bool
) -> None:
    parcels = (parcel("1", "10", "10", "10"), parcel(*box))
    if ok:
        CARD.check_parcels(parcels, ON)
        return
    with pytest.raises(InvalidInput) as bad:
        CARD.check_parcels(parcels, ON)
    assert bad.value.field == field
    assert "UPU" in bad.value.message  # the source of the limit is quoted


T0 = datetime(2026, 11, 22, 8, tzinfo=UTC)


def option(level: ServiceLevel, total: int, hours: int, met: bool) -> QuoteOption:
    price = Price(
        Decimal(total), Decimal(0), Decimal(0), Decimal(0), Decimal(0), Decimal(total), "EUR"
    )
    return QuoteOption(f"{level}-{total}-{hours}", level, T0 + timedelta(hours=hours), met, (),
                       Decimal(0), price, Decimal(1))  # fmt: skip


def test_two_option_lane_books_the_cheapest_that_keeps_the_promise() -> None:
    # A lane with express and economy only: the old default, standard, is not offered.
    express = option(ServiceLevel.EXPRESS, 30, 40, True)
    economy = option(ServiceLevel.ECONOMY, 12, 70, True)
    assert default_option([express, economy]) is economy
    late = option(ServiceLevel.ECONOMY, 12, 90, False)
    assert default_option([express, late]) is express


options = st.lists(
    st.builds(
        option,
        st.sampled_from(list(ServiceLevel)),
        st.integers(1, 50),
        st.integers(1, 150),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


@given(options)
def test_default_option_matches_the_rule_written_out(found: list[QuoteOption]) -> None:
    chosen = default_option(found)
    kept = [o for o in found if o.promise_met]
    if kept:
        assert chosen.promise_met
        assert all(chosen.price.total <= o.price.total for o in kept)
    else:
        assert all(chosen.delivered_by <= o.delivered_by for o in found)
