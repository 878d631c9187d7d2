# ruff: noqa: ARG002  (fakes implement the port signatures and ignore some arguments)
"""In-memory fakes of the customs ports, for fast service tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ewtp.adapters.customs.fx import RateTable, bundled_rates, national_currencies
from ewtp.adapters.customs.rule_files import load_rule_book
from ewtp.domain.customs.fx_rules import FxSources
from ewtp.domain.customs.money import EcbRate
from ewtp.domain.customs.rules import Fee, RuleBook, TariffLine
from ewtp.services.customs.ports import (
    AbstractCbecUsageRepository,
    AbstractCustomsRulesRepository,
    AbstractFeeAuditRepository,
    AbstractFxRepository,
    AbstractManifestJobRepository,
    CustomsUnitOfWork,
    FeeAuditEntry,
    ManifestJob,
)


class FakeRules(AbstractCustomsRulesRepository):
    def __init__(self, book: RuleBook | None = None) -> None:
        self.book = book or load_rule_book()
        self.fees: list[Fee] = []
        self.lines: list[TariffLine] = []

    def rule_book(self) -> RuleBook:
        return replace(
            self.book, fees=(*self.book.fees, *self.fees), tariff=(*self.lines, *self.book.tariff)
        )

    def add_fee(self, fee: Fee) -> int:
        self.fees.append(fee)
        return len(self.fees)

    def end_fee(self, fee_id: int, last_day: date) -> None:
        self.fees[fee_id - 1] = replace(self.fees[fee_id - 1], valid_to=last_day)

    def list_operator_fees(self) -> list[tuple[int, Fee]]:
        return list(enumerate(self.fees, start=1))

    def add_tariff_lines(self, lines: list[TariffLine]) -> int:
        self.lines.extend(lines)
        return len(lines)


class FakeFx(AbstractFxRepository):
    def __init__(self) -> None:
        self.loaded: list[tuple[date, str, Decimal]] = []
        self.tables: dict[str, list[tuple[date, str, Decimal]]] = {}

    def table(self) -> RateTable:
        return bundled_rates().merged(self.loaded) if self.loaded else bundled_rates()

    def rate(self, currency: str, on: date) -> EcbRate:
        return self.table().rate(currency, on)

    def add_rates(self, rows: list[tuple[date, str, Decimal]], source: str) -> int:
        self.loaded.extend(rows)
        return len(rows)

    def sources(self) -> FxSources:
        cn = self.tables.get("cn-customs")
        return FxSources(
            ecb=self.table(),
            max_age_days=31,
            cn_customs=RateTable(cn) if cn else None,
            national={
                name.removeprefix("national-"): RateTable(rows)
                for name, rows in self.tables.items()
                if name.startswith("national-")
            },
            national_currency=national_currencies(),
        )

    def add_table_rates(
        self, table: str, rows: list[tuple[date, str, Decimal]], source: str
    ) -> int:
        self.tables.setdefault(table, []).extend(rows)
        return len(rows)


class FakeUsage(AbstractCbecUsageRepository):
    def __init__(self) -> None:
        self.usage: dict[tuple[str, int], Decimal] = {}

    def used(self, buyer_id: str, year: int, *, for_update: bool = False) -> Decimal:
        return self.usage.get((buyer_id, year), Decimal(0))

    def snapshot(self) -> dict[tuple[str, int], Decimal]:
        return dict(self.usage)

    def add(self, buyer_id: str, year: int, amount: Decimal, at: datetime) -> None:
        self.usage[(buyer_id, year)] = self.used(buyer_id, year) + amount


class FakeJobs(AbstractManifestJobRepository):
    def __init__(self) -> None:
        self.jobs: dict[str, ManifestJob] = {}

    def add(self, job: ManifestJob) -> None:
        self.jobs[job.id] = job

    def get(self, job_id: str, account_id: str) -> ManifestJob | None:
        job = self.jobs.get(job_id)
        return job if job and job.account_id == account_id else None

    def update(self, job: ManifestJob) -> None:
        self.jobs[job.id] = job

    def unfinished(self) -> list[ManifestJob]:
        waiting = (j for j in self.jobs.values() if j.status in ("queued", "running"))
        return sorted(waiting, key=lambda j: j.created_at)

    def recent(self, account_id: str, limit: int) -> list[ManifestJob]:
        mine = [j for j in self.jobs.values() if j.account_id == account_id]
        return sorted(mine, key=lambda j: j.created_at, reverse=True)[:limit]

    def progress(self, job_id: str, done: int, total: int | None) -> None:
        self.jobs[job_id] = replace(self.jobs[job_id], rows_done=done, rows_total=total)


class FakeFeeAudit(AbstractFeeAuditRepository):
    def __init__(self) -> None:
        self.entries: list[FeeAuditEntry] = []

    def add(self, entry: FeeAuditEntry) -> None:
        self.entries.append(entry)

    def recent(self, limit: int) -> list[FeeAuditEntry]:
        return self.entries[::-1][:limit]


class FakeCustomsUnitOfWork(CustomsUnitOfWork):
    def __init__(self) -> None:
        self.customs_rules = FakeRules()
        self.fx = FakeFx()
        self.cbec_usage = FakeUsage()
        self.fee_audit = FakeFeeAudit()
        self.manifest_jobs = FakeJobs()
        self.committed = 0

    def commit(self) -> None:
        self.committed += 1

    def rollback(self) -> None:
        pass


def consignment_json(**overrides: Any) -> dict[str, Any]:
    """A valid `ewtp landed-cost` input: 2 cotton T-shirts from China to Germany."""
    base: dict[str, Any] = {
        "date": "2026-03-10", "origin_country": "CN", "destination_country": "DE",
        "currency": "EUR", "transport_cost": "5.00", "insurance_cost": "0",
        "seller_ioss": None, "scheme": "auto", "import_country": None,
        "items": [item()],
    }  # fmt: skip
    base.update(overrides)
    return base


def item(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "description": "Cotton T-shirt", "hs_code": "610910", "quantity": 2,
        "unit_value": "10.00", "origin_country": "CN", "weight_kg": "0.2", "battery": None,
    }  # fmt: skip
    base.update(overrides)
    return base
