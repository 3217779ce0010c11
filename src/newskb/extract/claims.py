"""Extraction step: numeric claims — tolls, force sizes, distances, money, shares, durations.

Each number phrase in the body becomes a :class:`~newskb.facts.NumericClaim` with

* ``value`` and ``unit`` (a code of ``newskb/data/units.tsv``: counts, lengths, areas, masses,
  power, temperatures, times, per cent, currencies as ISO 4217 codes, which are also read as
  written before or after a number: "USD 51", "5 trillion KRW"); "m" glued to a bare number is
  metres only where a length is meant ("500m away"), else million ("14m people"); a range ("70% to 80%",
  "$5,690-$11,390", "between 10 and 15") has its minimum in ``value`` and its maximum in
  ``max_value``; a figure stated in two units ("20 kilometers (12 miles)") is one claim whose
  second unit is one of its ``forms``, and a unit outside the annotation list is converted (4,500
  feet are stated in metres, the feet kept as a form);
* ``qualifier`` / ``qualifier_text`` ("over" → ``more-than``, "some" → ``approximately`` …;
  ``newskb/data/qualifier-words.tsv``), which bound the value (``qualifiers.tsv``);
* ``measure`` (``newskb/data/measures.tsv``: killed, wounded, troops, money, distance, share …),
  ``subject`` (whose dead, which force, what share), ``place`` and ``time``; the ``kind`` key is
  built from these parts by the rules of ``newskb/data/kinds.tsv`` (and ``measure-nouns.tsv``
  for plain counts), every part with its own prefix, so that two claims share a kind only when
  they measure the same thing, and one kind key always has one label;
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

Numbers that are not claims are skipped by the rows of ``newskb/data/claim-exclusions.tsv``
(dates and years, times of day, ages, ordinals and positions, labels such as "Article 12", time
windows such as "in the past 24 hours", counts of the text's own lists) and anything inside page
furniture; a small count of a noun that ``measure-nouns.tsv`` does not know is a detail of the
story ("sleeping under three blankets"), not a claim.

Public API: :func:`extract_claims`, :func:`find_numbers` (the number phrases of a text, without
NLP), :func:`parse_value`, :func:`qualifier_of`, :func:`load_kind_rules`, :func:`load_units`,
:func:`load_measures`, :func:`convert`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..facts import NumericClaim, StatedForm
from ..resources import read_table
from .context import ExtractionContext, doc_text
from .places import in_dateline
from .vocabulary import QUALIFIERS

# --------------------------------------------------------------------------------------------
# number phrases (pure text; no NLP). Units, qualifiers and the numbers that are not claims are
# data: newskb/data/units.tsv, qualifier-words.tsv, claim-exclusions.tsv.

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_SMALL)} | _TENS | {"a": 1, "an": 1, "another": 1}
SCALES = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
          "billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12}
_WORDNUM = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
            r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
            r"|sixteen|seventeen|eighteen|nineteen|another|an?)")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# nouns whose age is a claim: "four-year war", "18-month siege", "nearly five-year-old insurrection"
_DURATION_NOUN_RE = (r"(?:wars?|conflicts?|insurgency|insurrection|siege|campaign|occupation|blockade|uprising|"
                     r"offensive|battle|ceasefire|truce|struggle|crisis|fighting|rule|standoff|stand-off|revolt|"
                     r"rebellion|invasion|sentence|term|prison\s+term|jail\s+term|captivity|detention|ban|moratorium)")
_DURATION_OF = re.compile(r"(?i)^(?:-old)?\s+(?:[a-z'’-]+\s+){0,2}?" + _DURATION_NOUN_RE + r"\b")
_TIME_NOUN_RE = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)"


@dataclass(frozen=True)
class Unit:
    """A row of ``newskb/data/units.tsv``."""

    code: str
    dimension: str
    to_base: float
    offset: float
    as_code: str | None
    label: str
    words: str
    prefixes: tuple[str, ...]


@lru_cache(maxsize=1)
def load_units() -> dict[str, Unit]:
    """The units of ``newskb/data/units.tsv`` by code, in table order."""
    out: dict[str, Unit] = {}
    for r in read_table("units.tsv"):
        out[r["code"]] = Unit(r["code"], r["dimension"], float(r["to_base"]), float(r["offset"]),
                              None if r["as"] == "-" else r["as"], r["label"],
                              "" if r["words"] == "-" else r["words"],
                              () if r["prefixes"] == "-" else tuple(r["prefixes"].split("|")))
    return out


def dimension_family(code: str) -> str:
    """The dimension of a unit, with every currency in one family (a figure stated in two
    currencies is one figure: "£5bn ($6.3bn)")."""
    dim = load_units()[code].dimension
    return "money" if dim.startswith("money-") else dim


def convert(value: float, unit: str, to: str) -> float:
    """``value`` in ``unit`` expressed in ``to`` (both of one dimension)."""
    a, b = load_units()[unit], load_units()[to]
    if a.dimension != b.dimension:
        raise ValueError(f"cannot convert {unit} ({a.dimension}) to {to} ({b.dimension})")
    return ((value * a.to_base + a.offset) - b.offset) / b.to_base


def _group(code: str) -> str:
    return "u_" + re.sub(r"\W", "_", code)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    """The number regular expressions, built from the units table: ``number`` (with the look-behind
    that keeps digits inside words and codes out), ``core`` (the same without it, for the second
    number of a range) and ``per`` (a currency after "per"/"a": an exchange rate or a price)."""
    units = load_units()
    unit_alt = "|".join(f"(?P<{_group(u.code)}>{_unit_words(u)})" for u in units.values() if u.words)
    prefixes = sorted({p for u in units.values() for p in u.prefixes}, key=len, reverse=True)
    cur = "|".join([f"(?-i:{c})" for c in _iso_codes()] + [re.escape(p) for p in prefixes])
    body = (r"(?P<cur>" + cur + r")?\s?"
            r"(?:(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
            r"|(?P<dozen>(?:(?:a|two|three|four|five|six)\s+)?dozen)\b"
            r"|(?P<half>half(?:\s+a|-a)?)(?=[\s-](?:million|billion|thousand)\b)"
            r"|(?P<word>" + _WORDNUM + r")\b)"
            r"(?:(?:\s|-)?(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|tn|k|m)\b)?"
            r"(?:(?:\s|-)?(?P<unit>" + unit_alt + r")(?![\w]))?")
    money = "|".join(_unit_words(u) for u in units.values() if u.dimension.startswith("money-"))
    return {"number": re.compile(r"(?<![\w.,/\-−–])" + body, re.I), "core": re.compile(body, re.I),
            "per": re.compile(r"(?i)^\s+(?:per|a|an|against\s+the|to\s+the)\s+(?P<cur>" + money + r")\b"),
            "currency": re.compile(r"(?i)\b(?:" + money + r")\b"),
            "unit_words": re.compile("(?:" + "|".join(_unit_words(u) for u in units.values() if u.words) + ")"),
            "unit_full": re.compile("(?:" + "|".join(_unit_words(u) for u in units.values() if u.words) + ")", re.I),
            "of_unit": re.compile(r"^\s+of\s+(?:" + unit_alt + r")(?![\w])", re.I)}


def _iso_codes() -> list[str]:
    """The ISO 4217 codes of the currencies of units.tsv (read in capitals before or after a number)."""
    return [u.code for u in load_units().values() if u.dimension.startswith("money-") and u.as_code is None]


def _unit_words(u: Unit) -> str:
    """The words of a unit after a number; a currency is also written by its ISO 4217 code."""
    return f"{u.words}|(?-i:{u.code})" if u.code in _iso_codes() else u.words


def _currency_code(word: str) -> str | None:
    for u in load_units().values():
        if u.dimension.startswith("money-") and re.fullmatch(_unit_words(u), word, re.I):
            return u.code
    return None


@lru_cache(maxsize=2)
def _qualifier_words(position: str = "before") -> tuple[tuple[str, str], ...]:
    return tuple((r["words"], r["code"]) for r in read_table("qualifier-words.tsv") if r["position"] == position)


@lru_cache(maxsize=1)
def _qualifier_re() -> re.Pattern:
    words = _qualifier_words()
    return re.compile(r"(?i)(?<![\w])(?P<q>" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w, _ in words)
                      + r")\s+(?:the\s+)?$")


@lru_cache(maxsize=1)
def _trailing_qualifier_re() -> re.Pattern:
    words = _qualifier_words("after")
    # right after the number or after its counted noun ("40,000 people or more"); "+" only glued
    return re.compile(r"(?i)^(?:(?:\s+[a-z'’]+){0,2}?[\s-]*(?P<q>" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                                                                          for w, _ in words)
                      + r")(?![\w])|(?P<plus>\+))")


@dataclass(frozen=True)
class Exclusion:
    """A row of ``newskb/data/claim-exclusions.tsv``: numbers that are not claims."""

    rule: str
    applies: str
    before: re.Pattern | None
    at: str
    after: re.Pattern | None
    unless: re.Pattern | None
    reason: str


@lru_cache(maxsize=1)
def load_exclusions() -> tuple[Exclusion, ...]:
    fill = {"{MONTH}": _MONTH, "{DURATION_NOUN}": _DURATION_NOUN_RE, "{TIME_NOUN}": _TIME_NOUN_RE,
            "{UNIT}": _patterns()["unit_words"].pattern}

    def pat(text: str, anchor: str = "") -> re.Pattern | None:
        if text == "-":
            return None
        for k, v in fill.items():
            text = text.replace(k, v)
        return re.compile(text + anchor, re.I)

    out = []
    for r in read_table("claim-exclusions.tsv", sourced=False):
        if r["applies"] not in _APPLIES:
            raise ValueError(f"claim-exclusions.tsv row {r['rule']!r}: unknown 'applies' {r['applies']!r}")
        out.append(Exclusion(r["rule"], r["applies"], pat(r["before"], "$"), r["at"], pat(r["after"]),
                             pat(r["unless"]), r["reason"]))
    return tuple(out)


@dataclass
class NumberMatch:
    """A number phrase found in text: offsets of the whole phrase (number, scale, unit) and of the
    qualifier before it (if any). A range has ``max_value``; ``forms`` are the same figure stated in
    other units ("20 km (12 miles)"); ``stated`` is the figure as written when its unit was
    converted to one of the annotation list (4,500 feet -> metres)."""

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
    max_value: float | None = None
    num_end: int = 0  # end of the digits or words (before scale and unit)
    scaled: bool = False
    unit_word: str | None = None
    currency: str | None = None
    hyphen_unit: bool = False
    per: str | None = None  # "2.88 per dollar": the currency the value is a price of
    forms: list["NumberMatch"] = field(default_factory=list)
    stated: tuple[float, str] | None = None
    notes: list[str] = field(default_factory=list)


def parse_value(digits: str | None = None, *, word: str | None = None, dozen: str | None = None,
                scale: str | None = None) -> float | None:
    """The value of a number phrase, or None when it is not a finite, sane number."""
    try:
        v = _bare_value(digits, word, dozen)
    except (ValueError, KeyError, OverflowError):
        return None
    if v is None:
        return None
    if scale:
        v *= SCALES.get(scale.lower(), 1.0)
    if not math.isfinite(v) or abs(v) > 1e15:
        return None
    return v


def _bare_value(digits, word, dozen) -> float | None:
    if digits is not None:
        if len(digits.replace(",", "").split(".")[0]) > 15:
            return None
        return float(digits.replace(",", ""))
    if dozen is not None:
        parts = dozen.lower().split()
        return 12.0 * (WORD_VALUES.get(parts[0], 1) if len(parts) > 1 else 1)
    if word is not None:
        w = word.lower()
        if "-" in w:
            a, b = w.split("-", 1)
            return float(_TENS[a] + WORD_VALUES[b])
        return float(WORD_VALUES[w])
    return None


def qualifier_of(before: str) -> tuple[str, str, int] | None:
    """(qualifier code, qualifier words, offset of the words in ``before``) for the text just before
    a number, or None."""
    m = _qualifier_re().search(before)
    if not m:
        return None
    words = m.group("q")
    key = re.sub(r"\s+", " ", words.lower())
    return next(((code, words, m.start("q")) for w, code in _qualifier_words() if w == key), None)


def _unit_of(m: re.Match) -> str | None:
    """The unit code of a number match: its currency symbol, its unit word, else a count."""
    units = load_units()
    if m.group("cur"):
        sym = m.group("cur")
        if sym in units and sym in _iso_codes():
            return sym
        return next((u.code for u in units.values() if sym in u.prefixes or sym.upper() in u.prefixes), None)
    if not m.group("unit"):
        return "count"
    return next((u.code for u in units.values() if u.words and m.group(_group(u.code))), None)


def _number_of(text: str, m: re.Match) -> NumberMatch | None:
    """A NumberMatch for one regular-expression match, before the exclusion rules."""
    digits, word, dozen = m.group("digits"), m.group("word"), m.group("dozen")
    if m.group("half"):
        digits = "0.5"
    scale, unit_word, cur = m.group("scale"), m.group("unit"), m.group("cur")
    metres = bool(scale) and scale.lower() == "m" and not cur and not unit_word and _metres(text, m)
    if metres:  # "500m away" after a bare number is metres; "14m people", "some 19m have fled" millions
        unit_word, scale = scale, None
    core = next(m.start(g) for g in ("digits", "dozen", "half", "word") if m.group(g))
    s = m.start("cur") if cur else core
    value = parse_value(digits, word=word, dozen=dozen, scale=scale)
    unit = "m" if metres else _unit_of(m)
    if value is None or unit is None:
        return None
    num_end = max(m.end(g) for g in ("digits", "dozen", "half", "word") if m.group(g))
    return NumberMatch(start=s, end=m.end(), value=value, unit=unit, text=text[s:m.end()],
                       is_word=word is not None or dozen is not None, num_end=num_end, scaled=bool(scale),
                       unit_word=unit_word, currency=cur,
                       hyphen_unit=bool(m.group("unit")) and text[m.start("unit") - 1:m.start("unit")] == "-",
                       strong=bool(re.match(r"^-strong\b", text[m.end():m.end() + 8])))


# "m" glued to a bare number is metres when a length is what the words around it speak of
# ("500m away", "a 100m-high tower", "within 300m of", "at a depth of 40m"); elsewhere it is the
# common news abbreviation of million ("14m people", "some 19m have fled", "33m of its 50m people")
_METRES_AFTER = re.compile(r"(?i)^(?:-[a-z]|\s+(?:long|high|wide|deep|tall|away|from|off|below|above|across|"
                           r"up|down|underground|underwater|in\s+(?:length|height|width|depth|diameter)|"
                           r"(?:to\s+the\s+)?(?:north|south|east|west)\w*|radius|stretch|"
                           r"altitude|elevation|sprint|race|deep)\b)")
_METRES_BEFORE = re.compile(r"(?i)\b(?:within|distance|depth|height|altitude|elevation|radius|range|length|width|"
                            r"metres?|meters?)\s+(?:of\s+)?(?:about\s+|some\s+|around\s+|nearly\s+|up\s+to\s+|just\s+)?$")


def _metres(text: str, m: re.Match) -> bool:
    """Whether the "m" after a bare number is metres (else million): see _METRES_AFTER."""
    return bool(_METRES_AFTER.match(text[m.end():m.end() + 40])
                or _METRES_BEFORE.search(text[max(0, m.start() - 40):m.start()]))


_APPLIES = {
    "any": lambda nm: True,
    "digits": lambda nm: not nm.is_word,
    "bare-digits": lambda nm: not nm.is_word and nm.unit == "count" and not nm.scaled and not nm.currency,
    "year": lambda nm: (not nm.is_word and nm.unit == "count" and not nm.scaled and re.fullmatch(r"\d{4}", nm.text)
                        is not None and 1800 <= nm.value <= 2100),
    "long-id": lambda nm: (not nm.is_word and nm.unit == "count" and not nm.scaled
                           and re.fullmatch(r"\d{7,}", nm.text) is not None),
    "small-digits": lambda nm: not nm.is_word and nm.value < 120,
    "word": lambda nm: nm.is_word,
    "count": lambda nm: nm.unit == "count",
    "capword": lambda nm: nm.is_word and nm.text[:1].isupper(),
    "word-one": lambda nm: nm.is_word and nm.text.lower() in ("one", "a", "an"),
    "word-bare": lambda nm: nm.is_word and nm.unit == "count" and not nm.scaled,
    "article": lambda nm: (nm.is_word and nm.text.split()[0].lower() in ("a", "an", "another") and not nm.scaled
                           and (_dimension_of(nm.unit) not in ("length", "time")
                                or (nm.unit_word or "").lower() in ("m", "t", "mi", "nm", "ft", "yd", "ha"))),
    "duration": lambda nm: _dimension_of(nm.unit) == "time",
    "article-time": lambda nm: (nm.is_word and nm.text.split()[0].lower() in ("a", "an")
                                and _dimension_of(nm.unit) == "time"),
    "duration-hyphen": lambda nm: _dimension_of(nm.unit) == "time" and nm.hyphen_unit,
    "duration-bare": lambda nm: _dimension_of(nm.unit) == "time" and nm.qualifier is None,
}


def _dimension_of(code: str) -> str:
    return load_units()[code].dimension


def excluded_by(text: str, nm: NumberMatch) -> Exclusion | None:
    """The first row of claim-exclusions.tsv that says the number phrase is not a claim."""
    before = text[max(0, nm.start - 60):nm.start]
    for ex in load_exclusions():
        if not _APPLIES[ex.applies](nm):
            continue
        if ex.before is not None and not ex.before.search(before):
            continue
        pos = nm.num_end if ex.at == "number" else nm.end
        after = text[pos:pos + 80]
        if ex.after is not None and not ex.after.match(after):
            continue
        if ex.unless is not None and ex.unless.match(after):
            continue
        return ex
    return None


_RANGE_JOIN = re.compile(r"(?i)\s*(?:-|–|—|to|and)\s*")


def _range_end(text: str, nm: NumberMatch) -> NumberMatch | None:
    """The second number of a range that starts with ``nm`` ("70% to 80%", "$5,690-$11,390",
    "between 10 and 15", "5 to 10 million"), or None. "from 10 to 15" is a change, "by 5% to 10%"
    a change and a level, and "0.4 percent to 2.88" two quantities."""
    j = _RANGE_JOIN.match(text, nm.end)
    if j is None or nm.strong:
        return None
    joiner = j.group(0).strip().lower()
    lead = text[max(0, (nm.qualifier_start or nm.start) - 12):nm.qualifier_start or nm.start].lower()
    if joiner == "and" and not re.search(r"\bbetween\s+$", lead):
        return None
    if (joiner == "to" and re.search(r"\b(?:from|by)\s+$", lead)) or (joiner == "-" and j.group(0) != "-"):
        return None  # "from 10 to 15" is a change; "10 - 15" spaced is rather a score or a list
    m = _patterns()["core"].match(text, j.end())
    if m is None or (m.group("word") and not nm.is_word) or (nm.is_word and not m.group("word")):
        return None
    hi = _number_of(text, m)
    if hi is None:
        return None
    if nm.unit != hi.unit and not (nm.unit == "count" and not nm.currency):
        return None
    lo_value = nm.value
    if not nm.scaled and hi.scaled:  # "5 to 10 million": the scale covers both
        lo_value = nm.value * SCALES.get((m.group("scale") or "").lower(), 1.0)
    if not lo_value < hi.value:
        return None
    hi.value, hi.max_value = lo_value, hi.value
    return hi


def _merge_range(nm: NumberMatch, hi: NumberMatch, text: str) -> None:
    nm.value, nm.max_value = hi.value, hi.max_value
    nm.unit, nm.end, nm.text = hi.unit, hi.end, text[nm.start:hi.end]
    nm.unit_word, nm.currency = hi.unit_word or nm.unit_word, hi.currency or nm.currency
    nm.strong = hi.strong


def _add_qualifier(text: str, nm: NumberMatch) -> None:
    q = qualifier_of(text[max(0, nm.start - 40):nm.start])
    if q:
        code, words, off = q
        nm.qualifier, nm.qualifier_text = code, words
        nm.qualifier_start = max(0, nm.start - 40) + off
        return
    m = _trailing_qualifier_re().match(text[nm.end:nm.end + 40])
    if m is not None:  # "20 km or more", "10,000-plus", "10,000+"
        words = re.sub(r"\s+", " ", (m.group("q") or "plus").lower())
        nm.qualifier = next((c for w, c in _qualifier_words("after") if w == words), "at-least")
        nm.qualifier_text = m.group("q") or m.group("plus")


def _normalise_unit(nm: NumberMatch) -> None:
    """A unit outside the annotation list is converted to the one it names in units.tsv's 'as'
    column (4,500 feet -> 1,371.6 m); the figure as written is kept in ``stated``. When the article
    itself gives the figure in that unit ("3,000 acres (12.14 sq km)"), its own number is kept."""
    unit = load_units()[nm.unit]
    if unit.as_code is None:
        return
    own = next((f for f in nm.forms if f.unit == unit.as_code), None)
    if own is not None:
        nm.stated = (nm.value, nm.unit)
        nm.value, nm.max_value, nm.unit = own.value, own.max_value, own.unit
        nm.forms.remove(own)
        return
    nm.stated = (nm.value, nm.unit)
    nm.value = round(convert(nm.value, nm.unit, unit.as_code), 6)
    if nm.max_value is not None:
        nm.max_value = round(convert(nm.max_value, nm.unit, unit.as_code), 6)
    nm.unit = unit.as_code


def _price_unit(text: str, nm: NumberMatch) -> None:
    """"2.88 per dollar", "$80 a barrel": a price. A bare number priced against a currency is in
    the currency named before it in its clause ("the lira ... to 2.88 per dollar")."""
    m = _patterns()["per"].match(text[nm.end:nm.end + 40])
    if m is None:
        return
    nm.per = _currency_code(m.group("cur"))
    if nm.unit == "count":
        clause = re.split(r"[.;!?]\s", text[max(0, nm.start - 120):nm.start])[-1]
        named = [c for c in (_currency_code(w.group(0)) for w in _patterns()["currency"].finditer(clause))
                 if c and c != nm.per]
        if named:
            nm.unit = named[-1]


def find_numbers(text: str, *, skip: list[tuple[int, int]] | None = None) -> list[NumberMatch]:
    """Every number phrase of ``text`` that may be a claim, in order: ranges as one phrase, a
    figure stated in two units as one phrase with ``forms``. ``skip`` lists stretches (dates,
    furniture) whose numbers are not claims. Never raises on odd input ("1e309")."""
    skip = skip or []
    out: list[NumberMatch] = []
    pos = 0
    for m in _patterns()["number"].finditer(text):
        if m.start() < pos:
            continue
        nm = _number_of(text, m)
        if nm is None or any(a <= nm.start < b for a, b in skip):
            continue
        _add_qualifier(text, nm)
        hi = _range_end(text, nm)
        if excluded_by(text, nm) is not None:  # the first number alone: "2014-2016" are years
            pos = hi.end if hi is not None else pos
            continue
        if hi is not None:
            _merge_range(nm, hi, text)
            pos = nm.end
            if excluded_by(text, nm) is not None:
                continue
        _price_unit(text, nm)
        out.append(nm)
    vague = _vague_numbers(text, skip)
    # a number word inside a longer figure without digits is part of it ("one-fifth of", "two-thirds of")
    out = [n for n in out if not any(v.start <= n.start and n.end <= v.end and v.end - v.start > n.end - n.start
                                     for v in vague)]
    taken = [(n.start, n.end) for n in out]
    out += [n for n in vague if not any(n.start < b and a < n.end for a, b in taken)]
    out.sort(key=lambda n: n.start)
    joined = _join_forms(text, out)
    for nm in joined:
        _normalise_unit(nm)
    return joined


@lru_cache(maxsize=1)
def _vague_rows() -> tuple[tuple[re.Pattern, re.Pattern | None, float, str, str | None], ...]:
    return tuple((re.compile(r"(?i)(?<![\w-])(?:" + r["words"] + r")(?![\w-])"),
                  None if r["follow"] == "-" else re.compile(r["follow"], re.I), float(r["value"]), r["unit"],
                  None if r["qualifier"] == "-" else r["qualifier"]) for r in read_table("vague-numbers.tsv"))


def _vague_numbers(text: str, skip: list[tuple[int, int]]) -> list[NumberMatch]:
    """"hundreds of", "tens of thousands", "a third of": figures written without digits
    (``newskb/data/vague-numbers.tsv``)."""
    out: list[NumberMatch] = []
    taken: list[tuple[int, int]] = []
    for pat, follow, value, unit, qual in _vague_rows():
        for m in pat.finditer(text):
            s, e = m.start(), m.end()
            if any(a <= s < b for a, b in skip) or any(s < b and a < e for a, b in taken):
                continue
            if follow is not None and not follow.match(text[e:e + 40]):
                continue
            taken.append((s, e))
            nm = NumberMatch(start=s, end=e, value=value, unit=unit, text=text[s:e], num_end=e, scaled=True)
            m_unit = _patterns()["of_unit"].match(text[e:e + 40])
            if m_unit is not None and unit == "count":  # "hundreds of miles", "millions of dollars"
                nm.unit = next((u.code for u in load_units().values() if u.words and m_unit.group(_group(u.code))),
                               unit)
                nm.end = e + m_unit.end()
                nm.text = text[s:nm.end]
            _add_qualifier(text, nm)
            if nm.qualifier is None and qual is not None:
                nm.qualifier, nm.qualifier_text = qual, text[s:e]
            if excluded_by(text, nm) is None:
                out.append(nm)
    return out


_FORM_JOIN = re.compile(r"(?i)(?:-long)?\s*(?:\(|,?\s+or|/)\s*")


def _join_forms(text: str, found: list[NumberMatch]) -> list[NumberMatch]:
    """"20 kilometers (12 miles)", "30 miles, or 48 km", "600-mile-long (1,000-kilometer)": the
    second number is the same figure in another unit of the same dimension; it becomes a form
    of the first (one claim), which lends it its qualifier when it has none."""
    out: list[NumberMatch] = []
    for nm in found:
        prev = out[-1] if out else None
        if prev is not None and _same_figure(text, prev, nm):
            if nm.qualifier is None:
                nm.qualifier, nm.qualifier_text = prev.qualifier, prev.qualifier_text
            prev.forms.append(nm)
            continue
        out.append(nm)
    return out


def _same_figure(text: str, a: NumberMatch, b: NumberMatch) -> bool:
    ua, ub = a.stated[1] if a.stated else a.unit, b.stated[1] if b.stated else b.unit
    if ua == ub or a.unit == "count" or dimension_family(a.unit) != dimension_family(b.unit):
        return False
    between = text[a.end:b.qualifier_start if b.qualifier_start is not None else b.start]
    return _FORM_JOIN.fullmatch(between) is not None
# --------------------------------------------------------------------------------------------
# kind rules (newskb/data/kinds.tsv)

@dataclass(frozen=True)
class Measure:
    """A row of ``newskb/data/measures.tsv``."""

    code: str
    dimension: str
    time: str  # 'period' or 'instant'
    window: int  # days
    label: str
    definition: str


@lru_cache(maxsize=1)
def load_measures() -> dict[str, Measure]:
    """The measures of ``newskb/data/measures.tsv`` by code."""
    return {r["code"]: Measure(r["code"], r["dimension"], r["time"], int(r["window"]), r["label"], r["definition"])
            for r in read_table("measures.tsv")}


@lru_cache(maxsize=1)
def load_measure_nouns() -> dict[str, str]:
    """Counted-noun lemma -> measure code (``newskb/data/measure-nouns.tsv``)."""
    return {r["lemma"]: r["measure"] for r in read_table("measure-nouns.tsv")}


@lru_cache(maxsize=1)
def thing_nouns() -> frozenset[str]:
    """Lemmas of ``measure-nouns.tsv`` that count things, not people (column ``counts``)."""
    return frozenset(r["lemma"] for r in read_table("measure-nouns.tsv") if r["counts"] == "things")


@dataclass(frozen=True)
class KindRule:
    measure: str  # a measure code, or '*' for the counted noun's measure
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


def _rule_units(text: str, row: str) -> frozenset[str]:
    units = load_units()
    out: set[str] = set()
    for u in text.split("|"):
        if u == "*money":
            out |= {c for c, x in units.items() if x.dimension.startswith("money-") and x.as_code is None}
        elif u in units:
            out.add(u)
        else:
            raise ValueError(f"kinds.tsv row {row!r}: unknown unit code {u!r} (see newskb/data/units.tsv)")
    return frozenset(out)


@lru_cache(maxsize=1)
def load_kind_rules() -> tuple[KindRule, ...]:
    """The rows of ``newskb/data/kinds.tsv`` in order."""
    measures = load_measures()
    rules = []
    for r in read_table("kinds.tsv", sourced=False):
        if r["measure"] != "*" and r["measure"] not in measures:
            raise ValueError(f"kinds.tsv row {r['key']!r}: unknown measure {r['measure']!r} (see measures.tsv)")
        items = r["counted"].split("|")
        excluded = frozenset(x[1:] for x in items if x.startswith("!"))
        items = [x for x in items if not x.startswith("!")]
        counted = None if "*" in items else frozenset(items)
        cues = None if r["cues"] == "*" else tuple(frozenset(a.split("+")) for a in r["cues"].split("|"))
        needs = frozenset() if r["needs"] == "-" else frozenset(r["needs"].split("|"))
        rules.append(KindRule(r["measure"], r["key"], r["label"], _rule_units(r["units"], r["key"]), counted,
                              excluded, cues, needs, None if r["suffix"] == "-" else r["suffix"]))
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
    # a country that is the subject of the verb acts ("Ukraine carried out 12 attacks in Russia"):
    # it says whose the quantity is, not where it is
    actors = [c for v in verbs[:1] for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
    actors += [x for c in actors for x in c.children if x.dep_ in ("poss", "compound")]  # "Russia's forces"
    spans = [(min(x.idx for x in c.subtree if x.i <= c.i), c.idx + len(c.text)) for c in actors]
    found = [x for x in found if not any(lo <= x[0] and x[1] <= hi for lo, hi in spans)]
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
                "per", "hr", "hrs", "degree", "celsius", "fahrenheit", "square", "sq",
                # fractions read as per cent (vague-numbers.tsv): "fell by a quarter" counts no quarters
                "half", "third", "quarter", "fifth", "tenth"}


def _is_unit_word(tok) -> bool:
    """A unit or scale word ("miles", "million", "per", "lira") is never the counted noun."""
    return tok.lemma_.lower() in _UNIT_LEMMAS or _unit_word_text(tok.lower_) or _unit_word_text(tok.text)


@lru_cache(maxsize=4096)
def _unit_word_text(word: str) -> bool:
    return _patterns()["unit_full"].fullmatch(word) is not None


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
        return _strong_head(doc, span)
    last = span[-1]
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    special = _head_by_form(doc, nm, span, nxt)
    if special is not False:
        return special
    return _climb_to_noun(span, last)


def _of_pobj(tok):
    """The object of an "of" token, or None."""
    return next((x for x in tok.children if x.dep_ == "pobj"), None) if tok is not None else None


def _strong_head(doc, span):
    """"10,000-strong deployment of North Korean troops" / "Russia's 50,000-strong force"."""
    for t in doc[span.end: min(len(doc), span.end + 4)]:
        if t.lower_ != "strong":
            continue
        head = t.head if t.dep_ == "amod" else None
        if head is None:
            head = next((x for x in doc[t.i + 1:t.i + 4] if x.pos_ in ("NOUN", "PROPN")), None)
        if head is not None and head.lemma_.lower() in ("deployment", "contingent", "group", "unit", "detachment"):
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            return _of_pobj(of) or head
        return head
    return None


def _head_by_form(doc, nm: NumberMatch, span, nxt):
    """The counted noun the number's own form names, None when the form says there is none, or
    False to climb the parse: "three of us", "a four-year war", "hundreds of people", "20% of X"."""
    if nxt is not None and nxt.lower_ == "of" and nxt.i + 1 < len(doc) and doc[nxt.i + 1].pos_ == "PRON":
        return doc[nxt.i + 1]  # "three of us", "nine of them": the pronoun is what is counted
    after = doc_text(doc)[nm.end:nm.end + 60]
    if _dimension_of(nm.unit) == "time" and _DURATION_OF.match(after):
        m = re.search(_DURATION_NOUN_RE, after, re.I)  # "four-year war": the war is what is measured
        sp = doc.char_span(nm.end + m.start(), nm.end + m.end(), alignment_mode="expand") if m else None
        if sp is not None:
            return sp[-1]
    of_noun = _of_pobj(nxt) if nxt is not None and nxt.lower_ == "of" else None
    if nm.scaled and not span[-1].like_num and nxt is not None and nxt.lower_ == "of":
        # "hundreds of people", "tens of thousands of troops": the noun after "of" is counted
        return of_noun if of_noun is not None and of_noun.pos_ in ("NOUN", "PROPN") else None
    if nm.unit == "percent" and of_noun is not None and of_noun.pos_ in ("NOUN", "PROPN"):
        return of_noun  # "20% of Ukraine's territory": the share is of the noun after "of"
    return False


def _counted_noun(tok) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and not _is_unit_word(tok) and not tok.like_num


def _climb_to_noun(span, last):
    """Climb from the number (or unit) to the noun it quantifies; None when it stands alone
    ("injured more than 20") or hangs on something before it ("of roughly 300,000")."""
    tok = last
    for _ in range(4):
        if _counted_noun(tok):
            return tok
        if not (tok.dep_ in _QUANT_DEPS or tok.dep_ == "appos" or (tok.like_num and tok.dep_ != "ROOT")):
            break
        nxt = tok.head
        if nxt.i == tok.i:  # the root (spaCy makes a new Token on each access: compare indices)
            break
        if nxt.i < span.start - 3 and (_is_unit_word(tok) or tok.like_num):
            return None
        if nxt.pos_ in ("VERB", "AUX", "ADP"):
            return None
        tok = nxt
    return tok if _counted_noun(tok) else None


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
             and not _is_unit_word(t) and t.lower_ not in ("strong", "long", "kilometer", "kilometre")]
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
        if tok.head.i == tok.i:  # the root (Token objects are made on access: never compare with `is`)
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
        # a participle gloss on an apposition ("X, a teacher jailed for 12 years, is not part of
        # the swap, her lawyer said"): the reporter introduces the person, the speaker does not
        if t.dep_ == "acl" and t.tag_ == "VBN" and t.head.dep_ == "appos":
            return "appositive-aside"
    # "X vowed Y would pay for an attack that killed 12 children": the vow asserts the future act;
    # the past attack is described by the reporter
    if (st.cue or "").lower() in _COMMISSIVE_CUES:
        if any(t.dep_ == "relcl" and t.tag_ in ("VBD", "VBN") for t in chain):
            return "background-of-commitment"
    # a locating gloss set off in the sentence: "the town of X — about 60 miles northeast of Y —"
    if _dimension_of(nm.unit) == "length" and _COMPASS_OF.match(ctx.body[nm.end:nm.end + 60]):
        start = nm.qualifier_start if nm.qualifier_start is not None else nm.start
        before = ctx.body[max(0, start - 3):start]
        if re.search(r"[—–(]\s*$", before):
            return "locating-gloss"
    # the age of a war as a descriptor ("the nearly four-year war") in a lede whose attribution
    # trails it ("..., X has said"): the reporter's summary wording, not the speaker's figure
    if (_dimension_of(nm.unit) == "time" and head is not None and head.lemma_.lower() in _CONFLICT_NOUNS
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
        # "what the ministry says was a shipment on two boats": the hedge is the clausal subject
        t = next((c for c in t.children if c.dep_ == "csubj" and c.lemma_.lower() in _HEDGE_VERBS), t)
        if t.lemma_.lower() not in _HEDGE_VERBS:
            if t.dep_ in ("xcomp",):  # "claims to be": climb through the infinitive
                continue
            return False, None
        if not any(c.lower_ == "what" and c.dep_ in ("dobj", "nsubj", "attr") for c in t.children):
            return False, None
        subj = next((c for c in t.children if c.dep_ == "nsubj" and c.lower_ != "what"), None)
        if subj is None:
            return True, None
        if subj.pos_ != "PRON":
            return True, _author_of(ctx, subj)
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


@lru_cache(maxsize=2)
def _source_words(role: str) -> frozenset[str]:
    """Verbs by which a source gives a figure it found or forecasts ('verb'), and nouns of documents
    that give figures ('document'): ``newskb/data/claim-sources.tsv``."""
    return frozenset(r["lemma"] for r in read_table("claim-sources.tsv") if r["role"] == role)


@lru_cache(maxsize=1)
def _source_needs() -> dict[str, str]:
    """The preposition a verb of ``claim-sources.tsv`` needs to give a figure ("put ... at")."""
    return {r["lemma"]: r["needs"].split(":", 1)[1] for r in read_table("claim-sources.tsv")
            if r["role"] == "verb" and r["needs"].startswith("prep:")}


def _gives_figure(verb) -> bool:
    """``verb`` is a verb of finding (``claim-sources.tsv``) with what its row needs."""
    lemma = verb.lemma_.lower()
    if lemma not in _source_words("verb"):
        return False
    prep = _source_needs().get(lemma)
    return prep is None or any(c.dep_ == "prep" and c.lower_ == prep for c in verb.children)


def _source_of(ctx: ExtractionContext, num_tok):
    """The source whose finding the number is, outside any statement: "the monitor recorded 30
    deaths", "a report by the agency found 300,000 ...", "UN figures show ...", "the agency's survey
    put the number at ..." (the subject of a verb of finding, or the author of the document that is
    its subject); a figure of the source's own document: "the bank's forecast of 1.8%", "the
    institute cut its forecast to 0.8%" (``claim-sources.tsv``). None when no named actor is found
    there."""
    documents = _source_words("document")
    for t in _climb(num_tok)[1:]:
        if t.dep_ in ("relcl", "acl") or (t.pos_ in ("VERB", "AUX") and _opens_relative(t)):
            return None  # a relative clause describes something else
        if t.pos_ == "NOUN" and t.lemma_.lower() in documents:
            ent = _author_of(ctx, t)
            if ent is not None:
                return ent
        if t.pos_ != "VERB":
            continue
        subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
        if subj is None and t.dep_ == "xcomp":
            # object control: "urged the lender to lower its outlook to 2%" (the lender lowers)
            subj = next((c for c in t.head.children if c.dep_ == "dobj"), None)
        if not _gives_figure(t):
            if subj is not None and any(c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in documents
                                        for c in t.children):
                return _author_of(ctx, subj)  # "the institute cut its forecast to 0.8%"
            if t.dep_ in ("ccomp", "xcomp"):
                continue
            return None
        return _author_of(ctx, subj) if subj is not None else None
    return None


def _author_of(ctx: ExtractionContext, subj):
    """The named actor a subject stands for: itself, or the author of the document it names
    ("a report by X", "X's survey", "UN figures")."""
    if subj.lemma_.lower() in _source_words("document"):
        for c in subj.children:
            pobj = _of_pobj(c) if c.dep_ == "prep" and c.lower_ in ("by", "from", "of") else None
            if c.dep_ in ("poss", "compound", "nmod"):
                pobj = c
            if pobj is not None:
                lo = min(x.idx for x in pobj.subtree)
                ent = _entity_at(ctx, lo, max(x.idx + len(x.text) for x in pobj.subtree))
                if ent is not None and ent.type != "Publisher":
                    return ent
        return None
    lo = min(x.idx for x in subj.subtree)
    hi = subj.idx + len(subj.text)
    ent = _entity_at(ctx, lo, hi)
    if ent is None and subj.pos_ in ("NOUN", "PROPN"):
        # a source named only here ("Analysts think there are ..."): the actor the phrase names,
        # registered as a statement's speaker phrase would be
        from .actors import resolve_phrase
        ent, _how = resolve_phrase(ctx, lo, hi, subj.idx)
    return ent if ent is not None and ent.type != "Publisher" else None


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


_QUOTE_OPENERS = ('"', "“")


def _introduced_quote(ctx: ExtractionContext, at: int):
    """The statement that introduces, with a colon ending its paragraph, the quote paragraph holding
    ``at`` (through other quote paragraphs): "X said the plant could not run:" followed by
    paragraphs that are only quotes; the quotes are X's."""
    body = ctx.body
    cut = body.rfind("\n\n", 0, at)
    start = cut + 2 if cut >= 0 else 0
    for _ in range(4):  # the paragraph of the number and at most three quote paragraphs before it
        if not body[start:start + 8].lstrip().startswith(_QUOTE_OPENERS) or start < 2:
            return None
        end = start - 2
        prev = body.rfind("\n\n", 0, end)
        prev = prev + 2 if prev >= 0 else 0
        text = body[prev:end].strip()
        if text.endswith(":"):
            said = [st for st in ctx.statements if st.speaker and prev <= st.span.start < end]
            return max(said, key=lambda st: st.span.start) if said else None
        start = prev
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
            # a statement with no speaker may still cite the figure's own source in its clause
            ent = _according_to(ctx, num_tok) or _source_of(ctx, num_tok)
            if ent is not None:
                return ent.id, st, "source-in-statement"
        return st.speaker, st, None
    st = _introduced_quote(ctx, nm.start)
    if st is not None:
        return st.speaker, st, "quote-introduced-by-colon"
    st = _participle_statement(ctx, num_tok)
    if st is not None:
        return st.speaker, st, "participle-of-speech-verb"
    ent = _according_to(ctx, num_tok)
    if ent is not None:
        return ent.id, None, "according-to"
    ent = _source_of(ctx, num_tok)
    if ent is not None:
        return ent.id, None, "source-found"
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
_TOLL_CUES = {"kill", "die", "injure", "wound", "capture", "dead", "death", "toll", "casualty", "missing",
              "flee", "displace", "evacuate", "uproot", "drive"}
