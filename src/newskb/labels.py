"""Human-readable labels of the resources a person may land on: statements, numeric claims,
text spans and articles without a title. Pure functions of the facts, used by the mapping (and,
for numbers, by the pages), so that a label and a page never write one value two ways.

>>> statement_label("Mark Rutte", "I can confirm that North Korean troops have been sent", True, "2024-10-28")
'Mark Rutte: “I can confirm that North Korean troops have been sent” (2024-10-28)'
>>> claim_label("Military casualties of Russia", "Over", 600000.0, None, "count", "Mark Rutte", "2024-10-28")
'Military casualties of Russia: over 600,000, per Mark Rutte (2024-10-28)'
>>> format_number(1200000.0), format_number(1.5), format_number(-0.25)
('1,200,000', '1.5', '-0.25')
>>> quantity(4, None, "year"), quantity(1, None, "year"), quantity(10, 20, "km"), quantity(1.5, None, "percent")
('4 years', '1 year', '10–20 km', '1.5%')
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

STATEMENT_TEXT_CHARS = 60   # the words of a statement shown in its label, at most
SPAN_CHARS = 80             # the words of a span shown in its label, at most
HEADLINE_CHARS = 110        # a headline derived from the first sentence, at most


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters plus "…"."""
    t = " ".join(text.split())
    if len(t) <= limit:
        return t
    cut = t[: limit + 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else t[:limit]
    return head.rstrip(" ,;:—–-") + "…"


def format_number(value: float | int | str) -> str:
    """A number as people write it: thousands grouped, no exponent, no trailing zeros."""
    d = Decimal(str(value))
    if not d.is_finite():
        return str(value)
    text = format(d.normalize(), "f")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, frac = text.partition(".")
    return sign + f"{int(whole):,}" + ("." + frac if frac else "")


@lru_cache(maxsize=1)
def _unit_forms() -> dict[str, tuple[str, str]]:
    from .resources import read_table

    return {r["unit"]: (r["one"], r["many"]) for r in read_table("unit-labels.tsv")}


def quantity(value: float, max_value: float | None, unit: str) -> str:
    """A value (or a range) with its unit, as written in a claim's label."""
    number = format_number(value) + ("–" + format_number(max_value) if max_value is not None else "")
    one, many = _unit_forms().get(unit, (unit, unit))
    word = one if max_value is None and float(value) == 1 else many
    if not word:
        return number
    return number + word if word == "%" else f"{number} {word}"


def _dated(text: str, date: str | None) -> str:
    return f"{text} ({date})" if date else text


def statement_label(speaker: str, text: str, direct: bool, date: str | None) -> str:
    """``Speaker: “the first words…” (date)`` for a quote; reported speech goes without quotes."""
    words = shorten(text, STATEMENT_TEXT_CHARS)
    return _dated(f"{speaker}: “{words}”" if direct else f"{speaker}: {words}", date)


def claim_label(kind: str, qualifier: str | None, value: float, max_value: float | None, unit: str,
                claimant: str, date: str | None) -> str:
    """``What is counted: qualifier value unit, per claimant (date)``."""
    amount = quantity(value, max_value, unit)
    if qualifier:
        amount = f"{qualifier.strip().lower()} {amount}"
    return _dated(f"{kind}: {amount}, per {claimant}", date)


def span_label(exact: str) -> str:
    """The quoted words of a text span, shortened."""
    return shorten(exact, SPAN_CHARS) or "(empty span)"


def derived_headline(sentence: str) -> str:
    """A headline made from an article's first sentence, for an article without a title."""
    return shorten(sentence, HEADLINE_CHARS)
