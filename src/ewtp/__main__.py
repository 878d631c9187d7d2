"""Allow `python -m ewtp ...` as an alias of the `ewtp` console script."""

from __future__ import annotations

from ewtp.cli.main import main

main()