# verbs after which a bare number still counts the previous number's noun ("killed 20 people and wounded 50")
_TOLL_VERBS = {"kill", "wound", "injure", "die", "capture", "arrest", "detain", "abduct", "kidnap", "hurt", "maim"}
_TALLY_VERBS = {"reach", "stand", "total", "exceed", "top", "surpass", "hit", "climb", "rise", "near", "pass",
                "number", "be", "amount"}
# verbs whose subject is what lasts ("the war has lasted eight years": a duration of the war)
_LASTING_VERBS = {"last", "rage", "drag", "continue", "run"}
_ONE_COUNTS = {"damage", "destroy", "extinguish", "hit", "down", "shoot", "capture", "seize", "sink", "burn"}
# verbs whose subject owns the counted quantity ("Russia launched 40 missiles", "Ukraine lost 1,000")
_OWNER_VERBS = {"suffer", "lose", "launch", "fire", "deploy", "send", "carry", "conduct", "strike", "use", "stage",
                "mount", "have", "field", "occupy", "gain", "control", "increase", "sustain", "incur"}
# measures a number word ("two", "nine of them") is a claim of even with a small value or no counted noun
_WORD_MEASURES = {"casualties", "killed", "wounded", "missing", "detained", "troops", "weapons", "attacks",
                  "distance", "duration", "buildings", "displaced"}
