"""The decision log's hourly totals on SQLite and PostgreSQL: for any window, the counts
read from them equal those counted decision by decision in the log itself (the
definition, `count_decisions` over `between`), and the migration fills them in for a
log written before it."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

from alembic import command

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.hub.uow import SqlAlchemyHubUnitOfWork
from ewtp.adapters.db.migrate import _config, upgrade
from ewtp.domain.hub import Reason, SortDecision
from ewtp.domain.hub.departures import Departure
from ewtp.domain.hub.kpis import count_decisions

DAY = datetime(2026, 11, 11, tzinfo=UTC)
INDIA = timezone(timedelta(hours=5, minutes=30))  # a half-hour offset floors elsewhere


def decisions(rng: random.Random, count: int) -> list[SortDecision]:
    out = []
    for n in range(count):
        at = DAY + timedelta(seconds=rng.randrange(0, 2 * 86400))
        if n % 7 == 0:
            at = at.astimezone(INDIA)
        reason = rng.choice([Reason.PLANNED, Reason.REROUTED, Reason.REROUTED, Reason.CUSTOMS_HOLD])
        departure = DAY + timedelta(hours=rng.randrange(0, 48))
        booked = reason is Reason.REROUTED and n % 5 != 0
        out.append(SortDecision(
            f"LP{n:09d}CN", at, reason, f"C{n % 9}",
            Departure(f"RD-{n % 3}", "FR", departure, departure - timedelta(minutes=30)),
            None, True, f"RD-{n % 4}" if booked else None, departure - timedelta(hours=2) if booked else None,
        ))  # fmt: skip
    return out


def windows(rng: random.Random) -> list[tuple[datetime, datetime]]:
    out = [(DAY, DAY + timedelta(days=1)), (DAY + timedelta(hours=3), DAY + timedelta(hours=3, minutes=20)),
        (DAY + timedelta(hours=2, minutes=55), DAY + timedelta(hours=3, minutes=47)),
           (DAY - timedelta(days=1), DAY + timedelta(days=3)),
           (DAY.astimezone(INDIA), DAY.astimezone(INDIA) + timedelta(hours=7))]  # fmt: skip
    for _ in range(12):
        a = DAY + timedelta(seconds=rng.randrange(-3600, 2 * 86400))
        out.append((a, a + timedelta(seconds=rng.randrange(1, 30 * 3600))))
    return out


def check(uow: SqlAlchemyHubUnitOfWork, rng: random.Random) -> None:
    with uow:
        for start, end in windows(rng):
            decided, misses = count_decisions(uow.decisions.between("LGG", start, end), start, end)
            assert uow.decisions.decided_per_hour("LGG", start, end) == dict(decided), (start, end)
            assert uow.decisions.misses("LGG", start, end) == dict(misses), (start, end)
            assert uow.decisions.decided_per_hour("BRU", start, end) == {}


def test_hourly_totals_equal_the_log_counted_one_by_one(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    uow = SqlAlchemyHubUnitOfWork(make_session_factory(engine))
    rng = random.Random(20)
    made = decisions(rng, 1500)
    with uow:
        for i in range(0, len(made), 400):  # several batches add up in the same hours
            uow.decisions.add("LGG", made[i : i + 400], None, DAY)
        uow.commit()
    check(uow, rng)
    engine.dispose()


def test_the_migration_fills_the_totals_of_an_older_log(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    uow = SqlAlchemyHubUnitOfWork(factory)
    rng = random.Random(21)
    with uow:
        uow.decisions.add("LGG", decisions(rng, 600), None, DAY)
        uow.commit()
    cfg = _config()
    with engine.begin() as connection:  # back to before the totals, keeping the log
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "hub_0001")
    upgrade(engine)
    check(uow, rng)
    engine.dispose()
