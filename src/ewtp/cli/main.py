"""The `ewtp` command. Each module of `ewtp.cli.commands` registers its own commands.

Errors a user can fix print one line on stderr and exit 2; nothing partial is written.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click
import typer
from sqlalchemy.exc import OperationalError

from ewtp.cli import commands
from ewtp.cli.output import err_console
from ewtp.domain.errors import DomainError

__all__ = ["app", "main"]

# Typer 0.2x bundles its own copy of click, whose usage errors (unknown command, missing
# or out-of-range option) do not derive from the installed click's; catch both kinds.
CLICK_ERRORS: tuple[type[Exception], ...] = tuple(
    {click.ClickException}
    | {c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"}
)

app = typer.Typer(
    name="ewtp",
    help="ewtp: the open electronic World Trade Platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(app)


_register_all()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and turn every failure into a clear message and exit code."""
    try:
        result = app(args=argv, prog_name="ewtp", standalone_mode=False)
    except DomainError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except CLICK_ERRORS as exc:
        exc.show()  # type: ignore[attr-defined]
        sys.exit(exc.exit_code)  # type: ignore[attr-defined]
    except click.exceptions.Abort:
        err_console.print("aborted")
        sys.exit(1)
    except OperationalError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()
        err_console.print(
            f"error: database unreachable: {reason[0] if reason else exc}", markup=False
        )
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)
