"""The discrete-event engine: SimPy's event loop driving multi-server stations of batch jobs.

A job carries `size` parcels (1 in a plain queueing network; a ULD's parcels in a hub).
Each station keeps a FIFO queue and `capacity` servers, which may change hour by hour
(shifts); a server that is busy when capacity drops finishes its job first
(non-preemptive). Jobs are scheduled with SimPy timeouts and plain callbacks rather
than one SimPy process per job, which keeps a million-parcel day fast: the event count
grows with jobs, not parcels.

Statistics are exact time integrals (parcels in queue, parcels in the station, busy
and staffed servers), weighted by parcels, from the warm-up on. Random numbers come from
one numpy Generator per replication, drawn in event order, so a seed reproduces a run
bit for bit.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from ewtp.domain.simulation.scenario import Distribution, DistributionKind, Station

__all__ = ["Engine", "Job", "StationStats"]

Router = Callable[["Job", str, float], list[tuple[str | None, "Job"]]]


@dataclass(slots=True)
class Job:
    size: int
    born: float
    tag: Any = None
    entered: float = 0.0


@dataclass(slots=True)
class StationStats:
    """Totals of one station from the warm-up on (minutes, parcels)."""

    arrived: int = 0
    served: int = 0
    wait_sum: float = 0.0
    sojourn_sum: float = 0.0
    sojourn_count: int = 0
    waits: list[float] = field(default_factory=list)  # one per job
    wait_weights: list[int] = field(default_factory=list)
    queue_area: float = 0.0
    system_area: float = 0.0
    busy_area: float = 0.0
    capacity_area: float = 0.0
    max_queue: int = 0
    hourly_arrived: list[int] = field(default_factory=list)
    hourly_queue: list[int] = field(default_factory=list)
    hourly_busy: list[float] = field(default_factory=list)
    hourly_capacity: list[float] = field(default_factory=list)


class _Sampler:
    """Service times of one distribution, drawn from the replication's generator."""

    def __init__(self, dist: Distribution, rng: np.random.Generator) -> None:
        self.dist = dist
        self.rng = rng

    def __call__(self) -> float:
        d = self.dist
        if d.kind is DistributionKind.DETERMINISTIC:
            return d.mean
        if d.kind is DistributionKind.EXPONENTIAL:
            return float(self.rng.exponential(d.mean)) if d.mean > 0 else 0.0
        if d.kind is DistributionKind.LOGNORMAL:
            mu = math.log(d.mean) - d.sigma * d.sigma / 2 if d.mean > 0 else 0.0
            return float(self.rng.lognormal(mu, d.sigma)) if d.mean > 0 else 0.0
        return float(d.samples[int(self.rng.integers(len(d.samples)))])


class _Node:
    __slots__ = (
        "busy",
        "capacity",
        "infinite",
        "last",
        "queue",
        "queued",
        "sample",
        "spec",
        "stats",
        "within",
    )

    def __init__(self, spec: Station, rng: np.random.Generator) -> None:
        self.spec = spec
        self.sample = _Sampler(spec.service, rng)
        self.queue: deque[Job] = deque()
        self.queued = 0  # parcels in queue
        self.within = 0  # parcels in the station
        self.busy = 0
        self.infinite = spec.servers == 0 and not spec.servers_by_hour
        self.capacity = spec.capacity_at(0)
        self.stats = StationStats()
        self.last = 0.0


def _ignore(_job: Job, _now: float) -> None:
    return None


