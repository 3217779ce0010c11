"""Unit tests of dates.resolve: relative expressions against a publication date."""

import datetime as dt

import pytest

from newskb.extract.dates import iter_dates, resolve

PUB = dt.date(2024, 10, 28)  # a Monday


@pytest.mark.parametrize("text,value,end,precision", [
    ("on Monday", "2024-10-28", None, "day"),          # the publication day itself
    ("on Sunday", "2024-10-27", None, "day"),
    ("on Tuesday night", "2024-10-22", None, "day"),
    ("late Wednesday", "2024-10-23", None, "day"),
    ("yesterday", "2024-10-27", None, "day"),
    ("today", "2024-10-28", None, "day"),
    ("overnight", "2024-10-28", None, "day"),
    ("last week", "2024-10-21", None, "week"),
    ("earlier this week", "2024-10-28", None, "week"),
    ("next week", "2024-11-04", None, "week"),
    ("earlier this month", "2024-10", None, "month"),
    ("last month", "2024-09", None, "month"),
    ("over the weekend", "2024-10-26", "2024-10-27", "interval"),
    ("in August", "2024-08", None, "month"),
    ("in November", "2023-11", None, "month"),         # the most recent November not after publication
    ("in August last year", "2023-08", None, "month"),
    ("since February 2022", "2022-02", "2024-10-28", "interval"),
    ("October 27 or 28", "2024-10-27", "2024-10-28", "interval"),
    ("Feb. 5", "2024-02-05", None, "day"),
    ("November 3", "2024-11-03", None, "day"),  # a coming date within 90 days
    ("5 February 2026", "2026-02-05", None, "day"),
    ("February 24", "2024-02-24", None, "day"),
    ("in 2014", "2014", None, "year"),
    ("last year", "2023", None, "year"),
    ("two years ago", "2022", None, "year"),
])
def test_resolve(text, value, end, precision):
    d = resolve(text, PUB)
    assert (d.value, d.end, d.precision) == (value, end, precision)


def test_weekday_is_never_after_publication():
    pub = dt.date(2026, 2, 5)  # a Thursday
    assert resolve("on Friday", pub).value == "2026-01-30"
    assert resolve("on Thursday", pub).value == "2026-02-05"


def test_overnight_documents_its_choice():
    assert "publication day" in resolve("overnight", PUB).note


def test_no_publication_date_leaves_relative_dates_unresolved():
    d = resolve("on Monday", None)
    assert d.value is None and d.precision == "day" and "unresolved" in d.note
    assert resolve("5 February 2026", None).value == "2026-02-05"  # absolute dates still resolve


def test_unknown_expression():
    d = resolve("at some point", PUB)
    assert d.value is None and d.precision == "unknown"


def test_iter_dates_offsets():
    text = "Zelenskyy said last week that troops could arrive as soon as October 27 or 28."
    found = [(text[s:e], v.precision) for s, e, v in iter_dates(text, PUB)]
    assert found == [("last week", "week"), ("October 27 or 28", "interval")]


def test_may_the_modal_is_not_a_month():
    assert list(iter_dates("May the talks succeed", PUB)) == []


# ---- the substring gates of iter_dates (dates._NEEDS): a speed-up that must change nothing ----

def _case_insensitive_letters_not_lowered() -> set[str]:
    """Every character that an re.I pattern matches to an ASCII letter while str.lower() does
    not make it that single letter."""
    import re
    import sys

    letter = re.compile("[a-z]", re.I)
    out = set()
    for c in range(sys.maxunicode + 1):
        ch = chr(c)
        low = ch.lower()
        if letter.fullmatch(ch) and not (len(low) == 1 and "a" <= low <= "z"):
            out.add(ch)
    return out


def test_unlowered_characters_are_all_known():
    from newskb.extract.dates import _UNLOWERED

    found = _case_insensitive_letters_not_lowered()
    assert found, "the check found nothing: it would prove nothing"
    assert all(_UNLOWERED.fullmatch(ch) for ch in found), sorted(found)


def test_every_pattern_has_its_gate():
    from newskb.extract.dates import _NEEDS, _PATTERNS

    assert sorted(k for k, _ in _PATTERNS) == sorted(_NEEDS)


def _gate_samples() -> list[str]:
    import random

    from helpers import CORPUS
    from newskb.article import read_article

    texts = []
    for p in sorted(CORPUS.iterdir()):
        if p.is_file() and not p.name.startswith("."):
            body = read_article(p).body
            texts.append(body)
            texts += body.split("\n")
            texts += [body[i:i + 160] for i in range(0, len(body), 37)]  # windows cut mid-word too
    words = ["since", "Since", "SINCE", "sınce", "ſince", "SİNCE", "March", "march", "MARCH", "Mar.", "Sept", "May",
             "may", "12", "3rd", "or", "-", "to", "2019", "1999", "2024", "in", "İn", "by", "on", "Monday",
             "monday", "MONDAY", "night", "overnight", "OVERNIGHT", "yesterday", "Yesterday", "today", "tonight",
             "this", "THIS", "thıs", "morning", "weekend", "the", "over", "last", "past", "week", "Week", "wеek",
             "next", "earlier", "later", "month", "year", "years", "ago", "a", "two", "ten", "early", "mid", "late",
             ",", ".", "\n", "  ", "km", "people"]
    rng = random.Random(20261125)
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 9))) for _ in range(20_000)]
    return texts


def test_gated_scan_equals_every_pattern_scanned():
    from newskb.extract.dates import _scan

    samples = _gate_samples()
    for pub in (PUB, None):
        for text in samples:
            assert _scan(text, pub, 7, gated=True) == _scan(text, pub, 7, gated=False), text
    matched = sum(1 for t in samples if _scan(t, PUB, 0, gated=False))
    assert matched > 1000  # the samples hold many dates, not only texts the gates skip
