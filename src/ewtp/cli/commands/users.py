"""User commands: create, invite, reset a password, disable (people who use the pages)."""

from __future__ import annotations

import secrets

import typer

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.users.uow import SqlAlchemyUsersUnitOfWork
from ewtp.cli import context
from ewtp.cli.output import FormatOption, OutputFormat, emit
from ewtp.config import get_settings
from ewtp.domain.errors import InvalidInput
from ewtp.domain.users import Membership
from ewtp.http.auth import hasher_of
from ewtp.services.users.manage import create_user, disable_user, invite_user, reset_password

__all__ = ["register"]

users_app = typer.Typer(help="People who sign in to the web app.", no_args_is_help=True)
RoleOption = typer.Option("member", "--role", help="owner or member.")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")


def _uow() -> SqlAlchemyUsersUnitOfWork:
    return SqlAlchemyUsersUnitOfWork(context.session_factory())


def _role(raw: str) -> Membership:
    try:
        return Membership(raw)
    except ValueError:
        raise InvalidInput("must be owner or member", field="role") from None


def _password(given: str | None) -> str:
    return given if given else secrets.token_urlsafe(12)


@users_app.command("create")
def create(
    account_id: str = typer.Argument(..., help="The account's id (from `ewtp merchants create`)."),
    email: str = typer.Argument(...),
    role: str = RoleOption,
    password: str | None = typer.Option(None, help="Default: a random one, printed once."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Create a user of an account; prints the password once."""
    plain = _password(password)
    user = create_user(
        _uow(), hasher_of(get_settings()), account_id=account_id, email=email,
        password=plain, role=_role(role), now=utcnow(),
    )  # fmt: skip
    emit(
        {
            "id": user.id,
            "account_id": user.account_id,
            "email": user.email,
            "role": user.role.value,
            "password": plain,
        },
        fmt,
    )


@users_app.command("invite")
def invite(
    account_id: str = typer.Argument(...),
    email: str = typer.Argument(...),
    role: str = RoleOption,
    base_url: str | None = typer.Option(None, help="Default: http://EWTP_HOST:EWTP_PORT."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Create an invitation link (shown once, valid seven days)."""
    settings = get_settings()
    issued = invite_user(
        _uow(), account_id=account_id, email=email, role=_role(role), invited_by=None, now=utcnow()
    )
    base = (base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    emit(
        {"email": issued.invitation.email, "role": issued.invitation.role.value,
         "expires_at": issued.invitation.expires_at.isoformat(), "link": f"{base}/invite/{issued.token}"},
        fmt,
    )  # fmt: skip


@users_app.command("reset-password")
def reset(
    email: str = typer.Argument(...),
    password: str | None = typer.Option(None, help="Default: a random one, printed once."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Set a new password (ends the user's sessions); prints it once."""
    plain = _password(password)
    user = reset_password(
        _uow(), hasher_of(get_settings()), email=email, password=plain, now=utcnow()
    )
    emit({"email": user.email, "password": plain}, fmt)


@users_app.command("disable")
def disable(email: str = typer.Argument(...), fmt: OutputFormat | None = FormatOption) -> None:
    """Disable a user; their sessions end at once."""
    user = disable_user(_uow(), email=email, now=utcnow())
    emit(
        {
            "email": user.email,
            "disabled_at": user.disabled_at.isoformat() if user.disabled_at else None,
        },
        fmt,
    )
