"""Imports point inward: each layer imports only the layers beneath it.

entry points   api/  cli/  web/   (web/ never imports api/)
shared edge    http/              (FastAPI dependencies of api/ and web/)
use cases      services/          (ports only: never an adapter)
adapters       adapters/          (implement the ports; never an entry point)
pure core      domain/            (imports nothing else of ewtp)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ewtp

ROOT = Path(ewtp.__file__).parent

# layer -> the ewtp packages its modules must not import
FORBIDDEN = {
    "domain": ("adapters", "api", "cli", "config", "http", "services", "web"),
    "services": ("adapters", "api", "cli", "http", "web"),
    "adapters": ("api", "cli", "http", "web"),
    "http": ("api", "cli", "web"),
    "web": ("api", "cli"),
}


def imported_ewtp_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every `ewtp…` module a file imports, at any depth."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("ewtp")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "ewtp":  # `from ewtp import web` names a package
                found += [(node.lineno, f"ewtp.{a.name}") for a in node.names]
            elif node.module.startswith("ewtp."):
                found.append((node.lineno, node.module))
    return found


def violations(layer: str, files: list[Path]) -> list[str]:
    bad = []
    for path in files:
        for line, name in imported_ewtp_modules(path):
            parts = name.split(".")
            if len(parts) > 1 and parts[1] in FORBIDDEN[layer]:
                bad.append(f"{path.relative_to(ROOT.parent)}:{line} imports {name}")
    return bad


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_only_the_layers_beneath_it(layer: str) -> None:
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"the {layer} package has modules"
    assert violations(layer, files) == []


def test_the_layer_check_catches_an_inward_import_reversed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork\n"
        "from ewtp import api\n"
        "def f():\n    import ewtp.web.tracking.router\n"
        "from ewtp.domain.errors import InvalidInput\n"
    )
    found = sorted(name for _, name in imported_ewtp_modules(bad))
    assert found == [
        "ewtp.adapters.db.uow",
        "ewtp.api",
        "ewtp.domain.errors",
        "ewtp.web.tracking.router",
    ]
    assert [n for n in found if n.split(".")[1] in FORBIDDEN["services"]] == [
        "ewtp.adapters.db.uow",
        "ewtp.api",
        "ewtp.web.tracking.router",
    ]
