"""The append-only sort decision log (table `hub_sort_decisions`) and its hourly totals.

Every batch also adds to `hub_decision_hours` (decisions per hub and UTC hour) and
`hub_decision_misses` (rerouted ones per booked departure), in the same transaction by
an upsert, so the hub page's counts over a day read 24 rows, not a million decisions.
Whole hours of a window come from the totals; the parts of an hour at its edges are
counted in the log (one hour at most each, by index).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ewtp.adapters.db.tables.hub import DecisionHourRow, DecisionMissRow, SortDecisionRow
from ewtp.domain.hub import SortDecision
from ewtp.domain.hub.kpis import LoggedDecision
from ewtp.services.hub.ports import AbstractDecisionLog

__all__ = ["SqlAlchemyDecisionLog"]

_CHUNK = 2000
_HOUR = timedelta(hours=1)


def _floor(moment: datetime) -> datetime:
    """The UTC hour `moment` falls in (an offset of +05:30 would floor elsewhere)."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _ceil(moment: datetime) -> datetime:
    floor = _floor(moment)
    return floor if floor == moment else floor + _HOUR


#: Inlined (not a bound value), so the planner may use the partial index on reroutes.
_REROUTED: ColumnElement[str] = literal_column("'rerouted'")


def _logged(row: SortDecisionRow) -> LoggedDecision:
    return LoggedDecision(
        tracking_number=row.tracking_number,
        scanned_at=row.scanned_at,
        reason=row.reason,
        chute=row.chute,
        service_id=row.service_id,
        departure_utc=row.departure_utc,
        promise_holds=row.promise_holds,
        booked_service_id=row.booked_service_id,
        booked_departure_utc=row.booked_departure_utc,
    )


