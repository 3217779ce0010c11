"""The seed article's answers, through the contract queries (the foundation issue's must-show)."""

from __future__ import annotations

import pytest

from helpers import ANNOTATIONS, CORPUS
from newskb.store import open_kb, query_text, run_select

BASE = "https://w3id.org/newskb/"
NKB = "https://w3id.org/newskb/ontology#"


def rows(kb, name):
    res = run_select(open_kb(kb), query_text(name))
    return [dict(zip(res.variables, (None if t is None else t.value for t in row))) for row in res.rows]


def test_north_korean_deployment_confirmed_with_size(seed_kb):
    deps = [r for r in rows(seed_kb, "deployments") if r["force"] == BASE + "force/KP/troops"]
    assert deps, "no deployment of North Korean troops"
    confirmers = {r["confirmedBy"] for r in deps}
    assert {BASE + "org/nato", BASE + "person/mark-rutte", BASE + "org/us-department-of-defense"} <= confirmers
    assert {r["size"] for r in deps} == {"10000"}
    assert {r["place"] for r in deps} <= {BASE + "place/region/RU-KRS", BASE + "place/country/RU"}
    assert {r["country"] for r in deps} == {BASE + "place/country/KP"}
    assert len({r["deployment"] for r in deps}) == 1, "one deployment, reported several times, is one event"


def test_rutte_quotes_with_his_role(seed_kb):
    quotes = [r for r in rows(seed_kb, "statements")
              if r["speaker"] == BASE + "person/mark-rutte" and r["direct"] == "true"]
    texts = " | ".join(r["text"] for r in quotes)
    for phrase in ("I can confirm that North Korean troops", "significant escalation",
                   "The deepening military co-operation", "It undermines peace",
                   "The deployment of North Korean troops to Kursk"):
        assert phrase in texts, f"missing Rutte quote {phrase!r}"
    actors = [r for r in rows(seed_kb, "actors") if r["actor"] == BASE + "person/mark-rutte"]
    assert {(r["roleLabel"], r["affiliation"]) for r in actors} == {("secretary-general", BASE + "org/nato")}
    assert {r["speakerLabel"] for r in quotes} == {"Mark Rutte"}


def test_casualty_figures_conflict(seed_kb):
    conflict = rows(seed_kb, "conflicting-claims")
    by_claimant = {(r["claimant"], r["value"], r["qualifier"]) for r in conflict}
    assert (BASE + "person/mark-rutte", "600000", NKB + "qualifier-more-than") in by_claimant
    assert (BASE + "person/volodymyr-zelenskyy", "650000", NKB + "qualifier-more-than") in by_claimant
    kinds = {r["kind"] for r in conflict if r["value"] in ("600000", "650000")}
    assert len(kinds) == 1


@pytest.mark.parametrize("name,geonames", [("Pokrovsk", "704422"), ("Kurakhove", "695357")])
def test_towns_with_coordinates_inside_donetsk_region_ukraine(seed_kb, name, geonames):
    places = rows(seed_kb, "places")
    town = [r for r in places if r["placeLabel"] == name]
    assert town, f"{name} missing"
    r = town[0]
    assert r["place"] == BASE + f"place/geonames/{geonames}"
    assert r["placeType"] == NKB + "Settlement"
    assert r["lat"] and r["long"]
    assert 47 < float(r["lat"]) < 49 and 37 < float(r["long"]) < 38
    assert r["within"] == BASE + "place/region/UA-14"
    assert r["sameAs"] == f"https://sws.geonames.org/{geonames}/"
    region = [p for p in places if p["place"] == BASE + "place/region/UA-14"]
    assert region and region[0]["within"] == BASE + "place/country/UA"


def test_seed_precision_and_recall_against_team_annotation():
    """Reports precision and recall on the seed annotation; floors in tests/annotations/floors.json."""
    import json

    from newskb.annotations import load_split
    from newskb.evaluate import evaluate_corpus, format_table

    golds = [g for g in load_split(ANNOTATIONS, "train") if g.article.startswith("2024-10-28-ft")]
    totals, per = evaluate_corpus(golds, CORPUS)
    floors = json.loads((ANNOTATIONS / "floors.json").read_text())["seed"]
    table, ok = format_table(totals, floors)
    print(table)
    errors = [e for scores in per.values() for s in scores.values() for e in s.errors]
    assert ok, table + "\n" + "\n".join(errors)
