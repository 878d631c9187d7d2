"""The `ewtp` command. Each module of `ewtp.cli.commands` registers its own commands.

Exit codes, for scripts (also in `ewtp --help`):
    0  all good
    1  a validation answer "invalid" (`ewtp validate`)
    2  usage or input error: one line `error: ...` on stderr, nothing written
    3  finished, but some rows were rejected (`tracking ingest`, `customs assess`,
       `shipments import`); the rows are listed on stderr or in the output
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import NoReturn

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

EXIT_CODES = (
    'Exit codes: 0 all good; 1 a validation answer "invalid"; 2 usage or input error '
    "(one line on stderr); 3 finished with rejected rows."
)

app = typer.Typer(
    name="ewtp",
    help="ewtp: the open electronic World Trade Platform.",
    epilog=EXIT_CODES,
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


def _fail(message: str) -> NoReturn:
    """One line on stderr, exit 2: a newline or control character would split it, and
    rich must not wrap it at the terminal's width (`soft_wrap`)."""
    line = " ".join(message.split())
    err_console.print(f"error: {line}", markup=False, highlight=False, soft_wrap=True)
    sys.exit(2)


def _hint(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    return f" (see: {ctx.command_path} --help)" if ctx is not None else ""


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and turn every failure into a clear message and exit code."""
    try:
        result = app(args=argv, prog_name="ewtp", standalone_mode=False)
    except DomainError as exc:
        _fail(str(exc))
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except CLICK_ERRORS as exc:
        _fail(exc.format_message() + _hint(exc))  # type: ignore[attr-defined]
    except click.exceptions.Abort:
        _fail("aborted")
    except OperationalError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()
        _fail(f"database unreachable: {reason[0] if reason else exc}")
    sys.exit(result if isinstance(result, int) else 0)
