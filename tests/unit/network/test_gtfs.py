"""The GTFS export, read back by gtfs-kit, holds exactly the dated connections."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import gtfs_kit as gk
import pytest
from hypothesis import HealthCheck, given, settings

from ewtp.adapters.network.gtfs_files import write_gtfs
from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.model import Hub, Service, expand_connections
from ewtp.services.network.gtfs_export import export_gtfs
from unit.network.fakes import builtin_uow, network_uow
from unit.network.strategies import networks

Key = tuple[str, datetime, datetime, str, str]


def _seconds(text: str) -> int:
    hours, minutes, seconds = (int(x) for x in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def dated_trips(feed: gk.Feed, first: date, last: date) -> set[Key]:
    """Every trip gtfs-kit finds active on each date, as UTC (agency time zone) moments."""
    assert feed.agency["agency_timezone"].tolist() == ["Etc/UTC"]
    routes = feed.trips.set_index("trip_id")["route_id"]
    found: set[Key] = set()
    day = first
    while day <= last:
        times = feed.get_stop_times(day.strftime("%Y%m%d"))
        base = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        for trip_id, stops in times.groupby("trip_id"):
            a, b = stops.sort_values("stop_sequence").to_dict("records")
            found.add((
                str(routes[trip_id]),
                base + timedelta(seconds=_seconds(a["departure_time"])),
                base + timedelta(seconds=_seconds(b["arrival_time"])),
                str(a["stop_id"]),
                str(b["stop_id"]),
            ))  # fmt: skip
        day += timedelta(days=1)
    return found


def _expected(hubs: tuple[Hub, ...], services: tuple[Service, ...], start: date, days: int) -> set[Key]:  # fmt: skip
    return {
        (c.service_id, c.departure_utc, c.arrival_utc, c.origin, c.destination)
        for c in expand_connections(services, hubs, start, days)
    }


def test_the_builtin_feed_reads_back_to_every_connection_across_a_dst_change(
    tmp_path: Path,
) -> None:
    uow = builtin_uow()
    snap = uow.network.stored
    assert snap is not None
    start, days = date(2026, 10, 19), 21  # Europe leaves summer time on 2026-10-25
    write_gtfs(tmp_path, export_gtfs(uow, start, days))
    feed = gk.read_feed(tmp_path, dist_units="km")
    window = (start - timedelta(days=1), start + timedelta(days=days))
    assert dated_trips(feed, *window) == _expected(snap.hubs, snap.services, start, days)
    stops = feed.stops.set_index("stop_id")
    assert {h.code: h.timezone for h in snap.hubs} == stops["stop_timezone"].to_dict()
    assert set(feed.routes["route_id"]) == {s.id for s in snap.services}
    transfers = feed.transfers.set_index("from_stop_id")["min_transfer_time"].to_dict()
    assert transfers == {h.code: h.min_connection_minutes * 60 for h in snap.hubs}
    quality = feed.assess_quality().set_index("indicator")["value"]
    assert quality["assessment"] == "good feed"
    assert feed.calendar["start_date"].min() >= window[0].strftime("%Y%m%d")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(net=networks())
def test_random_networks_read_back_to_their_connections(
    net: tuple[list[Hub], list[Service]], tmp_path: Path
) -> None:
    hubs, services = net
    uow = network_uow(hubs, services, [])
    start, days = date(2026, 3, 23), 14  # spring forward in Europe and New York
    write_gtfs(tmp_path, export_gtfs(uow, start, days))
    feed = gk.read_feed(tmp_path, dist_units="km")
    window = (start - timedelta(days=1), start + timedelta(days=days))
    assert dated_trips(feed, *window) == _expected(tuple(hubs), tuple(services), start, days)


def test_export_refuses_a_file_as_directory_and_an_empty_range(tmp_path: Path) -> None:
    uow = builtin_uow()
    with pytest.raises(InvalidInput, match="days"):
        export_gtfs(uow, date(2026, 11, 23), 0)
    target = tmp_path / "feed"
    target.write_text("")
    with pytest.raises(InvalidInput) as caught:
        write_gtfs(target, export_gtfs(uow, date(2026, 11, 23), 7))
    assert caught.value.field == "directory"
