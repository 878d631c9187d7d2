"""Run pyraptor's RAPTOR on our GTFS export; executed by benchmarks/routing.py in its own venv.

pyraptor (PyPI, pandas<2) ships a GTFS reader written for the Dutch NS feed (it wants
calendar_dates.txt, platform codes and numeric trip names), so this runner reads our
feed with `csv` and builds pyraptor's own Timetable objects; the search is pyraptor's
`RaptorAlgorithm`. Each hub is a station with an arrival and a departure platform, and
the transfer between them takes the hub's `min_transfer_time` from transfers.txt, which
is how the connection time of our transfer rule reaches RAPTOR. All dated trips of the
feed go on one service day (times in seconds after `--day` 00:00 UTC), since pyraptor
searches one date. Reads queries as JSON on stdin, prints answers and timing as JSON.
"""

import csv
import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from pyraptor.model.raptor import RaptorAlgorithm, best_stop_at_target_station
from pyraptor.model.structures import (
    Routes,
    Station,
    Stations,
    Stop,
    Stops,
    Timetable,
    Transfer,
    Transfers,
    Trip,
    Trips,
    TripStopTime,
    TripStopTimes,
)

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def rows(folder, name):
    with open(Path(folder) / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seconds(text):
    h, m, s = (int(x) for x in text.split(":"))
    return h * 3600 + m * 60 + s


def build(folder, day0):
    stations, stops = Stations(), Stops()
    platform = {}
    for s in rows(folder, "stops.txt"):
        station = stations.add(Station(s["stop_id"], s["stop_id"]))
        for side in ("arr", "dep"):
            stop = Stop(f"{s['stop_id']}:{side}", f"{s['stop_id']}-{side}", station, side)
            station.add_stop(stop)
            stops.add(stop)
            platform[(s["stop_id"], side)] = stop
    by_trip = {}
    for st in rows(folder, "stop_times.txt"):
        by_trip.setdefault(st["trip_id"], []).append(st)
    calendars = {c["service_id"]: c for c in rows(folder, "calendar.txt")}
    trips, trip_stop_times = Trips(), TripStopTimes()
    for t in rows(folder, "trips.txt"):
        cal = calendars[t["service_id"]]
        first = date(
            int(cal["start_date"][:4]), int(cal["start_date"][4:6]), int(cal["start_date"][6:])
        )
        last = date(int(cal["end_date"][:4]), int(cal["end_date"][4:6]), int(cal["end_date"][6:]))
        a, b = sorted(by_trip[t["trip_id"]], key=lambda r: int(r["stop_sequence"]))
        day = first
        while day <= last:
            if cal[WEEKDAYS[day.weekday()]] == "1":
                base = (day - day0).days * 86400
                dep = base + seconds(a["departure_time"])
                arr = base + seconds(b["arrival_time"])
                if dep >= 0:
                    trip = Trip()
                    trip.hint = t["trip_id"]
                    for idx, (stop, when) in enumerate(
                        (
                            (platform[(a["stop_id"], "dep")], dep),
                            (platform[(b["stop_id"], "arr")], arr),
                        )
                    ):
                        tst = TripStopTime(trip, idx, stop, when, when, 0)
                        trip_stop_times.add(tst)
                        trip.add_stop_time(tst)
                    trips.add(trip)
            day += timedelta(days=1)
    routes = Routes()
    for trip in trips:
        routes.add(trip)
    mct = {r["from_stop_id"]: int(r["min_transfer_time"]) for r in rows(folder, "transfers.txt")}
    transfers = Transfers()
    for station in stations:
        for x in station.stops:
            for y in station.stops:
                if x != y:
                    transfers.add(Transfer(from_stop=x, to_stop=y, layovertime=mct[station.id]))
    return Timetable(
        stations=stations,
        stops=stops,
        trips=trips,
        trip_stop_times=trip_stop_times,
        routes=routes,
        transfers=transfers,
    )


def main():
    folder, day0 = sys.argv[1], date.fromisoformat(sys.argv[2])
    queries = json.load(sys.stdin)
    from loguru import logger

    logger.remove()
    began = time.perf_counter()
    timetable = build(folder, day0)
    built = time.perf_counter() - began
    answers = []
    began = time.perf_counter()
    for origin, target, ready in queries:
        raptor = RaptorAlgorithm(timetable)
        raptor.run(timetable.stations.get(origin).stops, ready, 8)
        # The best label over all rounds: `run` stops early once nothing improves, and
        # then leaves the later rounds' bags empty.
        bags = raptor.bag_star
        best = best_stop_at_target_station(timetable.stations.get(target).stops, bags)
        answers.append(None if best == 0 else bags[best].earliest_arrival_time)
    took = time.perf_counter() - began
    json.dump(
        {
            "answers": answers,
            "seconds": took,
            "build_seconds": built,
            "trips": len(timetable.trips),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
