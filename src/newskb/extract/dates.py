"""Time expressions: find them in the body and resolve them against the publication date.

Resolution is deterministic and follows news conventions:

* a weekday ("on Monday", "Tuesday night", "late Wednesday") is the most recent such day on or
  before the publication date (the publication day itself when it is that weekday);
* "yesterday" / "today" / "tonight" are the day before / the publication day;
* "overnight" is dated to the publication day (the night that ended on the morning of
  publication), precision day, with a note saying so; "overnight on Tuesday" is the Tuesday;
* "last week" is the week before the publication week (value: its Monday, precision week);
  "this week" / "earlier this week" the publication week; "next week" the week after;
* "earlier this month" / "this month" the publication month; "last month" the month before;
* "this year" / "earlier this year" the publication year; "last year" the year before;
  "N years ago" the year N years before, "N months / weeks / days ago" that month, week or day;
* "over the weekend" / "at the weekend" the Saturday–Sunday before the publication day
  (an interval);
* a month name ("in August") is the most recent such month not after publication, unless a
  year is given ("in August 2013", "in August last year");
* a month and day without a year ("Feb. 5", "October 27") is the most recent such day not after
  publication, unless the next one is at most 90 days ahead (announced deadlines, meetings);
  "October 27 or 28" and "from late January to February 6"
  are intervals;
* "since February 2022" / "since 2012" / "since mid-January" are intervals ending on the
  publication date;
* a bare year ("in 2014", "in late 2020") has precision year.

Without a publication date every relative expression keeps ``value=None`` and a note saying
it is unresolved; absolute ones ("5 February 2026", "in 2014") still resolve.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Iterator

from ..facts import DateValue

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
               "sept": 9, "oct": 10, "nov": 11, "dec": 12}

_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MON_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_MON = rf"(?:{_MON_FULL}|{_MON_ABBR})"
_DAYPART = r"(?:\s+(?:morning|afternoon|evening|night))"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAYNUM = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_EDGE = r"(?:(?:early|late|mid|earlier|later)[\s-]+)"

# Ordered: longer, more specific expressions first. Each match is one time expression.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("md-or", re.compile(rf"\b(?:on\s+)?(?P<mon>{_MON})\s+(?P<d1>{_DAYNUM})\s*(?:or|and|-|–|to)\s*(?P<d2>{_DAYNUM})\b"
                         rf"(?:,?\s+(?P<year>{_YEAR}))?")),
    ("dm-or", re.compile(rf"\b(?:on\s+)?(?P<d1>{_DAYNUM})\s*(?:or|and|-|–|to)\s*(?P<d2>{_DAYNUM})\s+(?P<mon>{_MON})\b"
                         rf"(?:,?\s+(?P<year>{_YEAR}))?")),
    ("since-md", re.compile(rf"\bsince\s+(?P<edge>{_EDGE})?(?P<mon>{_MON})(?:\s+(?P<day>{_DAYNUM}))?\b(?:,?\s+(?P<year>{_YEAR}))?", re.I)),
    ("since-year", re.compile(rf"\bsince\s+(?P<edge>{_EDGE})?(?P<year>{_YEAR})\b", re.I)),
    ("since-rel", re.compile(r"\bsince\s+(?P<edge>(?:early|late|mid)[\s-]+)?(?P<rel>last\s+(?:year|month|week)|this\s+year)\b", re.I)),
    ("md", re.compile(rf"\b(?:on\s+)?(?P<mon>{_MON})\s+(?P<day>{_DAYNUM})\b(?!\s*(?:,\s*)?(?:km|miles|people|percent))"
                      rf"(?:,?\s+(?P<year>{_YEAR}))?")),
    ("dm", re.compile(rf"\b(?:on\s+)?(?P<day>{_DAYNUM})\s+(?P<mon>{_MON})\b(?:,?\s+(?P<year>{_YEAR}))?")),
    ("month", re.compile(rf"\b(?:(?:in|since|by|until|during|from)\s+)?(?P<edge>{_EDGE})?(?P<mon>{_MON_FULL})"
                         rf"(?:\s+(?P<year>{_YEAR})|\s+(?P<last>last\s+year|this\s+year))?\b")),
    ("weekday", re.compile(rf"\b(?:(?:on|late|early|earlier|later|last|this)\s+)?(?P<wd>{_WD})(?P<part>{_DAYPART})?\b")),
    ("overnight-wd", re.compile(rf"\bovernight\s+(?:on\s+)?(?P<wd>{_WD})\b", re.I)),
    ("overnight", re.compile(r"\bovernight\b", re.I)),
    ("yesterday", re.compile(r"\byesterday\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b", re.I)),
    ("weekend", re.compile(r"\b(?:over|at|during)\s+the\s+weekend\b|\bthis\s+weekend\b|\blast\s+weekend\b", re.I)),
    ("last-week", re.compile(r"\b(?:last|past)\s+week\b|\ba\s+week\s+ago\b", re.I)),
    ("this-week", re.compile(r"\b(?:earlier|later)\s+this\s+week\b|\bthis\s+week\b", re.I)),
    ("next-week", re.compile(r"\bnext\s+week\b", re.I)),
    ("this-month", re.compile(r"\b(?:earlier|later)\s+this\s+month\b|\bthis\s+month\b", re.I)),
    ("last-month", re.compile(r"\blast\s+month\b", re.I)),
    ("this-year", re.compile(r"\b(?:earlier|later)\s+this\s+year\b|\bthis\s+year\b", re.I)),
    ("last-year", re.compile(r"\blast\s+year\b", re.I)),
    ("years-ago", re.compile(r"\b(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+years?\s+ago\b", re.I)),
    ("units-ago", re.compile(r"\b(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+"
                             r"(?P<unit>months?|weeks?|days?)\s+ago\b", re.I)),
    ("year", re.compile(rf"\b(?:in|since|by|during|until)\s+(?P<edge>{_EDGE})?(?P<year>{_YEAR})\b")),
]

# What each pattern needs: it can only match a text that holds one of these strings, as they are
# for the case-sensitive patterns, in the lower-cased text for the others (re.I). iter_dates tests
# them (fast substring searches) before running the pattern's scan, which costs far more: most
# clauses mention no date at all.
_MONTHS_AS_WRITTEN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NEEDS: dict[str, tuple[str, ...]] = {
    "md-or": _MONTHS_AS_WRITTEN, "dm-or": _MONTHS_AS_WRITTEN, "since-md": ("since",), "since-year": ("since",),
    "since-rel": ("since",), "md": _MONTHS_AS_WRITTEN, "dm": _MONTHS_AS_WRITTEN, "month": _MONTHS_AS_WRITTEN,
    "weekday": ("day",), "overnight-wd": ("overnight",), "overnight": ("overnight",),
    "yesterday": ("yesterday",), "today": ("today", "tonight", "this"), "weekend": ("weekend",),
    "last-week": ("week",), "this-week": ("week",), "next-week": ("week",), "this-month": ("month",),
    "last-month": ("month",), "this-year": ("year",), "last-year": ("year",), "years-ago": ("ago",), "units-ago": ("ago",),
    "year": ("18", "19", "20"),
}
# The only characters that a case-insensitive pattern matches to an ASCII letter but that
# str.lower() does not turn into that letter (checked over every code point in the tests): in a
# text holding one of them, the case-insensitive patterns all run.
_UNLOWERED = re.compile("[\u0130\u0131\u017f]")

_GATED = [(kind, pat, _NEEDS[kind], bool(pat.flags & re.IGNORECASE)) for kind, pat in _PATTERNS]

_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def _month_num(s: str) -> int:
    s = s.lower().rstrip(".")
    if s in MONTHS:
        return MONTHS.index(s) + 1
    return _MONTH_ABBR.get(s[:4] if s.startswith("sept") else s[:3], 0)


def _day_num(s: str) -> int:
    return int(re.match(r"\d+", s).group(0))


def _weekday_on_or_before(pub: _dt.date, wd: int) -> _dt.date:
    return pub - _dt.timedelta(days=(pub.weekday() - wd) % 7)


def _monday(d: _dt.date) -> _dt.date:
    return d - _dt.timedelta(days=d.weekday())


def _nearest_year(pub: _dt.date, month: int, day: int) -> _dt.date | None:
    """The most recent such day not after publication, unless the next one is at most 90 days
    ahead (news speaks of coming deadlines and meetings: "as soon as October 27")."""
    past = future = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            cand = _dt.date(y, month, day)
        except ValueError:
            continue
        if cand <= pub:
            past = cand
        elif future is None:
            future = cand
    if future is not None and (future - pub).days <= 90:
        return future
    return past or future


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _unresolved(text: str, precision: str, why: str = "no publication date") -> DateValue:
    return DateValue(value=None, precision=precision, text=text,
                     note=f"unresolved: {why}; relative expression {text!r}")


def _interval_days(kind: str, text: str, g: dict, pub: _dt.date | None) -> DateValue | None:
    """"May 3 or 4", "3 or 4 May": two days of one month."""
    mon = _month_num(g["mon"])
    d1, d2 = _day_num(g["d1"]), _day_num(g["d2"])
    if not mon or not (1 <= d1 <= 31 and 1 <= d2 <= 31) or d2 <= d1:
        return None
    try:
        if g.get("year"):
            y = int(g["year"])
            a, b = _dt.date(y, mon, d1), _dt.date(y, mon, d2)
        elif pub is None:
            return _unresolved(text, "interval", "no publication date and no year")
        else:
            a = _nearest_year(pub, mon, d1)
            b = _dt.date(a.year, mon, d2)
    except (ValueError, AttributeError):
        return None
    return DateValue(value=a.isoformat(), end=b.isoformat(), precision="interval", text=text)


def _month_day(kind: str, text: str, g: dict, pub: _dt.date | None) -> DateValue | None:
    mon = _month_num(g["mon"])
    day = _day_num(g["day"])
    if not mon or not 1 <= day <= 31:
        return None
    try:
        if g.get("year"):
            d = _dt.date(int(g["year"]), mon, day)
        elif pub is None:
            return _unresolved(text, "day", "no publication date and no year")
        else:
            d = _nearest_year(pub, mon, day)
            if d is None:
                return None
    except ValueError:
        return None
    return DateValue(value=d.isoformat(), precision="day", text=text,
                     note=None if g.get("year") else "year inferred from the publication date")


def _since_month_day(kind: str, text: str, g: dict, pub: _dt.date | None) -> DateValue | None:
    mon = _month_num(g["mon"])
    if not mon:
        return None
    if g.get("year"):
        y = int(g["year"])
    elif pub is None:
        return _unresolved(text, "interval")
    else:
        y = pub.year if mon <= pub.month else pub.year - 1
    start = _ym(y, mon)
    if g.get("day"):
        try:
            start = _dt.date(y, mon, _day_num(g["day"])).isoformat()
        except ValueError:
            return None
    return _since(start, text, pub)


def _since(start: str, text: str, pub: _dt.date | None) -> DateValue:
    """An interval from ``start`` to the publication day (open without one)."""
    return DateValue(value=start, end=pub.isoformat() if pub else None, precision="interval",
                     text=text, note=None if pub else "interval open: no publication date")


def _since_relative(kind: str, text: str, g: dict, pub: _dt.date) -> DateValue:
    rel = g["rel"].lower().split()
    if rel[1] == "year":
        start = str(pub.year - (1 if rel[0] == "last" else 0))
    elif rel[1] == "month":
        y, mo = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
        start = _ym(y, mo)
    else:
        start = (_monday(pub) - _dt.timedelta(days=7)).isoformat()
    return DateValue(value=start, end=pub.isoformat(), precision="interval", text=text)


def _month(kind: str, text: str, g: dict, pub: _dt.date | None) -> DateValue | None:
    mon = _month_num(g["mon"])
    if g["mon"] == "May" and not (g.get("year") or g.get("last") or g.get("edge")
                                  or re.match(r"(?i)(in|since|by|until|during|from)\s", text)):
        return None  # the modal verb "may" capitalised at a sentence start, or a name
    if g.get("year"):
        y = int(g["year"])
    elif pub is None:
        return _unresolved(text, "month")
    elif g.get("last"):
        y = pub.year - 1 if g["last"].lower().startswith("last") else pub.year
    else:
        y = pub.year if mon <= pub.month else pub.year - 1
    if text.lower().startswith("since"):
        return DateValue(value=_ym(y, mon), end=pub.isoformat() if pub else None, precision="interval", text=text)
    return DateValue(value=_ym(y, mon), precision="month", text=text)


def _weekday(kind: str, text: str, g: dict, pub: _dt.date) -> DateValue:
    d = _weekday_on_or_before(pub, WEEKDAYS.index(g["wd"].lower()))
    if text.lower().startswith("last ") and d == pub:
        d -= _dt.timedelta(days=7)
    return DateValue(value=d.isoformat(), precision="day", text=text)


def _weekend(kind: str, text: str, g: dict, pub: _dt.date) -> DateValue:
    sat = _weekday_on_or_before(pub - _dt.timedelta(days=1), 5)
    if text.lower().startswith("last") and pub.weekday() == 6:
        sat -= _dt.timedelta(days=7)
    return DateValue(value=sat.isoformat(), end=(sat + _dt.timedelta(days=1)).isoformat(),
                     precision="interval", text=text)


def _previous_month(pub: _dt.date) -> str:
    return _ym(pub.year, pub.month - 1) if pub.month > 1 else _ym(pub.year - 1, 12)


def _count(g: dict) -> int:
    n = g["n"].lower()
    return _NUMBERS.get(n) or int(n)


def _units_ago(kind: str, text: str, g: dict, pub: _dt.date) -> DateValue:
    n, unit = _count(g), g["unit"].lower().rstrip("s")
    if unit == "month":
        y, mo = divmod(pub.year * 12 + pub.month - 1 - n, 12)
        return DateValue(value=_ym(y, mo + 1), precision="month", text=text)
    if unit == "week":
        return DateValue(value=(_monday(pub) - _dt.timedelta(days=7 * n)).isoformat(), precision="week", text=text)
    return DateValue(value=(pub - _dt.timedelta(days=n)).isoformat(), precision="day", text=text)


def _year(kind: str, text: str, g: dict, pub: _dt.date | None) -> DateValue:
    if text.lower().startswith("since"):
        return DateValue(value=g["year"], end=pub.isoformat() if pub else None, precision="interval", text=text)
    return DateValue(value=g["year"], precision="year", text=text)


def _relative(value, precision: str, note: str | None = None):
    """A resolver of an expression relative to the publication day: ``value(pub)`` at ``precision``."""
    return lambda kind, text, g, pub: DateValue(value=value(pub), precision=precision, text=text, note=note)


# kind of time expression -> its resolver; resolvers that need the publication day list the
# precision of the expression they leave unresolved without one
_RESOLVERS = {
    "md-or": (_interval_days, None), "dm-or": (_interval_days, None),
    "md": (_month_day, None), "dm": (_month_day, None),
    "since-md": (_since_month_day, None),
    "since-year": (lambda kind, text, g, pub: _since(g["year"], text, pub), None),
    "since-rel": (_since_relative, "interval"),
    "month": (_month, None),
    "weekday": (_weekday, "day"), "overnight-wd": (_weekday, "day"),
    "overnight": (_relative(_dt.date.isoformat, "day",
                            "overnight: dated to the publication day (the night ending that morning)"), "day"),
    "yesterday": (_relative(lambda p: (p - _dt.timedelta(days=1)).isoformat(), "day"), "day"),
    "today": (_relative(_dt.date.isoformat, "day"), "day"),
    "weekend": (_weekend, "interval"),
    "last-week": (_relative(lambda p: (_monday(p) - _dt.timedelta(days=7)).isoformat(), "week"), "week"),
    "this-week": (_relative(lambda p: _monday(p).isoformat(), "week"), "week"),
    "next-week": (_relative(lambda p: (_monday(p) + _dt.timedelta(days=7)).isoformat(), "week"), "week"),
    "this-month": (_relative(lambda p: _ym(p.year, p.month), "month"), "month"),
    "last-month": (_relative(_previous_month, "month"), "month"),
    "this-year": (_relative(lambda p: str(p.year), "year"), "year"),
    "last-year": (_relative(lambda p: str(p.year - 1), "year"), "year"),
    "years-ago": (lambda kind, text, g, pub: DateValue(value=str(pub.year - _count(g)), precision="year", text=text),
                  "year"),
    "units-ago": (_units_ago, "day"),
    "year": (_year, None),
}


def _resolve_match(kind: str, m: re.Match, pub: _dt.date | None) -> DateValue | None:
    entry = _RESOLVERS.get(kind)
    if entry is None:
        return None
    resolve, needs_pub = entry
    if needs_pub is not None and pub is None:
        return _unresolved(m.group(0), needs_pub)
    return resolve(kind, m.group(0), m.groupdict(), pub)


def iter_dates(text: str, published: _dt.date | None, *, offset: int = 0) -> Iterator[tuple[int, int, DateValue]]:
    """Yield ``(start, end, DateValue)`` for each time expression in ``text`` (non-overlapping,
    earlier and longer matches first); offsets are shifted by ``offset``."""
    yield from _scan(text, published, offset, gated=True)


def _scan(text: str, published: _dt.date | None, offset: int, *, gated: bool) -> list[tuple[int, int, DateValue]]:
    """:func:`iter_dates`' matches; ``gated``: skip the patterns whose :data:`_NEEDS` the text
    lacks (the same result: the tests compare both ways)."""
    low = text.lower() if gated and _UNLOWERED.search(text) is None else None
    has: dict[tuple[tuple[str, ...], bool], bool] = {}  # patterns share their needs: test each once
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, DateValue]] = []
    for kind, pat, needs, icase in _GATED:
        if gated:
            seen = low if icase else text
            if seen is not None:
                hit = has.get((needs, icase))
                if hit is None:
                    hit = has[(needs, icase)] = any(w in seen for w in needs)
                if not hit:
                    continue
        for m in pat.finditer(text):
            s, e = m.start(), m.end()
            if any(s < b and a < e for a, b in taken):
                continue
            dv = _resolve_match(kind, m, published)
            if dv is None:
                continue
            taken.append((s, e))
            found.append((s + offset, e + offset, dv))
    found.sort(key=lambda x: (x[0], -x[1]))
    return found


def resolve(text: str, published: _dt.date | None) -> DateValue:
    """Resolve one time expression (``"on Monday"``, ``"last week"``, ``"5 February 2026"`` …)
    against the publication date. Returns a DateValue with ``value=None`` and a note when the
    expression is not understood or cannot be resolved."""
    for _s, _e, dv in iter_dates(text, published):
        return dv.model_copy(update={"text": text.strip()})
    return DateValue(value=None, precision="unknown", text=text, note=f"unresolved: not a known time expression {text!r}")


def find_date(ctx, start: int, end: int) -> DateValue | None:
    """The time expression governing the clause ``body[start:end]``: the first one found in that
    stretch, with its Span. None when the stretch holds none."""
    body = ctx.article.body
    published = ctx.article.date
    for s, e, dv in iter_dates(body[start:end], published, offset=start):
        dv.span = ctx.span(s, e)
        dv.text = body[s:e]
        return dv
    return None
