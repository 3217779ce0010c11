"""Reasoning (newskb.reason): HermiT over the KB, inferred graph, explained inconsistencies,
three deliberately broken KBs, and the *-violation SPARQL checks."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from helpers import ROOT
from newskb.kbfolder import INFERRED_FILE, inferred_graph_iri
from newskb.reason import reason, reason_triples
from newskb.store import open_kb, run_select

BROKEN = ROOT / "tests" / "data" / "broken"
BROKEN_BASE = "https://example.org/kb/"
CHECKS = sorted((ROOT / "queries" / "checks").glob("*-violation.rq"))
NKB = "https://w3id.org/newskb/ontology#"


def make_kb(trig: Path, out: Path) -> Path:
    """A KB folder (articles/*.ttl + manifest.json) from a hand-written TriG file."""
    (out / "articles").mkdir(parents=True)
    graphs: dict[str, list] = {}
    for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        graphs.setdefault(q.graph_name.value, []).append(q.triple)
    articles = {}
    for g, triples in sorted(graphs.items()):
        aid = g.rstrip("/").rsplit("/", 1)[-1]
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE)
        (out / "articles" / f"{aid}.ttl").write_bytes(data)
        articles[aid] = {"graph": g, "turtle_sha256": hashlib.sha256(data).hexdigest(), "triples": len(triples)}
    (out / "manifest.json").write_text(json.dumps({"base": BROKEN_BASE, "articles": articles}))
    return out


@pytest.fixture(scope="module")
def reasoned_kb(corpus_kb, tmp_path_factory) -> tuple[Path, object]:
    kb = tmp_path_factory.mktemp("reasoned") / "kb"
    shutil.copytree(corpus_kb, kb)
    return kb, reason(kb)


# ---------------------------------------------------------------- the corpus KB
def test_corpus_kb_is_consistent_and_inferred_graph_is_written(reasoned_kb):
    kb, report = reasoned_kb
    assert report.consistent, report.summary()
    assert (kb / INFERRED_FILE).is_file() and report.loaded_into_store
    assert report.inferred["class memberships"] > 0 and report.inferred["nkb:locatedIn"] > 0
    assert report.inferred["nkb:contains"] > 0
    for step in ("read KB", "reasoning view", "hermit", "entailments", "write inferred.ttl", "load into store"):
        assert step in report.timings
    assert "consistent" in report.summary()


def test_inferred_graph_is_separate_and_never_repeats_asserted_triples(reasoned_kb):
    kb, report = reasoned_kb
    inferred = {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(kb / INFERRED_FILE), format=ox.RdfFormat.TURTLE)}
    asserted = {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(kb / "kb.nq"), format=ox.RdfFormat.N_QUADS)}
    assert inferred and not inferred & asserted
    assert not [t for t in inferred for x in t if isinstance(x, ox.BlankNode)]
    assert len(inferred) == report.inferred_triples
    store = open_kb(kb)
    g = ox.NamedNode(inferred_graph_iri(json.loads((kb / "manifest.json").read_text())["base"]))
    assert store.contains_named_graph(g)
    assert sum(1 for _ in store.quads_for_pattern(None, None, None, g)) == len(inferred)


def test_towns_are_inside_their_country_transitively(reasoned_kb):
    kb, _ = reasoned_kb
    text = (kb / INFERRED_FILE).read_text()
    # Pokrovsk (GeoNames 704422): the articles place it in Donetsk region; reasoning puts it in Ukraine
    assert ("<https://w3id.org/newskb/place/geonames/704422> a nkb:Place ;\n"
            "\tnkb:locatedIn <https://w3id.org/newskb/place/country/UA>") in text


def test_statements_about_places_in_ukraine_include_towns_placed_only_in_a_region(reasoned_kb):
    from newskb.store import query_text

    kb, _ = reasoned_kb
    res = run_select(open_kb(kb), query_text("statements-about-places-in-ukraine"))
    assert res.variables == ["statement", "speaker", "speakerLabel", "text", "place", "placeLabel", "placeType",
                             "region", "regionLabel", "how", "article"]
    asserted = ox.Store()
    asserted.bulk_load(path=str(kb / "kb.nq"), format=ox.RdfFormat.N_QUADS)
    ua = ox.NamedNode("https://w3id.org/newskb/place/country/UA")
    only_region = set()
    for row in res.rows:
        place, ptype, region = row[4], row[6], row[7]
        if ptype.value == NKB + "Settlement" and region is not None:
            direct = list(asserted.quads_for_pattern(place, ox.NamedNode(NKB + "locatedIn"), ua))
            if not direct:
                only_region.add(row[5].value)
    assert "Pokrovsk" in only_region, sorted(only_region)


def test_output_is_deterministic(seed_kb, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(seed_kb, a)
    shutil.copytree(seed_kb, b)
    reason(a, load_store=False)
    reason(b, load_store=False)
    assert (a / INFERRED_FILE).read_bytes() == (b / INFERRED_FILE).read_bytes()


def test_property_rules_agree_with_hermit_on_containment(seed_kb):
    """The transitive closure of nkb:locatedIn computed by the rules equals HermiT's (-Y)."""
    import io

    import owlready2 as o2
    from owlready2.reasoning import _INFERRENCES_ONTOLOGY

    from newskb.reason import TBox, build_view, property_closure, read_kb, read_ontology

    union, _, _ = read_kb(seed_kb)
    tbox = TBox(read_ontology())
    located = [t for t in union if t[1] == NKB + "locatedIn"]
    view = build_view(tbox, located, base="https://w3id.org/newskb/")
    ours = {t for t in property_closure(tbox, view.object_assertions) if t[1] == NKB + "locatedIn"} - set(located)
    world = o2.World()
    world.get_ontology("https://w3id.org/newskb/check").load(fileobj=io.BytesIO(view.ntriples), format="ntriples")
    o2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    inf = world.get_ontology(_INFERRENCES_ONTOLOGY)
    prop = world._abbreviate(NKB + "locatedIn")
    hermit = {(world._unabbreviate(s), NKB + "locatedIn", world._unabbreviate(o)) for s, _, o in inf.get_triples(None, prop, None)}
    world.close()
    assert ours and ours == hermit


# ---------------------------------------------------------------- three broken KBs
BROKEN_CASES = {
    # name: (reasoning finds it inconsistent?, words the explanation must contain, SHACL message fragment)
    "place-as-speaker": (True, ['"Kursk"', "typed both Agent and Place, which are disjoint", "nkb:speaker",
                                "range of nkb:speaker is nkb:Agent", "nkb:Region, a kind of nkb:Place"],
                         "the speaker must be an actor"),
    "person-with-coordinates": (True, ['"Ivan Example"', "typed both Agent and Place, which are disjoint",
                                       "geo:lat", "domain of geo:lat is nkb:Place"],
                                "An actor has no coordinates"),
    "statement-without-speaker": (False, [], "A statement needs exactly one speaker"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_CASES))
def test_broken_kb_is_reported_with_a_clear_explanation(name, tmp_path, capsys):
    from newskb.cli import main

    inconsistent, words, shacl_words = BROKEN_CASES[name]
    kb = make_kb(BROKEN / f"{name}.trig", tmp_path / "kb")
    code = main(["reason", "--kb", str(kb)])
    out = capsys.readouterr().out
    if inconsistent:  # caught by reasoning
        assert code == 1 and "INCONSISTENT" in out
        for w in words:
            assert w in out, f"{w!r} missing from:\n{out}"
        assert not (kb / INFERRED_FILE).exists()
    else:  # open world: a missing value is no contradiction; the shapes catch it
        assert code == 0 and "consistent" in out
    # and by the shapes, always
    from rdflib import Dataset

    from newskb.validate import validate_graph

    ds = Dataset()
    ds.parse(BROKEN / f"{name}.trig", format="trig")
    g = next(g for g in ds.graphs() if str(g.identifier).startswith(BROKEN_BASE))
    report = validate_graph(g, name=name)
    assert not report.conforms and shacl_words in report.text(), report.text()


def test_two_values_of_a_functional_property_are_named():
    s, lit = BROKEN_BASE + "span/x/0-4", ox.Literal
    triples = [(s, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", NKB + "TextSpan"),
               (s, NKB + "exact", lit("Kyiv")), (s, NKB + "exact", lit("Kiev"))]
    report = reason_triples(triples, base=BROKEN_BASE).report
    assert not report.consistent
    assert "has 2 different values for nkb:exact" in report.problems[0].message
    assert "functional" in report.problems[0].message


def test_functional_object_property_merges_are_explained():
    t = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    st, p, place = BROKEN_BASE + "statement/x/1-2", BROKEN_BASE + "person/a", BROKEN_BASE + "place/b"
    triples = [(st, t, NKB + "Statement"), (st, NKB + "speaker", p), (st, NKB + "speaker", place),
               (p, t, NKB + "Person"), (place, t, NKB + "Settlement")]
    report = reason_triples(triples, base=BROKEN_BASE).report
    assert not report.consistent
    text = " ".join(x.message for x in report.problems)
    assert "must be the same individual" in text and "functional" in text and "disjoint" in text


def test_reason_refuses_a_folder_that_is_not_a_kb(tmp_path, capsys):
    from newskb.cli import main

    assert main(["reason", "--kb", str(tmp_path)]) == 2
    assert "not a newskb KB folder" in capsys.readouterr().err


# ---------------------------------------------------------------- *-violation checks
def test_there_are_violation_checks():
    assert len(CHECKS) >= 6, "queries/checks/*-violation.rq: no checks found"
    for q in CHECKS:
        head = q.read_text().splitlines()[0]
        assert head.startswith("# Check (must return no rows)"), q.name


def _kbs(corpus_kb) -> list[Path]:
    kbs = [corpus_kb]
    if (ROOT / "kb" / "kb.nq").is_file():
        kbs.append(ROOT / "kb")
    return kbs


@pytest.mark.parametrize("check", CHECKS, ids=[c.stem for c in CHECKS])
def test_violation_check_finds_nothing_on_the_kb(check, corpus_kb):
    for kb in _kbs(corpus_kb):
        res = run_select(open_kb(kb), check.read_text())
        assert not res.rows, f"{check.name} on {kb}:\n{res.to_table()}"


@pytest.mark.parametrize("name,check", [
    ("place-as-speaker", "place-as-speaker-violation"),
    ("person-with-coordinates", "actor-with-coordinates-violation"),
    ("statement-without-speaker", "statement-without-speaker-violation"),
])
def test_violation_checks_catch_the_broken_kbs(name, check, tmp_path):
    kb = make_kb(BROKEN / f"{name}.trig", tmp_path / "kb")
    res = run_select(open_kb(kb), (ROOT / "queries" / "checks" / f"{check}.rq").read_text())
    assert res.rows, f"{check} finds nothing in {name}"
