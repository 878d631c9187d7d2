"""Use case: assess a whole manifest file (one row per item line) into one row per consignment.

The engine (polars streaming, or Dask) is a port so the use case does not depend on how
the file is processed; both engines give exactly the scalar engine's results.
"""

from __future__ import annotations

import abc
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ewtp.services.customs.ports import CustomsUnitOfWork

__all__ = ["AbstractManifestEngine", "ManifestCounts", "ManifestSummary", "assess_manifest"]


@dataclass(frozen=True)
class ManifestCounts:
    rows: int
    consignments: int
    rejected: int  # allowed = false (refusals and bad input)
    invalid: int  # could not be assessed (bad input)


@dataclass(frozen=True)
class ManifestSummary:
    input: str
    output: str
    rows: int
    consignments: int
    rejected: int
    invalid: int
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.input, "output": self.output, "rows": self.rows,
            "consignments": self.consignments, "rejected": self.rejected,
            "invalid": self.invalid, "seconds": round(self.seconds, 3),
        }  # fmt: skip


class AbstractManifestEngine(abc.ABC):
    @abc.abstractmethod
    def run(
        self,
        source: Path,
        target: Path,
        ctx: Any,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> ManifestCounts: ...


def assess_manifest(
    uow: CustomsUnitOfWork,
    engine: AbstractManifestEngine,
    source: Path,
    target: Path,
    *,
    context_factory: Callable[..., Any],
    progress: Callable[[int, int | None], None] | None = None,
) -> ManifestSummary:
    """Read the rule tables, rates and stored CBEC usage once, then let `engine` assess the
    whole file.

    `context_factory(book, rates, usage)` builds the engine's context. The stored usage by
    (buyer_id, year) is read as a quote reads it: rows with a `buyer_id` and no
    `buyer_annual_used` are checked against it, and nothing is recorded (a manifest is
    assessed, not booked).
    """
    with uow:
        book = uow.customs_rules.rule_book()
        rates = uow.fx.table()
        usage = uow.cbec_usage.snapshot()
    started = time.perf_counter()
    counts = engine.run(source, target, context_factory(book, rates, usage), progress)
    return ManifestSummary(
        str(source), str(target), counts.rows, counts.consignments, counts.rejected,
        counts.invalid, time.perf_counter() - started,
    )  # fmt: skip
