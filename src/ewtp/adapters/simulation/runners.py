"""Replication runners: in this process, in local worker processes, or on Dask.

Workers get the prepared scenario once (pickled), then an index each; each replication
seeds its own generator from (seed, index), so where it runs changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from ewtp.domain.simulation.results import Replication
from ewtp.services.simulation.ports import AbstractReplicationRunner, AbstractSimulator, Progress

__all__ = ["DaskRunner", "InlineRunner", "ProcessRunner"]


class InlineRunner(AbstractReplicationRunner):
    def run(self, simulator: AbstractSimulator, prepared: object, seed: int,
            indices: Sequence[int], progress: Progress) -> list[Replication]:  # fmt: skip
        out = []
        for i in indices:
            out.append(simulator.replicate(prepared, seed, i))
            progress(len(out), len(indices))
        return out


class ProcessRunner(AbstractReplicationRunner):
    """Local worker processes (`workers` of them; 1 runs inline)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def run(self, simulator: AbstractSimulator, prepared: object, seed: int,
            indices: Sequence[int], progress: Progress) -> list[Replication]:  # fmt: skip
        if self.workers <= 1 or len(indices) <= 1:
            return InlineRunner().run(simulator, prepared, seed, indices, progress)
        out: list[Replication] = []
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            futures = [pool.submit(simulator.replicate, prepared, seed, i) for i in indices]
            for future in as_completed(futures):
                out.append(future.result())
                progress(len(out), len(indices))
        return out


class DaskRunner(AbstractReplicationRunner):
    """A Dask cluster at `address` (the scheduler's `tcp://host:port`)."""

    def __init__(self, address: str) -> None:
        self.address = address

    def run(self, simulator: AbstractSimulator, prepared: object, seed: int,
            indices: Sequence[int], progress: Progress) -> list[Replication]:  # fmt: skip
        from distributed import Client
        from distributed import as_completed as dask_completed

        out: list[Replication] = []
        with Client(self.address) as client:  # type: ignore[no-untyped-call]
            shared = client.scatter(prepared, broadcast=True)
            futures = [
                client.submit(simulator.replicate, shared, seed, i, pure=False) for i in indices
            ]
            for future in dask_completed(futures):  # type: ignore[no-untyped-call]
                out.append(future.result())
                progress(len(out), len(indices))
        return out