_ONE_MEASURES = {"killed", "wounded", "distance", "duration"}
# measures of things (measure-nouns.tsv): a count of such a noun is never one of people, whatever verb governs it
_THING_MEASURES = {"weapons", "buildings", "attacks"}
# measures of the percent rows of kinds.tsv that read a change or a growth rate from the verb
_CHANGE_MEASURES = {"price", "other"}
# measures that count people (measures.tsv): a count of things (measure-nouns.tsv 'counts') is none of them
_PEOPLE_MEASURES = {"killed", "wounded", "casualties", "missing", "detained", "displaced", "troops", "population",
                    "votes"}
_DETAIL_MAX = 10  # a count of a noun measure-nouns.tsv does not know, below this, is a detail of the story
_POPULATION_CUES = {"population", "port", "city", "town", "home"}


def _date_skips(ctx: ExtractionContext) -> list[tuple[int, int]]:
    try:
        from .dates import iter_dates
    except ImportError:  # pragma: no cover
        return []
    try:
        return [(s, e) for s, e, _dv in iter_dates(ctx.body, ctx.article.date)]
    except Exception:
        return []


@dataclass
class _Reading:
    """What the parse says about one number phrase."""

    nm: NumberMatch
    sent: object
    num_tok: object
    head: object | None  # the counted noun
    inherited: bool  # the counted noun is the previous number's ("20 killed and 50 wounded")
    counted: set[str]  # lemmas of the counted noun and its modifiers
    gov: set[str]  # lemmas governing the number
    verbs: list
    part: bool = False  # "three doctors were among the dead": a part of a toll, another quantity
    part_of_set: bool = False  # "16 people held, including four Americans": a part of a stated whole