class Engine:
    """One replication: add arrivals, then `run(until)`; `router` says where a job goes next."""

    def __init__(
        self,
        stations: tuple[Station, ...],
        rng: np.random.Generator,
        router: Router,
        warmup: float = 0.0,
        on_exit: Callable[[Job, float], None] | None = None,
    ) -> None:
        self.env = simpy.Environment()
        self.rng = rng
        self.router = router
        self.warmup = warmup
        self.on_exit = on_exit or _ignore
        self.nodes = {s.name: _Node(s, rng) for s in stations}
        self.entered = 0
        self.exited = 0
        self.exit_log: list[tuple[float, int]] = []

    # -- time integrals ---------------------------------------------------------------
    def _advance(self, node: _Node) -> None:
        now = self.env.now
        start = max(node.last, self.warmup)
        if now > start:
            dt = now - start
            s = node.stats
            s.queue_area += node.queued * dt
            s.system_area += node.within * dt
            s.busy_area += node.busy * dt
            s.capacity_area += (0 if node.infinite else max(node.capacity, node.busy)) * dt
        node.last = now

    # -- arrivals ---------------------------------------------------------------------
    def inject(self, station: str, job: Job) -> None:
        """A job enters the system at `station` now."""
        self.entered += job.size
        self._arrive(self.nodes[station], job)

    def at(self, minute: float, station: str, job: Job) -> None:
        delay = max(0.0, minute - self.env.now)
        self.env.timeout(delay).callbacks.append(lambda _e: self.inject(station, job))

    def poisson(
        self, station: str, rates_per_hour: tuple[float, ...], until: float, size: int = 1
    ) -> None:
        """Poisson arrivals at a piecewise-constant hourly rate (memoryless across hours)."""

        def run() -> Any:
            env = self.env
            while env.now < until:
                hour = int(env.now // 60)
                rate = rates_per_hour[hour % len(rates_per_hour)]
                end = min((hour + 1) * 60.0, until)
                if rate <= 0:
                    yield env.timeout(end - env.now)
                    continue
                gap = float(self.rng.exponential(60.0 / rate))
                if env.now + gap >= end:
                    yield env.timeout(end - env.now)
                    continue
                yield env.timeout(gap)
                self.inject(station, Job(size, env.now))

        self.env.process(run())

    # -- stations ---------------------------------------------------------------------
    def _arrive(self, node: _Node, job: Job) -> None:
        now = self.env.now
        self._advance(node)
        job.entered = now
        node.within += job.size
        if now >= self.warmup:
            node.stats.arrived += job.size
            hour = int(now // 60)
            arr = node.stats.hourly_arrived
            while len(arr) <= hour:
                arr.append(0)
            arr[hour] += job.size
        if node.infinite or node.busy < node.capacity:
            self._start(node, job)
        else:
            node.queue.append(job)
            node.queued += job.size
            if node.queued > node.stats.max_queue and now >= self.warmup:
                node.stats.max_queue = node.queued

    def _start(self, node: _Node, job: Job) -> None:
        now = self.env.now
        node.busy += 1
        if job.entered >= self.warmup:
            wait = now - job.entered
            s = node.stats
            s.wait_sum += wait * job.size
            s.waits.append(wait)
            s.wait_weights.append(job.size)
        duration = node.sample() + node.spec.per_item * job.size
        self.env.timeout(duration).callbacks.append(lambda _e: self._finish(node, job))

    def _finish(self, node: _Node, job: Job) -> None:
        now = self.env.now
        self._advance(node)
        node.busy -= 1
        node.within -= job.size
        s = node.stats
        if job.entered >= self.warmup:
            s.served += job.size
            s.sojourn_sum += (now - job.entered) * job.size
            s.sojourn_count += job.size
        self._dispatch(node)
        for target, part in self.router(job, node.spec.name, now):
            if target is None:
                self.exited += part.size
                self.exit_log.append((now, part.size))
                self.on_exit(part, now)
            else:
                self._arrive(self.nodes[target], part)

    def _dispatch(self, node: _Node) -> None:
        while node.queue and (node.infinite or node.busy < node.capacity):
            job = node.queue.popleft()
            node.queued -= job.size
            self._start(node, job)

    def _shifts(self, until: float) -> None:
        """Hourly: set each shift-staffed station's capacity and sample the hourly series."""

        def run() -> Any:
            env = self.env
            hour = 0
            while True:
                for node in self.nodes.values():
                    if hour > 0:
                        self._sample_hour(node)
                    if node.spec.servers_by_hour:
                        node.capacity = node.spec.capacity_at(hour)
                        self._dispatch(node)
                if env.now >= until:
                    return
                hour += 1
                yield env.timeout(min(60.0, until - env.now))

        self.env.process(run())

    def _sample_hour(self, node: _Node) -> None:
        self._advance(node)
        s = node.stats
        b0, c0 = self._marks.get(node.spec.name, (0.0, 0.0))
        s.hourly_busy.append(s.busy_area - b0)
        s.hourly_capacity.append(s.capacity_area - c0)
        s.hourly_queue.append(node.queued)
        self._marks[node.spec.name] = (s.busy_area, s.capacity_area)

    def run(self, until: float) -> None:
        self._marks: dict[str, tuple[float, float]] = {}
        self._shifts(until)
        self.env.run(until=until)
        hours = math.ceil(until / 60)
        for node in self.nodes.values():
            if len(node.stats.hourly_busy) < hours:
                self._sample_hour(node)
            else:
                self._advance(node)

    def in_system(self) -> int:
        return self.entered - self.exited
