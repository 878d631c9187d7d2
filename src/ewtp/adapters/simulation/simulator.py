"""The simulator port's implementation: networks run as they are, hubs from the files."""

from __future__ import annotations

from ewtp.adapters.simulation.hub_files import hub_context, service_capacities
from ewtp.adapters.simulation.hub_model import HubDay, build_hub_day, run_hub_day
from ewtp.adapters.simulation.network_model import run_network
from ewtp.domain.simulation.results import Replication
from ewtp.domain.simulation.scenario import HubScenario, NetworkScenario
from ewtp.services.simulation.ports import AbstractSimulator

__all__ = ["SimpySimulator"]


class SimpySimulator(AbstractSimulator):
    def prepare(self, scenario: NetworkScenario | HubScenario) -> object:
        if isinstance(scenario, NetworkScenario):
            return scenario
        return build_hub_day(scenario, hub_context(scenario), service_capacities(scenario.day))

    def replicate(self, prepared: object, seed: int, index: int) -> Replication:
        if isinstance(prepared, NetworkScenario):
            return run_network(prepared, seed, index)
        assert isinstance(prepared, HubDay)
        return run_hub_day(prepared, seed, index)