@dataclass
class _Step:
    ctx: ExtractionContext
    publisher: object
    prev: dict = field(default_factory=dict)  # sentence start -> (head token, end of the last number)


def extract_claims(ctx: ExtractionContext) -> None:
    """Append a NumericClaim for every number phrase of the body that states a quantity."""
    skip = list(ctx.article.furniture) + _date_skips(ctx)
    step = _Step(ctx, publisher_entity(ctx))
    claims: list[NumericClaim] = []
    for nm in find_numbers(ctx.body, skip=skip):
        if ctx.article.is_furniture(nm.start, nm.end):
            continue
        claim = _claim(step, nm)
        if claim is not None:
            claim.id = f"C{len(claims) + 1}"
            claims.append(claim)
    ctx.claims.extend(claims)


def _inherit(step: _Step, nm: NumberMatch, sent):
    """"killed 20 and wounded 50": a bare count after a counted one in its sentence counts the same
    noun when a conjunction joins them."""
    prev = step.prev.get(sent.start_char)
    if prev is None or prev[0] is None or not re.search(r"(?i)\b(?:and|or|to|while|but)\b",
                                                          step.ctx.body[prev[1]:nm.start]):
        return None
    between = step.ctx.doc.char_span(prev[1], nm.start, alignment_mode="contract")
    if between is not None and any(t.pos_ == "VERB" and t.lemma_.lower() not in _TOLL_VERBS for t in between):
        return None  # "claimed 400,000 lives and sent millions fleeing": another verb, another count
    return prev[0]


