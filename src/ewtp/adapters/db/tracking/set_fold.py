"""PostgreSQL statements of the set-based fold (see `services.ingest_set`).

The batch is already in the `tracking_stage` temp table. Three more temp tables, emptied at
commit, carry it through: `tracking_ships` (the locked shipments and their latest stored
scan time), `tracking_new` (the events the unique indexes accepted) and `tracking_fast`
(shipments with exactly one new scan, later than all stored ones, with the step applied).
The domain's rules arrive as arrays (`SetFoldRules`), so SQL only joins against them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ewtp.adapters.db.webhooks.outbox import EVENT_ID_SQL, SqlAlchemyOutbox
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking.timeline import HUB_SLOT, Milestone, ScanEvent
from ewtp.services.tracking.ports import (
    PlannedEta,
    SetFoldRules,
    ShipmentRef,
    StoredEvent,
    promise_at_risk_data,
)
from ewtp.services.webhooks.outbox import NewOutboxEvent

__all__ = ["PgSetFold"]

_TEMP = (
    "CREATE TEMP TABLE IF NOT EXISTS tracking_ships ON COMMIT DELETE ROWS AS SELECT id AS"
    " shipment_id, account_id, tracking_number, status, origin_hub, destination_country,"
    " promised_by, promised_by AS last_at FROM shipments WITH NO DATA",
    "CREATE TEMP TABLE IF NOT EXISTS tracking_new ON COMMIT DELETE ROWS AS SELECT id,"
    " tracking_number, code, milestone, reason, occurred_at, hub, description,"
    " source_event_id FROM tracking_events WITH NO DATA",
    "CREATE TEMP TABLE IF NOT EXISTS tracking_fast ON COMMIT DELETE ROWS AS SELECT"
    " s.shipment_id, s.account_id, s.tracking_number, s.status AS previous,"
    " s.destination_country, s.promised_by, n.id AS event_id, n.code, n.milestone, n.reason,"
    " n.occurred_at, n.hub, n.description, n.source_event_id, s.status AS next_status,"
    " n.description AS anomaly FROM tracking_ships s, tracking_new n WITH NO DATA",
)

# The temp tables the fold analyzes, and the rows a table must once have held when
# analyzed for its statistics to stand for later batches.
_ANALYZED = ("tracking_ships", "tracking_new", "tracking_fast")
_SETTLED_ROWS = 1000


_FOLD = f"""
WITH one AS MATERIALIZED (
  SELECT s.shipment_id, s.account_id, s.tracking_number, s.status, s.destination_country,
         s.promised_by, n.id, n.code, n.milestone, n.reason, n.occurred_at, n.hub,
         n.description, n.source_event_id, s.last_at
  FROM tracking_ships s
  JOIN (SELECT *, count(*) OVER (PARTITION BY tracking_number) AS k FROM tracking_new) n
    ON n.tracking_number = s.tracking_number AND n.k = 1
  WHERE s.last_at IS NULL OR n.occurred_at > s.last_at
)
INSERT INTO tracking_fast
SELECT o.shipment_id, o.account_id, o.tracking_number, o.status, o.destination_country,
       o.promised_by, o.id, o.code, o.milestone, o.reason, o.occurred_at, o.hub, o.description,
       o.source_event_id, r.next_status, replace(r.anomaly, '{HUB_SLOT}', o.hub)
FROM one o
JOIN unnest(CAST(:b_from AS text[]), CAST(:b_to AS text[])) AS b(status, base)
  ON b.status = o.status
JOIN unnest(CAST(:r_status AS text[]), CAST(:r_milestone AS text[]), CAST(:r_next AS text[]),
            CAST(:r_anomaly AS text[])) AS r(status, milestone, next_status, anomaly)
  ON r.milestone = o.milestone
 AND r.status = CASE WHEN o.last_at IS NULL THEN b.base ELSE o.status END
"""
_WANTED = (
    "unnest(CAST(:w_accounts AS text[]), CAST(:w_types AS text[])) AS w(account_id, event_type)"
)
# By reference: JSON null as payload, the data is built from the scan when read (see
# migration tracking_0004 and `outbox_repo.outbox_event`).
_OUTBOX = f"""
INSERT INTO outbox_events (id, account_id, event_type, shipment_id, payload, occurred_at,
                           created_at, dispatched_at, tracking_event_id, status,
                           previous_status)
SELECT {EVENT_ID_SQL}, f.account_id, w.event_type, f.shipment_id, 'null', f.occurred_at, :at,
       NULL, f.event_id, f.next_status, f.previous
FROM tracking_fast f
JOIN {_WANTED} ON w.account_id = f.account_id
LEFT JOIN unnest(CAST(:se_status AS text[]), CAST(:se_type AS text[])) AS se(status, event_type)
  ON se.status = f.next_status
WHERE w.event_type = 'tracking.updated'
   OR (f.next_status <> f.previous AND w.event_type = se.event_type)
