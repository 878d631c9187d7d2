"""The network as a GTFS Schedule feed (https://gtfs.org/schedule/reference/).

Hubs are stops (with `stop_timezone`), each service a route, each run of departures
at one UTC time of day a trip with its own weekly calendar, and each hub's minimum
connection time a `transfers.txt` row (transfer_type 2); shapes are the straight line
between the two hubs, distances in km. Stop times count from the
service day in the agency time zone (GTFS: `agency_timezone`, not the stop's), which
is UTC here: a service leaves at a fixed local time, so its UTC time shifts at a DST
change, and one calendar per run of equal UTC times keeps every dated departure
exact. Times past 24:00:00 mark arrivals on later days, as GTFS allows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ewtp.domain.network.geo import great_circle_km
from ewtp.domain.network.model import Mode, NetworkSnapshot, expand_connections

__all__ = ["GTFS_COLUMNS", "ROUTE_TYPES", "GtfsFeed", "gtfs_feed", "gtfs_time"]

AGENCY_ID = "ewtp"
AGENCY_TIMEZONE = "Etc/UTC"
#: Basic GTFS route types for rail (2) and road (3, bus); air uses the extended 1100.
ROUTE_TYPES = {Mode.AIR: 1100, Mode.RAIL: 2, Mode.ROAD: 3}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

GTFS_COLUMNS: dict[str, list[str]] = {
    "agency.txt": ["agency_id", "agency_name", "agency_url", "agency_timezone"],
    "stops.txt": ["stop_id", "stop_name", "stop_lat", "stop_lon", "stop_timezone"],
    "routes.txt": ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"],
    "trips.txt": [
        "route_id", "service_id", "trip_id", "trip_short_name", "direction_id", "shape_id",
    ],
    "stop_times.txt": [
        "trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence",
        "shape_dist_traveled",
    ],
    "shapes.txt": [
        "shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence", "shape_dist_traveled",
    ],
    "calendar.txt": ["service_id", *WEEKDAYS, "start_date", "end_date"],
    "transfers.txt": ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"],
    "feed_info.txt": [
        "feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date",
        "feed_end_date", "feed_version",
    ],
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class GtfsFeed:
    """Rows per GTFS file, every value already text, in `GTFS_COLUMNS` order."""

    tables: dict[str, list[list[str]]]

    def count(self, name: str) -> int:
        return len(self.tables[name])


def gtfs_time(seconds: int) -> str:
    """GTFS HH:MM:SS from seconds after the service day's start (hours may pass 24)."""
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def _ymd(day: date) -> str:
    return day.strftime("%Y%m%d")


def _runs(days: list[date]) -> list[list[date]]:
    """Split sorted dates into runs that a weekly calendar covers with no gap."""
    weekdays = {d.weekday() for d in days}
    runs: list[list[date]] = []
    for day in days:
        if runs:
            expected = runs[-1][-1] + timedelta(days=1)
            while expected.weekday() not in weekdays:
                expected += timedelta(days=1)
            if expected == day:
                runs[-1].append(day)
                continue
        runs.append([day])
    return runs


def gtfs_feed(
    snapshot: NetworkSnapshot, start: date, days: int, url: str = "https://ewtp.invalid/"
) -> GtfsFeed:
    """Every departure on local dates [start, start + days) as a GTFS feed."""
    hubs = {h.code: h for h in snapshot.hubs}
    agency = [[AGENCY_ID, snapshot.name, url, AGENCY_TIMEZONE]]
    stops = [
        [h.code, h.name, f"{h.lat:.6f}", f"{h.lon:.6f}", h.timezone]
        for h in sorted(snapshot.hubs, key=lambda h: h.code)
    ]
    routes: dict[str, list[str]] = {}
    trips: list[list[str]] = []
    stop_times: list[list[str]] = []
    calendar: list[list[str]] = []
    shapes: dict[str, list[list[str]]] = {}
    numbered: dict[str, int] = defaultdict(int)
    for svc in sorted(snapshot.services, key=lambda s: (s.id, s.valid_from)):
        conns = expand_connections([svc], snapshot.hubs, start, days)
        if not conns:
            continue
        routes[svc.id] = [
            svc.id, AGENCY_ID, svc.id, f"{hubs[svc.origin].name} - {hubs[svc.destination].name}",
            str(ROUTE_TYPES[svc.mode]),
        ]  # fmt: skip
        a, b = hubs[svc.origin], hubs[svc.destination]
        km = f"{great_circle_km(a.lat, a.lon, b.lat, b.lon):.3f}"
        if svc.id not in shapes:  # the straight line between the two hubs
            shapes[svc.id] = [
                [svc.id, f"{a.lat:.6f}", f"{a.lon:.6f}", "1", "0"],
                [svc.id, f"{b.lat:.6f}", f"{b.lon:.6f}", "2", km],
            ]
        by_time: dict[int, list[date]] = defaultdict(list)
        for c in conns:
            day = c.departure_utc.date()
            midnight = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
            by_time[int((c.departure_utc - midnight).total_seconds())].append(day)
        for offset, dates in sorted(by_time.items()):
            for run in _runs(sorted(dates)):
                numbered[svc.id] += 1
                trip_id = f"{svc.id}#{numbered[svc.id]}"
                trips.append([svc.id, trip_id, trip_id, svc.id, "0", svc.id])
                arrive = offset + svc.duration_minutes * 60
                stop_times.append([trip_id, gtfs_time(offset), gtfs_time(offset), svc.origin, "1", "0"])  # fmt: skip
                stop_times.append([trip_id, gtfs_time(arrive), gtfs_time(arrive), svc.destination, "2", km])  # fmt: skip
                flags = ["1" if i in {d.weekday() for d in run} else "0" for i in range(7)]
                calendar.append([trip_id, *flags, _ymd(run[0]), _ymd(run[-1])])
    transfers = [
        [h.code, h.code, "2", str(h.min_connection_minutes * 60)]
        for h in sorted(snapshot.hubs, key=lambda h: h.code)
    ]
    # UTC service days may fall a day either side of the local dates asked for.
    first = min((row[8] for row in calendar), default=_ymd(start))
    last = max((row[9] for row in calendar), default=_ymd(start + timedelta(days=days - 1)))
    info = [[snapshot.name, url, "en", first, last, snapshot.version]]
    return GtfsFeed(
        {
            "agency.txt": agency,
            "stops.txt": stops,
            "routes.txt": list(routes.values()),
            "trips.txt": trips,
            "stop_times.txt": stop_times,
            "shapes.txt": [point for line in shapes.values() for point in line],
            "calendar.txt": calendar,
            "transfers.txt": transfers,
            "feed_info.txt": info,
        }
    )
