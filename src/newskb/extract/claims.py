"""Extraction step: numeric claims — counts, sizes, distances, money, casualties.

Each number phrase in the body becomes a :class:`~newskb.facts.NumericClaim` with

* ``value`` and ``unit`` (a code of :data:`~newskb.extract.vocabulary.UNITS`); a number given in two
  units ("10 miles (16 km)") yields two claims, the second ``equivalent_of`` the first;
* ``qualifier`` / ``qualifier_text`` ("over" → ``more-than``, "some" → ``approximately`` …);
* ``kind`` / ``kind_label`` / ``counted``: what is counted, normalised by the rules of
  ``newskb/data/kinds.tsv`` from the counted noun, the words governing the number, whose quantity it
  is (country) and where (place), so that claims about one quantity share a kind;
* ``claimant`` (:func:`attribute`): the speaker of the statement whose span holds the number,
  unless the number sits in the reporter's background inside indirect speech (a past or
  speculative non-restrictive relative clause, a past event inside a vow or threat, a locating
  gloss between dashes, a war's age in a lede whose attribution trails); outside statements, the
  speaker whose speech verb carries the participle clause holding it ("..., the group said,
  killing 14"), the source of an "according to X" over its clause, the publisher of a video that
  "purported to show" it, or the source of a hedged "what it claims to be" (nobody when that source
  is unclear); else the publisher entity (the journalist states it); ``statement``: that
  statement's id;
* ``date``: the statement's date, else the sentence's time expression.

Numbers that are not claims are skipped: dates and years, times of day, ages, ordinals ("47th"),
model and article numbers ("MiG-29", "Article 12", "Executive Order 13224"), identifiers, the
time window of a count ("in the past 24 hours"), and anything inside page furniture.

Public API: :func:`extract_claims`, :func:`find_numbers` (the number phrases of a text, without
NLP), :func:`parse_value`, :func:`qualifier_of`, :func:`load_kind_rules`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..facts import NumericClaim
from ..resources import read_table
from .context import ExtractionContext, doc_text
from .places import in_dateline
from .vocabulary import QUALIFIERS, UNITS

# --------------------------------------------------------------------------------------------
# number phrases (pure text; no NLP)

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_SMALL)} | _TENS | {"a": 1, "an": 1, "another": 1}
SCALES = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
          "billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12}

_UNIT_WORDS: list[tuple[str, str]] = [
    (r"km|kilomet(?:er|re)s?", "km"), (r"mi|miles?", "mi"), (r"met(?:er|re)s?|m", "m"),
    (r"%|percent|per\s+cent", "percent"), (r"tons?|tonnes?|t", "t"), (r"kg|kilograms?|kilos?", "kg"),
    (r"hours?|hrs?", "hour"), (r"days?", "day"), (r"weeks?", "week"), (r"months?", "month"),
    (r"years?", "year"), (r"dollars?", "USD"), (r"euros?", "EUR"), (r"pounds?\s+sterling|pounds?", "GBP"),
    (r"hryvnias?|hryvnyas?", "UAH"), (r"roubles?|rubles?", "RUB"),
]
_UNIT_RE = "|".join(f"(?:{p})" for p, _ in _UNIT_WORDS)
_CURRENCY = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₴": "UAH", "₽": "RUB"}
_WORDNUM = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
            r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
            r"|sixteen|seventeen|eighteen|nineteen|another|an?)")

NUMBER_RE = re.compile(
    r"(?<![\w.,/\-−–])"
    r"(?P<cur>US\$|[$€£₴₽])?\s?"
    r"(?:(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<dozen>(?:(?:a|two|three|four|five|six)\s+)?dozen)\b"
    r"|(?P<half>half(?:\s+a|-a)?)(?=[\s-](?:million|billion|thousand)\b)"
    r"|(?P<word>" + _WORDNUM + r")\b)"
    r"(?:(?:\s|-)?(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|tn|k|m)\b)?"
    r"(?:(?:\s|-)?(?P<unit>" + _UNIT_RE + r")(?![\w]))?",
    re.I,
)

QUALIFIER_WORDS: list[tuple[str, str]] = [
    ("more than", "more-than"), ("upwards of", "more-than"), ("upward of", "more-than"),
    ("in excess of", "more-than"), ("just over", "more-than"), ("well over", "more-than"),
    ("over", "more-than"), ("above", "more-than"), ("at least", "at-least"), ("no fewer than", "at-least"),
    ("no less than", "at-least"), ("a minimum of", "at-least"), ("up to", "up-to"), ("as many as", "up-to"),
    ("as high as", "up-to"), ("as much as", "up-to"), ("a maximum of", "up-to"),
    ("not as high as", "less-than"), ("not as many as", "less-than"), ("not as much as", "less-than"),
    ("no more than", "up-to"), ("fewer than", "less-than"), ("less than", "less-than"), ("just under", "less-than"), ("under", "less-than"),
    ("nearly", "nearly"), ("almost", "nearly"), ("close to", "nearly"), ("just short of", "nearly"),
    ("an estimated", "approximately"), ("approximately", "approximately"), ("about", "approximately"),
    ("around", "approximately"), ("roughly", "approximately"), ("some", "approximately"),
    ("estimated", "approximately"), ("approx.", "approximately"), ("circa", "approximately"),
    ("within", "within"), ("exactly", "exactly"), ("precisely", "exactly"),
]
_QUAL_RE = re.compile(
    r"(?i)(?<![\w])(?P<q>" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w, _ in QUALIFIER_WORDS)
    + r")\s+(?:the\s+)?$")

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_BEFORE_DATE = re.compile(_MONTH + r"\s+(?:\d{1,2}\s*(?:or|and|to|-|–)\s*)?$")
_AFTER_DATE = re.compile(r"^(?:st|nd|rd|th)?\s*(?:(?:or|and|to|-|–)\s*\d{1,2}\s+)?(?:of\s+)?" + _MONTH + r"(?!\w)")
_LABEL_BEFORE = re.compile(
    r"(?i)(?:\b(?:articles?|order|resolutions?|sections?|chapters?|clauses?|rules?|no\.|number|nos?\.?|page|"
    r"flight|route|highway|channel|room|protocol|paragraph|point|version|model|type|block|unit|brigade|"
    r"battalion|regiment|division|corps|group)\s+(?:\d+\s*(?:,|and|or|&)\s*)*$)")
_WINDOW_BEFORE = re.compile(r"(?i)\b(?:past|previous|last|next|first|coming|recent|latest|every|each|per)\s+$")
_TIME_AFTER = re.compile(r"(?i)^(?::\d\d|\s?(?:a\.?m\.?|p\.?m\.?|gmt|utc|hrs?\s+gmt|o'clock)(?!\w))")
_AGE_AFTER = re.compile(r"(?i)^-?\s?(?:years?|months?)[\s-]+old\b")
_COMPOUND_AFTER = re.compile(r"^-(?!strong\b)[a-z]")  # "four-year war", "X-59"; "-strong" kept
# nouns whose age is a claim: "four-year war", "18-month siege", "nearly five-year-old insurrection"
_DURATION_NOUN_RE = (r"(?:wars?|conflicts?|insurgency|insurrection|siege|campaign|occupation|blockade|uprising|"
                     r"offensive|battle|ceasefire|truce|struggle|crisis|fighting|rule|standoff|stand-off|revolt|"
                     r"rebellion|invasion|sentence|term|prison\s+term|jail\s+term|captivity|detention|ban|moratorium)")
_DURATION_OF = re.compile(r"(?i)^(?:-old)?\s+(?:[a-z'’-]+\s+){0,2}?" + _DURATION_NOUN_RE + r"\b")
_RELATIVE_AFTER = re.compile(r"(?i)^\s+(?:earlier|later|ago|afterwards|previously|beforehand)\b")
_RATE_AFTER = re.compile(r"(?i)^(?:\s+[a-z'’]+){0,3}?\s+(?:every|per|each|a)\s+(?:\d+\s+|few\s+|other\s+)?"
                         r"(?:seconds?|minutes?|hours?|day|week|month|year)\b")

DURATION_UNITS = {"hour", "day", "week", "month", "year"}
DISTANCE_UNITS = {"km", "mi", "m"}
MONEY_UNITS = {"USD", "EUR", "GBP", "UAH", "RUB"}


@dataclass
class NumberMatch:
    """A number phrase found in text: offsets of the whole phrase (number, scale, unit) and of the
    qualifier before it (if any)."""

    start: int
    end: int
    value: float
    unit: str
    text: str
    is_word: bool = False
    qualifier: str | None = None
    qualifier_text: str | None = None
    qualifier_start: int | None = None
    strong: bool = False  # "10,000-strong"
    notes: list[str] = field(default_factory=list)


def parse_value(digits: str | None = None, *, word: str | None = None, dozen: str | None = None,
                scale: str | None = None) -> float | None:
    """The value of a number phrase, or None when it is not a finite, sane number."""
    try:
        if digits is not None:
            if len(digits.replace(",", "").split(".")[0]) > 15:
                return None
            v = float(digits.replace(",", ""))
        elif dozen is not None:
            parts = dozen.lower().split()
            v = 12.0 * (WORD_VALUES.get(parts[0], 1) if len(parts) > 1 else 1)
        elif word is not None:
            w = word.lower()
            if "-" in w:
                a, b = w.split("-", 1)
                v = float(_TENS[a] + WORD_VALUES[b])
            else:
                v = float(WORD_VALUES[w])
        else:
            return None
    except (ValueError, KeyError, OverflowError):
        return None
    if scale:
        v *= SCALES.get(scale.lower(), 1.0)
    if not math.isfinite(v) or abs(v) > 1e15:
        return None
    return v


def qualifier_of(before: str) -> tuple[str, str, int] | None:
    """(qualifier code, qualifier words, offset of the words in ``before``) for the text just before
    a number, or None."""
    m = _QUAL_RE.search(before)
    if not m:
        return None
    words = m.group("q")
    key = re.sub(r"\s+", " ", words.lower())
    for w, code in QUALIFIER_WORDS:
        if w == key:
            return code, words, m.start("q")
    return None


def _unit_code(word: str | None, currency: str | None, scale: str | None) -> str | None:
    if currency:
        return _CURRENCY.get(currency.upper() if currency.startswith("US") else currency, "USD")
    if not word:
        return "count"
    w = re.sub(r"\s+", " ", word.lower())
    for pat, code in _UNIT_WORDS:
        if re.fullmatch(pat, w, re.I):
            return code
    return None


def find_numbers(text: str, *, skip: list[tuple[int, int]] | None = None) -> list[NumberMatch]:
    """Every number phrase of ``text`` that may be a claim, in order. ``skip`` lists stretches
    (dates, furniture) whose numbers are not claims. Never raises on odd input ("1e309")."""
    skip = skip or []
    out: list[NumberMatch] = []
    for m in NUMBER_RE.finditer(text):
        s, e = m.start(), m.end()
        if m.group("cur") and text[s] == " ":
            s += 1
        core_start = (m.start("digits") if m.group("digits") else m.start("dozen") if m.group("dozen")
                      else m.start("half") if m.group("half") else m.start("word"))
        if m.group("cur"):
            core_start = m.start("cur")
        s = core_start
        if any(a <= s < b for a, b in skip):
            continue
        digits, word, dozen = m.group("digits"), m.group("word"), m.group("dozen")
        if m.group("half"):
            digits = "0.5"
        scale, unit_word, cur = m.group("scale"), m.group("unit"), m.group("cur")
        after = text[e:e + 40]
        before = text[max(0, s - 60):s]
        # "m" after a bare number is metres, not million (unless money)
        if scale and scale.lower() in ("m", "k") and not cur:
            if scale.lower() == "m" and not unit_word:
                unit_word, scale = scale, None
            elif scale.lower() == "k":
                pass
        if word is not None:
            w = word.lower()
            if w in ("a", "an", "another"):
                # only "a mile", "an hour", "another mile" style measurements count
                if not unit_word or (unit_word.lower() in ("m", "t") or (w != "another" and unit_word.lower() == "mi")):
                    continue
            if word[:1].isupper() and re.search(r"[A-Z][a-z]+\s+$", before) and not re.search(r"[.!?:]\s+\S+\s+$", before):
                continue  # "World War Two": part of a name
            if not unit_word and not scale and re.match(r"^\s+of\b", after) and (
                    w in ("one", "a", "an") or not re.match(r"^\s+of\s+(?:them|us|those|these|whom)\b", after)):
                continue  # "one of the", "two of the towns"; "three of us", "nine of them" are counts
        if digits is not None:
            # a letter glued to the number: ordinals, "1e309", codes
            if re.match(r"^[A-Za-z]", text[m.end("digits"):m.end("digits") + 1] or " ") and not (scale or unit_word):
                continue
            if re.match(r"^\d", after) or re.match(r"^[.,]\d", after):
                continue
            bare = digits.replace(",", "")
            if "," not in digits and "." not in digits and len(bare) > 6 and not (scale or unit_word or cur):
                continue  # identifiers, phone numbers
            if (len(bare) == 4 and "," not in digits and "." not in digits and not (scale or unit_word or cur)
                    and 1800 <= int(bare) <= 2100):
                if not re.match(r"^\s+(?:[a-z]+\s+){0,2}(?:people|troops|soldiers|civilians|men|women|children|"
                                r"prisoners|drones|missiles|tanks|km|miles|casualties|deaths|attacks)\b", after):
                    continue  # a year
            if _BEFORE_DATE.search(text[max(0, s - 30):s]) or _AFTER_DATE.match(text[m.end("digits"):m.end("digits") + 30]):
                continue
            if _TIME_AFTER.match(text[m.end("digits"):m.end("digits") + 12]):
                continue
            # age: "Name, 21," / "a 62-year-old"
            if re.search(r"[A-Z][\w.'’-]+,\s*$", before) and re.match(r"^,", text[m.end("digits"):]) and float(bare) < 120:
                continue
        if _LABEL_BEFORE.search(before[-40:]):
            continue
        if (_AGE_AFTER.match(text[e:e + 20]) or _AGE_AFTER.match(text[m.end("digits") if digits else e:][:20])) and not (
                unit_word and _DURATION_OF.match(text[e:e + 60])):
            continue
        if _RATE_AFTER.match(text[e:e + 60]):
            continue  # "one Syrian killed every 25 minutes": a rate, not a count
        unit = _unit_code(unit_word, cur, scale)
        if unit is None or unit not in UNITS:
            continue
        compound_ok = False
        if unit in DURATION_UNITS and unit_word and "-" in text[m.start("unit") - 1:m.start("unit")]:
            # "four-year war", "18-month siege", "five-year-old insurgency": the age of a conflict is
            # a claim; other compounds ("24-hour curfew", "62-year-old civilian") are not
            compound_ok = bool(_DURATION_OF.match(text[e:e + 60]))
            if not compound_ok:
                continue
        if unit in DURATION_UNITS and not compound_ok:
            if _RELATIVE_AFTER.match(text[e:e + 20]) and not qualifier_of(text[max(0, s - 40):s]):
                continue  # "three days earlier", "two years ago": a time, not a claim
            if _WINDOW_BEFORE.search(before[-25:]) or re.search(r"(?i)\b(?:in|within|for the)\s+(?:the\s+)?$", before[-15:]) and re.search(r"(?i)\b(?:past|previous|last|next)\b", before[-25:]):
                continue
            if _COMPOUND_AFTER.match(text[e:e + 3]) or re.match(r"^\s*-?\s*old\b", text[e:e + 8]):
                continue  # "four-year war", "five-year-old"
        value = parse_value(digits, word=word, dozen=dozen, scale=scale)
        if value is None:
            continue
        strong = bool(re.match(r"^-strong\b", text[e:e + 8]))
        if digits is not None and not strong and not unit_word and re.match(r"^-[A-Za-z]", text[e:e + 2]):
            # "600-mile-long" is handled by the unit; other compounds ("X-59", "24-hour") are not claims
            if not re.match(r"^-(?:" + _UNIT_RE + r")\b", text[e:e + 14], re.I):
                continue
        nm = NumberMatch(start=s, end=e, value=value, unit=unit, text=text[s:e], is_word=word is not None or dozen is not None,
                         strong=strong)
        q = qualifier_of(text[max(0, s - 40):s])
        if q:
            code, words, off = q
            nm.qualifier, nm.qualifier_text = code, words
            nm.qualifier_start = max(0, s - 40) + off
        out.append(nm)
    # "the seventh time Russia has targeted Kyiv this month": the ordinal counts the occurrences
    for m in _ORDINAL_TIME_RE.finditer(text):
        s = m.start()
        if any(a <= s < b for a, b in skip):
            continue
        w = m.group("ord").lower()
        value = _ORDINALS.get(w) or (int(m.group("odig")) if m.group("odig") else None)
        if not value or value < 2:
            continue
        out.append(NumberMatch(start=s, end=m.end("ordend"), value=float(value), unit="count",
                               text=text[s:m.end("ordend")], is_word=m.group("odig") is None))
    out.sort(key=lambda n: n.start)
    return out


_ORDINALS = {w: i for i, w in enumerate(["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                                         "eighth", "ninth", "tenth", "eleventh", "twelfth"])}
_ORDINAL_TIME_RE = re.compile(
    r"(?i)(?<![\w-])(?P<ord>(?P<odig>\d{1,3})(?:st|nd|rd|th)|" + "|".join(_ORDINALS) + r")(?P<ordend>)\s+time\b")


# --------------------------------------------------------------------------------------------
# kind rules (newskb/data/kinds.tsv)

@dataclass(frozen=True)
class KindRule:
    key: str
    label: str
    units: frozenset[str]
    counted: frozenset[str] | None  # None = any
    excluded: frozenset[str]  # '!lemma' entries: never this counted noun
    cues: tuple[frozenset[str], ...] | None  # alternatives; None = no cue needed
    needs: frozenset[str]
    suffix: str | None

    def matches(self, unit: str, counted: set[str], cues: set[str], slots: dict[str, str]) -> bool:
        if unit not in self.units:
            return False
        if self.counted is not None and not (self.counted & counted):
            return False
        if self.excluded and (self.excluded & counted):
            return False
        if self.cues is not None and not any(alt <= cues for alt in self.cues):
            return False
        return all(slots.get(n) for n in self.needs)


@lru_cache(maxsize=1)
def load_kind_rules() -> tuple[KindRule, ...]:
    """The rows of ``newskb/data/kinds.tsv`` in order."""
    rows = read_table("kinds.tsv", sourced=False)
    rules = []
    for r in rows:
        units = frozenset(r["units"].split("|"))
        bad = units - set(UNITS)
        if bad:
            raise ValueError(f"kinds.tsv row {r['key']!r}: unknown unit codes {sorted(bad)} (see vocabulary.UNITS)")
        items = r["counted"].split("|")
        excluded = frozenset(x[1:] for x in items if x.startswith("!"))
        items = [x for x in items if not x.startswith("!")]
        counted = None if "*" in items else frozenset(items)
        cues = None if r["cues"] == "*" else tuple(frozenset(a.split("+")) for a in r["cues"].split("|"))
        needs = frozenset() if r["needs"] == "-" else frozenset(r["needs"].split("|"))
        rules.append(KindRule(r["key"], r["label"], units, counted, excluded, cues, needs,
                              None if r["suffix"] == "-" else r["suffix"]))
    return tuple(rules)


def slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    t = re.sub(r"['’]", "", t)
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")


def fill_template(template: str, slots: dict[str, str], *, key: bool) -> str:
    """Fill a kind key (segments with an empty placeholder dropped) or label ([parts] dropped)."""
    if key:
        segs = []
        for seg in template.split("/"):
            names = re.findall(r"\{(\w+)\}", seg)
            if names and not all(slots.get(n) for n in names):
                continue
            segs.append(re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)], seg))
        return "/".join(segs)

    def opt(m: re.Match) -> str:
        inner = m.group(1)
        names = re.findall(r"\{(\w+)\}", inner)
        return inner if all(slots.get(n) for n in names) else ""

    out = re.sub(r"\[([^\]]*)\]", opt, template)
    out = re.sub(r"\{(\w+)\}", lambda m: slots.get(m.group(1)) or "", out)
    return re.sub(r"\s+", " ", out).strip()


# --------------------------------------------------------------------------------------------
# helpers on the parse

def _country_of_text(text: str) -> str | None:
    try:
        from .gazetteer import country_code, metonym_country
    except ImportError:  # pragma: no cover - gazetteer not installed
        return None
    t = text.strip()
    if not t:
        return None
    try:
        return country_code(t) or metonym_country(t)
    except Exception:  # a lookup must never break extraction
        return None


def _country_name(code: str) -> str:
    try:
        from .gazetteer import country_name
        return country_name(code) or code
    except Exception:
        return code


def _entity_at(ctx: ExtractionContext, start: int, end: int):
    """The entity whose mention overlaps body[start:end] (the longest), or None."""
    best = None
    for (a, b), eid in ctx.entity_mentions.items():
        if a < end and start < b:
            if best is None or (b - a) > (best[1] - best[0]):
                best = (a, b, eid)
    return ctx.entities.by_id.get(best[2]) if best else None


def entity_country(ent) -> str | None:
    if ent is None:
        return None
    if getattr(ent, "country", None):
        return ent.country
    parts = ent.key.split("/")
    if parts[0] in ("force", "government") and len(parts) > 1 and re.fullmatch(r"[A-Za-z]{2}", parts[1]):
        return parts[1].upper()
    return None


_PLACE_RANK = {"Settlement": 0, "Area": 1, "Region": 2, "Country": 3}


def places_in(ctx: ExtractionContext, start: int, end: int) -> list[tuple[int, int, object]]:
    """(start, end, place) for each place mention inside body[start:end], in text order."""
    out = []
    for (a, b), pid in ctx.place_mentions.items():
        if start <= a and b <= end:
            p = ctx.places.by_id.get(pid)
            if p is not None:
                out.append((a, b, p))
    out.sort(key=lambda x: x[0])
    return out


def most_specific_place(ctx: ExtractionContext, start: int, end: int):
    found = places_in(ctx, start, end)
    if not found:
        return None
    return min(found, key=lambda x: (_PLACE_RANK.get(x[2].type, 9), x[0]))[2]


def place_slug(place) -> str:
    """Deterministic short form of a place for kind keys: the ISO code of a country or region,
    else the slug of the (gazetteer) name."""
    if place.key.startswith(("country/", "region/")):
        return place.key.split("/", 1)[1]
    if place.key.startswith("local/"):
        return slug(place.key.rsplit("/", 1)[-1])
    return slug(place.name) or slug(place.key)


def _inside_actor(ctx: ExtractionContext, a: int, b: int) -> bool:
    """A place mention that is part of an actor's name ("the British-based Syrian Observatory")."""
    return any(x <= a and b <= y and (x, y) != (a, b) for (x, y) in ctx.entity_mentions)