"""
_ETAS = f"""
WITH plan AS MATERIALIZED (  -- one JSON route per plan, not per parcel
  SELECT p.*, to_json(string_to_array(p.hubs, '>')) AS route
  FROM unnest(CAST(:p_hub AS text[]), CAST(:p_at AS timestamptz[]),
              CAST(:p_country AS text[]), CAST(:p_delivered AS timestamptz[]),
              CAST(:p_hubs AS text[]))
       AS p(hub, at, country, delivered_at, hubs)
), moved AS (
  SELECT f.shipment_id, f.account_id, f.tracking_number, f.promised_by, f.hub, f.occurred_at,
         p.delivered_at, p.route, p.hubs,
         (f.promised_by IS NOT NULL AND p.delivered_at > f.promised_by) AS at_risk
  FROM tracking_fast f
  JOIN plan p ON p.hub = f.hub AND p.at = f.occurred_at AND p.country = f.destination_country
  WHERE f.milestone = ANY(CAST(:eta_milestones AS text[]))
), saved AS (
  INSERT INTO shipment_tracking (shipment_id, eta_at, eta_from_hub, planned_hubs,
                                 promise_at_risk, updated_at)
  SELECT shipment_id, delivered_at, hub, route, at_risk, :at
  FROM moved
  ON CONFLICT (shipment_id) DO UPDATE SET
    eta_at = excluded.eta_at, eta_from_hub = excluded.eta_from_hub,
    planned_hubs = excluded.planned_hubs, promise_at_risk = excluded.promise_at_risk,
    updated_at = excluded.updated_at
)
-- newly at risk, for a subscriber: the caller writes their events (one payload builder)
SELECT m.account_id, m.shipment_id, m.tracking_number, m.promised_by, m.delivered_at,
       m.hub, m.hubs, m.occurred_at
FROM moved m
JOIN {_WANTED} ON w.account_id = m.account_id AND w.event_type = 'shipment.promise_at_risk'
WHERE m.at_risk AND NOT EXISTS (SELECT 1 FROM shipment_tracking t
                                WHERE t.shipment_id = m.shipment_id AND t.promise_at_risk)
