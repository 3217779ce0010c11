"""Numeric claims: number parsing in isolation, then the seed article end to end."""

from pathlib import Path

import pytest

from newskb.extract.claims import find_numbers, load_kind_rules, parse_value, qualifier_of
from newskb.extract.vocabulary import QUALIFIERS, UNITS

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = CORPUS / "2024-10-28-ft-nato-north-korean-troops-kursk.txt"


def one(text):
    found = find_numbers(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text,value,unit", [
    ("a 10,000-strong deployment", 10000, "count"),
    ("upwards of 650,000 casualties", 650000, "count"),
    ("within 7km of the city", 7, "km"),
    ("a plant 40km south", 40, "km"),
    ("a package of $1.5bn for", 1.5e9, "USD"),
    ("totaling about $1.7 billion", 1.7e9, "USD"),
    ("two dozen soldiers", 24, "count"),
    ("about 20% of the land", 20, "percent"),
    ("some 500 meters away", 500, "m"),
])
def test_values_and_units(text, value, unit):
    nm = one(text)
    assert nm.value == pytest.approx(value)
    assert nm.unit == unit and nm.unit in UNITS


@pytest.mark.parametrize("text", [
    "on October 27 or 28.", "since February 2022", "in 2014, a move", "the 47th brigade",
    "Sgt. Vadin Shyshimarin, 21, in", "an unarmed 62-year-old civilian", "at 10:30 a.m.",
    "Articles 12 and 118 of the Convention", "Executive Order 13224,", "a MiG-29 jet", "X-59 missile",
    "in the past 24 hours", "a four-year war", "1e309 nonsense", "9" * 400 + " things",
])
def test_not_claims(text):
    assert [n.text for n in find_numbers(text)] == []


@pytest.mark.parametrize("before,code", [
    ("Over ", "more-than"), ("upwards of ", "more-than"), ("more than ", "more-than"), ("some ", "approximately"),
    ("about ", "approximately"), ("an estimated ", "approximately"), ("at least ", "at-least"), ("up to ", "up-to"),
    ("as many as ", "up-to"), ("nearly ", "nearly"), ("almost ", "nearly"), ("within ", "within"),
    ("fewer than ", "less-than"),
])
def test_qualifiers(before, code):
    q = qualifier_of(before)
    assert q is not None and q[0] == code and code in QUALIFIERS


def test_no_qualifier():
    assert qualifier_of("killed ") is None


def test_parse_value_never_overflows():
    assert parse_value("1" * 400) is None
    assert parse_value(word="twenty-one") == 21


def test_kind_rules_load_with_known_units():
    rules = load_kind_rules()
    assert rules and all(r.units <= set(UNITS) for r in rules)


@pytest.fixture(scope="module")
def seed_doc():
    if not SEED.exists():
        pytest.skip("shared corpus not available")
    from newskb.article import read_article
    from newskb.extract.pipeline import extract
    return read_article(SEED), extract(read_article(SEED))


def _claim(doc, value):
    found = [c for c in doc.claims if c.value == value]
    assert found, f"no claim with value {value}: {[(c.value, c.kind) for c in doc.claims]}"
    return found[0]


def test_seed_casualty_figures_share_a_kind(seed_doc):
    _art, doc = seed_doc
    rutte, zel = _claim(doc, 600000), _claim(doc, 650000)
    assert rutte.kind == zel.kind == "casualties/military/RU"
    ents = {e.id: e.key for e in doc.entities}
    assert ents.get(rutte.claimant) == "person/mark-rutte"
    assert ents.get(zel.claimant) == "person/volodymyr-zelenskyy"
    assert (rutte.qualifier, rutte.qualifier_text.lower()) == ("more-than", "over")
    assert (zel.qualifier, zel.qualifier_text) == ("more-than", "upwards of")


def test_seed_deployment_sizes(seed_doc):
    _art, doc = seed_doc
    sizes = [c for c in doc.claims if c.value == 10000]
    assert len(sizes) == 2 and {c.kind for c in sizes} == {"troops/deployed/KP"}
    assert {c.qualifier for c in sizes} == {None, "approximately"}
    assert any(c.qualifier_text == "some" for c in sizes)


def test_seed_distance_within(seed_doc):
    _art, doc = seed_doc
    d = _claim(doc, 7)
    assert (d.unit, d.qualifier) == ("km", "within")
    assert d.kind.startswith("distance/")
    assert _claim(doc, 40).unit == "km"


def test_seed_spans_and_ids(seed_doc):
    art, doc = seed_doc
    for c in doc.claims:
        assert art.body[c.span.start:c.span.end] == c.span.text
    assert [c.id for c in doc.claims] == [f"C{i}" for i in range(1, len(doc.claims) + 1)]
    assert not any(c.value in (2022, 27, 28) for c in doc.claims)


def test_two_units_equivalent():
    from newskb.article import parse_text
    from newskb.extract.pipeline import extract
    art = parse_text("---\ndate: 2024-07-30\npublisher: Example News\n---\n"
                     "Russian forces were about 20 kilometers (12 miles) from Pokrovsk on Tuesday.\n")
    doc = extract(art)
    km = next(c for c in doc.claims if c.unit == "km")
    mi = next(c for c in doc.claims if c.unit == "mi")
    assert mi.equivalent_of == km.id and mi.kind == km.kind
