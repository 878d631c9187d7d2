"""Extract the pages' messages and update the catalogs (`make i18n`).

`pybabel extract` reads the templates and `web/**.py` (keywords `_`, `gettext`, `N_`);
`pybabel update` merges new messages into each `web/locales/<lang>/LC_MESSAGES/messages.po`
and keeps the translations already there. The server compiles the `.po` files when it
starts, so no `.mo` file is built or committed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "src" / "ewtp" / "web"
LOCALES = WEB / "locales"
BIN = Path(sys.executable).parent


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        subprocess.run(
            [BIN / "pybabel", "extract", "-F", LOCALES / "babel.cfg", "-k", "_", "-k", "gettext",
             "-k", "N_", "--no-location", "--sort-output", "--project", "ewtp", "-o", pot, WEB],
            check=True,
        )  # fmt: skip
        for language in ("zh_Hans",):
            po = LOCALES / language / "LC_MESSAGES" / "messages.po"
            command = "update" if po.is_file() else "init"
            subprocess.run(
                [BIN / "pybabel", command, "-i", pot, "-d", LOCALES, "-l", language, "--no-wrap"]
                + (["--ignore-obsolete"] if command == "update" else []),
                check=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