def _clause_place(ctx: ExtractionContext, sent, verbs, head):
    """Where a counted quantity is: the most specific place named in the clause of the verb governing
    the number (else near the counted noun), never one inside an actor's name or an adjective such as
    "British-based"; else the sentence's most specific such place."""
    def ok(a, b, p):
        return (not _inside_actor(ctx, a, b) and not re.match(r"^-based\b", ctx.body[b:b + 7])
                and not in_dateline(ctx.body, a, b))

    found = [x for x in places_in(ctx, sent.start_char, sent.end_char) if ok(*x)]
    if not found:
        return None
    anchors = [v for v in verbs[:1]] or ([head] if head is not None else [])
    for anchor in anchors:
        lo = min(t.idx for t in anchor.subtree)
        hi = max(t.idx + len(t.text) for t in anchor.subtree)
        inner = [x for x in found if lo <= x[0] and x[1] <= hi]
        if inner:
            return min(inner, key=lambda x: (_PLACE_RANK.get(x[2].type, 9), x[0]))[2]
    return min(found, key=lambda x: (_PLACE_RANK.get(x[2].type, 9), x[0]))[2]


def publisher_entity(ctx: ExtractionContext):
    for e in ctx.entities.items:
        if e.type == "Publisher":
            return e
    return None


def statement_at(ctx: ExtractionContext, start: int, end: int):
    best = None
    for st in ctx.statements:
        if st.span.start <= start and end <= st.span.end:
            if best is None or (st.span.end - st.span.start) < (best.span.end - best.span.start):
                best = st
    return best


