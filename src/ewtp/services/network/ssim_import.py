"""Use case: add or replace air services from an SSIM file, with a change summary.

A flight leg with the id of a stored service whose validity overlaps replaces it;
anything else is added. Any malformed line, unknown station or impossible leg aborts
the import and nothing is written; every problem is reported with its line number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from ewtp.domain.errors import DomainError, InvalidInput
from ewtp.domain.network.geo import ModeFactors, co2_kg_per_kg, great_circle_km
from ewtp.domain.network.model import (
    Mode,
    NetworkSnapshot,
    Service,
    validate_network,
    validate_service,
)
from ewtp.domain.network.ssim import SsimError, SsimParse
from ewtp.services.network.ports import NetworkUnitOfWork, content_version, require_snapshot

__all__ = ["ImportSummary", "import_ssim"]

_MAX_ERRORS_SHOWN = 10


@dataclass(frozen=True, slots=True)
class ImportSummary:
    legs: int
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    version: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "legs": self.legs,
            "added": len(self.added),
            "replaced": len(self.replaced),
            "unchanged": len(self.unchanged),
            "added_ids": self.added,
            "replaced_ids": self.replaced,
            "version": self.version,
        }


def _money(raw: str, name: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise InvalidInput(f"not a number: {raw!r}", field=name) from exc
    if value < 0:
        raise InvalidInput("must not be negative", field=name)
    return value


def _fail(errors: list[SsimError]) -> InvalidInput:
    shown = "; ".join(str(e) for e in errors[:_MAX_ERRORS_SHOWN])
    more = (
        f" (and {len(errors) - _MAX_ERRORS_SHOWN} more)" if len(errors) > _MAX_ERRORS_SHOWN else ""
    )
    return InvalidInput(f"{len(errors)} bad line(s), nothing imported: {shown}{more}", field="ssim")


def import_ssim(
    uow: NetworkUnitOfWork,
    parsed: SsimParse,
    cost_per_kg: str,
    capacity_kg: str,
    capacity_m3: str,
    now: datetime,
    air: ModeFactors,
) -> ImportSummary:
    """CO2 per kg comes from the air factor and the great-circle distance (`domain/geo`)."""
    cost = _money(cost_per_kg, "cost_per_kg")
    cap_kg, cap_m3 = _money(capacity_kg, "capacity_kg"), _money(capacity_m3, "capacity_m3")
    errors = list(parsed.errors)
    snap = require_snapshot(uow)
    hubs = {h.code for h in snap.hubs}
    where = {h.code: (h.lat, h.lon) for h in snap.hubs}
    stored = {(s.id, s.valid_from): s for s in snap.services}
    incoming: list[Service] = []
    for leg in parsed.legs:
        svc = Service(
            id=leg.service_id,
            mode=Mode.AIR,
            origin=leg.departure_station,
            destination=leg.arrival_station,
            days=leg.days,
            departure_local=time(leg.departure_local.hour, leg.departure_local.minute),
            duration_minutes=leg.duration_minutes,
            valid_from=leg.period_from,
            valid_to=leg.period_to,
            capacity_kg=cap_kg,
            capacity_m3=cap_m3,
            cost_per_kg=cost,
            co2_kg_per_kg=_co2(air, where, leg.departure_station, leg.arrival_station),
            source=f"SSIM import, line {leg.line}",
        )
        try:
            validate_service(svc, hubs)
            for other in incoming:
                if other.id == svc.id and other.overlaps(svc):
                    raise InvalidInput("defined twice for overlapping periods", field="id")
        except DomainError as exc:
            errors.append(SsimError(leg.line, exc.field or "record", exc.message))
            continue
        incoming.append(svc)
    if errors:
        raise _fail(sorted(errors, key=lambda e: e.line))
    summary = ImportSummary(legs=len(incoming))
    kept = dict(stored)
    for svc in incoming:
        clashes = [k for k, s in kept.items() if s.id == svc.id and s.overlaps(svc)]
        if any(kept[k] == _with_source(svc, kept[k].source) for k in clashes):
            summary.unchanged.append(svc.id)
            continue
        for key in clashes:
            del kept[key]
        (summary.replaced if clashes else summary.added).append(svc.id)
        kept[(svc.id, svc.valid_from)] = svc
    services = tuple(kept.values())
    validate_network(snap.hubs, services, snap.zones)
    version = content_version(snap.hubs, services, snap.zones)
    if version != snap.version:
        with uow:
            uow.network.replace(
                NetworkSnapshot(snap.name, version, snap.hubs, services, snap.zones), now
            )
            uow.commit()
    return ImportSummary(summary.legs, summary.added, summary.replaced, summary.unchanged, version)


def _co2(
    air: ModeFactors, where: dict[str, tuple[float, float]], origin: str, destination: str
) -> Decimal:
    if origin not in where or destination not in where:
        return Decimal(0)  # reported as an unknown hub by validate_service
    return co2_kg_per_kg(air, air.planned_km(great_circle_km(*where[origin], *where[destination])))


def _with_source(svc: Service, source: str) -> Service:
    return replace(svc, source=source)
