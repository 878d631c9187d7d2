"""A hub's day as a queueing network, sorted by the hub capability's own logic.

    inbound services (timetable) -> ULDs -> breakdown -> induction -> sorter -> transit
        -> [customs inspection, parcels the Sorter selects] -> chute -> departure

- Every inbound service of the day brings the origin's demand (x multiplier), shared
  over that origin's arrivals by capacity and cut to each service's kg and m3; the rest
  is reported as `not_loaded`. Parcels are packed into ULDs per destination, up to the
  hub model's `uld_kg` / `uld_m3`.
- Batches are exact where the parcels of a batch share every input of the decision: a
  ULD's parcels share their arrival, their destination and their planned departure, and
  leave induction and the sorter together, so one `Sorter` call decides the whole batch.
  Inspection is decided parcel by parcel (the Sorter's deterministic selection on each
  synthetic tracking number), and each selected parcel is its own job.
- A batch reaching its chute at `t` is decided as a scan at `t - processing`, so
  `decide` judges the cut-off at the real chute time. `planned` means it made the
  departure planned at arrival; `rerouted` counts as a missed truck, and the decision's
  `promise_holds` is the 72-hour outcome (each parcel promised 72 h after acceptance,
  `hours_before_inbound_departure` before its inbound service left).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from ewtp.adapters.simulation.engine import Engine, Job
from ewtp.adapters.simulation.network_model import generator, replication_of
from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub import Parcel, ParcelState, Reason, Resource, Sorter
from ewtp.domain.hub.selection import Selector
from ewtp.domain.s10 import make_s10
from ewtp.domain.simulation.results import Replication
from ewtp.domain.simulation.scenario import Distribution, DistributionKind, HubScenario, Station
from ewtp.services.hub.context import SortContext

__all__ = ["HubDay", "build_hub_day", "run_hub_day"]

PROMISE = timedelta(hours=72)


@dataclass(frozen=True, slots=True)
class _Uld:
    minute: float
    parcels: int
    target_hub: str
    last_mile: timedelta
    promised_by: datetime
    first_serial: int


@dataclass(frozen=True, slots=True)
class HubDay:
    """Everything a replication needs, built once per scenario."""

    scenario: HubScenario
    context: SortContext
    start: datetime  # the local midnight of the day, in UTC
    stations: tuple[Station, ...]
    ulds: tuple[_Uld, ...]
    not_loaded: int
    inspection_rate: Decimal


# Variability (illustrative): ULD breakdown times vary (lognormal, sigma 0.25 of the log
# around the model's minutes) and each inbound service lands late by an exponential delay.
BREAKDOWN_SIGMA = 0.25
MEAN_ARRIVAL_DELAY_MINUTES = 15.0


def _deterministic(minutes: float) -> Distribution:
    return Distribution(DistributionKind.DETERMINISTIC, minutes)


def _hours(context: SortContext, resource: Resource) -> tuple[int, ...]:
    model = context.model
    staffed = tuple(min(model.staffed(resource, h), model.count(resource)) for h in range(24))
    return staffed if any(staffed) else tuple([model.count(resource)] * 24)


def _stations(context: SortContext) -> tuple[Station, ...]:
    model, times = context.model, context.model.times
    sorters = max(model.count(Resource.SORTER), 1)
    per_sorter = model.sorter_rate_per_hour() / sorters
    return (
        Station("breakdown", 0, Distribution(DistributionKind.LOGNORMAL, times.uld_breakdown_minutes, BREAKDOWN_SIGMA),
                servers_by_hour=_hours(context, Resource.ULD_BREAKDOWN_STATION)),
        Station("induction", 0, _deterministic(0.0), 60.0 / times.induction_rate_per_operator,
                servers_by_hour=_hours(context, Resource.INDUCTION_STATION)),
        Station("sorter", sorters, _deterministic(0.0), 60.0 / per_sorter),
        Station("transit", 0, _deterministic(times.sorter_transit_minutes)),
        Station("inspection", 0, _deterministic(times.inspection_minutes),
                servers_by_hour=_hours(context, Resource.INSPECTION_LANE)),
    )  # fmt: skip


def _destinations(scenario: HubScenario, context: SortContext) -> dict[str, float]:
    shares = scenario.demand.destinations
    zones = context.zones
    for country in shares:
        if country not in zones:
            raise InvalidInput(
                f"no delivery zone {country!r} in the network",
                field=f"demand.destinations.{country}",
            )
    if not shares:
        served = {c for p in context.plan.departures for c in p.serves if c in zones}
        served |= {z.country for z in zones.values() if z.hub == context.hub}
        shares = dict.fromkeys(sorted(served), 1.0)
    total = math.fsum(shares.values())
    if total <= 0:
        raise InvalidInput("destination shares must not all be zero", field="demand.destinations")
    return {c: s / total for c, s in shares.items()}


def build_hub_day(
    scenario: HubScenario, context: SortContext, capacities: dict[str, tuple[Decimal, Decimal]]
) -> HubDay:
    """Inbound ULDs of the day from the timetable (`capacities`: service -> kg, m3)."""
    demand = scenario.demand
    tz = context.timezone
    start = datetime(scenario.day.year, scenario.day.month, scenario.day.day, tzinfo=tz).astimezone(
        UTC
    )
    end = start + timedelta(days=1)
    inbound = [
        c
        for c in context.connections
        if c.destination == context.hub and start <= c.arrival_utc < end
    ]
    for origin in demand.parcels_per_origin:
        if not any(c.origin == origin for c in inbound):
            known = sorted({c.origin for c in inbound})
            raise InvalidInput(
                f"no service from {origin} arrives at {context.hub} on {scenario.day} (arrivals from: {', '.join(known)})",
                field=f"demand.parcels_per_origin.{origin}",
            )
    shares = _destinations(scenario, context)
    model = context.model
    per_uld = max(1, int(min(float(model.parameters.uld_kg) / max(demand.kg_per_parcel, 1e-9),
                             float(model.parameters.uld_m3) / max(demand.m3_per_parcel, 1e-9))))  # fmt: skip
    ulds: list[_Uld] = []
    not_loaded = 0
    serial = 1
    for origin, daily in sorted(demand.parcels_per_origin.items()):
        arrivals = sorted(
            (c for c in inbound if c.origin == origin), key=lambda c: (c.arrival_utc, c.service_id)
        )
        wanted = round(daily * demand.multiplier)
        weights = [float(capacities[c.service_id][0]) for c in arrivals]
        left = wanted
        for i, conn in enumerate(arrivals):
            kg, m3 = capacities[conn.service_id]
            fits = int(
                min(
                    float(kg) / max(demand.kg_per_parcel, 1e-9),
                    float(m3) / max(demand.m3_per_parcel, 1e-9),
                )
            )
            share = (
                left if i == len(arrivals) - 1 else round(wanted * weights[i] / math.fsum(weights))
            )
            carried = min(share, fits, left)
            left -= carried
            not_loaded += share - carried
            minute = (conn.arrival_utc - start).total_seconds() / 60
            promised = (
                conn.departure_utc
                - timedelta(hours=demand.hours_before_inbound_departure)
                + PROMISE
            )
            placed = 0
            for j, (country, fraction) in enumerate(sorted(shares.items())):
                count = carried - placed if j == len(shares) - 1 else round(carried * fraction)
                count = max(0, min(count, carried - placed))
                placed += count
                zone = context.zones[country]
                last_mile = timedelta(hours=float(zone.last_mile_hours))
                while count > 0:
                    n = min(count, per_uld)
                    ulds.append(_Uld(minute, n, zone.hub, last_mile, promised, serial))
                    serial += n
                    count -= n
        not_loaded += max(left, 0)
    rate = (
        Decimal(str(demand.inspection_share))
        if demand.inspection_share is not None
        else model.parameters.inspection_selection_rate
    )
    return HubDay(scenario, context, start, _stations(context), tuple(ulds), not_loaded, rate)


def _unselected_number(selector: Selector) -> str:
    """A tracking number the Sorter does not select, standing for a batch's parcels."""
    serial = 0
    while True:
        number = make_s10("LP", serial, "CN")
        if not selector(number):
            return number
        serial += 1


