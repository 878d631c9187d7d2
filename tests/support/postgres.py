"""A throwaway PostgreSQL server for the test suite, started from initdb/pg_ctl.

PostgreSQL refuses to run as root, so when the suite runs as root the server runs as
the `postgres` system user (or `nobody`) in a temporary folder that user owns.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["PostgresServer", "find_bindir", "free_port"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def find_bindir() -> Path | None:
    """Where initdb and pg_ctl live, or None when PostgreSQL is not installed."""
    explicit = os.environ.get("EWTP_PG_BINDIR")
    if explicit:
        return Path(explicit)
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    for candidate in reversed(candidates):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    return None


def _demote(user: str) -> Callable[[], None] | None:
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(user)

    def run_as() -> None:
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    return run_as


class PostgresServer:
    """One server on 127.0.0.1, trust auth, tuned for speed over durability."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.user = "ewtp"
        self.base = Path(tempfile.mkdtemp(prefix="ewtp-pg-"))
        self.data = self.base / "data"
        self.os_user = "postgres" if _user_exists("postgres") else "nobody"
        self.version = ""

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            list(args),
            check=False,
            capture_output=True,
            text=True,
            preexec_fn=_demote(self.os_user),
            cwd=self.base,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self) -> None:
        if os.geteuid() == 0:
            entry = pwd.getpwnam(self.os_user)
            os.chown(self.base, entry.pw_uid, entry.pw_gid)
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.user,
            "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.base / "server.log"), "-w", "-t", "60", "start",
        )  # fmt: skip
        self.version = self._run(str(self.bindir / "postgres"), "--version").strip()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
