"""Apply Alembic migrations programmatically, so `ewtp db upgrade` works from any folder.

Each capability's migrations branch from revision `0001`; we upgrade to `heads`, so
independent branches apply in any order and re-running is a no-op.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

__all__ = ["current_revisions", "pending_revisions", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> list[str]:
    """Bring the schema to the newest revision of every branch; returns what was applied."""
    before = set(current_revisions(engine))
    cfg = _config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")
    after = set(current_revisions(engine))
    script = ScriptDirectory.from_config(cfg)
    applied = [
        rev.revision
        for rev in script.walk_revisions()
        if rev.revision in _ancestors(script, after) - _ancestors(script, before)
    ]
    return sorted(applied)


def _ancestors(script: ScriptDirectory, heads: set[str]) -> set[str]:
    found: set[str] = set()
    for head in heads:
        for rev in script.iterate_revisions(head, "base"):
            found.add(rev.revision)
    return found


def current_revisions(engine: Engine) -> list[str]:
    """The revisions the database is at (one per branch head)."""
    with engine.connect() as connection:
        return sorted(MigrationContext.configure(connection).get_current_heads())


def pending_revisions(engine: Engine) -> list[str]:
    """Revisions not yet applied."""
    script = ScriptDirectory.from_config(_config())
    done = _ancestors(script, set(current_revisions(engine)))
    return sorted(rev.revision for rev in script.walk_revisions() if rev.revision not in done)
