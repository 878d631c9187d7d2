"""Shell examples of README.md, as a user would copy them, for the README e2e test.

Every fenced block whose info string is a shell (sh, bash, shell, console) is an example.
A block written as a transcript (lines starting with `$ `) runs its `$ ` lines and treats
the rest as shown output. Lines that start the server or the whole test suite (`make run`,
`make test`, `ewtp serve`) are not run by the test, which has itself done what `make run`
does; they are reported as such, never dropped without a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HARNESS_LINES", "Example", "examples"]

SHELLS = {"sh", "bash", "shell", "console", "shell-session", "zsh"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[\w+-]*)")
# What `make run` itself is (install, migrate, seed, serve) and the quality gate.
HARNESS_LINES = re.compile(r"^\s*(make\s+(run|test|install|install-dev)\b|(\S*/)?ewtp\s+serve\b)")


@dataclass(frozen=True, slots=True)
class Example:
    line: int  # the line of the opening fence in README.md
    script: str  # what runs
    harness: tuple[str, ...]  # lines the harness did instead of running them


def _commands(body: list[str]) -> list[str]:
    if not any(line.startswith("$ ") for line in body):
        return body
    out: list[str] = []
    continuing = False
    for line in body:
        if line.startswith("$ "):
            out.append(line[2:])
            continuing = line.rstrip().endswith("\\")
        elif continuing:  # a command continued over several lines
            out.append(line)
            continuing = line.rstrip().endswith("\\")
    return out


def examples(readme: Path) -> list[Example]:
    """Every shell example of the file, in order."""
    found: list[Example] = []
    lines = readme.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        fence, info, start = opening["fence"], opening["info"].lower(), i + 1
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence
        if info not in SHELLS:
            continue
        commands = _commands(body)
        harness = tuple(c.strip() for c in commands if HARNESS_LINES.match(c))
        kept = [c for c in commands if not HARNESS_LINES.match(c)]
        found.append(Example(start, "\n".join(kept) + "\n", harness))
    return found
