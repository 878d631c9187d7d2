from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ewtp.domain.errors import Conflict, InvalidInput
from ewtp.domain.lifecycle import ShipmentStatus as S
from ewtp.domain.lifecycle import can_cancel, transition
from ewtp.domain.s10 import is_valid_s10, make_s10, validate_s10


def independent_check_digit(serial: str) -> int:
    """Written from the UPU S10 text, separately from the code under test."""
    total = 0
    for digit, weight in zip(serial, [8, 6, 4, 2, 3, 5, 9, 7], strict=True):
        total += int(digit) * weight
    value = 11 - (total % 11)
    if value == 10:
        return 0
    if value == 11:
        return 5
    return value


@pytest.mark.parametrize(
    "number",
    # Worked by hand from the S10 weights: 47312482 -> sum 200 -> 11 - 2 = 9;
    # 12345678 -> sum 204 -> 11 - 6 = 5.
    ["RR473124829GB", "EE123456785CN", "RA473124829DE"],
)
def test_hand_checked_s10_numbers_validate(number: str) -> None:
    assert is_valid_s10(number)


def test_the_standard_example_serial_has_check_digit_9() -> None:
    # UPU S10: serial 47312482 -> weighted sum 200, 200 mod 11 = 2, 11 - 2 = 9.
    assert make_s10("RR", 47312482, "GB") == "RR473124829GB"


@given(
    service=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
    serial=st.integers(0, 99_999_999),
    country=st.sampled_from(["CN", "BE", "HK", "MY", "AE", "FR"]),
)
def test_every_generated_number_passes_an_independent_check(
    service: str, serial: int, country: str
) -> None:
    number = make_s10(service, serial, country)
    assert independent_check_digit(number[2:10]) == int(number[10])
    assert validate_s10(number) == number


@given(serial=st.integers(0, 99_999_999), wrong=st.integers(1, 9))
def test_a_wrong_check_digit_is_refused(serial: int, wrong: int) -> None:
    good = make_s10("LP", serial, "CN")
    bad_digit = (int(good[10]) + wrong) % 10
    bad = good[:10] + str(bad_digit) + good[11:]
    assert not is_valid_s10(bad)
    with pytest.raises(InvalidInput, match="check digit"):
        validate_s10(bad)


@pytest.mark.parametrize("bad", ["", "LP12345678CN", "1P123456785CN", "LP123456785C1"])
def test_malformed_numbers_name_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_s10(bad, field="tracking_number")
    assert info.value.field == "tracking_number"


def test_a_delivered_shipment_cannot_go_back_in_transit() -> None:
    with pytest.raises(Conflict, match="delivered shipment cannot become in_transit"):
        transition(S.DELIVERED, S.IN_TRANSIT)
    assert transition(S.DELIVERED, S.RETURNED) is S.RETURNED


def test_cancelling_is_allowed_only_before_handover() -> None:
    assert [s for s in S if can_cancel(s)] == [S.DRAFT, S.BOOKED]