_UNIT_LEMMAS = {"km", "kilometer", "kilometre", "mile", "meter", "metre", "m", "mi", "percent", "%", "ton",
                "tonne", "kg", "hour", "day", "week", "month", "year", "dollar", "euro", "pound", "hryvnia",
                "rouble", "ruble", "million", "billion", "thousand", "hundred", "dozen", "bn", "trillion", "cent",
                "per", "hr", "hrs"}
_TIME_NOUNS = {"minute", "second", "hour", "day", "week", "month", "year", "decade", "century", "time",
               "o'clock", "am", "pm"}
_MODIFIER_DEPS = {"amod", "compound", "nmod", "poss"}
_QUANT_DEPS = {"nummod", "quantmod", "compound", "npadvmod", "advmod", "nmod", "amod"}


def _tok_range(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span


def _counted_head(doc, nm: NumberMatch):
    """The token of the counted noun for a number phrase, or None (ellipsis: "injured nine")."""
    span = _tok_range(doc, nm.start, nm.end)
    if span is None:
        return None
    if nm.strong:
        # "10,000-strong deployment of North Korean troops" / "Russia's 50,000-strong force"
        for t in doc[span.end: min(len(doc), span.end + 4)]:
            if t.lower_ == "strong":
                head = t.head if t.dep_ == "amod" else None
                if head is None:
                    head = next((x for x in doc[t.i + 1:t.i + 4] if x.pos_ in ("NOUN", "PROPN")), None)
                if head is not None:
                    if head.lemma_.lower() in ("deployment", "contingent", "group", "unit", "detachment"):
                        for c in head.children:
                            if c.dep_ == "prep" and c.lower_ == "of":
                                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                                if pobj is not None:
                                    return pobj
                    return head
        return None
    last = span[-1]
    # "three of us", "nine of them": the pronoun is what is counted
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of" and last.i + 2 < len(doc) and doc[last.i + 2].pos_ == "PRON":
        return doc[last.i + 2]
    if nm.unit in DURATION_UNITS and _DURATION_OF.match(doc_text(doc)[nm.end:nm.end + 60]):
        # "four-year war": the war is what is measured
        m = re.search(_DURATION_NOUN_RE, doc_text(doc)[nm.end:nm.end + 60], re.I)
        if m:
            sp = doc.char_span(nm.end + m.start(), nm.end + m.end(), alignment_mode="expand")
            if sp is not None:
                return sp[-1]
    tok = last
    # climb from the number (or unit) to the noun it quantifies
    seen = 0
    while seen < 4:
        seen += 1
        if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() not in _UNIT_LEMMAS and not tok.like_num:
            return tok
        if tok.dep_ in _QUANT_DEPS or tok.dep_ in ("appos",) or (tok.like_num and tok.dep_ != "ROOT"):
            nxt = tok.head
            if nxt is tok:
                break
            if nxt.i < span.start - 3:  # do not climb back over the sentence
                # a unit or number whose head precedes it ("of roughly 300,000"): no counted noun
                if tok.lemma_.lower() in _UNIT_LEMMAS or tok.like_num:
                    return None
            if nxt.pos_ in ("VERB", "AUX", "ADP"):
                if tok.lemma_.lower() in _UNIT_LEMMAS and tok.i > last.i - 1 and tok not in span:
                    return None
                # the number stands alone ("injured more than 20")
                return None
            tok = nxt
            continue
        break
    if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() not in _UNIT_LEMMAS and not tok.like_num:
        return tok
    # unit followed by "of"-noun: "20% of Ukraine's territory", "a $5 million reward" handled above
    return None


def _counted_lemmas(head) -> set[str]:
    if head is None:
        return set()
    out = {head.lemma_.lower(), head.lower_}
    for c in head.children:
        if c.dep_ in ("amod", "compound") and not c.like_num:
            out.add(c.lemma_.lower())
    if head.lemma_.lower() in ("prisoner",):
        out.add("prisoner")
    return out


def _counted_text(doc, head, nm_end: int) -> str | None:
    if head is None:
        return None
    mods = [c for c in head.lefts if c.dep_ in ("amod", "compound", "nmod") and not c.like_num
            and c.idx >= nm_end and c.lower_ not in ("-", "strong")]
    first = min((min(t.i for t in c.subtree) for c in mods), default=head.i)
    words = [t.text for t in doc[first:head.i] if t.idx >= nm_end and not t.like_num and t.is_alpha
             and t.lemma_.lower() not in _UNIT_LEMMAS and t.lower_ not in ("strong", "long", "kilometer", "kilometre")]
    words.append(head.text)
    for c in head.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
            if pobj is not None and pobj.ent_type_ not in ("GPE", "LOC") and pobj.i - head.i <= 3:
                words += ["of"] + [t.text for t in doc[c.i + 1: pobj.i + 1]]
            break
    text = " ".join(words)
    return re.sub(r"\s+", " ", text)[:80]


def _governors(head, num_tok) -> tuple[set[str], list]:
    """Lemmas of the words governing the counted noun (ancestors up to the clause, conjoined verbs
    sharing it, their complements) and the governing verbs."""
    lemmas: set[str] = set()
    verbs = []
    start = head if head is not None else num_tok
    tok = start
    depth = 0
    while depth < 6:
        depth += 1
        lemmas.add(tok.lemma_.lower())
        if tok.pos_ in ("VERB", "AUX"):
            verbs.append(tok)
            for c in tok.children:
                if c.dep_ in ("oprd", "acomp", "xcomp", "prt", "advcl") or (
                        c.dep_ == "conj" and not any(x.dep_ in ("dobj", "nsubj", "nsubjpass") for x in c.children)):
                    lemmas.add(c.lemma_.lower())
                    for cc in c.children:
                        if cc.dep_ in ("xcomp", "prt", "oprd", "acomp", "conj", "auxpass"):
                            lemmas.add(cc.lemma_.lower())
                if c.dep_ == "agent":
                    lemmas.add("by")
        if tok.pos_ == "NOUN":
            for c in tok.children:
                if c.dep_ in ("amod", "compound"):
                    lemmas.add(c.lemma_.lower())
        if tok.head is tok:
            break
        if tok.dep_ in ("ccomp", "advcl", "relcl") and verbs:
            break
        if tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and verbs:
            # "killed N people and driven M from their homes": the second verb is
            # its own predicate; only its subject is shared with the first
            verbs.append(tok.head)
            break
        tok = tok.head
    # "killing 50 Russians and ..." / "caused by drone strikes": children of the noun
    if head is not None:
        for c in head.children:
            if c.dep_ in ("acl", "relcl"):
                lemmas.add(c.lemma_.lower())
                for cc in c.children:
                    if cc.dep_ in ("conj", "oprd", "acomp", "prt"):
                        lemmas.add(cc.lemma_.lower())
    return lemmas, verbs


def _subject_of(verbs):
    for v in verbs:
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
        for c in v.children:
            if c.dep_ == "agent":
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return None


def _country_of_np(ctx: ExtractionContext, tok) -> str | None:
    """Country of a noun phrase: its linked actor, nationality modifier or possessor."""
    if tok is None:
        return None
    left = min(t.idx for t in tok.subtree if t.i <= tok.i)
    ent = _entity_at(ctx, left, tok.idx + len(tok.text))
    c = entity_country(ent)
    if c:
        return c
    for ch in tok.children:
        if ch.dep_ in ("amod", "compound", "poss", "nmod") and ch.i < tok.i:
            seg = ch.doc[min(t.i for t in ch.subtree): ch.i + 1]
            text = re.sub(r"['’]s$", "", seg.text)
            c = _country_of_text(text) or _country_of_text(ch.text)
            if c:
                return c
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("GPE", "NORP"):
        seg = tok.doc[min(t.i for t in tok.subtree if t.i <= tok.i): tok.i + 1]
        c = _country_of_text(seg.text) or _country_of_text(tok.text)
        if c:
            return c
    return None


def sentence_countries(ctx: ExtractionContext, sent) -> list[str]:
    codes: set[str] = set()
    for (a, b), eid in ctx.entity_mentions.items():
        if sent.start_char <= a and b <= sent.end_char:
            c = entity_country(ctx.entities.by_id.get(eid))
            if c:
                codes.add(c)
    for ent in ctx.ents_in(sent):
        if ent.label_ in ("GPE", "NORP"):
            c = _country_of_text(ent.text)
            if c:
                codes.add(c)
    for (a, b), pid in ctx.place_mentions.items():
        if sent.start_char <= a and b <= sent.end_char:
            p = ctx.places.by_id.get(pid)
            if p is not None and p.type == "Country" and p.iso_code:
                codes.add(p.iso_code[:2].upper())
    return sorted(codes)


# --------------------------------------------------------------------------------------------
# attribution: whose claim a number is

_RELATIVIZERS = {"which", "who", "whom", "whose", "where", "when"}
_ASIDE_OPENERS = {",", "—", "–", "(", "-", ";"}
# commissive speech acts assert a future act; a past event named inside their content is background
_COMMISSIVE_CUES = {"vow", "threaten", "pledge", "promise", "swear"}
# participles hung on a speech verb that carry on the speaker's account: the speaker's further
# words ("..., comparing it to ...", "..., adding ...") or the outcome of the reported event
# ("X destroyed a hospital, the group said, killing 14"); consequences ("prompting", "sparking")
# are the reporter's and are not listed
_SPEECH_PARTICIPLES = {"add", "compare", "note", "cite", "say", "claim", "describe", "estimate", "put",
                       "report", "warn", "liken", "refer", "insist", "stress", "explain"}
_RESULT_PARTICIPLES = {"kill", "injure", "wound", "destroy", "damage", "leave", "displace", "level"}
_CONFLICT_NOUNS = {"war", "conflict", "insurgency", "insurrection", "siege", "campaign", "occupation", "blockade",
                   "uprising", "offensive", "battle", "fighting", "standoff", "stand-off", "revolt", "rebellion",
                   "invasion", "crisis", "struggle"}
_COMPASS_OF = re.compile(r"(?i)^\s*(?:\([^)]{0,40}\)\s*)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern|ward)?\s+of\b")


def _climb(tok):
    """The token and its ancestors, nearest first."""
    out = [tok]
    while tok.head.i != tok.i:
        tok = tok.head
        out.append(tok)
    return out


def _nonrestrictive(rel) -> bool:
    """A relative clause set off by a comma, dash or bracket and opened by which/who/where/when
    (optionally after a preposition: ", in which ...")."""
    doc = rel.doc
    left = min(t.i for t in rel.subtree)
    first = doc[left]
    if first.lower_ not in _RELATIVIZERS:
        if not (first.dep_ == "prep" and left + 1 < len(doc) and doc[left + 1].lower_ in _RELATIVIZERS):
            return False
    return left > 0 and doc[left - 1].text in _ASIDE_OPENERS


def _opens_relative(tok) -> bool:
    """The clause of ``tok`` opens with a relative word ("whose channel has ...", "in which ...")
    (the parser does not always label such clauses relcl)."""
    doc = tok.doc
    left = tok.left_edge.i
    first = doc[left]
    if first.dep_ == "prep" and left + 1 < len(doc):
        first = doc[left + 1]
    return first.lower_ in _RELATIVIZERS and first.tag_ in ("WDT", "WP", "WP$", "WRB")


def _past_or_modal(verb) -> bool:
    """A clause verb in the simple past ("fell") or under a modal ("would make")."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" for c in auxes):
        return True
    if any(c.lemma_.lower() == "have" for c in auxes):
        return False
    if verb.tag_ == "VBD":
        return True
    return any(c.tag_ == "VBD" and c.lemma_.lower() == "be" for c in auxes)  # "which was captured"


def _inside(tok, a: int, b: int) -> bool:
    return a <= tok.idx and tok.idx + len(tok.text) <= b


def _background_in_statement(ctx: ExtractionContext, nm: NumberMatch, num_tok, head, st) -> str | None:
    """Why a number inside an indirect statement is the reporter's background rather than the
    speaker's claim, or None. Direct quotes are always the speaker's."""
    if st.direct:
        return None
    a, b = st.span.start, st.span.end
    chain = [t for t in _climb(num_tok) if _inside(t, a, b)]
    # a non-restrictive relative clause inside reported speech that tells past history or speculates
    # is the reporter's aside: "the city, which would make it the biggest prize in a war that has
    # killed 250,000", "el-Fasher, which fell in October following an 18-month siege"; one in the
    # present or present perfect carries on the reported situation ("the town, which has brought
    # them to 25 km from the border")
    for t in chain:
        if t.dep_ == "relcl" and _nonrestrictive(t) and _past_or_modal(t):
            return "relative-aside"
    # "X vowed Y would pay for an attack that killed 12 children": the vow asserts the future act;
    # the past attack is described by the reporter
    if (st.cue or "").lower() in _COMMISSIVE_CUES:
        if any(t.dep_ == "relcl" and t.tag_ in ("VBD", "VBN") for t in chain):
            return "background-of-commitment"
    # a locating gloss set off in the sentence: "the town of X — about 60 miles northeast of Y —"
    if nm.unit in DISTANCE_UNITS and _COMPASS_OF.match(ctx.body[nm.end:nm.end + 60]):
        start = nm.qualifier_start if nm.qualifier_start is not None else nm.start
        before = ctx.body[max(0, start - 3):start]
        if re.search(r"[—–(]\s*$", before):
            return "locating-gloss"
    # the age of a war as a descriptor ("the nearly four-year war") in a lede whose attribution
    # trails it ("..., X has said"): the reporter's summary wording, not the speaker's figure
    if (nm.unit in DURATION_UNITS and head is not None and head.lemma_.lower() in _CONFLICT_NOUNS
            and head.i > num_tok.i and (st.cue or "").lower() != "according to"
            and st.speaker_mention is not None and st.speaker_mention.start >= st.span.end
            and not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children)):
        return "descriptor-in-lede"
    return None


def _participle_statement(ctx: ExtractionContext, num_tok):
    """The statement whose speech verb carries the participle clause holding the number:
    "..., the group said Thursday, killing at least N people" / "X called it ..., comparing
    it to the attack in which 90 drones were launched"."""
    for t in _climb(num_tok)[1:]:
        if t.dep_ in ("ccomp", "conj", "parataxis", "xcomp", "csubj") and t.pos_ in ("VERB", "AUX"):
            return None
        if t.dep_ != "advcl":
            continue
        verb = t.head
        if (t.tag_ != "VBG" or t.i < verb.i or verb.pos_ not in ("VERB", "AUX")
                or t.lemma_.lower() not in _SPEECH_PARTICIPLES | _RESULT_PARTICIPLES):
            return None
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None:
            lo = min(x.idx for x in subj.subtree)
            hi = max(x.idx + len(x.text) for x in subj.subtree)
        else:  # a misparse ("Name called ..." read as an apposition): the words just before the verb
            lo, hi = verb.doc[max(verb.sent.start, verb.i - 2)].idx, verb.idx
        for st in ctx.statements:
            sm = st.speaker_mention
            if (st.speaker and sm is not None and (st.cue or "").lower() == verb.lemma_.lower()
                    and sm.start < hi and lo < sm.end):
                return st
        return None
    return None


def _participle_speaker(ctx: ExtractionContext, st):
    """The statement whose speaker a subjectless participle speech verb shares: in "Kyiv said its
    troops are fighting hard – adding Tuesday that the army prevented 52 attacks", "adding" has no
    subject of its own and the enclosing statement's speaker said it."""
    if not st.cue or st.cue.lower() not in _SPEECH_PARTICIPLES:
        return None
    window = ctx.doc.char_span(max(0, st.span.start - 40), st.span.start, alignment_mode="contract")
    if window is None:
        return None
    cue = next((t for t in reversed(window) if t.tag_ == "VBG" and t.lemma_.lower() == st.cue.lower()), None)
    if cue is None or any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
        return None
    outer = [o for o in ctx.statements if o is not st and o.speaker and not o.direct
             and o.span.start <= cue.idx < o.span.end and o.span.end >= st.span.end]
    return min(outer, key=lambda o: o.span.end - o.span.start) if outer else None


_PURPORT_RE = re.compile(
    r"(?i)\b(?P<noun>video|footage|images?|photos?|photographs?|recording|clip|statement|post|message)\b"
    r"[^.;:]{0,60}?\b(?:purport(?:s|ed|ing)?|claim(?:s|ed|ing)?)\s+to\s+show\b[^.;:]*$")


def _purported_by(ctx: ExtractionContext, nm: NumberMatch, num_tok):
    """The source named on a video or statement that purports to show the number: "An X video
    purported to show three tanks destroyed" (a media item claims
    for whoever published it)."""
    sent = num_tok.sent
    m = _PURPORT_RE.search(ctx.body[sent.start_char:nm.start])
    if m is None:
        return None
    noun_at = sent.start_char + m.start("noun")
    best = None
    for (a, b), eid in ctx.entity_mentions.items():
        # the entity names the item: "An Islamic State video", "Hamas's video"
        if sent.start_char <= a < b <= noun_at and re.fullmatch(r"(?:['’]s)?\s*", ctx.body[b:noun_at]):
            best = ctx.entities.by_id.get(eid)
    return best if best is not None and best.type != "Publisher" else None


_HEDGE_VERBS = {"claim", "call", "describe", "bill", "tout", "term", "dub", "say", "allege"}


def _what_x_claims(ctx: ExtractionContext, num_tok):
    """The source of a hedged free relative: "X's unveiling of what it claims to be an
    N-ton submarine", "what Russia calls 5,000 volunteers": (True, source entity or None), or
    (False, None) when the number is not in such a clause. A pronoun source ("it") is the one
    organisation or government named before it in the sentence, else unknown."""
    for t in _climb(num_tok)[1:]:
        if t.pos_ not in ("VERB", "AUX"):
            continue
        if t.lemma_.lower() not in _HEDGE_VERBS:
            if t.dep_ in ("xcomp",):  # "claims to be": climb through the infinitive
                continue
            return False, None
        if not any(c.lower_ == "what" and c.dep_ in ("dobj", "nsubj", "attr") for c in t.children):
            return False, None
        subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return True, None
        if subj.pos_ != "PRON":
            lo = min(x.idx for x in subj.subtree)
            ent = _entity_at(ctx, lo, subj.idx + len(subj.text))
            return True, (ent if ent is not None and ent.type != "Publisher" else None)
        if subj.lower_ != "it":
            return True, None
        sent = num_tok.sent
        named = {eid for (a, b), eid in ctx.entity_mentions.items() if sent.start_char <= a and b <= subj.idx}
        ents = {e.id: e for e in (ctx.entities.by_id.get(x) for x in named)
                if e is not None and e.type not in ("Person", "Publisher")}
        govs = {e.key: e for e in ctx.entities.items if e.key.startswith("government/")}
        for (a, b), pid in ctx.place_mentions.items():
            p = ctx.places.by_id.get(pid)
            if sent.start_char <= a and b <= subj.idx and p is not None and p.type == "Country":
                g = govs.get(f"government/{(p.iso_code or '')[:2].upper()}")
                if g is None:
                    return True, None  # a country named with no government actor: who "it" is stays open
                ents[g.id] = g
        return True, (next(iter(ents.values())) if len(ents) == 1 else None)
    return False, None


def _according_to(ctx: ExtractionContext, num_tok):
    """The entity of an "according to X" whose clause holds the number (the number is not in any
    statement): "JNIM claimed five attacks ..., according to the SITE Intelligence Group"."""
    chain = _climb(num_tok)
    ancestors = {t.i for t in chain}
    for t in num_tok.sent:
        if t.lower_ != "according" or t.head.i not in ancestors:
            continue
        # a relative clause between the number and the attributed clause describes something else
        # ("..., according to X, was Y, whose channel has half a million subscribers")
        below = chain[:[x.i for x in chain].index(t.head.i)]
        if any(x.dep_ in ("relcl", "acl") or (x.pos_ in ("VERB", "AUX") and _opens_relative(x)) for x in below):
            continue
        to = next((c for c in t.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if pobj is None:
            continue
        lo = min(x.idx for x in pobj.subtree)
        hi = pobj.idx + len(pobj.text)
        ent = _entity_at(ctx, lo, hi)
        if ent is not None and ent.type != "Publisher":
            return ent
    return None


def attribute(ctx: ExtractionContext, nm: NumberMatch, num_tok, head, publisher):
    """(claimant id, statement, rule note) of a number: the speaker of the statement whose span
    holds it, unless the number sits in the reporter's background inside that statement; a number
    outside statements is the speaker's when it sits in a participle clause hung on a speech verb
    or under an "according to X", else the publisher's."""
    pub = publisher.id if publisher is not None else None
    st = statement_at(ctx, nm.start, nm.end)
    if st is not None:
        why = _background_in_statement(ctx, nm, num_tok, head, st)
        if why:
            return pub, None, why
        if st.speaker is None:
            outer = _participle_speaker(ctx, st)
            if outer is not None:
                return outer.speaker, st, "participle-shares-subject"
        return st.speaker, st, None
    st = _participle_statement(ctx, num_tok)
    if st is not None:
        return st.speaker, st, "participle-of-speech-verb"
    ent = _according_to(ctx, num_tok)
    if ent is not None:
        return ent.id, None, "according-to"
    ent = _purported_by(ctx, nm, num_tok)
    if ent is not None:
        return ent.id, None, "purported-by-source"
    hedged, ent = _what_x_claims(ctx, num_tok)
    if hedged:
        # the reporter distances themself ("what it claims to be"): the source's, or nobody's
        return (ent.id if ent is not None else None), None, "what-x-claims"
    return pub, None, None


# --------------------------------------------------------------------------------------------
# the step

_LONG_AFTER = re.compile(r"(?i)^\s*(?:\([^)]{0,40}\)\s*)?-?long\b")
_TOLL_NOUNS = {"casualty", "loss", "toll", "fatality"}
_TALLY_VERBS = {"reach", "stand", "total", "exceed", "top", "surpass", "hit", "climb", "rise", "near", "pass",
                "number", "be", "amount"}
_ONE_COUNTS = {"damage", "destroy", "extinguish", "hit", "down", "shoot", "capture", "seize", "sink", "burn"}
_WORD_NEEDS_KIND = ("casualties/", "killed/", "wounded/", "captured/", "prisoners/", "troops/", "drones/",
                    "missiles/", "attacks/", "force-size/", "distance/", "length/", "duration/", "sentence/")


def _date_skips(ctx: ExtractionContext) -> list[tuple[int, int]]:
    try:
        from .dates import iter_dates
    except ImportError:  # pragma: no cover
        return []
    try:
        return [(s, e) for s, e, _dv in iter_dates(ctx.body, ctx.article.date)]
    except Exception:
        return []


def extract_claims(ctx: ExtractionContext) -> None:
    """Append a NumericClaim for every number phrase of the body that states a quantity."""
    body = ctx.body
    doc = ctx.doc
    skip = list(ctx.article.furniture) + _date_skips(ctx)
    matches = find_numbers(body, skip=skip)
    rules = load_kind_rules()
    publisher = publisher_entity(ctx)
    results: list[tuple[NumberMatch, NumericClaim]] = []
    prev_counted: dict[int, tuple] = {}  # sentence start -> (head token, counted text) of the last claim
    for nm in matches:
        if ctx.article.is_furniture(nm.start, nm.end):
            continue
        span_toks = _tok_range(doc, nm.start, nm.end)
        if span_toks is None:
            continue
        sent = span_toks[0].sent
        head = _counted_head(doc, nm)
        inherited = False
        if head is None and nm.unit == "count":
            prev = prev_counted.get(sent.start_char)
            if prev is not None and prev[0] is not None and re.search(r"(?i)\b(?:and|or|to|while|but)\b", body[prev[2]:nm.start]):
                head, inherited = prev[0], True
        if head is not None and nm.unit == "count" and head.lemma_.lower() in _TIME_NOUNS and not (
                head.lemma_.lower() == "time" and not re.match(r"(?i)^\s*times?\s+(?:more|less|as|higher|larger|greater|"
                                                             r"bigger|smaller|lower|over|the)\b", body[nm.end:nm.end + 30])):
            continue  # "every 25 minutes", "30 seconds": a time, not a count; "struck 217 times" is
        num_tok = span_toks[-1]
        if head is None and nm.unit in DISTANCE_UNITS and _LONG_AFTER.match(body[nm.end:nm.end + 60]):
            # "the front line is roughly 600 miles (1,000 kilometers) long": the subject is measured
            verb = next((t for t in _climb(num_tok)[1:] if t.pos_ in ("VERB", "AUX")), None)
            head = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
        counted_lemmas = _counted_lemmas(head)
        gov, verbs = _governors(head if not inherited else num_tok, num_tok)
        if head is not None and not inherited:
            gov |= counted_lemmas
            # "90 civilian deaths and 142 injuries": a toll noun says itself what it counts; the
            # other toll noun it is conjoined with does not
            if head.lemma_.lower() in ("injury", "wound"):
                gov -= {"death", "kill", "die", "dead", "fatality", "life"}
            elif head.lemma_.lower() in ("death", "fatality"):
                gov -= {"injury", "injure", "wound"}
        elif inherited:
            gov |= {head.lemma_.lower()}
        if nm.strong:
            gov.add("strong")
        if nm.unit == "count" and head is None:
            # "a port of roughly 300,000": population; otherwise a bare number is not a claim
            around = {t.lemma_.lower() for t in doc[max(sent.start, num_tok.i - 4): num_tok.i]}
            if around & {"population", "port", "city", "town", "home"}:
                gov |= around
                counted_lemmas = {"people"}
            else:
                subj0 = _subject_of(verbs)
                if subj0 is not None:  # "the death toll was not as high as 80"
                    gov |= {t.lemma_.lower() for t in subj0.subtree if t.i <= subj0.i}
                if not (gov & {"kill", "die", "injure", "wound", "capture", "dead", "death", "toll", "casualty"}):
                    continue
                if subj0 is not None and subj0.lemma_.lower() in _TOLL_NOUNS:
                    # "Russian casualties stood at 620,000": the tally noun is what is counted
                    counted_lemmas = _counted_lemmas(subj0)
        # "Russian losses reached 700,000 troops": the tally noun subject of a tally verb says what
        # the number counts and whose it is
        tally_subj = _subject_of(verbs)
        if tally_subj is not None and not (tally_subj.lemma_.lower() in _TOLL_NOUNS and any(
                v.lemma_.lower() in _TALLY_VERBS for v in verbs[:1])):
            tally_subj = None
        if tally_subj is not None:
            gov |= _counted_lemmas(tally_subj)
        # whose: the counted noun's own country, else the subject of the governing verb
        country = _country_of_np(ctx, head) if head is not None else None
        subj = _subject_of(verbs)
        if country is None and subj is not None and (
                gov & {"suffer", "lose", "launch", "fire", "deploy", "send", "carry", "conduct", "strike",
                       "use", "stage", "mount", "have", "field", "occupy", "gain", "control", "increase",
                       "sustain", "incur"}
                or nm.strong or tally_subj is not None):
            country = _country_of_np(ctx, subj)
        slots: dict[str, str] = {}
        labels: dict[str, str] = {}
        if country:
            slots["country"], labels["country"] = country, _country_name(country)
        place = None
        if nm.unit in DISTANCE_UNITS:
            after = [p for a, b, p in places_in(ctx, nm.end, sent.end_char) if a - nm.end < 60]
            before = [p for a, b, p in places_in(ctx, sent.start_char, nm.start)]
            place = after[0] if after else None
            subject_c = _country_of_np(ctx, subj) if subj is not None else None
            if subject_c and (subj.lemma_.lower() in ("troop", "force", "soldier", "army", "unit") or subject_c):
                slots["subject"], labels["subject"] = subject_c + "-forces", f"{_country_name(subject_c)}'s forces"
            elif before:
                slots["subject"], labels["subject"] = place_slug(before[-1]), before[-1].name
        else:
            place = _clause_place(ctx, sent, verbs, head if not inherited else None)
        if place is not None:
            slots["place"], labels["place"] = place_slug(place), place.name
        noun_lemma = head.lemma_.lower() if head is not None else ""
        if head is not None:
            noun_text = _counted_text(doc, head, nm.end) or head.text
            slots["noun"], labels["noun"] = slug(noun_lemma), noun_text
        parties = sentence_countries(ctx, sent)
        if parties:
            slots["parties"], labels["parties"] = "-".join(parties), " and ".join(_country_name(p) for p in parties)
        sdate = None
        try:
            from .dates import find_date
            sdate = find_date(ctx, sent.start_char, sent.end_char)
        except Exception:
            sdate = None
        if sdate is not None and sdate.precision == "day" and sdate.value:
            slots["date"], labels["date"] = sdate.value, sdate.value
        rule = next((r for r in rules if r.matches(nm.unit, counted_lemmas | ({"none"} if head is None else set()), gov, slots)), None)
        if rule is None:
            continue
        one_counts = head is not None and not inherited and bool(gov & _ONE_COUNTS)
        if nm.is_word and not rule.key.startswith(_WORD_NEEDS_KIND) and (head is None or (nm.value < 2 and not one_counts)):
            continue  # "two", "nine of them" count with a counted noun; a bare "one" does not ("one battery was damaged" does)
        if (nm.is_word and nm.qualifier is None and rule.key.startswith("count/")
                and re.search(r"(?i)\b(?:the|both|its|their|his|her|our|all)\s+$", body[max(0, nm.start - 8):nm.start])):
            continue  # "the two sides", "the two most hardline groups": a reference, not a count
        if nm.is_word and nm.value == 1 and not rule.key.startswith(("killed/", "wounded/", "distance/", "length/", "duration/", "sentence/")) and not (
                head is not None and not inherited and gov & _ONE_COUNTS):
            continue  # "one official said" is no claim; "one battery was damaged", "extinguished one fire" are
        if (nm.unit in DURATION_UNITS and nm.value == 1 and nm.is_word
                and re.search(r"(?i)\bin\s+(?:a\s+single\s+)?$", body[max(0, nm.start - 14):nm.start])):
            continue  # "150 people killed in one week": the window of a count
        kind = fill_template(rule.key, slots, key=True)
        if rule.suffix == "each" and re.match(r"(?i)^[^.;]{0,40}?\beach\b", body[nm.end:nm.end + 50]):
            kind += "/per-side"
        label = fill_template(rule.label, labels, key=False)
        if not kind or kind.endswith("/"):
            continue
        # span: qualifier + number + unit + the counted noun when it follows closely
        start = nm.qualifier_start if nm.qualifier_start is not None else nm.start
        end = nm.end
        if head is not None and not inherited and head.idx >= nm.end and head.idx - nm.end <= 50 and head.sent == sent:
            end = head.idx + len(head.text)
            for c in head.rights:
                if c.dep_ == "prep" and c.lower_ == "of" and labels.get("noun", "").find(" of ") >= 0:
                    pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                    if pobj is not None and pobj.i - head.i <= 3:
                        end = pobj.idx + len(pobj.text)
                    break
        claimant, st, why = attribute(ctx, nm, num_tok, head if not inherited else None, publisher)
        stmt_id = st.id if st is not None else None
        cdate = st.date if st is not None and st.date is not None else sdate
        counted = labels.get("noun") if nm.unit == "count" or rule.key.startswith(("money/", "share/", "mass/", "length/")) else None
        if counted is None:
            counted = label
        confidence = 0.9 if head is not None and not inherited else 0.7
        if rule.key.startswith("count/"):
            confidence -= 0.2
        claim = NumericClaim(
            id="", value=nm.value, unit=nm.unit,
            qualifier=nm.qualifier if nm.qualifier in QUALIFIERS else None,
            qualifier_text=nm.qualifier_text if nm.qualifier in QUALIFIERS else None,
            kind=kind, kind_label=label[:1].upper() + label[1:], counted=counted,
            claimant=claimant, statement=stmt_id, span=ctx.span(start, end),
            date=cdate, confidence=round(confidence, 2),
            rule=f"claims/kinds.tsv:{rule.key}" + (f" claimant:{why}" if why else ""),
        )
        results.append((nm, claim))
        if head is not None:
            prev_counted[sent.start_char] = (head, None, nm.end)
        else:
            prev_counted.setdefault(sent.start_char, (None, None, nm.end))
    _link_equivalents(body, results)
    for n, (_nm, c) in enumerate(results, 1):
        c.id = f"C{n}"
    for nm, c in results:
        if c.equivalent_of is not None:
            c.equivalent_of = next(x.id for m, x in results if m is c.equivalent_of)  # type: ignore[comparison-overlap]
    ctx.claims.extend(c for _nm, c in results)


_DIMENSION = {"km": "length", "mi": "length", "m": "length"}


def _link_equivalents(body: str, results: list) -> None:
    """'20 kilometers (12 miles)', '600-mile-long (1,000-kilometer)': the parenthesised number is
    the same quantity in another unit; it shares the first claim's kind and points to it."""
    for i in range(1, len(results)):
        nm2, c2 = results[i]
        nm1, c1 = results[i - 1]
        if _DIMENSION.get(nm1.unit) is None or _DIMENSION.get(nm1.unit) != _DIMENSION.get(nm2.unit) or nm1.unit == nm2.unit:
            continue
        between = body[nm1.end:nm2.start]
        if not re.fullmatch(r"(?:-long)?\s*(?:\(|,?\s+or)\s*(?:about|some|around|roughly|nearly|almost|over|more than|up to)?\s*",
                            between, re.I):
            continue
        if c2.qualifier is None and c1.qualifier is not None:
            # "about 20 kilometers (12 miles)": the qualifier covers both units
            c2.qualifier, c2.qualifier_text = c1.qualifier, c1.qualifier_text
        first_generic = c1.kind.startswith(("distance", "count/")) and c2.kind.startswith("length/")
        if first_generic:
            c1.kind, c1.kind_label, c1.counted = c2.kind, c2.kind_label, c2.counted
        c2.kind, c2.kind_label, c2.counted = c1.kind, c1.kind_label, c1.counted
        c2.claimant, c2.statement, c2.date = c1.claimant, c1.statement, c1.date
        c2.equivalent_of = nm1  # replaced by the id once ids are given
        c2.rule = "claims/equivalent-unit"
