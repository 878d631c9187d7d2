"""The ports the customs use cases need: rule tables, ECB rates, CBEC buyer usage, jobs.

`SqlAlchemyCustomsUnitOfWork` (adapters/db/customs/uow.py) implements them on the
database; `tests/unit/customs/fakes.py` has in-memory fakes.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ewtp.domain.customs.fx_rules import FxSources
from ewtp.domain.customs.money import EcbRate
from ewtp.domain.customs.rules import Fee, RuleBook, TariffLine
from ewtp.services.unit_of_work import AbstractUnitOfWork

__all__ = [
    "AbstractCbecUsageRepository",
    "AbstractCustomsRulesRepository",
    "AbstractFeeAuditRepository",
    "AbstractFxRepository",
    "AbstractManifestJobRepository",
    "CustomsUnitOfWork",
    "FeeActor",
    "FeeAuditEntry",
    "ManifestJob",
]


class AbstractCustomsRulesRepository(abc.ABC):
    """The shipped rule book plus the operator's rows (fees, loaded tariff lines)."""

    @abc.abstractmethod
    def rule_book(self) -> RuleBook: ...

    @abc.abstractmethod
    def add_fee(self, fee: Fee) -> int: ...

    @abc.abstractmethod
    def end_fee(self, fee_id: int, last_day: date) -> None: ...

    @abc.abstractmethod
    def list_operator_fees(self) -> list[tuple[int, Fee]]: ...

    @abc.abstractmethod
    def add_tariff_lines(self, lines: list[TariffLine]) -> int: ...


class AbstractFxRepository(abc.ABC):
    @abc.abstractmethod
    def rate(self, currency: str, on: date) -> EcbRate:
        """The latest ECB rate on or before `on`; InvalidInput when there is none."""

    @abc.abstractmethod
    def add_rates(self, rows: list[tuple[date, str, Decimal]], source: str) -> int: ...

    @abc.abstractmethod
    def table(self) -> Any:
        """Every rate source (an `FxSources`), for the bulk engine."""

    @abc.abstractmethod
    def sources(self) -> FxSources:
        """Every rate source the customs FX rules may use (`domain/customs/fx_rules.py`)."""

    @abc.abstractmethod
    def add_table_rates(
        self, table: str, rows: list[tuple[date, str, Decimal]], source: str
    ) -> int:
        """Store rates of a CN customs (`cn-customs`) or national (`national-XX`) table."""


class AbstractCbecUsageRepository(abc.ABC):
    @abc.abstractmethod
    def used(self, buyer_id: str, year: int, *, for_update: bool = False) -> Decimal: ...

    @abc.abstractmethod
    def add(self, buyer_id: str, year: int, amount: Decimal, at: datetime) -> None: ...

    def charge(self, buyer_id: str, year: int, amount: Decimal, at: datetime) -> Decimal:
        """Add `amount` and return the buyer's new total, as one atomic step.

        Adapters make it a single upsert, so two bookings of one buyer at once both count
        and each sees a total that includes the other's (the limit check stays exact).
        """
        self.add(buyer_id, year, amount, at)
        return self.used(buyer_id, year)

    @abc.abstractmethod
    def snapshot(self) -> dict[tuple[str, int], Decimal]:
        """Every buyer's stored usage by (buyer_id, year), read-only (for bulk runs)."""


@dataclass(frozen=True)
class ManifestJob:
    id: str
    account_id: str
    status: str  # queued, running, then done or failed (never left running)
    input_path: str
    result_path: str
    created_at: datetime
    consignments: int = 0
    rejected: int = 0
    message: str | None = None
    finished_at: datetime | None = None
    rows_done: int = 0  # item lines read so far (progress while running)
    rows_total: int | None = None  # when the engine knows the file's length


class AbstractManifestJobRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, job: ManifestJob) -> None: ...

    @abc.abstractmethod
    def get(self, job_id: str, account_id: str) -> ManifestJob | None: ...

    @abc.abstractmethod
    def update(self, job: ManifestJob) -> None: ...

    def unfinished(self) -> list[ManifestJob]:
        """Every job still queued or running (of any account), oldest first."""
        raise NotImplementedError

    def recent(self, account_id: str, limit: int) -> list[ManifestJob]:
        """The account's newest jobs first (for the console's list)."""
        raise NotImplementedError

    def progress(self, job_id: str, done: int, total: int | None) -> None:
        """Record how far a running job has read (rows of the file)."""
        raise NotImplementedError


@dataclass(frozen=True)
class FeeActor:
    """Who changes a fee row: the account, and the person or key acting for it
    (an operator user's e-mail, `API key <id>`, or `cli:<login>`)."""

    account_id: str
    who: str


@dataclass(frozen=True)
class FeeAuditEntry:
    """One change to an operator fee row: who, when, what (`add` or `end`) and the row."""

    at: datetime
    account_id: str
    actor: str
    action: str
    fee_id: int
    detail: str


class AbstractFeeAuditRepository(abc.ABC):
    """Append-only log of fee-row changes, written in the change's own transaction."""

    @abc.abstractmethod
    def add(self, entry: FeeAuditEntry) -> None: ...

    @abc.abstractmethod
    def recent(self, limit: int) -> list[FeeAuditEntry]:
        """Newest first."""


class CustomsUnitOfWork(AbstractUnitOfWork):
    """A unit of work that sees the customs rules, rates, buyer usage, manifest jobs and the
    fee audit log."""

    customs_rules: AbstractCustomsRulesRepository
    fx: AbstractFxRepository
    cbec_usage: AbstractCbecUsageRepository
    manifest_jobs: AbstractManifestJobRepository
    fee_audit: AbstractFeeAuditRepository
