"""Sort decisions against an independent oracle over the exported timetable and hub model."""

from __future__ import annotations

import csv
import math
from datetime import datetime, timedelta
from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.adapters.hub.files import BUILTIN_HUBS_DIR
from ewtp.domain.hub import Parcel, ParcelState, Reason, Sorter, decide
from ewtp.services.network.views import connection as export_row
from unit.hub.lgg import connections, lgg, network, plan, table, window, zone_targets
from unit.hub.oracle import Conn, best_departure, earliest_from, parse_rows

HORIZON = timedelta(hours=72)


def _times() -> dict[str, int]:
    with (BUILTIN_HUBS_DIR / "LGG" / "times.csv").open(encoding="utf-8") as handle:
        return {r["name"]: int(r["value"]) for r in csv.DictReader(handle)}


# The hub model alone: processing and loading from its rows, not from HubModel.
_T = _times()
PROCESSING = timedelta(
    minutes=_T["uld_breakdown_minutes"] + _T["sorter_transit_minutes"],
    seconds=math.ceil(3600 / _T["induction_rate_per_operator"]),
)
LOADING = timedelta(minutes=_T["truck_loading_minutes"])


@lru_cache(maxsize=1)
def exported() -> list[Conn]:
    return parse_rows([export_row(c) for c in connections()])


@lru_cache(maxsize=1)
def mct() -> dict[str, int]:
    return {h.code: h.min_connection_minutes for h in network().hubs}


AWAY = sorted(c for c, (hub, _) in zone_targets().items() if hub != "LGG")
FIRST, LAST = window()
scan_times = st.integers(0, int((LAST - FIRST).total_seconds()) // 60).map(
    lambda m: FIRST + timedelta(minutes=m)
)


@st.composite
def booked_parcels(draw: st.DrawFn) -> tuple[Parcel, datetime]:
    """A parcel to a zone beyond LGG whose booked leg out of LGG is the best one for a
    ready time up to a day before (or after) its scan, so some scans miss it."""
    country = draw(st.sampled_from(AWAY))
    hub, last_mile = zone_targets()[country]
    scanned = draw(scan_times)
    planned_ready = scanned + timedelta(minutes=draw(st.integers(-24 * 60, 6 * 60)))
    booked = best_departure(exported(), "LGG", hub, planned_ready, LOADING, mct())
    number = f"LP{draw(st.integers(0, 99_999_999)):08d}0CN"
    promised = scanned + timedelta(hours=draw(st.integers(12, 96)))
    return (
        Parcel(
            tracking_number=number,
            state=ParcelState.ACTIVE,
            target_hub=hub,
            last_mile=last_mile,
            promised_by=promised,
            booked_service_id=booked[0].service_id if booked else None,
            booked_departure_utc=booked[0].dep if booked else None,
        ),
        scanned,
    )


def _no_inspection_sorter() -> Sorter:
    """Inspection selection is tested on its own; here no parcel is picked at random."""
    from dataclasses import replace

    model = lgg()
    params = replace(
        model.parameters, inspection_selection_rate=0 * model.parameters.inspection_selection_rate
    )
    return Sorter(replace(plan(), hub=replace(model, parameters=params)), table())


SORT = _no_inspection_sorter()


@settings(max_examples=60, deadline=None)
@given(booked_parcels())
def test_the_departure_is_the_booked_leg_when_in_time_else_the_oracles_earliest_arrival(
    case: tuple[Parcel, datetime],
) -> None:
    parcel, scanned = case
    decision = SORT(parcel, scanned)
    ready = scanned + PROCESSING
    booked_ok = (
        parcel.booked_departure_utc is not None and parcel.booked_departure_utc - LOADING >= ready
    )
    if booked_ok:
        assert decision.reason is Reason.PLANNED
        assert decision.departure is not None
        assert decision.departure.service_id == parcel.booked_service_id
        assert decision.departure.departure_utc == parcel.booked_departure_utc
        return
    best = best_departure(exported(), "LGG", parcel.target_hub, ready, LOADING, mct())
    if best is None or best[1] - scanned > HORIZON:
        assert decision.reason is Reason.NO_ROUTE
        assert decision.departure is None
        return
    assert decision.reason is Reason.REROUTED
    assert decision.departure is not None
    assert (decision.departure.service_id, decision.departure.departure_utc) == (
        best[0].service_id,
        best[0].dep,
    )
    assert decision.expected_delivery_utc == best[1] + parcel.last_mile
    assert decision.promise_holds == (best[1] + parcel.last_mile <= parcel.promised_by)


