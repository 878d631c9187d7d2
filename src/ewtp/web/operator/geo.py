"""The world outline for the network map, projected on the server (no tiles, no CDN).

The geometry is the vendored `world-atlas` countries-110m TopoJSON (Natural Earth 1:110m,
public domain). It is decoded here (delta-encoded, quantized arcs) and drawn in an
equirectangular projection clipped to latitudes -60..80, which keeps Europe and China
legible at phone width. The result is one SVG path string, computed once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["EUROPE", "WORLD", "Extent", "decode_arcs", "project", "world_path"]

ATLAS = Path(__file__).resolve().parents[1] / "static" / "vendor" / "countries-110m.json"
WIDTH = 1000.0


@dataclass(frozen=True, slots=True)
class Extent:
    """A longitude/latitude window drawn WIDTH wide (Europe's hubs crowd at world scale,
    so the page draws the world and a European inset)."""

    west: float
    east: float
    north: float
    south: float

    @property
    def width(self) -> float:
        return WIDTH

    @property
    def height(self) -> float:
        return round(WIDTH * (self.north - self.south) / (self.east - self.west), 1)


WORLD = Extent(-180.0, 180.0, 80.0, -60.0)
EUROPE = Extent(-12.0, 32.0, 62.0, 35.0)


def project(lon: float, lat: float, extent: Extent = WORLD) -> tuple[float, float]:
    """Equirectangular: x from longitude west..east, y from latitude north..south."""
    x = (lon - extent.west) / (extent.east - extent.west) * WIDTH
    y = (extent.north - lat) / (extent.north - extent.south) * extent.height
    return round(x, 1), round(y, 1)


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Each arc as (lon, lat) points: TopoJSON stores quantized deltas from the previous
    point, scaled and translated by the topology's transform."""
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    """A ring from arc indexes; a negative index ~i is arc i reversed."""
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points[1:] if ring else points)
    return ring


@cache
def world_path(extent: Extent = WORLD) -> str:
    """Every country's rings as one SVG path `d` in map coordinates."""
    topology = json.loads(ATLAS.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    parts = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                points = [project(lon, lat, extent) for lon, lat in _ring(arcs, ring)]
                parts.append(_path(points))
    return "".join(parts)


def _path(points: list[tuple[float, float]]) -> str:
    """One ring as path commands; a step across the antimeridian (Fiji, Chukotka) starts
    a new subpath instead of a line across the whole map."""
    out = []
    for i, (x, y) in enumerate(points):
        jump = i == 0 or abs(x - points[i - 1][0]) > WIDTH / 2
        out.append(f"{'M' if jump else 'L'}{x},{y}")
    return "".join(out) + "Z"
