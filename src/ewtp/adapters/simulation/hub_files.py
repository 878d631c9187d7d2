"""A hub scenario's inputs from the built-in files: the network, and the hub model with
the scenario's what-ifs applied to its rows (so the hub capability validates them).

What-if keys (values are absolute, or relative as `+20%` / `-10%`):
    <resource>                count of a resource (`uld_breakdown_station = 8`)
    <resource>.rate           rated items an hour (`sorter.rate = "+20%"`)
    shifts.<name>             staffed stations of every shift called <name>
    shifts.<resource>.<name>  staffed stations of one resource's shift
    times.<name>, parameters.<name>   a row of times.csv / parameters.csv
Aliases: `sorters.rate`, `breakdown_stations`, `induction_stations`, `inspection_lanes`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

from ewtp.adapters.hub.files import BUILTIN_HUBS_DIR, builtin_hub_codes, read_hub_rows
from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub import Row, build_hub_model
from ewtp.domain.simulation.scenario import HubScenario
from ewtp.services.hub.context import SortContext, build_context

__all__ = ["ALIASES", "apply_what_ifs", "hub_context", "service_capacities"]

ALIASES = {
    "sorters.rate": "sorter.rate",
    "sorters": "sorter",
    "breakdown_stations": "uld_breakdown_station",
    "induction_stations": "induction_station",
    "inspection_lanes": "inspection_lane",
}


def _value(old: str, change: str, field: str) -> str:
    text = change.strip()
    try:
        if text.endswith("%"):
            factor = 1 + Decimal(text[:-1]) / 100
            result = Decimal(old or "0") * factor
        else:
            result = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(
            f"expected a number or a change such as +20%, not {change!r}", field=field
        ) from None
    if result < 0:
        raise InvalidInput(f"would be negative ({result})", field=field)
    whole = result.to_integral_value()
    return str(int(whole)) if ("." not in old and "%" in text) or result == whole else str(result)


def _set(rows: list[Row], match: dict[str, str], column: str, change: str, field: str) -> list[Row]:
    hit = False
    out = []
    for row in rows:
        if all(row.cells.get(k) == v for k, v in match.items()):
            hit = True
            cells = dict(row.cells)
            cells[column] = _value(cells.get(column, ""), change, field)
            row = replace(row, cells=cells)
        out.append(row)
    if not hit:
        raise InvalidInput(
            f"the hub model has no such row ({', '.join(f'{k}={v}' for k, v in match.items())})",
            field=field,
        )
    return out


def apply_what_ifs(rows: dict[str, list[Row]], overrides: dict[str, str]) -> dict[str, list[Row]]:
    """The hub model's rows with every what-if applied; unknown targets name the key."""
    rows = dict(rows)
    for raw, change in overrides.items():
        key = ALIASES.get(raw, raw)
        field = f"overrides.{raw}"
        parts = key.split(".")
        if parts[0] == "shifts" and len(parts) in (2, 3):
            match = {"shift": parts[-1]} | ({"resource": parts[1]} if len(parts) == 3 else {})
            rows["shifts.csv"] = _set(rows["shifts.csv"], match, "staffed", change, field)
        elif parts[0] in ("times", "parameters") and len(parts) == 2:
            name = f"{parts[0]}.csv"
            rows[name] = _set(rows[name], {"name": parts[1]}, "value", change, field)
        elif len(parts) == 2 and parts[1] == "rate":
            rows["resources.csv"] = _set(
                rows["resources.csv"], {"resource": parts[0]}, "rate_per_hour", change, field
            )
        elif len(parts) == 1:
            rows["resources.csv"] = _set(
                rows["resources.csv"], {"resource": parts[0]}, "count", change, field
            )
        else:
            raise InvalidInput("unknown what-if; see docs/simulation.md for the keys", field=field)
    return rows


def hub_context(scenario: HubScenario) -> SortContext:
    """The sort context of the scenario's hub and day, what-ifs applied."""
    if scenario.hub not in builtin_hub_codes():
        raise InvalidInput(
            f"no hub model for {scenario.hub!r} (models: {', '.join(builtin_hub_codes())})",
            field="scenario.hub",
        )
    network = read_network_dir(BUILTIN_DIR, scenario.day)
    rows = apply_what_ifs(read_hub_rows(BUILTIN_HUBS_DIR / scenario.hub), scenario.overrides)
    model = build_hub_model(rows, scenario.day)
    zones = {z.country: z for z in network.zones}
    return build_context(network.hubs, network.services, zones, model, scenario.hub, scenario.day)


def service_capacities(on: date) -> dict[str, tuple[Decimal, Decimal]]:
    """Each service's kg and m3 capacity."""
    network = read_network_dir(BUILTIN_DIR, on)
    return {s.id: (s.capacity_kg, s.capacity_m3) for s in network.services}
