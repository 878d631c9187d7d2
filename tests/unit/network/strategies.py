"""Hypothesis strategies: small random networks with hubs in several time zones."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from hypothesis import strategies as st

from ewtp.domain.network.model import Hub, Mode, Service

ZONES = ["UTC", "Europe/Brussels", "Asia/Shanghai", "America/New_York", "Asia/Kolkata"]
CODES = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]


@st.composite
def networks(
    draw: st.DrawFn, max_hubs: int = 5, max_services: int = 10
) -> tuple[list[Hub], list[Service]]:
    n = draw(st.integers(2, max_hubs))
    hubs = [
        Hub(
            code=CODES[i],
            name=f"hub {i}",
            country="BE",
            lat=0.0,
            lon=0.0,
            timezone=draw(st.sampled_from(ZONES)),
            min_connection_minutes=draw(st.sampled_from([0, 30, 60, 120, 240])),
        )
        for i in range(n)
    ]
    services = []
    for k in range(draw(st.integers(1, max_services))):
        a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
        services.append(
            Service(
                id=f"S{k}",
                mode=draw(st.sampled_from(list(Mode))),
                origin=CODES[a],
                destination=CODES[b],
                days=frozenset(draw(st.sets(st.integers(1, 7), min_size=1))),
                departure_local=time(
                    draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))
                ),
                duration_minutes=draw(st.integers(15, 60 * 40)),
                valid_from=date(2026, 1, 1),
                valid_to=None,
                capacity_kg=Decimal(1000),
                capacity_m3=Decimal(10),
                cost_per_kg=Decimal(draw(st.integers(0, 500))) / 100,
                co2_kg_per_kg=Decimal(1),
            )
        )
    return hubs, services