@settings(max_examples=40, deadline=None)
@given(booked_parcels())
def test_an_answered_cutoff_is_after_processing_and_no_feasible_departure_arrives_sooner(
    case: tuple[Parcel, datetime],
) -> None:
    parcel, scanned = case
    decision = SORT(parcel, scanned)
    if decision.departure is None:
        return
    ready = scanned + lgg().processing
    assert decision.departure.cutoff_utc >= ready
    assert decision.departure.cutoff_utc == decision.departure.departure_utc - LOADING
    chosen = next(
        c
        for c in exported()
        if c.origin == "LGG"
        and (c.service_id, c.dep)
        == (decision.departure.service_id, decision.departure.departure_utc)
    )
    mine = earliest_from(exported(), chosen, parcel.target_hub, mct())
    assert mine is not None
    if decision.reason is Reason.REROUTED:
        for c in exported():
            if c.origin == "LGG" and c.dep - LOADING >= ready:
                other = earliest_from(exported(), c, parcel.target_hub, mct())
                assert other is None or other >= mine


@given(
    st.sampled_from([ParcelState.CANCELLED, ParcelState.CLOSED, None]),
    scan_times,
    st.sampled_from(AWAY),
)
def test_a_cancelled_or_unknown_parcel_never_gets_a_departure(
    state: ParcelState | None, scanned: datetime, country: str
) -> None:
    hub, last_mile = zone_targets()[country]
    parcel = None if state is None else Parcel("LP000000014CN", state, hub, last_mile)
    decision = decide(parcel, scanned, plan(), table())
    assert decision.departure is None
    expected = Reason.CANCELLED if state is ParcelState.CANCELLED else Reason.UNKNOWN
    assert decision.reason is expected
    special = plan().special
    assert decision.chute in (special.hold if state is ParcelState.CANCELLED else special.reject)


def test_a_customs_hold_or_a_screening_flag_goes_to_the_inspection_chute() -> None:
    scanned = FIRST + timedelta(hours=3)
    held = Parcel("LP000000014CN", ParcelState.CUSTOMS_HOLD, "CDG", timedelta(hours=24))
    flagged = Parcel("LP000000028CN", ParcelState.ACTIVE, "CDG", screening_flag=True)
    for parcel in (held, flagged):
        decision = SORT(parcel, scanned)
        assert decision.reason is Reason.CUSTOMS_HOLD
        assert decision.departure is None
        assert decision.chute in plan().special.inspection


def test_a_parcel_for_a_zone_of_the_hub_itself_goes_to_the_delivery_chute() -> None:
    hub, last_mile = zone_targets()["BE"]
    assert hub == "LGG"
    scanned = FIRST + timedelta(hours=3)
    decision = SORT(Parcel("LP000000014CN", ParcelState.ACTIVE, hub, last_mile), scanned)
    assert decision.reason is Reason.PLANNED
    assert decision.chute in plan().special.delivery
    assert decision.expected_delivery_utc == scanned + PROCESSING + last_mile


def test_a_planned_parcel_uses_a_chute_of_its_departure_in_the_plan() -> None:
    dep = next(d for d in table().departures if d.service_id == "RD-LGG-CDG-13")
    parcel = Parcel(
        "LP000000014CN", ParcelState.ACTIVE, "CDG", timedelta(hours=24), None, dep.service_id,
        dep.departure_utc,
    )  # fmt: skip
    decision = SORT(parcel, dep.cutoff_utc - PROCESSING)  # exactly in time
    assert decision.reason is Reason.PLANNED
    planned = plan().planned(dep)
    assert planned is not None
    assert decision.chute in planned.chutes
    late = SORT(parcel, dep.cutoff_utc - PROCESSING + timedelta(seconds=1))
    assert late.reason is Reason.REROUTED
