"""The console's `router`: every screen's router (mounted by `api/app.py:mount_pages`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from ewtp.web.operator import coverage, customs, hub, network, plans, simulations, tracking

__all__ = ["STATIC", "router"]

STATIC = Path(__file__).resolve().parent / "static"

router = APIRouter(include_in_schema=False)
router.include_router(network.router)
router.include_router(coverage.router)
router.include_router(hub.router)
router.include_router(plans.router)
router.include_router(simulations.router)
router.include_router(customs.router)
router.include_router(tracking.router)