def _is_time_count(body: str, nm: NumberMatch, head) -> bool:
    """"every 25 minutes", "30 seconds": a time, not a count; "struck 217 times" is a count."""
    lemma = head.lemma_.lower()
    if nm.unit != "count" or lemma not in _TIME_NOUNS:
        return False
    return lemma != "time" or bool(re.match(r"(?i)^\s*times?\s+(?:more|less|as|higher|larger|greater|bigger|"
                                            r"smaller|lower|over|the)\b", body[nm.end:nm.end + 30]))


def _read(step: _Step, nm: NumberMatch) -> _Reading | None:
    ctx, body = step.ctx, step.ctx.body
    span_toks = _tok_range(ctx.doc, nm.start, nm.end)
    if span_toks is None:
        return None
    sent, num_tok = span_toks[0].sent, span_toks[-1]
    head, inherited = _counted_head(ctx.doc, nm), False
    if head is None and nm.unit == "count":
        head = _inherit(step, nm, sent)
        inherited = head is not None
    if head is not None and _is_time_count(body, nm, head):
        return None
    if head is None and _dimension_of(nm.unit) == "length" and _LONG_AFTER.match(body[nm.end:nm.end + 60]):
        # "the front line is roughly 600 miles (1,000 kilometers) long": the subject is measured
        verb = next((t for t in _climb(num_tok)[1:] if t.pos_ in ("VERB", "AUX")), None)
        head = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
    r = _Reading(nm, sent, num_tok, head, inherited, _counted_lemmas(head), set(), [])
    r.gov, r.verbs = _governors(head if not inherited else num_tok, num_tok)
    _own_cues(r)
    _set_cues(r)
    _set_part_of(r)
    if nm.unit == "count" and head is None and not _headless_count(ctx, r):
        return None
    _tally_subject(r)
    return r


def _own_cues(r: _Reading) -> None:
    """The counted noun is its own cue ("casualties", "deaths"); "90 civilian deaths and 142
    injuries": a toll noun says itself what it counts, the other toll noun it is conjoined with does
    not."""
    if r.head is not None and not r.inherited:
        r.gov |= r.counted
        lemma = r.head.lemma_.lower()
        if lemma in ("injury", "wound"):
            r.gov -= {"death", "kill", "die", "dead", "fatality", "life"}
        elif lemma in ("death", "fatality"):
            r.gov -= {"injury", "injure", "wound"}
    elif r.inherited:
        r.gov.add(r.head.lemma_.lower())
    if r.nm.unit == "percent":
        # "cut its growth forecast to 0.8%": the verb's arguments say what the rate is of
        for v in r.verbs[:1]:
            for c in v.children:
                if c.dep_ in ("dobj", "nsubj", "nsubjpass"):
                    r.gov |= {c.lemma_.lower()} | {x.lemma_.lower() for x in c.children if x.dep_ in ("compound", "amod")}
                    # "cut its forecast for growth to 0.8%": what a forecast or estimate is of
                    r.gov |= {x.lemma_.lower() for x in _prep_objects(c, ("for", "of"))}
    if r.nm.strong:
        r.gov.add("strong")
    if r.nm.per:
        r.gov.add("per")


