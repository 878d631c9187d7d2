"""SQLAlchemy implementations of the customs ports (rules, rates, CBEC usage, jobs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ewtp.adapters.customs.fx import bundled_rates, max_age_days
from ewtp.adapters.customs.rule_files import load_rule_book
from ewtp.adapters.db.customs.fx_sources import fx_sources, newest_ecb_date
from ewtp.adapters.db.tables.customs import (
    CbecUsageRow,
    CustomsFeeRow,
    FeeAuditRow,
    FxRateRow,
    FxTableRateRow,
    ManifestJobRow,
    TariffLineRow,
)
from ewtp.domain.customs.fx_rules import FxSources
from ewtp.domain.customs.money import EcbRate
from ewtp.domain.customs.rules import Fee, RuleBook, TariffLine
from ewtp.domain.errors import InvalidInput, NotFound
from ewtp.services.customs.ports import (
    AbstractCbecUsageRepository,
    AbstractCustomsRulesRepository,
    AbstractFeeAuditRepository,
    AbstractFxRepository,
    AbstractManifestJobRepository,
    FeeAuditEntry,
    ManifestJob,
)

__all__ = [
    "SqlAlchemyCbecUsageRepository",
    "SqlAlchemyCustomsRulesRepository",
    "SqlAlchemyFeeAuditRepository",
    "SqlAlchemyFxRepository",
    "SqlAlchemyManifestJobRepository",
    "newest_fx_date",
]

_UPSERTS: dict[str, Callable[[Table], Any]] = {
    "postgresql": postgresql_insert,
    "sqlite": sqlite_insert,
}


def _fee(row: CustomsFeeRow) -> Fee:
    return Fee(
        row.country, Decimal(row.amount), row.currency, row.per, row.lvc_only,
        row.valid_from, row.valid_to, row.source,
    )  # fmt: skip


class SqlAlchemyCustomsRulesRepository(AbstractCustomsRulesRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def rule_book(self) -> RuleBook:
        """The shipped tables, with operator fees added and loaded tariff lines first."""
        base = load_rule_book()
        fees = [_fee(r) for r in self.session.scalars(select(CustomsFeeRow))]
        loaded = [
            TariffLine(r.hs6, r.description, Decimal(r.rate), r.valid_from, r.valid_to, r.source)
            for r in self.session.scalars(select(TariffLineRow))
        ]
        if not fees and not loaded:
            return base
        return replace(base, fees=(*base.fees, *fees), tariff=(*loaded, *base.tariff))

    def add_fee(self, fee: Fee) -> int:
        row = CustomsFeeRow(
            country=fee.country, amount=fee.amount, currency=fee.currency, per=fee.per,
            lvc_only=fee.lvc_only, valid_from=fee.valid_from, valid_to=fee.valid_to,
            source=fee.source,
        )  # fmt: skip
        self.session.add(row)
        self.session.flush()
        return row.id

    def end_fee(self, fee_id: int, last_day: date) -> None:
        row = self.session.get(CustomsFeeRow, fee_id)
        if row is None:
            raise NotFound("no operator fee with this id", field="fee_id")
        if last_day < row.valid_from:
            raise InvalidInput("must not be before the fee's valid_from", field="valid_to")
        row.valid_to = last_day

    def list_operator_fees(self) -> list[tuple[int, Fee]]:
        rows = self.session.scalars(select(CustomsFeeRow).order_by(CustomsFeeRow.id))
        return [(r.id, _fee(r)) for r in rows]

    def add_tariff_lines(self, lines: list[TariffLine]) -> int:
        for line in lines:
            self.session.merge(
                TariffLineRow(
                    hs6=line.hs6, valid_from=line.valid_from, valid_to=line.valid_to,
                    rate=line.rate, description=line.description, source=line.source,
                )
            )  # fmt: skip
        return len(lines)


class SqlAlchemyFxRepository(AbstractFxRepository):
    """Loaded rates (table customs_fx_rates) over the bundled ECB history."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def rate(self, currency: str, on: date) -> EcbRate:
        row = self.session.scalars(
            select(FxRateRow)
            .where(FxRateRow.currency == currency, FxRateRow.rate_date <= on)
            .order_by(FxRateRow.rate_date.desc())
            .limit(1)
        ).first()
        max_age = max_age_days()
        bundled = bundled_rates().with_max_age(max_age)
        candidate = bundled.latest(currency, on)
        newer = row is not None and (candidate is None or row.rate_date >= candidate.on)
        if row is not None and newer and (on - row.rate_date).days <= max_age:
            return EcbRate(currency, Decimal(row.rate).normalize(), row.rate_date)
        return bundled.rate(currency, on)

    def add_rates(self, rows: list[tuple[date, str, Decimal]], source: str) -> int:
        for on, currency, rate in rows:
            self.session.merge(
                FxRateRow(rate_date=on, currency=currency, rate=rate, source=source[:200])
            )
        return len(rows)

    def table(self) -> FxSources:
        """Every rate source (bundled and loaded ECB rates, CN and national tables)."""
        return fx_sources(self.session)

    def sources(self) -> FxSources:
        return fx_sources(self.session)

    def add_table_rates(
        self, table: str, rows: list[tuple[date, str, Decimal]], source: str
    ) -> int:
        for on, currency, rate in rows:
            self.session.merge(
                FxTableRateRow(
                    table_name=table, rate_date=on, currency=currency, rate=rate,
                    source=source[:200],
                )
            )  # fmt: skip
        return len(rows)


