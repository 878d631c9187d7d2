"""Account commands: merchants, operators and API keys."""

from __future__ import annotations

import typer

from ewtp.adapters.clock import utcnow
from ewtp.cli import context
from ewtp.cli.output import FormatOption, OutputFormat, emit
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account, issue_key, list_accounts, revoke_key

__all__ = ["register"]

merchants_app = typer.Typer(help="Merchant accounts.", no_args_is_help=True)
operators_app = typer.Typer(help="Hub operator accounts.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(merchants_app, name="merchants")
    app.add_typer(operators_app, name="operators")
    app.add_typer(keys_app, name="keys")


def _create(name: str, role: Role, fmt: OutputFormat | None) -> None:
    issued = create_account(context.uow(), name, role, utcnow())
    emit(
        {"id": issued.account.id, "name": issued.account.name, "api_key": issued.plain},
        fmt,
        ["id", "name", "api_key"],
    )


@merchants_app.command("create")
def create_merchant(name: str, fmt: OutputFormat | None = FormatOption) -> None:
    """Create a merchant and print its API key (shown once)."""
    _create(name, Role.MERCHANT, fmt)


@merchants_app.command("list")
def list_merchants(fmt: OutputFormat | None = FormatOption) -> None:
    """List merchants (id, name, created_at): the id is what `shipments import --merchant` takes."""
    found = list_accounts(context.uow(), Role.MERCHANT)
    emit(
        [{"id": a.id, "name": a.name, "created_at": a.created_at.isoformat()} for a in found],
        fmt,
        ["id", "name", "created_at"],
    )


@operators_app.command("create")
def create_operator(name: str, fmt: OutputFormat | None = FormatOption) -> None:
    """Create a hub operator and print its API key (shown once)."""
    _create(name, Role.OPERATOR, fmt)


@keys_app.command("issue")
def issue(account_id: str, fmt: OutputFormat | None = FormatOption) -> None:
    """Issue another API key for an account (shown once)."""
    issued = issue_key(context.uow(), account_id, utcnow())
    emit(
        {"id": issued.key.id, "account_id": account_id, "api_key": issued.plain},
        fmt,
        ["id", "account_id", "api_key"],
    )


@keys_app.command("revoke")
def revoke(key: str, fmt: OutputFormat | None = FormatOption) -> None:
    """Revoke an API key, given its id or its display prefix (e.g. ewtp_AbCd1234)."""
    revoked = revoke_key(context.uow(), key, utcnow())
    emit({"id": revoked.id, "prefix": revoked.prefix, "revoked": True}, fmt)