"""


class PgSetFold:
    """The `*_set` methods of the tracking repository, on one PostgreSQL session."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._settled: set[str] = set()

    def _analyze(self, table: str) -> None:
        if table not in self._settled:
            self._run(f"ANALYZE {table}")

    def _run(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        return self._session.execute(text(sql), params or {})

    def lock_staged_set(self) -> list[tuple[int, str]]:
        for ddl in _TEMP:
            self._run(ddl)
        # Temp tables have no statistics until analyzed, and the planner would then pick
        # nested loops over tens of thousands of rows. Statistics survive ON COMMIT DELETE
        # ROWS and the planner scales them to the pages a table holds now, so a session
        # analyzes each table until it has once seen a batch big enough to judge by.
        found = self._run(
            "SELECT relname, reltuples FROM pg_class WHERE oid = ANY(ARRAY["
            + ", ".join(f"'{name}'::regclass" for name in _ANALYZED)
            + "])"
        )
        self._settled = {str(name) for name, tuples in found if tuples >= _SETTLED_ROWS}
        # Lock and copy in one statement: a row it waited for is re-read at its newest
        # version, so the copied status and latest scan time are current.
        self._run(
            "INSERT INTO tracking_ships SELECT s.id, s.account_id, s.tracking_number, s.status,"
            " s.origin_hub, s.destination_country, s.promised_by, s.last_scan_at FROM shipments s"
            " WHERE s.tracking_number IN (SELECT tracking_number FROM tracking_stage)"
            " ORDER BY s.id FOR UPDATE OF s"
        )
        self._analyze("tracking_ships")
        found = self._run(
            "SELECT seq, tracking_number FROM tracking_stage st WHERE NOT EXISTS (SELECT 1"
            " FROM tracking_ships s WHERE s.tracking_number = st.tracking_number) ORDER BY seq"
        )
        return [(int(seq), str(number)) for seq, number in found]

    def insert_staged_set(self, received_at: datetime) -> int:
        done = self._run(
            "WITH ins AS (INSERT INTO tracking_events (tracking_number, code, milestone, reason,"
            " occurred_at, hub, description, source_event_id, received_at)"
            " SELECT st.tracking_number, st.code, st.milestone, st.reason, st.occurred_at, st.hub,"
            " st.description, st.source_event_id, :at FROM tracking_stage st WHERE EXISTS"
            " (SELECT 1 FROM tracking_ships s WHERE s.tracking_number = st.tracking_number)"
            " ON CONFLICT DO NOTHING RETURNING id, tracking_number, code, milestone, reason,"
            " occurred_at, hub, description, source_event_id)"
            " INSERT INTO tracking_new SELECT * FROM ins",
            {"at": received_at},
        )
        self._analyze("tracking_new")
        return int(done.rowcount)

    def fold_appended_set(
        self, rules: SetFoldRules, at: datetime
    ) -> tuple[int, dict[str, tuple[ShipmentRef, datetime | None]], list[StoredEvent]]:
        steps = rules.steps
        self._run(
            _FOLD,
            {
                "b_from": [s.value for s in rules.base],
                "b_to": [s.value for s in rules.base.values()],
                "r_status": [r.status.value for r in steps],
                "r_milestone": [r.milestone.value for r in steps],
                "r_next": [r.next_status.value for r in steps],
                "r_anomaly": [r.anomaly for r in steps],
            },
        )
        self._analyze("tracking_fast")
        self._run(
            "UPDATE shipments s SET status = f.next_status, last_scan_at = f.occurred_at,"
            " updated_at = CASE WHEN f.next_status <> f.previous THEN :at ELSE s.updated_at END"
            " FROM tracking_fast f WHERE s.id = f.shipment_id",
            {"at": at},
        )
        flagged = self._run(
            "UPDATE tracking_events e SET anomaly = f.anomaly FROM tracking_fast f"
            " WHERE e.id = f.event_id AND f.anomaly IS NOT NULL"
        ).rowcount
        rows = self._run(
            "SELECT s.shipment_id, s.account_id, s.tracking_number, s.status, s.origin_hub,"
            " s.destination_country, s.promised_by, s.last_at, n.id, n.code, n.milestone,"
            " n.reason, n.occurred_at, n.hub, n.description, n.source_event_id"
            " FROM tracking_new n JOIN tracking_ships s ON s.tracking_number = n.tracking_number"
            " WHERE NOT EXISTS (SELECT 1 FROM tracking_fast f WHERE f.event_id = n.id)"
        ).all()
        left: dict[str, tuple[ShipmentRef, datetime | None]] = {}
        new_rows: list[StoredEvent] = []
        for row in rows:
            sid, account, number, status, origin, country, promised, last_at = tuple(row[:8])
            id_, code, milestone, reason, occurred, hub, description, source = tuple(row[8:])
            if number not in left:
                ref = ShipmentRef(
                    sid, account, number, ShipmentStatus(status), origin, country, _utc(promised)
                )
                left[number] = (ref, _utc(last_at))
            event = ScanEvent(
                number, code, Milestone(milestone), reason, _utc(occurred), hub, description,
                source,
            )  # fmt: skip
            new_rows.append(StoredEvent(id_, event, None))
        return int(flagged), left, new_rows

    def appended_accounts(self) -> list[str]:
        found = self._run("SELECT DISTINCT account_id FROM tracking_fast ORDER BY account_id")
        return [str(a) for (a,) in found]

    def _wanted(self, rules: SetFoldRules) -> dict[str, list[str]]:
        return {
            "w_accounts": [a for a, _ in rules.wanted],
            "w_types": [t for _, t in rules.wanted],
        }

    def queue_appended_set(self, rules: SetFoldRules, at: datetime) -> None:
        self._run(
            _OUTBOX,
            {
                **self._wanted(rules),
                "se_status": [s.value for s in rules.status_events],
                "se_type": list(rules.status_events.values()),
                "at": at,
            },
        )

    def appended_moves(self, rules: SetFoldRules) -> list[tuple[str, datetime, str]]:
        found = self._run(
            "SELECT DISTINCT hub, occurred_at, destination_country FROM tracking_fast"
            " WHERE milestone = ANY(CAST(:m AS text[])) AND destination_country <> ''",
            {"m": sorted(m.value for m in rules.eta_milestones)},
        )
        return [(hub, _utc(at), country) for hub, at, country in found]

    def save_appended_etas(
        self, rules: SetFoldRules, plans: Sequence[PlannedEta], at: datetime
    ) -> None:
        at_risk = self._run(
            _ETAS,
            {
                **self._wanted(rules),
                "p_hub": [p.hub for p in plans],
                "p_at": [p.at for p in plans],
                "p_country": [p.country for p in plans],
                "p_delivered": [p.delivered_at for p in plans],
                "p_hubs": [">".join(p.hubs) for p in plans],
                "eta_milestones": sorted(m.value for m in rules.eta_milestones),
                "at": at,
            },
        ).all()
        events = [
            NewOutboxEvent(
                account,
                "shipment.promise_at_risk",
                shipment,
                promise_at_risk_data(
                    shipment, number, _utc(promised), _utc(delivered), hub, hubs.split(">")
                ),
                _utc(occurred),
            )
            for account, shipment, number, promised, delivered, hub, hubs, occurred in at_risk
        ]
        if events:
            SqlAlchemyOutbox(self._session, lambda: at).add_many(events)


def _utc(value: Any) -> Any:
    return value.astimezone(UTC) if isinstance(value, datetime) else value
