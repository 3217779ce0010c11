"""Extraction scores on the hand annotations (docs/annotations.md) must not drop below their recorded
floors (tests/annotations/floors.json, per split). Raise a floor when a score improves."""

from __future__ import annotations

import json

import pytest

from helpers import ANNOTATIONS, CORPUS, CORPUS_DEV
from newskb.annotations import load_split
from newskb.evaluate import AREAS, check_dir, evaluate, evaluate_corpus, format_table

FLOORS = json.loads((ANNOTATIONS / "floors.json").read_text())


@pytest.mark.parametrize(("split", "corpus", "least"), [("train", CORPUS, 16), ("dev", CORPUS_DEV, 20)])
def test_scores_stay_above_floors(split, corpus, least):
    golds = load_split(ANNOTATIONS, split)
    assert len(golds) >= least, f"the {split} split needs at least {least} annotated articles"
    totals, per = evaluate_corpus(golds, corpus)
    floors = FLOORS[split]
    assert set(floors) == set(AREAS)
    table, ok = format_table(totals, floors)
    print(table)
    assert ok, table
    misattributed = totals["statements"].wrong / max(1, totals["statements"].returned)
    assert misattributed <= floors["statements"]["max_misattributed"], table
    assert totals["places"].wrong <= floors["places"]["max_wrong_same_name"], table


def test_annotation_files_are_well_formed():
    """Every annotation's phrases and names occur in its article, and its references resolve."""
    assert check_dir(ANNOTATIONS, "all") == []


def _doc(body, entities, statements=(), **more):
    from newskb.facts import ArticleMeta, FactsDocument

    return FactsDocument(article=ArticleMeta(id="a", sha256="0" * 64, date="2024-10-28"), entities=list(entities),
                         statements=list(statements), **more)


def test_scorer_counts_a_wrong_speaker_as_misattributed():
    """A returned statement whose text holds an annotated phrase but names another speaker is
    counted as misattributed and not as correct."""
    from newskb.facts import Entity, Span, Statement

    body = "Rutte said the war was lost."
    doc = _doc(body, [Entity(id="E1", key="person/someone-else", type="Person", name="Someone Else")],
               [Statement(id="S1", speaker="E1", text="the war was lost", direct=False,
                          span=Span(start=11, end=27, text=body[11:27]))])
    gold = {"statements": [{"phrase": "war was lost", "speaker": "person/mark-rutte", "direct": False}]}
    s = evaluate(doc, gold, body)["statements"]
    assert (s.tp_recall, s.wrong, s.returned) == (0, 1, 1)


def test_scorer_matches_a_described_speaker_by_where_the_text_names_it():
    """An annotated actor with no key (an anonymous source) is found by its name's place in the body,
    whatever key the extractor gave it; a document stands for its author and the author for it."""
    from newskb.facts import Entity, Span, Statement

    body = "A senior official said the talks had stalled. The ministry's statement said talks resumed."
    i = body.index("A senior official")
    j = body.index("The ministry's statement")
    doc = _doc(body, [
        Entity(id="E1", key="source/a/senior-official", type="AnonymousSource", name="senior official",
               mentions=[Span(start=i, end=i + 17, text=body[i:i + 17])]),
        Entity(id="E2", key="org/ministry", type="Organisation", name="the ministry",
               mentions=[Span(start=j, end=j + 12, text=body[j:j + 12])]),
    ], [
        Statement(id="S1", speaker="E1", text="the talks had stalled", direct=False,
                  span=Span(start=i + 23, end=i + 44, text=body[i + 23:i + 44])),
        Statement(id="S2", speaker="E2", text="talks resumed", direct=False,
                  span=Span(start=body.index("talks resumed"), end=body.index("talks resumed") + 13,
                            text="talks resumed")),
    ])
    gold = {
        "actors": [
            {"id": "official", "name": "A senior official", "type": "AnonymousSource"},
            {"id": "ministry", "name": "The ministry", "type": "Organisation"},
            {"id": "statement", "name": "The ministry's statement", "type": "Document", "affiliation": "ministry"},
        ],
        "statements": [
            {"phrase": "talks had stalled", "speaker": "official", "direct": False},
            {"phrase": "talks resumed", "speaker": "statement", "direct": False},
        ],
    }
    scores = evaluate(doc, gold, body)
    assert (scores["statements"].tp_recall, scores["statements"].wrong) == (2, 0)
    assert scores["actors"].tp_recall == 2  # the document itself was not extracted as an actor:
    assert scores["actors"].errors == ["actor The ministry's statement: type Organisation, affiliation None"]


def test_scorer_counts_an_actor_named_only_by_a_global_key_as_no_extra():
    """docs/annotations.md: an affiliation may name an actor by a global key the list leaves out;
    the extracted actor with that key is annotated, not an extra."""
    from newskb.facts import Entity, Span

    body = "Foreign Minister Anna Berg said the talks would go on."
    i = body.index("Anna Berg")
    doc = _doc(body, [
        Entity(id="E1", key="person/anna-berg", type="Person", name="Anna Berg", role="foreign minister",
               affiliation="E2", mentions=[Span(start=i, end=i + 9, text="Anna Berg")]),
        Entity(id="E2", key="government/SE", type="Government", name="Government of Sweden", country="SE"),
        Entity(id="E3", key="government/NO", type="Government", name="Government of Norway", country="NO"),
    ], [])
    gold = {"actors": [{"key": "person/anna-berg", "type": "Person", "role": "foreign minister",
                        "affiliation": "government/SE"}]}
    s = evaluate(doc, gold, body)["actors"]
    assert (s.tp_recall, s.tp_precision, s.returned) == (1, 2, 3)  # Norway's government is an extra


def test_scorer_keeps_quantities_apart_and_ranges_whole():
    """Claims of one annotated group must share a kind and claims of different groups must not;
    a range is right only with both bounds."""
    from newskb.facts import Entity, NumericClaim, Span

    body = "Officials said 40 died in the north and 70 in the south, and 70% to 80% of land was held."
    sp = Span(start=0, end=9, text=body[:9])
    ents = [Entity(id="E1", key="group/officials", type="Group", name="officials")]

    def claim(cid, value, kind, unit="count", high=None):
        return NumericClaim(id=cid, value=value, max_value=high, unit=unit, kind=kind, kind_label=kind,
                            claimant="E1", span=sp)

    gold = {"claims": [
        {"value": 40, "unit": "count", "claimant": "group/officials", "group": "north-dead"},
        {"value": 70, "unit": "count", "claimant": "group/officials", "group": "south-dead"},
        {"min": 70, "max": 80, "unit": "percent", "claimant": "group/officials", "group": "share-held"},
    ]}
    one_kind = _doc(body, ents, claims=[claim("C1", 40, "killed"), claim("C2", 70, "killed"),
                                        claim("C3", 70, "share", "percent")])
    s = evaluate(one_kind, gold, body)["claims"]
    assert s.tp_recall == 0, s.errors  # 40 and 70 share a kind; the range has no maximum
    assert sum("different quantities, one kind" in e for e in s.errors) == 2
    apart = _doc(body, ents, claims=[claim("C1", 40, "killed/north"), claim("C2", 70, "killed/south"),
                                     claim("C3", 70, "share", "percent", high=80)])
    assert evaluate(apart, gold, body)["claims"].tp_recall == 3
