"""The timeline fold: order-independent, duplicate-proof, and never un-delivers a parcel."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.domain.errors import InvalidInput
from ewtp.domain.lifecycle import ShipmentStatus as S
from ewtp.domain.tracking.timeline import (
    MILESTONE_EFFECT,
    SCAN_CODES,
    Milestone,
    ScanEvent,
    derive_timeline,
    lookup_code,
)
from unit.tracking.fakes import event
from unit.tracking.strategies import canonical, streams


def test_every_normalized_status_is_itself_a_scan_code() -> None:
    for milestone in Milestone:
        assert lookup_code(milestone.value).milestone is milestone


def test_the_reason_codes_of_the_issue_map_to_a_status_with_their_reason() -> None:
    reasons = {
        "customs_inspection", "customs_documentation", "customs_duties_unpaid",
        "customs_prohibited", "capacity_exceeded", "missed_connection",
    }  # fmt: skip
    assert reasons <= {c.reason for c in SCAN_CODES}
    assert lookup_code("customs_inspection").milestone is Milestone.CUSTOMS_HOLD
    assert lookup_code("missed_connection").milestone is Milestone.EXCEPTION


def test_codes_are_case_insensitive_and_upu_codes_are_known() -> None:
    assert lookup_code("DEPARTED").milestone is Milestone.DEPARTED
    assert lookup_code("emi").milestone is Milestone.DELIVERED


def test_an_unknown_code_names_the_field() -> None:
    with pytest.raises(InvalidInput) as caught:
        lookup_code("teleported")
    assert caught.value.field == "code"


def test_out_of_order_arrival_gives_the_time_ordered_status() -> None:
    accepted = event("accepted", 0, "HGH")
    departed = event("departed", 2, "HGH")
    delivered = event("delivered", 30, "LGG")
    derived = derive_timeline([delivered, departed, accepted], S.BOOKED)
    assert derived.status is S.DELIVERED
    assert [e.event for e in derived.timeline] == [accepted, departed, delivered]
    assert derived.anomalies == 0


def test_a_departure_after_delivery_is_kept_flagged_and_does_not_move_the_parcel() -> None:
    derived = derive_timeline(
        [event("accepted", 0, "HGH"), event("delivered", 30, "LGG"), event("departed", 31, "HGH")],
        S.BOOKED,
    )
    assert derived.status is S.DELIVERED
    assert len(derived.timeline) == 3
    flagged = [e for e in derived.timeline if e.anomaly]
    assert [e.event.milestone for e in flagged] == [Milestone.DEPARTED]
    assert "delivered" in (flagged[0].anomaly or "")


def test_a_delivered_parcel_can_still_be_returned() -> None:
    derived = derive_timeline(
        [event("delivered", 30, "LGG"), event("returned", 50, "LGG")], S.BOOKED
    )
    assert derived.status is S.RETURNED
    assert derived.anomalies == 0


def test_a_cancelled_shipment_is_not_revived_by_scans() -> None:
    derived = derive_timeline([event("accepted", 0, "HGH")], S.CANCELLED)
    assert derived.status is S.CANCELLED
    assert derived.anomalies == 1


@settings(max_examples=300, deadline=None)
@given(stream=streams(), data=st.data())
def test_status_and_timeline_do_not_depend_on_order_duplicates_or_replays(
    stream: list[ScanEvent], data: st.DataObject
) -> None:
    distinct = canonical(stream)
    truth = derive_timeline(distinct, S.BOOKED)
    replays = data.draw(st.lists(st.sampled_from(distinct), max_size=10)) if distinct else []
    shuffled = data.draw(st.permutations(distinct + replays + distinct))
    again = derive_timeline(shuffled, S.BOOKED)
    assert again == truth


@settings(max_examples=300, deadline=None)
@given(stream=streams())
def test_delivered_never_leaves_delivered_except_for_returned(stream: list[ScanEvent]) -> None:
    derived = derive_timeline(stream, S.BOOKED)
    status = S.BOOKED
    for entry in derived.timeline:  # replay the fold step by step
        target = MILESTONE_EFFECT[entry.event.milestone]
        after = status if entry.anomaly or target is None else target
        if status is S.DELIVERED:
            assert after in (S.DELIVERED, S.RETURNED)
        if status is S.RETURNED:
            assert after is S.RETURNED
        status = after
    assert status is derived.status


@settings(max_examples=200, deadline=None)
@given(stream=streams())
def test_anomalies_are_exactly_the_steps_the_lifecycle_refuses(stream: list[ScanEvent]) -> None:
    """Oracle: an independent fold written from the lifecycle table."""
    from ewtp.domain.lifecycle import ALLOWED

    derived = derive_timeline(stream, S.BOOKED)
    status = S.BOOKED
    for entry in derived.timeline:
        target = MILESTONE_EFFECT[entry.event.milestone]
        if target is None:
            expected_anomaly = status in (S.DELIVERED, S.RETURNED, S.CANCELLED)
        elif target == status:
            expected_anomaly = False
        elif target in ALLOWED[status] or (status is S.BOOKED and target in ALLOWED[S.IN_TRANSIT]):
            expected_anomaly = False
            status = target
        else:
            expected_anomaly = True
        assert bool(entry.anomaly) is expected_anomaly
    assert status is derived.status
