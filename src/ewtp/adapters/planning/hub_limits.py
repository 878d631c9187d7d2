"""Hub throughput for the plan from the built-in hub models (`data/hubs/<code>/`).

The plan's hub rows bound the parcels arriving at a hub in one clock hour. Parcels are
sorted during the hub's minimum connection time after they land, so the bound passed is
what the hub sorts in that many hours (its staffed induction rate, capped by the sorters,
hour by hour) over the weakest such window of the day: a freighter's parcels arriving
together are not refused because one hour of sorting cannot take them all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from ewtp.adapters.hub.files import builtin_hub_codes, read_builtin_hub
from ewtp.domain.network.model import NetworkSnapshot
from ewtp.domain.planning.departures import HubLimit
from ewtp.services.planning.ports import AbstractHubLimits

__all__ = ["HubModelLimits"]


class HubModelLimits(AbstractHubLimits):
    """One `HubLimit` per built-in hub model whose hub is in the network."""

    def limits(self, snapshot: NetworkSnapshot, week: date) -> Sequence[HubLimit]:
        mct = {h.code: h.min_connection_minutes for h in snapshot.hubs}
        out = []
        for code in builtin_hub_codes():
            if code not in mct:
                continue
            model = read_builtin_hub(code, week)
            rates = [model.induction_rate(hour) for hour in range(24)]
            hours = max(1, math.ceil(mct[code] / 60))
            window = min(sum(rates[(h + i) % 24] for i in range(hours)) for h in range(24))
            if window > 0:
                out.append(HubLimit(code, float(window)))
        return out
