"""The set-based half of `ingest_events`, for stores that can fold in SQL (PostgreSQL).

At hub scale almost every scan is the parcel's newest, and a batch rarely holds two scans
of one parcel. For those shipments the fold is one step from the stored status, which a
store can apply to the whole batch in a join against the domain's step table
(`domain.tracking.step_rules`), writing statuses, anomaly flags, outbox rows and live ETAs
with a handful of statements and no per-event Python. Every other touched shipment (a
late scan, several new scans) is handed back for the exact timeline re-fold.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import cache

from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking.timeline import Milestone, step_rules, tracking_base_status
from ewtp.services.tracking.live_eta import RouteEta
from ewtp.services.tracking.ports import (
    PlannedEta,
    ScanBatch,
    SetFoldRules,
    ShipmentRef,
    StoredEvent,
    TrackingUnitOfWork,
)

__all__ = ["SetOutcome", "fold_rules", "ingest_staged_set"]

SetOutcome = tuple[int, int, dict[str, tuple[ShipmentRef, datetime | None]], list[StoredEvent]]


@cache
def fold_rules(
    status_events: tuple[tuple[ShipmentStatus, str], ...], eta_milestones: frozenset[Milestone]
) -> SetFoldRules:
    """The step table and the other rules of the fold, built once from the domain."""
    return SetFoldRules(
        steps=step_rules(),
        base={s: tracking_base_status(s) for s in ShipmentStatus},
        status_events=dict(status_events),
        eta_milestones=eta_milestones,
    )


def ingest_staged_set(
    uow: TrackingUnitOfWork,
    scans: ScanBatch,
    now: datetime,
    rules: SetFoldRules,
    eta: RouteEta | None,
) -> tuple[list[tuple[int, str]], SetOutcome]:
    """Stage, lock, store and fold; returns the unknown (position, number) and what is left.

    The outcome is (new events stored, anomalies flagged, shipments left, their new events).
    """
    repo = uow.tracking
    repo.stage(scans)
    unknown = repo.lock_staged_set()
    if len(unknown) == len(scans):
        return unknown, (0, 0, {}, [])
    inserted = repo.insert_staged_set(now)
    if not inserted:
        return unknown, (0, 0, {}, [])
    anomalies, left, left_rows = repo.fold_appended_set(rules, now)
    accounts = repo.appended_accounts()
    if accounts:
        wanted = sorted(
            {(e.account_id, t) for e in uow.webhooks.subscribers(accounts) for t in e.events}
        )
        rules = replace(rules, wanted=tuple(wanted))
        if wanted:
            repo.queue_appended_set(rules, now)
        if eta is not None:
            plans = []
            for hub, at, country in repo.appended_moves(rules):
                found = eta.estimate(hub, at, country)
                if found is not None:
                    plans.append(PlannedEta(hub, at, country, found.delivered_at, found.hubs))
            if plans:
                repo.save_appended_etas(rules, plans, now)
    return unknown, (inserted, anomalies, left, left_rows)