@lru_cache(maxsize=None)  # one entry per role of the table (three; two entries made it re-read the file)
def _cue_words(role: str) -> dict[str, str]:
    """Word -> kinds.tsv cue for the words of ``newskb/data/claim-cues.tsv`` of one role."""
    return {r["word"]: r["cue"] for r in read_table("claim-cues.tsv") if r["role"] == role}


def _object_cues(verb) -> set[str]:
    """The kinds.tsv cues of the objects of ``verb`` (``claim-cues.tsv`` role 'object')."""
    objects = _cue_words("object")
    return {objects[c.lemma_.lower()] for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in objects}


def _including(tok):
    """"16 people held in detention, including four Americans": the noun of the set ``tok`` (the
    counted noun or the number) is named as a part of, and the token of "including"; else None."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "including" or tok.head.head.pos_ not in ("NOUN", "PROPN"):
        return None
    return tok.head.head, tok.head


def _set_part_of(r: _Reading) -> None:
    """A count named as a part of a set ("..., including four Americans") takes the words that
    describe the set before "including" as its cues, and is another quantity than the set."""
    x = r.head if r.head is not None and not r.inherited else r.num_tok
    found = _including(x)
    if found is None:
        return
    whole, inc = found
    r.gov |= {t.lemma_.lower() for t in whole.subtree if t.i < inc.i}
    r.part_of_set = True


def _set_cues(r: _Reading) -> None:
    """Words that say what a count counts without being its noun (``claim-cues.tsv``): the set
    it is part of ("three children were among the dead") and the remains it names ("the bodies of
    four hostages")."""
    among = _cue_words("among")
    for v in r.verbs[:1]:
        for c in v.children:
            pobj = _of_pobj(c) if c.dep_ == "prep" and c.lower_ == "among" else None
            if pobj is None:
                continue
            words = [pobj] + [x for x in pobj.children if x.dep_ in ("acl", "amod", "relcl")]  # "those killed"
            cues = {among.get(w.lemma_.lower()) or among.get(w.lower_) for w in words} - {None}
            r.gov |= cues
            r.part = r.part or bool(cues)
    subject = _subject_of(r.verbs[:1])
    if subject is not None and (subject.i == r.num_tok.i or (r.head is not None and subject.i == r.head.i)):
        r.gov |= _object_cues(r.verbs[0])  # "3,000 families sought refuge"
    counted = [r.num_tok] + ([r.head] if r.head is not None and not r.inherited else [])
    for x in counted:
        # "500 people seeking shelter", "families who took refuge": a verb on the counted noun
        for v in x.children:
            if v.dep_ in ("acl", "relcl") and v.pos_ == "VERB":
                r.gov |= _object_cues(v)
        # "the fighting led hundreds of people to seek shelter": the object's infinitive
        if x.dep_ == "dobj":
            for v in x.head.children:
                infinitive = v.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
                if (v.dep_ in ("xcomp", "ccomp") or infinitive) and v.pos_ == "VERB" and v.i > x.i:
                    r.gov |= _object_cues(v)
    head = r.head
    if head is not None and not r.inherited and head.dep_ == "pobj" and head.head.lower_ == "of":
        noun = head.head.head
        cue = _cue_words("remains").get(noun.lemma_.lower())
        # "a body of 12 members" is a group: remains are "the bodies of", never "a body of"
        if cue and not any(d.dep_ == "det" and d.lower_ in ("a", "an") for d in noun.children):
            r.gov.add(cue)


def _headless_count(ctx: ExtractionContext, r: _Reading) -> bool:
    """A count with no counted noun is a claim only as a population ("a port of roughly 300,000")
    or a toll ("the death toll was not as high as 80", "injured nine")."""
    doc, num_tok = ctx.doc, r.num_tok
    around = {t.lemma_.lower() for t in doc[max(r.sent.start, num_tok.i - 4): num_tok.i]}
    if around & _POPULATION_CUES:
        r.gov |= around
        r.counted = {"people"}
        return True
    subj0 = _subject_of(r.verbs)
    if subj0 is not None:
        r.gov |= {t.lemma_.lower() for t in subj0.subtree if t.i <= subj0.i}
    whole = _including(num_tok)
    if whole is not None and load_measure_nouns().get(whole[0].lemma_.lower(), "other") != "other":
        r.head, r.counted = whole[0], _counted_lemmas(whole[0])  # "minorities abroad, including 100,000 in X"
        return True
    if not (r.gov & _TOLL_CUES):
        return _argument_noun(r)
    if subj0 is not None and subj0.lemma_.lower() in _TOLL_NOUNS:
        r.counted = _counted_lemmas(subj0)  # "Russian casualties stood at 620,000"
    return True


def _argument_noun(r: _Reading) -> bool:
    """"The US will cut its force from 9,800 to 5,500": a bare count governed by a verb whose object
    (else subject) is a noun of measure-nouns.tsv counts that noun; so does a bare count in a
    "from ... to ..." phrase on a noun of change ("a reduction in the number of troops from 9,800
    to 5,500")."""
    nouns = load_measure_nouns()
    on_noun = _from_to_noun(r.num_tok)
    for v in r.verbs[:1] or [None]:
        args = sorted((c for c in v.children if c.dep_ in ("dobj", "nsubj", "nsubjpass") and c.pos_ == "NOUN"),
                      key=lambda c: c.dep_ != "dobj") if v is not None else []
        for a in ([on_noun] if on_noun is not None else []) + args:
            a = _changed_noun(a)  # "the number of refugees rose to", "a cut in the number of troops from"
            words = [a] + [c for c in a.children if c.dep_ in ("compound", "amod")]  # "troop presence"
            hit = next((w for w in words if nouns.get(w.lemma_.lower(), "other") != "other"), None)
            if hit is not None:
                r.head = a
                r.counted = _counted_lemmas(a) | {hit.lemma_.lower()}
                r.gov |= r.counted
                return True
        if v is not None and nouns.get(v.lemma_.lower(), "other") != "other":  # "lawmakers voted 300 to 40"
            r.counted = {v.lemma_.lower()}
            return True
    return False


def _from_to_noun(num_tok):
    """The noun of change a "from X to Y" phrase holding the number hangs on, else None."""
    if num_tok.dep_ != "pobj":
        return None
    t = num_tok.head
    while t.dep_ == "prep" and t.lower_ in ("from", "to") and t.head.pos_ == "ADP":
        t = t.head  # "to 5,500" on "from 9,800"
    if t.lower_ not in ("from", "to") or t.head.pos_ != "NOUN" or t.head.lemma_.lower() not in _cue_words("change"):
        return None
    return t.head


_TALLY_NOUNS = {"number", "total", "count", "tally", "figure"}


def _prep_objects(tok, preps):
    """The objects of ``tok``'s prepositions ``preps`` ("forecast for growth" -> growth)."""
    return [x for c in tok.children if c.dep_ == "prep" and c.lower_ in preps for x in c.children if x.dep_ == "pobj"]


def _changed_noun(tok):
    """What a verb's argument counts through a tally noun ("the number of refugees") and a noun of
    change ("a reduction in the number of troops": ``claim-cues.tsv`` role 'change')."""
    for _ in range(2):
        lemma = tok.lemma_.lower()
        if lemma not in _TALLY_NOUNS and lemma not in _cue_words("change"):
            break
        tok = _of_noun(tok, ("of",) if lemma in _TALLY_NOUNS else ("in", "of"))
    return tok


def _of_noun(tok, preps=("of",)):
    """The noun after "of" (or another of ``preps``) on ``tok`` ("the number of refugees"), else ``tok``."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return tok


def _tally_subject(r: _Reading) -> None:
    """"Russian losses reached 700,000 troops": the tally noun subject of a tally verb says what the
    number counts."""
    subj = _subject_of(r.verbs)
    if subj is not None and subj.lemma_.lower() in _TOLL_NOUNS and any(
            v.lemma_.lower() in _TALLY_VERBS for v in r.verbs[:1]):
        r.gov |= _counted_lemmas(subj)


def _whose(ctx: ExtractionContext, r: _Reading) -> str | None:
    """Whose quantity: the counted noun's own country, else the subject of an owning verb."""
    country = _country_of_np(ctx, r.head) if r.head is not None else None
    if country is not None:
        return country
    subj = _subject_of(r.verbs)
    tally = subj is not None and subj.lemma_.lower() in _TOLL_NOUNS
    if subj is not None and (r.gov & _OWNER_VERBS or r.nm.strong or tally):
        return _country_of_np(ctx, subj)
    return None


def _slots(ctx: ExtractionContext, r: _Reading) -> tuple[dict[str, str], dict[str, str], object]:
    """The parts of a kind key and of its label (same names), and the place of the quantity."""
    slots: dict[str, str] = {}
    labels: dict[str, str] = {}
    country = _whose(ctx, r)
    if country:
        slots["country"], labels["country"] = country, _country_name(country)
    if _dimension_of(r.nm.unit) == "length":
        place = _distance_slots(ctx, r, slots, labels)
    else:
        place = _clause_place(ctx, r.sent, r.verbs, r.head if not r.inherited else None)
    if place is not None:
        slots["place"], labels["place"] = place_slug(place), place.name
    noun = r.head
    if noun is None and r.nm.unit == "percent":
        noun = _subject_of(r.verbs)  # "the lira weakened 0.4%": a change of the lira
    elif noun is None and _dimension_of(r.nm.unit) not in ("count", "ratio", "length"):
        noun = _what_lasts(r)  # "a pause of a week", "paid 12 billion hryvnias", "demand of 16 GW"
    if noun is not None:
        lemma = noun.lemma_.lower()
        lemma = _kind_nouns().get(lemma, lemma)
        slots["noun"], labels["noun"] = slug(lemma), lemma
    parties = sentence_countries(ctx, r.sent)
    if parties:
        slots["parties"], labels["parties"] = "-".join(parties), " and ".join(_country_name(p) for p in parties)
    if r.nm.per:
        slots["per"], labels["per"] = r.nm.per, load_units()[r.nm.per].label + "s"
    cause = _cause_of(r)
    if cause:
        slots["cause"], labels["cause"] = cause, cause
    when = _clause_date(ctx, r) if r.nm.unit == "percent" else None
    if when is not None and when.value and re.match(r"\d{4}", when.value):
        slots["year"] = labels["year"] = when.value[:4]  # a yearly rate: "growth of 2% in 2025"
    return slots, labels, place


@lru_cache(maxsize=1)
def _kind_nouns() -> dict[str, str]:
    """Noun lemma -> the noun a kind key is built from (``newskb/data/kind-nouns.tsv``)."""
    return {r["lemma"]: r["canonical"] for r in read_table("kind-nouns.tsv")}


@lru_cache(maxsize=1)
def load_causes() -> dict[str, str]:
    """Cause-noun lemma -> normalised cause (``newskb/data/causes.tsv``)."""
    return {r["lemma"]: r["cause"] for r in read_table("causes.tsv")}


def _cause_of(r: _Reading) -> str | None:
    """What killed or injured: the subject of the verb of killing ("shelling killed 4", "a war that
    has killed 400,000"), or the noun after in/by/from on it or on the counted noun ("killed in an
    airstrike", "deaths from drone attacks"). A relative clause's subject is its antecedent."""
    causes = load_causes()
    anchors = [v for v in r.verbs[:1]] + ([r.head] if r.head is not None and not r.inherited else [])
    for a in anchors:
        cands = [a.head] if a.dep_ == "acl" else []  # "the raids killed 27" misparsed as "raids (that) killed"
        for c in a.children:
            if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("by", "in", "from", "during")):
                cands += [x for x in c.children if x.dep_ == "pobj"]
            elif c.dep_ == "nsubj":
                cands.append(a.head if c.tag_ in ("WDT", "WP") and a.dep_ == "relcl" else c)
        for x in cands:
            words = [x.lemma_.lower()] + [y.lemma_.lower() for y in x.children if y.dep_ in ("compound", "acl", "amod")]
            found = next((causes[w] for w in words if w in causes), None)
            if found:
                return found
    return None


