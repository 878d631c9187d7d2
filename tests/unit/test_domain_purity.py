"""The domain core stays pure: no frameworks, no I/O, no hidden clock."""

from __future__ import annotations

import ast
from pathlib import Path

import ewtp.domain

DOMAIN = Path(ewtp.domain.__file__).parent

FORBIDDEN_MODULES = {
    "alembic", "asyncio", "click", "dask", "distributed", "fastapi", "httpx", "io", "jinja2",
    "os", "pathlib", "polars", "psycopg", "pyarrow", "pydantic", "pydantic_settings",
    "reportlab", "requests", "rich", "shutil", "socket", "sqlalchemy", "sqlite3", "starlette",
    "subprocess", "typer", "urllib", "uvicorn", "random", "secrets", "uuid", "time",
}  # fmt: skip
FORBIDDEN_CALLS = {"open", "print", "input"}
FORBIDDEN_ATTRIBUTE_CALLS = {"now", "today", "utcnow"}


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            if name.split(".")[0] in FORBIDDEN_MODULES:
                found.append(f"{path.name}:{node.lineno} imports {name}")
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                found.append(f"{path.name}:{node.lineno} calls {func.id}()")
            if isinstance(func, ast.Attribute) and func.attr in FORBIDDEN_ATTRIBUTE_CALLS:
                found.append(f"{path.name}:{node.lineno} reads the clock via .{func.attr}()")
    return found


def test_domain_modules_import_no_framework_and_do_no_io() -> None:
    files = sorted(DOMAIN.rglob("*.py"))
    assert files, "the domain package has modules"
    violations = [v for f in files for v in _violations(f)]
    assert violations == []


def test_the_purity_check_catches_a_framework_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom datetime import datetime\nx = datetime.now()\n")
    assert _violations(bad) == [
        "bad.py:1 imports sqlalchemy",
        "bad.py:3 reads the clock via .now()",
    ]