def _nothing() -> None:
    return None


class SqlAlchemyCbecUsageRepository(AbstractCbecUsageRepository):
    def __init__(self, session: Session, before_write: Callable[[], None] = _nothing) -> None:
        self.session = session
        self._before_write = before_write

    def charge(self, buyer_id: str, year: int, amount: Decimal, at: datetime) -> Decimal:
        """One upsert that adds and returns the total (PostgreSQL and SQLite >= 3.35)."""
        dialect = self.session.get_bind().dialect.name
        if dialect not in _UPSERTS:
            return super().charge(buyer_id, year, amount, at)
        self._before_write()
        table = cast(Table, CbecUsageRow.__table__)
        stmt = _UPSERTS[dialect](table).values(
            buyer_id=buyer_id, year=year, used_cny=amount, updated_at=at
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.buyer_id, table.c.year],
            set_={
                "used_cny": table.c.used_cny + stmt.excluded.used_cny,
                "updated_at": stmt.excluded.updated_at,
            },
        ).returning(table.c.used_cny)
        return Decimal(self.session.execute(stmt).scalar_one())

    def used(self, buyer_id: str, year: int, *, for_update: bool = False) -> Decimal:
        query = select(CbecUsageRow).where(
            CbecUsageRow.buyer_id == buyer_id, CbecUsageRow.year == year
        )
        if for_update:
            query = query.with_for_update()
        row = self.session.scalars(query).first()
        return Decimal(row.used_cny) if row else Decimal(0)

    def snapshot(self) -> dict[tuple[str, int], Decimal]:
        rows = self.session.execute(
            select(CbecUsageRow.buyer_id, CbecUsageRow.year, CbecUsageRow.used_cny)
        )
        return {(buyer, year): Decimal(used) for buyer, year, used in rows}

    def add(self, buyer_id: str, year: int, amount: Decimal, at: datetime) -> None:
        self._before_write()
        row = self.session.get(CbecUsageRow, (buyer_id, year))
        if row is None:
            self.session.add(
                CbecUsageRow(buyer_id=buyer_id, year=year, used_cny=amount, updated_at=at)
            )
        else:
            row.used_cny = Decimal(row.used_cny) + amount
            row.updated_at = at
        self.session.flush()


def _job(row: ManifestJobRow) -> ManifestJob:
    return ManifestJob(
        id=row.id, account_id=row.account_id, status=row.status, input_path=row.input_path,
        result_path=row.result_path, created_at=row.created_at, consignments=row.consignments,
        rejected=row.rejected, message=row.message, finished_at=row.finished_at,
        rows_done=row.rows_done or 0, rows_total=row.rows_total,
    )  # fmt: skip


class SqlAlchemyManifestJobRepository(AbstractManifestJobRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, job: ManifestJob) -> None:
        self.session.add(
            ManifestJobRow(
                id=job.id, account_id=job.account_id, status=job.status,
                input_path=job.input_path, result_path=job.result_path,
                consignments=job.consignments, rejected=job.rejected, message=job.message,
                created_at=job.created_at, finished_at=job.finished_at,
                rows_done=job.rows_done, rows_total=job.rows_total,
            )
        )  # fmt: skip

    def get(self, job_id: str, account_id: str) -> ManifestJob | None:
        row = self.session.get(ManifestJobRow, job_id)
        return _job(row) if row is not None and row.account_id == account_id else None

    def update(self, job: ManifestJob) -> None:
        row = self.session.get(ManifestJobRow, job.id)
        if row is None:
            raise NotFound("no such job", field="job_id")
        row.status, row.consignments, row.rejected = job.status, job.consignments, job.rejected
        row.message, row.finished_at = job.message, job.finished_at
        row.rows_done, row.rows_total = job.rows_done, job.rows_total

    def unfinished(self) -> list[ManifestJob]:
        rows = self.session.scalars(
            select(ManifestJobRow)
            .where(ManifestJobRow.status.in_(("queued", "running")))
            .order_by(ManifestJobRow.created_at)
        )
        return [_job(row) for row in rows]

    def recent(self, account_id: str, limit: int) -> list[ManifestJob]:
        rows = self.session.scalars(
            select(ManifestJobRow)
            .where(ManifestJobRow.account_id == account_id)
            .order_by(ManifestJobRow.created_at.desc(), ManifestJobRow.id)
            .limit(limit)
        )
        return [_job(row) for row in rows]

    def progress(self, job_id: str, done: int, total: int | None) -> None:
        row = self.session.get(ManifestJobRow, job_id)
        if row is not None:
            row.rows_done, row.rows_total = done, total


class SqlAlchemyFeeAuditRepository(AbstractFeeAuditRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: FeeAuditEntry) -> None:
        self.session.add(
            FeeAuditRow(
                at=entry.at, account_id=entry.account_id, actor=entry.actor[:320],
                action=entry.action, fee_id=entry.fee_id, detail=entry.detail,
            )
        )  # fmt: skip

    def recent(self, limit: int) -> list[FeeAuditEntry]:
        rows = self.session.scalars(
            select(FeeAuditRow).order_by(FeeAuditRow.id.desc()).limit(limit)
        )
        return [
            FeeAuditEntry(r.at, r.account_id, r.actor, r.action, r.fee_id, r.detail) for r in rows
        ]


def newest_fx_date(session: Session, currency: str = "USD") -> date | None:
    """The newest fixing held for `currency`, bundled or loaded (USD is fixed every day)."""
    return newest_ecb_date(session, currency)
