"""What a numeric claim allows and when it holds: its bounds and its time span.

Two claims of one kind *compete* when their time spans come within their measure's comparison
window of each other and different claimants give different values; they are *compatible* when
their bounds overlap (over 600,000 and upwards of 650,000) and *contradictory* when they do not
(40 dead against 70 for one strike). The mapping writes each claim's bounds, time span and the
last day it is comparable until (:func:`bounds`, :func:`time_span`, :func:`comparable_until`),
and the saved query ``conflicting-claims`` decides the status from them.

* Bounds (``newskb/data/qualifiers.tsv``): an exact figure is its own bounds; "about" is read as
  within 10 %, "over"/"at least" have no upper bound, "up to"/"under" no lower bound above zero;
  a range's low bound is taken from its minimum and its high bound from its maximum.
* Time span: the period the figure is about when its clause names one ("on Monday", "last week",
  "in 2023"), else the day it was stated (the statement's date, else the article's). A running
  total "since 2022" is a figure as of the day it was stated, not a figure about 2022.
* Window (``newskb/data/measures.tsv``): days within which two figures of one quantity are rival
  estimates rather than a series (a front line moves from week to week, a war's toll from month
  to month).

>>> from newskb.facts import NumericClaim, Span
>>> c = NumericClaim(id="C1", value=600000, unit="count", qualifier="more-than", kind="k", kind_label="K",
...                  span=Span(start=0, end=4, text="over"))
>>> bounds(c)
(600000.0, None)
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from functools import lru_cache

from .facts import DateValue, NumericClaim
from .resources import read_table


@lru_cache(maxsize=1)
def _qualifier_factors() -> dict[str, tuple[float, float]]:
    return {r["code"]: (float(r["low"]), math.inf if r["high"] == "inf" else float(r["high"]))
            for r in read_table("qualifiers.tsv")}


@lru_cache(maxsize=1)
def windows() -> dict[str, int]:
    """Measure code -> comparison window in days (``newskb/data/measures.tsv``)."""
    return {r["code"]: int(r["window"]) for r in read_table("measures.tsv")}


def bounds(c: NumericClaim) -> tuple[float, float | None]:
    """(lowest, highest) true value the claim allows in its unit; highest None: no upper bound."""
    low_f, high_f = _qualifier_factors().get(c.qualifier or "exactly", (1.0, 1.0))
    top = c.max_value if c.max_value is not None else c.value
    low = round(c.value * low_f, 6)
    high = None if math.isinf(high_f) else round(top * high_f, 6)
    return low, high


def _first_last(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day of an ISO date of day, month or year precision."""
    parts = [int(x) for x in value.split("-")]
    if len(parts) == 3:
        d = dt.date(*parts)
        return d, d
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], calendar.monthrange(*parts)[1])
    return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)


def _span_of(d: DateValue) -> tuple[dt.date, dt.date] | None:
    if not d.value:
        return None
    try:
        start, end = _first_last(d.value)
        if d.end:
            end = _first_last(d.end)[1]
        elif d.precision == "week":
            end = start + dt.timedelta(days=6)
    except ValueError:
        return None
    if d.end and (d.text or "").lower().startswith("since"):
        return end, end  # a running total since a date: as of its end
    return start, end


def time_span(c: NumericClaim, published: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the time the figure is about (see the module docstring)."""
    for d in (c.time, c.date):
        if d is not None:
            span = _span_of(d)
            if span is not None:
                return span
    if published:
        try:
            return _first_last(published)
        except ValueError:
            return None
    return None


def comparable_until(c: NumericClaim, span_end: dt.date) -> dt.date:
    """The span's end plus the measure's comparison window."""
    return span_end + dt.timedelta(days=windows().get(c.measure or "other", 30))
