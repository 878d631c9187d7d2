"""The documented route JSON for many plans at once, byte for byte `plan_to_json`.

A batch shares itineraries between the queries of one group (see
`services/network/batch.py`); only `ready_utc`, `hours` and `promise_met` depend on the
query. `PlanJsonWriter` keeps each itinerary's text around `hours` and joins strings,
which is what lets a batch print tens of thousands of answers a second.
"""

from __future__ import annotations

import json

from ewtp.domain.network.routing import Itinerary, RoutePlan, hours_between, iso_z

__all__ = ["PlanJsonWriter"]

_dumps = json.dumps


class PlanJsonWriter:
    """`json.dumps(plan_to_json(plan))` for many plans, reusing each itinerary's text."""

    def __init__(self) -> None:
        # id(itinerary) -> (itinerary, text before hours, text after hours); the
        # itinerary is held so that its id cannot be reused while cached.
        self._parts: dict[int, tuple[Itinerary, str, str]] = {}
        self._strings: dict[str, str] = {}

    def _itinerary(self, itinerary: Itinerary, plan: RoutePlan) -> str:
        parts = self._parts.get(id(itinerary))
        if parts is None:
            head = (
                f'{{"delivered_utc": {_dumps(iso_z(itinerary.delivered_utc))}, '
                f'"arrival_utc": {_dumps(iso_z(itinerary.arrival_utc))}, "hours": '
            )
            legs = [
                {
                    "service_id": leg.service_id,
                    "mode": leg.mode,
                    "origin": leg.origin,
                    "destination": leg.destination,
                    "departure_utc": iso_z(leg.departure_utc),
                    "arrival_utc": iso_z(leg.arrival_utc),
                }
                for leg in itinerary.legs
            ]
            tail = (
                f', "cost_per_kg": {_dumps(str(itinerary.cost_per_kg))}, '
                f'"co2_kg_per_kg": {_dumps(str(itinerary.co2_kg_per_kg))}, '
                f'"legs": {_dumps(legs)}}}'
            )
            parts = self._parts[id(itinerary)] = (itinerary, head, tail)
        return f"{parts[1]}{hours_between(plan.ready_utc, itinerary.delivered_utc)!r}{parts[2]}"

    def _text(self, value: str) -> str:
        found = self._strings.get(value)
        if found is None:
            found = self._strings[value] = _dumps(value)
        return found

    def dumps(self, plan: RoutePlan) -> str:
        """One plan as compact one-line JSON, equal to `json.dumps(plan_to_json(plan))`."""
        ready_text = iso_z(plan.ready_utc)
        options = [self._itinerary(o, plan) for o in plan.options]
        if plan.fastest is None:
            fastest = "null"
        elif plan.options and plan.fastest is plan.options[0]:
            fastest = options[0]
        else:
            fastest = self._itinerary(plan.fastest, plan)
        return (
            f'{{"origin": {self._text(plan.origin)}, "destination": {self._text(plan.destination)}, '
            f'"ready_utc": "{ready_text}", "fastest": {fastest}, '
            f'"options": [{", ".join(options)}], '
            f'"promise_met": {"true" if plan.promise_met else "false"}}}'
        )