class SqlAlchemyDecisionLog(AbstractDecisionLog):
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        hub: str,
        decisions: Sequence[SortDecision],
        requested_by: str | None,
        decided_at: datetime,
    ) -> None:
        rows = [
            {
                "hub": hub,
                "tracking_number": d.tracking_number[:40],
                "scanned_at": d.scanned_at,
                "decided_at": decided_at,
                "requested_by": requested_by,
                "reason": d.reason.value,
                "chute": d.chute,
                "service_id": d.departure.service_id if d.departure else None,
                "departure_utc": d.departure.departure_utc if d.departure else None,
                "cutoff_utc": d.departure.cutoff_utc if d.departure else None,
                "expected_delivery_utc": d.expected_delivery_utc,
                "promise_holds": d.promise_holds,
                "booked_service_id": d.booked_service_id,
                "booked_departure_utc": d.booked_departure_utc,
            }
            for d in decisions
        ]
        for i in range(0, len(rows), _CHUNK):
            self._session.execute(insert(SortDecisionRow), rows[i : i + _CHUNK])
        hours = Counter(_floor(d.scanned_at) for d in decisions)
        missed = Counter(
            (_floor(d.scanned_at), d.booked_service_id[:40], d.booked_departure_utc)
            for d in decisions
            if d.reason.value == "rerouted" and d.booked_service_id and d.booked_departure_utc
        )
        # in key order, so concurrent writers lock the same rows in the same order
        self._add_up(DecisionHourRow, ["hub", "hour_utc"], "decided",
                     [{"hub": hub, "hour_utc": h, "decided": n} for h, n in sorted(hours.items())])  # fmt: skip
        self._add_up(
            DecisionMissRow, ["hub", "hour_utc", "booked_service_id", "booked_departure_utc"],
            "rerouted",
            [{"hub": hub, "hour_utc": h, "booked_service_id": s, "booked_departure_utc": t,
              "rerouted": n} for (h, s, t), n in sorted(missed.items())],
        )  # fmt: skip

    def _add_up(self, table: Any, keys: list[str], count: str, rows: list[dict[str, Any]]) -> None:
        """Insert the rows, or add their count to the rows already there."""
        if not rows:
            return
        dialect = self._session.get_bind().dialect.name
        make = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = make(table)
        statement = statement.on_conflict_do_update(
            index_elements=keys,
            set_={count: getattr(table, count) + getattr(statement.excluded, count)},
        )
        self._session.execute(statement, rows)

    def _count(self, hub: str, start: datetime, end: datetime) -> int:
        return int(self._session.scalar(
            select(func.count()).select_from(SortDecisionRow).where(
                SortDecisionRow.hub == hub, SortDecisionRow.scanned_at >= start,
                SortDecisionRow.scanned_at < end,
            )
        ) or 0)  # fmt: skip

    def _edges(
        self, start: datetime, end: datetime
    ) -> tuple[tuple[datetime, datetime] | None, list[tuple[datetime, datetime]]]:
        """The whole hours of [start, end) (or None), and the parts of hours at its edges."""
        if start >= end:
            return None, []
        low, high = _ceil(start), _floor(end)
        if low > high:  # inside one hour
            return None, [(start, end)]
        parts = [(a, b) for a, b in ((start, low), (high, end)) if a < b]
        return ((low, high) if low < high else None), parts

    def decided_per_hour(self, hub: str, start: datetime, end: datetime) -> dict[datetime, int]:
        whole, parts = self._edges(start, end)
        out: dict[datetime, int] = {}
        if whole is not None:
            for hour, n in self._session.execute(
                select(DecisionHourRow.hour_utc, DecisionHourRow.decided).where(
                    DecisionHourRow.hub == hub, DecisionHourRow.hour_utc >= whole[0],
                    DecisionHourRow.hour_utc < whole[1],
                )
            ):  # fmt: skip
                out[hour] = n
        for a, b in parts:  # each part lies within one hour
            n = self._count(hub, a, b)
            if n:
                out[_floor(a)] = out.get(_floor(a), 0) + n
        return out

    def misses(self, hub: str, start: datetime, end: datetime) -> dict[tuple[str, datetime], int]:
        whole, parts = self._edges(start, end)
        out: Counter[tuple[str, datetime]] = Counter()
        if whole is not None:
            rows = self._session.execute(
                select(DecisionMissRow.booked_service_id, DecisionMissRow.booked_departure_utc,
                       func.sum(DecisionMissRow.rerouted))
                .where(DecisionMissRow.hub == hub, DecisionMissRow.hour_utc >= whole[0],
                       DecisionMissRow.hour_utc < whole[1])
                .group_by(DecisionMissRow.booked_service_id, DecisionMissRow.booked_departure_utc)
            )  # fmt: skip
            for service, departure, n in rows:
                out[(service, departure)] += int(n)
        for a, b in parts:
            rows = self._session.execute(
                select(SortDecisionRow.booked_service_id, SortDecisionRow.booked_departure_utc,
                       func.count())
                .where(SortDecisionRow.hub == hub, SortDecisionRow.reason == _REROUTED,
                       SortDecisionRow.scanned_at >= a, SortDecisionRow.scanned_at < b,
                       SortDecisionRow.booked_service_id.is_not(None),
                       SortDecisionRow.booked_departure_utc.is_not(None))
                .group_by(SortDecisionRow.booked_service_id, SortDecisionRow.booked_departure_utc)
            )  # fmt: skip
            for service, departure, n in rows:
                out[(service, departure)] += int(n)
        return dict(out)

    def between(self, hub: str, start: datetime, end: datetime) -> list[LoggedDecision]:
        rows = self._session.scalars(
            select(SortDecisionRow)
            .where(
                SortDecisionRow.hub == hub,
                SortDecisionRow.scanned_at >= start,
                SortDecisionRow.scanned_at < end,
            )
            .order_by(SortDecisionRow.scanned_at, SortDecisionRow.id)
        )
        return [_logged(r) for r in rows]

    def latest(self, hub: str, tracking_numbers: Sequence[str]) -> dict[str, LoggedDecision]:
        out: dict[str, LoggedDecision] = {}
        for i in range(0, len(tracking_numbers), _CHUNK):
            chunk = tracking_numbers[i : i + _CHUNK]
            newest = (
                select(func.max(SortDecisionRow.id))
                .where(SortDecisionRow.hub == hub, SortDecisionRow.tracking_number.in_(chunk))
                .group_by(SortDecisionRow.tracking_number)
            )
            for row in self._session.scalars(
                select(SortDecisionRow).where(SortDecisionRow.id.in_(newest))
            ):
                out[row.tracking_number] = _logged(row)
        return out
