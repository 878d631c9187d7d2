"""The ingest and track use cases on the in-memory fakes: what a batch of scans changes.

Expected values are worked out by hand from the rules (the lifecycle, the dedup rule, the
promise), not read back from the code: e.g. a parcel promised 72 h after booking and
planned to arrive 80 h after a scan at hour 3 is due at hour 83, so it is at risk.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.s10 import make_s10
from ewtp.domain.tracking.scans import RawEvent, to_scan_event
from ewtp.domain.webhooks.model import EVENT_TYPES, Endpoint
from ewtp.services.tracking.ingest_events import ScanList, ingest_events, ingest_scans
from ewtp.services.tracking.ports import ShipmentRef
from ewtp.services.tracking.scan_checks import ScanChecks
from ewtp.services.tracking.track_shipment import StepState, track_shipment
from unit.tracking.fakes import FakeTracking, FixedEta

BOOKED = datetime.fromisoformat("2026-11-20T08:00:00+00:00")
NOW = BOOKED + timedelta(days=5)
ACCOUNT = "acct-1"


def parcel(
    fake: FakeTracking, serial: int, *, status: str = "booked", booked_at: datetime | None = None
) -> ShipmentRef:
    ship = ShipmentRef(
        f"ship-{serial}", ACCOUNT, make_s10("LP", serial, "CN"), ShipmentStatus(status), "HGH",
        "BE", BOOKED + timedelta(hours=72), BOOKED, booked_at,
    )  # fmt: skip
    fake.tracking.add_shipment(ship)
    return ship


def subscribe(fake: FakeTracking, *events: str) -> None:
    fake.webhooks.add_endpoint(
        Endpoint("ep-1", ACCOUNT, "https://hooks.example.com/e", events or EVENT_TYPES,
                 "whsec_x", BOOKED)
    )  # fmt: skip


def scan(
    number: str, code: str, hour: float, hub: str = "HGH", source: str | None = None
) -> RawEvent:
    return RawEvent(number, code, BOOKED + timedelta(hours=hour), hub, None, source)


def status(fake: FakeTracking, number: str) -> ShipmentStatus:
    return fake.tracking.shipments[number].status


def sent(fake: FakeTracking) -> list[tuple[str, str]]:
    return [(e.event_type, e.shipment_id) for e in fake.outbox.events.values()]


def test_a_replayed_scan_is_a_duplicate_by_source_id_or_by_code_time_and_hub() -> None:
    fake = FakeTracking()
    number = parcel(fake, 1).tracking_number
    first = ingest_events(
        fake.uow(), [scan(number, "accepted", 0), scan(number, "departed", 2, source="s1")], NOW
    )
    again = ingest_events(
        fake.uow(),
        [
            scan(number, "ACCEPTED", 0),  # the same code spelled otherwise
            scan(number, "arrived", 9, "LGG", source="s1"),  # the same source id
            scan(number, "accepted", 0, "CGO"),  # another hub: a new scan
        ],
        NOW,
    )
    assert (first.accepted, first.duplicates) == (2, 0)
    assert (again.accepted, again.duplicates, again.rejected) == (1, 2, 0)
    assert len(fake.tracking.events) == 3


def test_scans_of_unknown_numbers_are_refused_and_the_rest_kept() -> None:
    fake = FakeTracking()
    number = parcel(fake, 1).tracking_number
    stranger = make_s10("LP", 2, "CN")
    result = ingest_events(
        fake.uow(), [scan(stranger, "accepted", 0), scan(number, "accepted", 0)], NOW
    )
    assert (result.accepted, result.rejected) == (1, 1)
    (refused,) = result.rejections
    assert (refused.index, refused.tracking_number, refused.field, refused.code) == (
        0, stranger, "tracking_number", "unknown_tracking_number",
    )  # fmt: skip
    assert status(fake, number) is ShipmentStatus.IN_TRANSIT
    # The refusal is also kept for the console, in the batch's transaction.
    assert [(r.tracking_number, r.code, at) for r, at in fake.tracking.rejections] == [
        (stranger, "unknown_tracking_number", NOW)
    ]


def test_the_status_follows_the_lifecycle_whatever_the_arrival_order() -> None:
    fake = FakeTracking()
    number = parcel(fake, 1).tracking_number
    ingest_events(fake.uow(), [scan(number, "delivered", 30, "BE")], NOW)
    assert status(fake, number) is ShipmentStatus.DELIVERED  # handover implied
    late = ingest_events(
        fake.uow(), [scan(number, "departed", 31), scan(number, "accepted", 0)], NOW
    )
    assert (late.accepted, late.anomalies) == (2, 1)  # departed after delivered is odd
    assert status(fake, number) is ShipmentStatus.DELIVERED
    flagged = {s.event.code: s.anomaly for s in fake.tracking.events.values()}
    assert [code for code, anomaly in flagged.items() if anomaly] == ["departed"]
    assert "delivered shipment" in str(flagged["departed"])
    ingest_events(fake.uow(), [scan(number, "returned", 60, "BE")], NOW)
    assert status(fake, number) is ShipmentStatus.RETURNED
    ship = fake.tracking.shipments[number]
    assert fake.tracking.last_scan[ship.id] == BOOKED + timedelta(hours=60)
    assert fake.tracking.updated_at[ship.id] == NOW


def test_a_delivery_failure_puts_the_parcel_in_exception_and_says_so() -> None:
    fake = FakeTracking()
    subscribe(fake)
    ship = parcel(fake, 1)
    ingest_events(fake.uow(), [scan(ship.tracking_number, "accepted", 0)], NOW)
    ingest_events(fake.uow(), [scan(ship.tracking_number, "delivery_failed", 40, "BE")], NOW)
    assert status(fake, ship.tracking_number) is ShipmentStatus.EXCEPTION
    assert sent(fake) == [
        ("tracking.updated", ship.id), ("tracking.updated", ship.id),
        ("shipment.exception", ship.id),
    ]  # fmt: skip


def test_outbox_events_carry_the_status_change_and_go_only_to_subscribed_types() -> None:
    fake = FakeTracking()
    subscribe(fake, "shipment.delivered")
    ship = parcel(fake, 1)
    ingest_events(fake.uow(), [scan(ship.tracking_number, "accepted", 0)], NOW)
    assert sent(fake) == []  # tracking.updated is not subscribed
    ingest_events(fake.uow(), [scan(ship.tracking_number, "delivered", 30, "BE")], NOW)
    (event,) = fake.outbox.events.values()
    assert (event.event_type, event.account_id, event.shipment_id) == (
        "shipment.delivered", ACCOUNT, ship.id,
    )  # fmt: skip
    assert event.occurred_at == BOOKED + timedelta(hours=30)
    data = event.payload
    assert (data["status"], data["previous_status"]) == ("delivered", "in_transit")
    assert [(e["code"], e["hub"], e["occurred_at"]) for e in data["events"]] == [
        ("delivered", "BE", "2026-11-21T14:00:00+00:00")
    ]


def test_no_endpoint_means_no_outbox_rows() -> None:
    fake = FakeTracking()
    number = parcel(fake, 1).tracking_number
    ingest_events(
        fake.uow(), [scan(number, "accepted", 0), scan(number, "delivered", 30, "BE")], NOW
    )
    assert sent(fake) == []


def test_a_late_plan_flags_promise_at_risk_once_and_stores_the_eta() -> None:
    fake = FakeTracking()
    subscribe(fake, "shipment.promise_at_risk")
    ship = parcel(fake, 1)
    eta = FixedEta(hours=80, hubs=("HGH", "LGG"))
    ingest_events(fake.uow(), [scan(ship.tracking_number, "departed", 3)], NOW, eta=eta)
    assert eta.asked == [("HGH", BOOKED + timedelta(hours=3), "BE")]
    state = fake.tracking.etas[ship.id]
    assert (state.eta_at, state.eta_from_hub, state.planned_hubs, state.promise_at_risk) == (
        BOOKED + timedelta(hours=83), "HGH", ("HGH", "LGG"), True,
    )  # fmt: skip
    (event,) = fake.outbox.events.values()
    assert event.event_type == "shipment.promise_at_risk"
    assert event.payload == {
        "shipment_id": ship.id,
        "tracking_number": ship.tracking_number,
        "promised_by": "2026-11-23T08:00:00+00:00",
        "expected_delivery": "2026-11-23T19:00:00+00:00",
        "from_hub": "HGH",
        "planned_hubs": ["HGH", "LGG"],
    }
    # Still late after the next move: the flag stays on and nothing more is sent.
    ingest_events(fake.uow(), [scan(ship.tracking_number, "arrived", 16, "LGG")], NOW, eta=eta)
    assert len(fake.outbox.events) == 1
    assert fake.tracking.etas[ship.id].eta_at == BOOKED + timedelta(hours=96)


def test_a_plan_within_the_promise_is_not_at_risk_and_a_non_move_asks_nothing() -> None:
    fake = FakeTracking()
    subscribe(fake)
    ship = parcel(fake, 1)
    eta = FixedEta(hours=60)
    ingest_events(fake.uow(), [scan(ship.tracking_number, "accepted", 0)], NOW, eta=eta)
    assert eta.asked == []  # an acceptance does not move the parcel
    ingest_events(fake.uow(), [scan(ship.tracking_number, "departed", 3)], NOW, eta=eta)
    assert fake.tracking.etas[ship.id].promise_at_risk is False  # due at 63 h, promised 72 h
    assert "shipment.promise_at_risk" not in {t for t, _ in sent(fake)}


def test_checks_refuse_cancelled_parcels_unknown_hubs_and_future_scans_and_flag_early_ones() -> (
    None
):
    fake = FakeTracking()
    early = parcel(fake, 1, booked_at=BOOKED + timedelta(hours=1)).tracking_number
    void = parcel(fake, 2, status="cancelled").tracking_number
    checks = ScanChecks(hubs={"HGH", "LGG"}, max_future=timedelta(minutes=15))
    raws = [
        scan(early, "accepted", 0),  # before the booking: stored, flagged
        scan(void, "accepted", 0),
        scan(early, "departed", 2, "ZZZ"),
        RawEvent(early, "arrived", NOW + timedelta(minutes=16), "LGG"),
        scan(early, "delivered", 30, "BE"),  # the final mile's hub: the destination country
    ]
    batch = ScanList((i, to_scan_event(r)) for i, r in enumerate(raws))
    checked = ingest_scans(fake.uow(), batch, [], NOW, checks=checks)
    assert {r.index: r.code for r in checked.rejections} == {
        1: "cancelled", 2: "unknown_hub", 3: "in_future",
    }  # fmt: skip
    assert [(f.index, f.code) for f in checked.flags] == [(0, "before_booking")]
    assert checked.accepted == 2
    assert status(fake, early) is ShipmentStatus.DELIVERED
    assert status(fake, void) is ShipmentStatus.CANCELLED


def test_a_failing_outbox_leaves_the_store_as_it_was() -> None:
    fake = FakeTracking()
    subscribe(fake)
    number = parcel(fake, 1).tracking_number

    def explode(*_args: object) -> list[str]:
        raise RuntimeError("crash before commit")

    fake.outbox.add_many = explode  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        ingest_events(fake.uow(), [scan(number, "accepted", 0)], NOW)
    assert fake.tracking.events == {}
    assert status(fake, number) is ShipmentStatus.BOOKED
    assert fake.commits == 0


def test_track_shipment_shows_the_timeline_route_and_eta_the_scans_left() -> None:
    fake = FakeTracking()
    ship = parcel(fake, 1)
    eta = FixedEta(hours=80, hubs=("HGH", "CGO", "LGG"))
    ingest_events(fake.uow(), [scan(ship.tracking_number, "accepted", 0),
                               scan(ship.tracking_number, "departed", 3)], NOW, eta=eta)  # fmt: skip
    view = track_shipment(fake.uow(), number=ship.tracking_number.lower())
    assert view.status is ShipmentStatus.IN_TRANSIT
    assert [e.event.code for e in view.timeline] == ["accepted", "departed"]
    assert [(s.hub, s.state) for s in view.route] == [
        ("HGH", StepState.CURRENT), ("CGO", StepState.PLANNED), ("LGG", StepState.PLANNED),
    ]  # fmt: skip
    assert view.expected_delivery == BOOKED + timedelta(hours=83)
    assert view.promise_at_risk is True
