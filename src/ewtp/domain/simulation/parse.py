"""Scenario documents (parsed TOML) -> scenarios, with errors that name the key.

Nothing runs before the whole document is valid: unknown keys, unknown stations,
negative rates and bad demand rows are `InvalidInput` naming the dotted key path
(`stations[1].servers`, `demand.parcels_per_origin.HGH`). `--set key=value` pairs are
applied to the document first (`apply_sets`), so they are checked the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ewtp.domain.errors import InvalidInput
from ewtp.domain.simulation.scenario import (
    Arrival,
    Distribution,
    DistributionKind,
    HubDemand,
    HubScenario,
    NetworkScenario,
    Route,
    Station,
)

__all__ = ["apply_sets", "parse_scenario"]

_TOP = {"scenario", "stations", "arrivals", "routes", "demand", "mix", "overrides"}


def _keys(doc: Mapping[str, Any], allowed: set[str], path: str) -> None:
    for key in doc:
        if key not in allowed:
            where = f"{path}.{key}" if path else key
            raise InvalidInput(
                f"unknown key {key!r}; expected one of {sorted(allowed)}", field=where
            )


def _value(value: Any, where: str) -> float:
    if value is None:
        raise InvalidInput("is required", field=where)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"must be a number, not {value!r}", field=where)
    if value < 0:
        raise InvalidInput(f"must not be negative (got {value})", field=where)
    return float(value)


def _num(doc: Mapping[str, Any], key: str, path: str, default: float | None = None) -> float:
    return _value(doc.get(key, default), f"{path}.{key}")


def _table(doc: Mapping[str, Any], key: str, path: str = "") -> Mapping[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, Mapping):
        raise InvalidInput("must be a table", field=f"{path}{key}")
    return value


def _distribution(doc: Any, path: str) -> Distribution:
    if not isinstance(doc, Mapping):
        raise InvalidInput(
            "must be a table such as {dist = 'exponential', mean_minutes = 2}", field=path
        )
    _keys(doc, {"dist", "mean_minutes", "sigma", "samples_minutes"}, path)
    try:
        kind = DistributionKind(str(doc.get("dist", "")))
    except ValueError:
        allowed = ", ".join(k.value for k in DistributionKind)
        raise InvalidInput(
            f"unknown distribution; expected one of {allowed}", field=f"{path}.dist"
        ) from None
    if kind is DistributionKind.EMPIRICAL:
        samples = doc.get("samples_minutes")
        if not isinstance(samples, list) or not samples:
            raise InvalidInput(
                "an empirical distribution needs samples", field=f"{path}.samples_minutes"
            )
        values = tuple(_value(s, f"{path}.samples_minutes[{i}]") for i, s in enumerate(samples))
        return Distribution(kind, sum(values) / len(values), samples=values)
    mean = _num(doc, "mean_minutes", path)
    sigma = _num(doc, "sigma", path, 0.0) if kind is DistributionKind.LOGNORMAL else 0.0
    return Distribution(kind, mean, sigma)


def _station(doc: Any, path: str) -> Station:
    if not isinstance(doc, Mapping):
        raise InvalidInput("must be a table", field=path)
    _keys(doc, {"name", "servers", "service", "per_item_minutes", "servers_by_hour"}, path)
    name = doc.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidInput("a station needs a name", field=f"{path}.name")
    servers = doc.get("servers", 1)
    if not isinstance(servers, int) or isinstance(servers, bool) or servers < 0:
        raise InvalidInput(f"must be a whole number >= 0, not {servers!r}", field=f"{path}.servers")
    by_hour = doc.get("servers_by_hour", [])
    if by_hour and (len(by_hour) != 24 or any(not isinstance(c, int) or c < 0 for c in by_hour)):
        raise InvalidInput("needs 24 whole numbers >= 0", field=f"{path}.servers_by_hour")
    return Station(
        name,
        servers,
        _distribution(doc.get("service"), f"{path}.service"),
        _num(doc, "per_item_minutes", path, 0.0),
        tuple(by_hour),
    )


def _arrival(doc: Any, path: str, names: set[str]) -> Arrival:
    if not isinstance(doc, Mapping):
        raise InvalidInput("must be a table", field=path)
    _keys(doc, {"station", "rate_per_hour", "batches"}, path)
    station = doc.get("station")
    if station not in names:
        raise InvalidInput(f"unknown station {station!r}", field=f"{path}.station")
    rates = doc.get("rate_per_hour", [])
    rates = [rates] if isinstance(rates, int | float) else rates
    rate_values = tuple(_value(r, f"{path}.rate_per_hour[{i}]") for i, r in enumerate(rates))
    batches = []
    for i, batch in enumerate(doc.get("batches", [])):
        if not isinstance(batch, list) or len(batch) != 2:
            raise InvalidInput("a batch is [minute, count]", field=f"{path}.batches[{i}]")
        minute = _value(batch[0], f"{path}.batches[{i}][0]")
        count = batch[1]
        if not isinstance(count, int) or count < 0:
            raise InvalidInput("a count is a whole number >= 0", field=f"{path}.batches[{i}][1]")
        batches.append((minute, count))
    if not rate_values and not batches:
        raise InvalidInput("give rate_per_hour or batches", field=path)
    return Arrival(str(station), rate_values, tuple(batches))


def _network(doc: Mapping[str, Any], head: Mapping[str, Any]) -> NetworkScenario:
    stations = [_station(s, f"stations[{i}]") for i, s in enumerate(doc.get("stations", []))]
    if not stations:
        raise InvalidInput("a network needs at least one station", field="stations")
    names = {s.name for s in stations}
    if len(names) != len(stations):
        raise InvalidInput("station names must be unique", field="stations")
    arrivals = [_arrival(a, f"arrivals[{i}]", names) for i, a in enumerate(doc.get("arrivals", []))]
    if not arrivals:
        raise InvalidInput("a network needs arrivals", field="arrivals")
    routes = []
    for i, r in enumerate(doc.get("routes", [])):
        path = f"routes[{i}]"
        _keys(r, {"from", "to", "probability"}, path)
        for end in ("from", "to"):
            if r.get(end) not in names:
                raise InvalidInput(f"unknown station {r.get(end)!r}", field=f"{path}.{end}")
        p = _num(r, "probability", path)
        if p > 1:
            raise InvalidInput("a probability is at most 1", field=f"{path}.probability")
        routes.append(Route(r["from"], r["to"], p))
    for name in names:
        total = sum(r.probability for r in routes if r.source == name)
        if total > 1 + 1e-9:
            raise InvalidInput(
                f"routing probabilities out of {name!r} sum to {total} > 1", field="routes"
            )
    horizon = _num(head, "horizon_hours", "scenario")
    if horizon <= 0:
        raise InvalidInput("must be positive", field="scenario.horizon_hours")
    return NetworkScenario(
        str(head.get("name", "network")),
        horizon,
        tuple(stations),
        tuple(arrivals),
        tuple(routes),
        _num(head, "warmup_hours", "scenario", 0.0),
    )


def _hub(doc: Mapping[str, Any], head: Mapping[str, Any]) -> HubScenario:
    hub = head.get("hub")
    if not isinstance(hub, str) or not hub:
        raise InvalidInput("a hub scenario names its hub", field="scenario.hub")
    try:
        day = date.fromisoformat(str(head.get("date")))
    except ValueError:
        raise InvalidInput("must be a date YYYY-MM-DD", field="scenario.date") from None
    demand = _table(doc, "demand")
    _keys(demand, {"parcels_per_origin", "multiplier", "destinations", "backlog_parcels"}, "demand")
    origins = _table(demand, "parcels_per_origin", "demand.")
    if not origins:
        raise InvalidInput(
            "give parcels a day for at least one origin", field="demand.parcels_per_origin"
        )
    parcels = {}
    for code, count in origins.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise InvalidInput(
                f"must be a whole number >= 0, not {count!r}",
                field=f"demand.parcels_per_origin.{code}",
            )
        parcels[str(code).upper()] = count
    shares = {
        str(k).upper(): _num(demand["destinations"], k, "demand.destinations")
        for k in _table(demand, "destinations", "demand.")
    }
    mix = _table(doc, "mix")
    _keys(
        mix,
        {
            "kg_per_parcel",
            "m3_per_parcel",
            "battery_share",
            "inspection_share",
            "hours_before_inbound_departure",
        },
        "mix",
    )
    for key in ("battery_share", "inspection_share"):
        if key in mix and _num(mix, key, "mix") > 1:
            raise InvalidInput("a share is at most 1", field=f"mix.{key}")
    overrides = {str(k): str(v) for k, v in _table(doc, "overrides").items()}
    return HubScenario(
        str(head.get("name", hub)),
        hub.upper(),
        day,
        HubDemand(
            parcels,
            _num(demand, "multiplier", "demand", 1.0),
            _num(mix, "kg_per_parcel", "mix", 0.5),
            _num(mix, "m3_per_parcel", "mix", 0.003),
            _num(mix, "battery_share", "mix", 0.0),
            _num(mix, "inspection_share", "mix") if "inspection_share" in mix else None,
            shares,
            _num(mix, "hours_before_inbound_departure", "mix", 12.0),
        ),
        overrides,
        int(_num(demand, "backlog_parcels", "demand", 0)),
        _num(head, "horizon_hours", "scenario", 48.0),
    )


def parse_scenario(doc: Mapping[str, Any]) -> NetworkScenario | HubScenario:
    """A validated scenario; `scenario.kind` is `network` or `hub`."""
    _keys(doc, _TOP, "")
    head = _table(doc, "scenario")
    _keys(head, {"kind", "name", "hub", "date", "horizon_hours", "warmup_hours"}, "scenario")
    kind = head.get("kind", "hub" if "hub" in head else "network")
    if kind == "network":
        return _network(doc, head)
    if kind == "hub":
        return _hub(doc, head)
    raise InvalidInput("must be 'network' or 'hub'", field="scenario.kind")


def _literal(text: str) -> Any:
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def apply_sets(doc: dict[str, Any], sets: list[str]) -> dict[str, Any]:
    """The document with each `key=value` applied (dotted keys; `overrides.` may be left out
    for a hub scenario's what-ifs, e.g. `sorter.rate=+20%`)."""
    out: dict[str, Any] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in doc.items()}
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InvalidInput(f"expected key=value, got {item!r}", field="--set")
        parts = key.strip().split(".")
        if parts[0] not in _TOP:
            out.setdefault("overrides", {})[key.strip()] = value.strip()
            continue
        node = out
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {} if child is None else child
                if not isinstance(child, dict):
                    raise InvalidInput(f"{part!r} is not a table", field=key)
            node[part] = dict(child)
            node = node[part]
        node[parts[-1]] = _literal(value.strip())
    return out
