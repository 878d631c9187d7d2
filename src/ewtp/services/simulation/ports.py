"""What the simulation use cases need from the outside: a model and a way to run it."""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence

from ewtp.domain.simulation.results import Replication
from ewtp.domain.simulation.scenario import HubScenario, NetworkScenario

__all__ = ["AbstractReplicationRunner", "AbstractSimulator", "Progress"]

Progress = Callable[[int, int], None]  # (done, total)


class AbstractSimulator(abc.ABC):
    """Runs one replication of a scenario (prepared once, run many times)."""

    @abc.abstractmethod
    def prepare(self, scenario: NetworkScenario | HubScenario) -> object:
        """Everything replications share (timetable, hub context, ULDs); picklable."""

    @abc.abstractmethod
    def replicate(self, prepared: object, seed: int, index: int) -> Replication: ...


class AbstractReplicationRunner(abc.ABC):
    """Runs replications in order of index, locally or on a cluster."""

    @abc.abstractmethod
    def run(
        self,
        simulator: AbstractSimulator,
        prepared: object,
        seed: int,
        indices: Sequence[int],
        progress: Progress,
    ) -> list[Replication]: ...
