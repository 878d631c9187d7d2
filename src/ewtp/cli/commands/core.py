"""Core commands: version, serve, db upgrade, seed."""

from __future__ import annotations

import typer
from sqlalchemy import make_url

from ewtp import __version__
from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.engine import redact_url
from ewtp.adapters.db.migrate import current_revisions, upgrade
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.cli import context
from ewtp.cli.output import FormatOption, OutputFormat, emit
from ewtp.config import get_settings
from ewtp.domain.accounts import Role
from ewtp.domain.errors import InvalidInput
from ewtp.services.network.ports import load_network
from ewtp.services.seed import ensure_demo_merchant
from ewtp.services.users.seed import ensure_demo_user

__all__ = ["register"]

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command()(version)
    app.command()(serve)
    app.command()(seed)
    app.add_typer(db_app, name="db")


def version() -> None:
    """Print the ewtp version."""
    typer.echo(__version__)


def serve(
    host: str | None = typer.Option(None, help="Interface to bind (default EWTP_HOST)."),
    port: int | None = typer.Option(None, help="Port to listen on (default EWTP_PORT)."),
    workers: int = typer.Option(
        1, min=1, max=64,
        help="uvicorn worker processes (PostgreSQL only; each keeps its own connection "
        "pool, see docs/operations.md).",
    ),
) -> None:  # fmt: skip
    """Serve the API, its docs and the pages with uvicorn."""
    import logging

    import uvicorn

    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)-9s %(name)s: %(message)s"
    )
    if host:
        settings = settings.model_copy(update={"host": host})
    if port:
        settings = settings.model_copy(update={"port": port})
    if workers > 1 and make_url(settings.database_url).get_backend_name() == "sqlite":
        raise InvalidInput(
            "SQLite has one writer at a time and each worker process would queue on its own "
            "write lock, so only one worker can run on it; use PostgreSQL "
            "(EWTP_DATABASE_URL=postgresql+psycopg://...) for more",
            field="--workers",
        )
    _fail_interrupted_jobs()
    if workers == 1:
        from ewtp.api.app import create_app

        uvicorn.run(
            create_app(settings), host=settings.host, port=settings.port,
            log_level=settings.log_level,
        )  # fmt: skip
        return
    # Each worker process builds its app (and its pool) from the EWTP_* environment.
    uvicorn.run(
        "ewtp.api.app:create_app", factory=True, workers=workers, host=settings.host,
        port=settings.port, log_level=settings.log_level,
    )  # fmt: skip


def _fail_interrupted_jobs() -> None:
    """Jobs a killed server left queued or running end `failed` now, their files removed.

    Done once by `ewtp serve` before any worker starts, so no live job is touched.
    """
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    from ewtp.adapters.customs.uploads import discard_job_files
    from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
    from ewtp.services.customs.jobs import fail_interrupted_jobs

    try:
        failed = fail_interrupted_jobs(
            SqlAlchemyCustomsUnitOfWork(context.session_factory()), utcnow(), discard_job_files
        )
    except SQLAlchemyError as exc:  # not migrated or unreachable: /health will say so
        logging.getLogger("ewtp").warning("manifest jobs not checked at start-up: %s", exc)
        return
    finally:
        context.engine().dispose()
    for job in failed:
        logging.getLogger("ewtp").warning("manifest job %s was interrupted: failed", job.id)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (safe to run again)."""
    applied = upgrade(context.engine())
    target = redact_url(get_settings().database_url)
    if applied:
        typer.echo(f"applied {len(applied)} migration(s) to {target}: {', '.join(applied)}")
    else:
        typer.echo(f"{target} is up to date")


@db_app.command("current")
def db_current(fmt: OutputFormat | None = FormatOption) -> None:
    """Show the revisions the database is at."""
    emit([{"revision": r} for r in current_revisions(context.engine())], fmt, ["revision"])


def seed(
    demo_merchant: str = typer.Option("Demo Merchant", help="Name of the demo merchant."),
) -> None:
    """Load the built-in reference data and the demo merchant; prints its API key."""
    settings = get_settings()
    now = utcnow()
    key_file = settings.var_dir / "demo-api-key"
    known = key_file.read_text().strip() if key_file.is_file() else None
    key, created = ensure_demo_merchant(context.uow(), demo_merchant, known, now)
    if created:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(key + "\n")
        key_file.chmod(0o600)
    typer.echo(f"demo merchant {demo_merchant!r} API key: {key}  (also in {key_file})")
    files = read_network_dir(BUILTIN_DIR, now.date())
    loaded = load_network(
        SqlAlchemyNetworkUnitOfWork(context.session_factory()),
        files.name, files.hubs, files.services, files.zones, now, if_empty=True,
    )  # fmt: skip
    state = "loaded" if loaded.changed else "already present"
    typer.echo(
        f"network {loaded.name!r} {state}: {loaded.hubs} hubs, {loaded.services} services, "
        f"{loaded.zones} zones (version {loaded.version})"
    )
    _seed_web_users(demo_merchant)


DEMO_USERS = (
    ("merchant", Role.MERCHANT, "merchant@demo.ewtp.example"),
    ("operator", Role.OPERATOR, "operator@demo.ewtp.example"),
)


def _seed_web_users(demo_merchant: str) -> None:
    """The demo merchant's and operator's web sign-in; passwords kept in var/ like the key."""
    from ewtp.adapters.db.users.uow import SqlAlchemyUsersUnitOfWork
    from ewtp.http.auth import hasher_of

    settings = get_settings()
    url = f"http://{settings.host}:{settings.port}"
    for label, role, email in DEMO_USERS:
        file = settings.var_dir / f"demo-{label}-password"
        known = file.read_text().strip() if file.is_file() else None
        name = demo_merchant if role is Role.MERCHANT else "Demo Operator"
        password, changed = ensure_demo_user(
            SqlAlchemyUsersUnitOfWork(context.session_factory()), hasher_of(settings),
            account_name=name, role=role, email=email, known_password=known, now=utcnow(),
        )  # fmt: skip
        if changed:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(password + "\n")
            file.chmod(0o600)
        typer.echo(f"demo {label} web sign-in: {url}/signin  e-mail {email}  password {password}")