def _what_lasts(r: _Reading):
    """What a duration without a counted noun measures: the noun or verb its phrase hangs on ("the
    first talks in two years": talks; "has not been there for two years": be, "a pause of a week":
    pause), so that two durations of one article are two kinds."""
    for t in _climb(r.num_tok)[1:]:
        if t.idx >= r.nm.start and t.idx < r.nm.end or t.pos_ == "ADP" or _is_unit_word(t):
            continue
        if t.pos_ in ("NOUN", "VERB", "AUX", "PROPN"):
            subj = (next((c for c in t.children if c.dep_ == "nsubj"), None)
                    if t.lemma_ in _TALLY_VERBS | _LASTING_VERBS else None)
            if subj is not None and subj.tag_ in ("WDT", "WP") and t.dep_ == "relcl":
                subj = t.head  # "its capacity, which is 12 GW"
            return subj if subj is not None and subj.pos_ in ("NOUN", "PROPN") else t  # "capacity is 12 GW"
    return None


def _distance_slots(ctx: ExtractionContext, r: _Reading, slots: dict, labels: dict):
    """A distance is of a moving force (its country) or from the place named before the number,
    measured from the place named after it."""
    sent, nm = r.sent, r.nm
    after = [p for a, _b, p in places_in(ctx, nm.end, sent.end_char) if a - nm.end < 60]
    before = [p for _a, _b, p in places_in(ctx, sent.start_char, nm.start)]
    subj = _subject_of(r.verbs)
    subject_c = _country_of_np(ctx, subj) if subj is not None else None
    if subject_c:
        slots["subject"], labels["subject"] = subject_c + "-forces", f"{_country_name(subject_c)}'s forces"
    elif before:
        slots["subject"], labels["subject"] = place_slug(before[-1]), before[-1].name
    return after[0] if after else None


def _first_rule(r: _Reading, slots: dict[str, str]) -> KindRule | None:
    """The first row of kinds.tsv that matches; a row that matches only through a modifier of the
    counted noun is passed over when the noun itself names another measure ("two drone strikes"
    count strikes, not drones)."""
    counted = r.counted | ({"none"} if r.head is None else set())
    own = load_measure_nouns().get(r.head.lemma_.lower()) if r.head is not None else None
    share_of = (r.nm.unit == "percent" and r.head is not None and r.head.dep_ == "pobj"
                and r.head.head.lower_ == "of" and r.head.head.i == r.num_tok.i + 1)
    for k in load_kind_rules():
        if not k.matches(r.nm.unit, counted, r.gov, slots):
            continue
        if share_of and k.counted is None and k.measure in _CHANGE_MEASURES and _level_not_change(r, k):
            continue  # "debt rose to almost 100% of GDP": a share of GDP, not a change of a price
        by_modifier = k.counted is not None and r.head is not None and r.head.lemma_.lower() not in k.counted
        if by_modifier and own is not None and k.measure not in (own, "*"):
            continue
        if k.counted is None and r.nm.unit == "count" and own in _THING_MEASURES and k.measure not in (own, "*"):
            continue  # "seized two patrol boats": a row for any noun never makes things people held
        if (k.counted is None and r.nm.unit == "count" and k.measure in _PEOPLE_MEASURES
                and r.head is not None and r.head.lemma_.lower() in thing_nouns()):
            continue  # "exchanged between two sides", "won 16 posts": things are no people held or voting
        return k
    return None


def _level_not_change(r: _Reading, k: KindRule) -> bool:
    """A share of a whole is a level, not a change, unless its own verb is one of the row's verbs of
    change ("gained 1.5% of the territory") and the share is not the level it reached ("rose to 90% of")."""
    start = r.nm.qualifier_start if r.nm.qualifier_start is not None else r.nm.start
    if re.search(r"(?i)\bto\s+$", doc_text(r.sent.doc)[max(0, start - 12):start]):
        return True
    return not any(v.lemma_.lower() in alt for v in r.verbs[:1] for alt in (k.cues or ()))


def _measure_of(rule: KindRule, r: _Reading) -> str | None:
    """The rule's measure; for the generic row, the counted noun's (measure-nouns.tsv): a small count
    of a noun the table does not know is a detail of the story, not a claim."""
    if rule.measure != "*":
        return rule.measure
    nouns = load_measure_nouns()
    lemma = r.head.lemma_.lower() if r.head is not None else ""
    if r.head is not None and r.head.pos_ == "PRON":
        # "nine of them", "three of us": a count whose noun is named elsewhere
        return "other" if r.head.lower_ in ("them", "us", "those", "these", "they", "we") else None
    measure = nouns.get(lemma) or next((nouns[x] for x in sorted(r.counted) if x in nouns), None)
    if measure is None and r.nm.value < _DETAIL_MAX:
        return None
    return measure or "other"


def _number_word_ok(body: str, r: _Reading, measure: str) -> bool:
    """Number words ("two", "one") are claims only with a counted noun or in a toll; "the two
    sides" is a reference, "one official said" no claim, "in one week" a time window."""
    nm = r.nm
    if not nm.is_word:
        return True
    one_counts = r.head is not None and not r.inherited and bool(r.gov & _ONE_COUNTS)
    if measure not in _WORD_MEASURES and (r.head is None or (nm.value < 2 and not one_counts)):
        return False
    if (nm.qualifier is None and measure not in _WORD_MEASURES
            and re.search(r"(?i)\b(?:the|both|its|their|his|her|our|all)\s+$", body[max(0, nm.start - 8):nm.start])):
        return False
    return not (nm.value == 1 and measure not in _ONE_MEASURES and not one_counts)


_WINDOW_AFTER = re.compile(
    r"(?i)^[^.;:]{0,60}?\b(?:in|over|during|within)\s+(?:the\s+)?(?:past|last|previous|preceding|first)?\s*"
    r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)?\s*"
    r"(?P<u>hour|day|week|month|year)s?\b")


def _window_part(body: str, nm: NumberMatch) -> tuple[str, str]:
    """"killed 150 people in one week", "repelled 52 attacks over the past 24 hours": a tally over a
    stretch of time is another quantity than one event's toll; the stretch is a part of its kind."""
    m = _WINDOW_AFTER.match(body[nm.end:nm.end + 90])
    if m is None:
        return "", ""
    n = m.group("n") or "1"
    n = str(WORD_VALUES.get(n.lower(), n))
    unit = m.group("u").lower()
    return f"over-{n}-{unit}", f" over {n} {unit}{'s' if n != '1' else ''}"


def _event_time(ctx: ExtractionContext, r: _Reading) -> tuple[str, str]:
    """"the attack on New Year's Eve in which 90 drones were launched": a number in a relative
    clause counts over the time of the event it describes; a named day the dates module cannot
    resolve is kept by its name."""
    for t in _climb(r.num_tok)[1:]:
        if t.dep_ != "relcl":
            continue
        ante = t.head
        lo = min(x.idx for x in ante.subtree)
        rel_lo = min(x.idx for x in t.subtree)
        try:
            from .dates import find_date
            dated = find_date(ctx, lo, rel_lo) if lo < rel_lo else None
        except Exception:
            dated = None
        if dated is not None and dated.value and dated.precision == "day":
            return f"on-{dated.value}", f" on {dated.value}"  # "the attack on October 7, in which 1,200 died"
        for c in ante.children:
            pobj = next((x for x in c.children if x.dep_ == "pobj"), None) if c.dep_ == "prep" else None
            if c.lower_ in ("on", "at", "during") and pobj is not None and pobj.text[:1].isupper() \
                    and (pobj.idx, pobj.idx + len(pobj.text)) not in ctx.place_mentions:
                words = ctx.doc[min(x.i for x in pobj.subtree):pobj.i + 1].text
                return f"on-{slug(words)}", f" on {words}"
        return "", ""
    return "", ""


