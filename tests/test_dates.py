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
