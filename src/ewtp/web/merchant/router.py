"""The merchant app's `router`: every screen's router, in name order (mounted by
`api/app.py:mount_pages` like every page package)."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter

from ewtp.web import merchant

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
for _info in sorted(pkgutil.iter_modules(merchant.__path__), key=lambda i: i.name):
    if _info.name == "router":
        continue
    _screen = getattr(importlib.import_module(f"{merchant.__name__}.{_info.name}"), "router", None)
    if isinstance(_screen, APIRouter):
        router.include_router(_screen)