def _time_part(m: Measure, when) -> tuple[str, str]:
    """The kind-key segment and label part of the period a 'period' measure counts over: the time
    expression of the sentence, unless it is open-ended ("since 2022": a running total)."""
    if m.time != "period" or when is None or not when.value:
        return "", ""
    if when.end and when.precision == "interval":
        if when.text and re.match(r"(?i)since\b", when.text):
            return "", ""
        return f"between-{when.value}-and-{when.end}", f" between {when.value} and {when.end}"
    if when.precision == "day":
        return f"on-{when.value}", f" on {when.value}"
    if when.precision == "week":
        return f"week-of-{when.value}", f" in the week of {when.value}"
    return f"during-{when.value}", f" in {when.value}"


def _sentence_date(ctx: ExtractionContext, sent):
    try:
        from .dates import find_date
        return find_date(ctx, sent.start_char, sent.end_char)
    except Exception:
        return None


def _clause_date(ctx: ExtractionContext, r: _Reading):
    """The time the figure is about: a time expression in the clause of the verb governing the
    number (inside the reported clause when the number is in a statement), not the time the speech
    verb was said at ("X said on Monday that 20 had died")."""
    lo, hi = r.sent.start_char, r.sent.end_char
    if r.verbs:
        lo = max(lo, r.verbs[0].left_edge.idx)
        hi = min(hi, r.verbs[0].right_edge.idx + len(r.verbs[0].right_edge.text))
    st = statement_at(ctx, r.nm.start, r.nm.end)
    if st is not None:
        lo, hi = max(lo, st.span.start), min(hi, st.span.end)
    try:
        from .dates import find_date
        return find_date(ctx, lo, hi) if lo < hi else None
    except Exception:
        return None


def _span_end(body: str, r: _Reading, labels: dict[str, str]) -> int:
    """The claim's span ends after the counted noun when it follows closely ("650,000 casualties")."""
    nm, head = r.nm, r.head
    end = nm.forms[-1].end if nm.forms else nm.end
    if head is None or r.inherited or head.sent != r.sent or not (0 <= head.idx - end <= 50):
        return end
    end = head.idx + len(head.text)
    for c in head.rights:
        if c.dep_ == "prep" and c.lower_ == "of":
            pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
            if pobj is not None and pobj.i - head.i <= 3:
                end = pobj.idx + len(pobj.text)
            break
    return end


def _forms(ctx: ExtractionContext, nm: NumberMatch) -> list[StatedForm]:
    out = []
    if nm.stated is not None:
        out.append(StatedForm(value=nm.stated[0], unit=nm.stated[1], span=ctx.span(nm.start, nm.end)))
    for f in nm.forms:
        out.append(StatedForm(value=f.stated[0] if f.stated else f.value,
                              max_value=f.max_value if not f.stated else None,
                              unit=f.stated[1] if f.stated else f.unit, span=ctx.span(f.start, f.end)))
    return out


def _claim(step: _Step, nm: NumberMatch) -> NumericClaim | None:
    ctx = step.ctx
    r = _read(step, nm)
    if r is None:
        return None
    slots, labels, place = _slots(ctx, r)
    rule = _first_rule(r, slots)
    measure = _measure_of(rule, r) if rule is not None else None
    if rule is None or measure is None or not _number_word_ok(ctx.body, r, measure):
        return None
    subject = fill_template(rule.key, slots, key=True)
    # the label names only what the key holds: a part whose key is empty ("%" as the counted
    # noun) would give one kind IRI two labels
    labels = {k: v for k, v in labels.items() if k not in slots or slots[k]}
    subject, part_label = _subject_suffixes(ctx.body, r, rule, subject)
    sdate, when = _sentence_date(ctx, r.sent), _clause_date(ctx, r)
    time_key, time_label = _time_part(load_measures()[measure], when)
    if not time_key and load_measures()[measure].time == "period":
        time_key, time_label = _event_time(ctx, r)
    if not time_key and load_measures()[measure].time == "period":
        time_key, time_label = _window_part(ctx.body, nm)
    if re.search(r"(?i)\bfrom\s+\S+(?:\s+\S+){0,2}\s+to\s+$", ctx.body[max(0, nm.start - 40):nm.start]):
        # "cut from 9,800 to 5,500": the second figure is the level after the change, another quantity
        time_key, time_label = "/".join(x for x in (time_key, "after-change") if x), time_label + " after the change"
    if not _located(subject):
        # no place, country or parties: which quantity it is depends on the story around it, so
        # it is a quantity of this article only (it never competes with another article's)
        aid = getattr(ctx.article, "id", "") or ""
        unknown = not subject and (measure == "other" or load_measures()[measure].dimension == "ratio")
        # a share of no stated whole (a bare "61%") says nothing of what it measures: it is a
        # quantity of its own, which competes with no other figure
        subject = "/".join(x for x in (subject, f"in-article-{aid}" if aid else "", f"at-{nm.start}" if unknown else "")
                           if x)
        time_label += " (in this article)"
    kind = "/".join(x for x in (measure, subject, time_key) if x)
    label = _kind_label(rule, measure, labels) + time_label + part_label
    claimant, st, why = attribute(ctx, nm, r.num_tok, r.head if not r.inherited else None, step.publisher)
    if r.head is not None:
        step.prev[r.sent.start_char] = (r.head, nm.end)
    else:
        step.prev.setdefault(r.sent.start_char, (None, nm.end))
    start = nm.qualifier_start if nm.qualifier_start is not None else nm.start
    confidence = (0.9 if r.head is not None and not r.inherited else 0.7) - (0.2 if measure == "other" else 0)
    return NumericClaim(
        id="", value=nm.value, max_value=nm.max_value, unit=nm.unit, measure=measure,
        qualifier=nm.qualifier if nm.qualifier in QUALIFIERS else None,
        qualifier_text=nm.qualifier_text if nm.qualifier in QUALIFIERS else None,
        kind=kind, kind_label=label, counted=_counted_text(ctx.doc, r.head, nm.end) if r.head is not None else None,
        subject=subject or None, place=place.id if place is not None and _keyed_place(subject, slots) else None,
        claimant=claimant, statement=st.id if st is not None else None,
        claimant_note=None if claimant is not None else _no_claimant(why, st),
        span=ctx.span(start, _span_end(ctx.body, r, labels)),
        date=st.date if st is not None and st.date is not None else sdate,
        time=when if when is not None and when.value else None, forms=_forms(ctx, nm),
        confidence=round(confidence, 2),
        rule=f"claims/kinds.tsv:{measure}/{rule.key}" + (f" claimant:{why}" if why else ""),
    )


# "30m of the country's 45m people", "took 12 of 16 seats": the first number is a part of the second
_PART_OF_NUMBER = re.compile(r"(?i)^\s+of\s+(?:[\w'’.-]+\s+){0,2}?(?:about\s+|some\s+|around\s+)?\d")


def _subject_suffixes(body: str, r: _Reading, rule: KindRule, subject: str) -> tuple[str, str]:
    """(kind subject, label suffix): a part of a toll ("two nurses were among the dead"), a part
    of a whole stated beside it ("30m of its 45m people") and the figure of each side of an
    exchange ("released 150 each") are other quantities than the whole."""
    label = ""
    if r.part:
        subject, label = "/".join(x for x in (subject, "part-of-toll") if x), " (part of a toll)"
    elif r.part_of_set or _PART_OF_NUMBER.match(body[r.nm.end:r.nm.end + 40]):
        subject, label = "/".join(x for x in (subject, "part-of-whole") if x), " (part of a stated whole)"
    # "released 150 each"; in "swapped 314 prisoners – 157 each" the "each" is the next figure's
    if rule.suffix == "each" and re.match(r"(?i)^[^.;\d]{0,40}?\beach\b", body[r.nm.end:r.nm.end + 50]):
        subject += "/per-side"
    return subject, label


_LOCATING = re.compile(r"^(?:in|from|between)-|^(?:of|by|against)-[A-Z]{2}$|-[A-Z]{2}(?:-forces)?$")


def _located(subject: str) -> bool:
    """A kind is located when a part of its key names a place, a country or the parties ("in-",
    "from-", "of-RU", "between-RU-UA", "of-RU-forces")."""
    return any(_LOCATING.search(seg) for seg in subject.split("/"))


def _no_claimant(why: str | None, st) -> str:
    """Why a claim has no claimant (facts' claimant_note: reason, colon, details)."""
    if why:
        return f"claimant unclear: {why}"
    if st is not None:
        return f"speaker not identified: the statement {st.id} holding the figure has no speaker"
    return "claimant unclear: no source found for the figure"


def _keyed_place(subject: str, slots: dict[str, str]) -> bool:
    """The claim's place is part of its kind key (in-<place> or from-<place>)."""
    p = slots.get("place")
    return bool(p) and any(seg in (f"in-{p}", f"from-{p}") for seg in subject.split("/"))


def _kind_label(rule: KindRule, measure: str, labels: dict[str, str]) -> str:
    label = fill_template(rule.label, labels, key=False)
    if rule.measure == "*" and measure != "other":
        label = f"{load_measures()[measure].label.capitalize()}: {labels.get('noun', '')}".strip(": ")
        if labels.get("country"):
            label += f" ({labels['country']})"
        if labels.get("place"):
            label += f" in {labels['place']}"
    return label[:1].upper() + label[1:]