def run_hub_day(day: HubDay, seed: int, index: int) -> Replication:
    """One replication of the hub's day."""
    ctx = day.context
    rng = generator(seed, index)
    sorter: Sorter = ctx.sorter
    select = Selector(day.inspection_rate)
    standin = _unselected_number(Selector(ctx.model.parameters.inspection_selection_rate))
    processing = ctx.model.processing
    horizon = day.scenario.horizon_hours * 60
    end_utc = day.start + timedelta(minutes=horizon)
    counts = {"departed": 0, "missed_planned_truck": 0, "within_72h": 0, "judged": 0,
              "inspected": 0, "no_route": 0, "waiting_in_chute": 0}  # fmt: skip

    def router(job: Job, station: str, _now: float) -> list[tuple[str | None, Job]]:
        uld: _Uld = job.tag[0]
        if station == "breakdown":
            return [("induction", job)]
        if station == "induction":
            return [("sorter", job)]
        if station == "sorter":
            return [("transit", job)]
        if station == "transit" and job.tag[1] is None:
            picked = [
                s
                for s in range(uld.first_serial, uld.first_serial + job.size)
                if select(make_s10("LP", s, "CN"))
            ]
            parts: list[tuple[str | None, Job]] = [
                ("inspection", Job(1, job.born, (uld, s))) for s in picked
            ]
            rest = job.size - len(picked)
            if rest:
                parts.append((None, Job(rest, job.born, (uld, "batch"))))
            return parts
        return [(None, job)]

    def on_exit(job: Job, now: float) -> None:
        uld: _Uld = job.tag[0]
        if job.tag[1] != "batch":
            counts["inspected"] += job.size
        arrival = day.start + timedelta(minutes=uld.minute)
        planned = ctx.table.earliest(uld.target_hub, arrival + processing)
        parcel = Parcel(
            standin,
            ParcelState.ACTIVE,
            uld.target_hub,
            uld.last_mile,
            uld.promised_by,
            planned.departure.service_id if planned else None,
            planned.departure.departure_utc if planned else None,
        )
        decision = sorter(parcel, day.start + timedelta(minutes=now) - processing)
        if decision.reason is Reason.REROUTED:
            counts["missed_planned_truck"] += job.size
        if decision.reason is Reason.NO_ROUTE:
            counts["no_route"] += job.size
        if decision.promise_holds is not None:
            counts["judged"] += job.size
            counts["within_72h"] += job.size if decision.promise_holds else 0
        leaves = decision.departure.departure_utc if decision.departure else None
        if decision.departure is None or (leaves is not None and leaves <= end_utc):
            counts["departed"] += job.size
        else:
            counts["waiting_in_chute"] += job.size

    engine = Engine(day.stations, rng, router, on_exit=on_exit)
    delays: dict[float, float] = {}
    offset = int(rng.integers(1, 10**7))  # this replication's tracking numbers
    for uld in day.ulds:
        if uld.minute not in delays:
            delays[uld.minute] = float(rng.exponential(MEAN_ARRIVAL_DELAY_MINUTES))
        landed = replace(
            uld, minute=uld.minute + delays[uld.minute], first_serial=uld.first_serial + offset
        )
        engine.at(landed.minute, "breakdown", Job(uld.parcels, landed.minute, (landed, None)))
    if day.scenario.backlog_parcels and day.ulds:
        first = day.ulds[0]
        engine.at(0.0, "induction", Job(day.scenario.backlog_parcels, 0.0, (first, None)))
    engine.run(horizon)
    rep = replication_of(engine, index, horizon, {})
    judged = counts["judged"]
    extra = {
        "missed_planned_truck": float(counts["missed_planned_truck"]),
        "share_within_72h": counts["within_72h"] / judged if judged else 0.0,
        "inspected": float(counts["inspected"]),
        "no_route": float(counts["no_route"]),
        "not_loaded": float(day.not_loaded),
        "waiting_in_chute": float(counts["waiting_in_chute"]),
    }
    in_system = rep.in_system + counts["waiting_in_chute"]
    return Replication(
        index,
        rep.parcels_in,
        counts["departed"],
        in_system,
        rep.stages,
        rep.throughput_per_hour,
        extra,
    )
