"""The build's fast paths give exactly what their reference definitions give.

- ``FactsDocument.to_json`` (pydantic's Rust encoder, with a fallback) equals the indented
  ``json.dumps`` of ``model_dump``;
- ``map_facts_triples`` (memoised terms, directly built literals) equals the mapping at
  :data:`REF_COMMIT`, term by term (lexical form, datatype, language, value, ill-typed flag),
  and gives the same Turtle;
- ``graph_chunks`` (N-Quads from N-Triples, TriG from Turtle) equals ``ox.serialize`` of the quads;
- ``sorted_triples`` (sorting by N-Triples texts made in Python) equals sorting the converted
  triples by ``_triple_key``;
- the places step's overlap test (a binary search over the model's entities) equals testing
  every interval.

Checked on every facts document in kb/facts and on edge cases.
"""

from __future__ import annotations

import importlib.util
import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from newskb.facts import FactsDocument
from newskb.mapping import map_facts_triples
from newskb.serialize import (
    PREFIXES, Format, _triple_key, dataset_header, graph_chunks, graph_chunks_of, ntriples_of_turtle, serialize_sorted,
    sorted_ntriples, sorted_triples, to_ox, turtle_of_ntriples,
)

ROOT = Path(__file__).resolve().parents[1]
FACTS = sorted((ROOT / "kb" / "facts").glob("*.facts.json"))
REF_COMMIT = "dd469f9"  # the mapping before its fast paths
TRIG_HEADER = dataset_header(Format.TRIG)
NKB = "https://w3id.org/newskb/ontology#"

pytestmark = pytest.mark.skipif(not FACTS, reason="no kb/facts documents")


def reference_json(doc: FactsDocument) -> str:
    return json.dumps(doc.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2,
                      sort_keys=False) + "\n"


@pytest.fixture(scope="module")
def docs() -> list[FactsDocument]:
    return [FactsDocument.from_json(p.read_text(encoding="utf-8")) for p in FACTS]


@pytest.fixture(scope="module")
def ref_mapping():
    """newskb/mapping.py at REF_COMMIT, imported as a module of the package."""
    try:
        src = subprocess.run(["git", "show", f"{REF_COMMIT}:src/newskb/mapping.py"], cwd=ROOT,
                             capture_output=True, check=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git history not available")
    name = "newskb._mapping_ref"
    spec = importlib.util.spec_from_loader(name, loader=None)
    mod = importlib.util.module_from_spec(spec)
    mod.__package__ = "newskb"
    sys.modules[name] = mod
    exec(compile(src, f"{REF_COMMIT}:mapping.py", "exec"), mod.__dict__)
    mod.PLACE_CLASS.setdefault("WaterBody", mod.NKB.WaterBody)  # a place class newer than the reference
    # actor types the mapping gained after the reference (issue 22): the same class table
    from newskb.mapping import ENTITY_CLASS
    mod.ENTITY_CLASS.update({k: v for k, v in ENTITY_CLASS.items() if k not in mod.ENTITY_CLASS})
    return mod


def _as_reference(doc: FactsDocument, triples: set) -> set:
    """The mapping's triples as the reference writes them: mapping rules added after it (issue
    22: a statement's co-speakers, a document's author as prov:wasAttributedTo) are the
    reference's (no co-speaker triple; the author as nkb:affiliation)."""
    from rdflib import URIRef

    co, attributed = URIRef(NKB + "coSpeaker"), URIRef("http://www.w3.org/ns/prov#wasAttributedTo")
    out = set()
    for s, p, o in triples:
        if p == co:
            continue
        # a document's author (the public-vocabulary copies of other triples are filtered later)
        out.add((s, URIRef(NKB + "affiliation"), o) if p == attributed and "/document/" in str(s) else (s, p, o))
    return out


# -- facts JSON -----------------------------------------------------------------------------


def test_to_json_equals_reference_on_kb(docs):
    for doc in docs:
        assert doc.to_json() == reference_json(doc), doc.article.id


def _edited(doc: FactsDocument, edit) -> FactsDocument:
    d = json.loads(reference_json(doc))
    edit(d)
    return FactsDocument.model_validate(d)


def _rich(docs) -> FactsDocument:
    return next(d for d in docs if d.claims and d.places and d.entities)


def test_to_json_edge_cases(docs):
    base = _rich(docs)
    odd = "Zürich — “quoted” \"q\" back\\slash tab\t nl\n cr\r \x01 \x7f \u2028 \u2029 \ufeff 😀 ünïcödé 0.00001 1e-05"

    def text(d):
        d["entities"][0]["name"] = odd
        d["entities"][0]["aliases"] = []
        d["article"]["authors"] = []
        d["article"]["title"] = odd
        d["notes"] = []

    cases = [text]
    floats = [0.1, 0.2, 1 / 3, 1e-05, 1e-4, 0.0001234, 1e-7, 5e-324, 1e15, 1e16, 1e20, 1.7976931348623157e308,
              -0.0, 0.0, 1.0, 123456789.125, -13.4, 52.5]
    for x in floats:
        cases.append(lambda d, x=x: d["claims"][0].__setitem__("value", x))
        cases.append(lambda d, x=x: d["places"][0].update(lat=x, long=-x))
    for c in (0.1, 1e-05, 0.3333333333333333, 1.0, 0.0):
        cases.append(lambda d, c=c: d["entities"][0].__setitem__("confidence", c))
    for n in (0, 2**53 + 1, 10**20, 10**30):
        cases.append(lambda d, n=n: d["places"][0].__setitem__("geonames_id", n))
    for edit in cases:
        doc = _edited(base, edit)
        assert doc.to_json() == reference_json(doc)


def test_to_json_random_floats(docs):
    base = _rich(docs)
    rng = random.Random(7)
    for _ in range(150):
        x = rng.random() * 10 ** rng.randint(-9, 22) * rng.choice((1, -1))
        doc = _edited(base, lambda d: d["claims"][0].__setitem__("value", x))
        assert doc.to_json() == reference_json(doc), x


def test_to_json_non_finite(docs):
    base = _rich(docs)
    for x in (math.inf, -math.inf, math.nan):
        doc = base.model_copy(deep=True)
        doc.claims[0].value = x
        assert doc.to_json() == reference_json(doc)


# -- mapping --------------------------------------------------------------------------------


def _attrs(term) -> tuple:
    if isinstance(term, Literal):
        return (type(term), str(term), term._language, term._datatype, type(term._datatype),
                repr(term._value), type(term._value), term._ill_typed)
    return (type(term), str(term))


# place geometry added after REF_COMMIT (issue 25): bounding boxes, approximate points, and the
# points, links and names of a country an actor belongs to that no place of the document is
_GSP = "http://www.opengis.net/ont/geosparql#"
_NEWER = {_GSP + "hasBoundingBox", _GSP + "asWKT", "https://w3id.org/newskb/ontology#approximatePoint"}
_KEPT_FOR_ADDED_COUNTRIES = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://w3id.org/newskb/ontology#isoCode"}


def _comparable(doc, triples) -> set:
    """The triples both mappings write: without the features newer than the reference."""
    keys = {p.key for p in doc.places}
    added = {str(s) for s, _p, _o in triples if "/place/country/" in str(s) and not str(s).endswith("/bbox")
             and str(s).split("/place/", 1)[1] not in keys}
    return {(s, p, o) for s, p, o in triples
            if str(p) not in _NEWER and str(o) != _GSP + "Geometry"
            and not (str(s) in added and str(p) not in _KEPT_FOR_ADDED_COUNTRIES)}


# claim parts the mapping writes since issue 23 (measure, bounds, time span, stated forms), which the
# reference mapping predates; tests/test_claims_model.py and tests/test_mapping.py check them
NEW_SINCE_REF = {NKB + t for t in ("measure", "kindPlace", "maxValue", "lowerBound", "upperBound", "timeSpanStart",
                                   "timeSpanEnd", "comparableUntil", "statedForm", "statedValue", "statedUnit")}


def _known_to_ref(triples):
    forms = {o for _s, p, o in triples if str(p) == NKB + "statedForm"}
    ev = NKB + "evidence"
    form_spans = {o for s, p, o in triples if str(p) == ev and s in forms}
    form_spans -= {o for s, p, o in triples if str(p) == ev and s not in forms}  # a span other facts cite stays
    return {t for t in triples if str(t[1]) not in NEW_SINCE_REF and t[0] not in forms and t[0] not in form_spans}


def _added_since_reference(t, doc: FactsDocument) -> bool:
    """A triple of what the mapping publishes since REF_COMMIT (issue 26): labels of statements,
    claims and spans, an article's derived headline, and the schema.org / PROV-O terms of the
    ontology's alignment (with schema:geo nodes). Built with the same term functions as the rest."""
    s, p, o = (str(x) for x in t)
    public = ("https://schema.org/", "http://www.w3.org/ns/prov#")
    if p.startswith(public) or o.startswith(public) or s.endswith("#geo"):
        return True
    if p in (NKB + "derivedHeadline", NKB + "actor", NKB + "affected"):  # and the events' roles (issue 24)
        return True
    return p == "http://www.w3.org/2000/01/rdf-schema#label" and ("/statement/" in s or "/claim/" in s or "/span/" in s
                                                                  or (s.endswith("/article/" + doc.article.id)
                                                                      and str(o) == doc.article.derived_title))


def test_mapping_equals_reference(docs, ref_mapping):
    for _ in range(2):  # the second time from the memos
        for doc in docs:
            iri_ref, ref = ref_mapping.map_facts_triples(doc)
            iri, full = map_facts_triples(doc)
            ref, new = _comparable(doc, ref), _comparable(doc, _known_to_ref(_as_reference(doc, full)))
            assert iri == iri_ref and type(iri) is type(iri_ref)
            if doc.article.derived_title:  # the reference labels an article without a title by its id
                ref = {t for t in ref if not (str(t[1]).endswith("#label") and str(t[2]) == doc.article.id)}
            kept = {t for t in new if not _added_since_reference(t, doc)}
            assert kept == ref, doc.article.id
            assert {tuple(map(_attrs, t)) for t in kept} == {tuple(map(_attrs, t)) for t in ref}, doc.article.id
            assert serialize_sorted(sorted_triples(kept)) == serialize_sorted(sorted_triples(ref))
            assert serialize_sorted(sorted_triples(full)) == _reference_turtle(full)


def test_mapping_decimal_memo_keeps_signed_zero(ref_mapping):
    from newskb.mapping import decimal_literal

    for x in (0.0, -0.0, 0.0, 1, 1.0, True, 0.1, 1e-7, 1e20, -2.5):
        assert _attrs(decimal_literal(x)) == _attrs(ref_mapping.decimal_literal(x)), x


# -- sorting --------------------------------------------------------------------------------


def _reference_sorted(triples) -> list[ox.Triple]:
    return sorted((ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples), key=_triple_key)


def _reference_turtle(triples) -> bytes:
    return ox.serialize(_reference_sorted(triples), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def _edge_triples() -> list[tuple]:
    from rdflib import XSD  # (not at module level: pytest probes module globals)

    b = "https://w3id.org/newskb/"
    a, a_, ab = URIRef(b + "a"), URIRef(b + "a-"), URIRef(b + "a/b")  # "<a->" sorts before "<a>"
    t = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    p = URIRef(NKB + "text")
    lits = [Literal("plain"), Literal("tab\there"), Literal('q"uote\\'), Literal("nl\ncr\r\x00\x1f\x7f\ufffe"),
            Literal("ünï 😀 \u2028"), Literal(""), Literal(5, datatype=XSD.integer), Literal("-0.5", datatype=XSD.decimal),
            Literal(True), Literal("2020-01", datatype=XSD.gYearMonth), Literal("http://x/y", datatype=XSD.anyURI)]
    out = [(s, p, o) for s in (a, a_, ab) for o in lits]
    out += [(s, t, URIRef(NKB + "Article")) for s in (a, a_, ab)]
    out += [(s, URIRef(NKB + "mentions"), o) for s in (a, ab) for o in (a_, ab, URIRef(NKB + "Person"))]
    out += [(URIRef(NKB + "precision-day"), p, Literal("an nkb: subject"))]
    return out


def test_sorted_triples_equals_key_order(docs, ref_mapping):
    for doc in docs:
        _, g = map_facts_triples(doc)
        assert [str(t) for t in sorted_triples(g)] == [str(t) for t in _reference_sorted(g)]
    edge = _edge_triples()
    assert [str(t) for t in sorted_triples(edge)] == [str(t) for t in _reference_sorted(edge)]
    assert [str(t) for t in sorted_triples(iter(edge))] == [str(t) for t in _reference_sorted(edge)]


def test_sorted_triples_other_terms():
    """Terms the text path does not handle take the reference path, same result."""
    from rdflib import XSD

    s = URIRef("https://w3id.org/newskb/a")
    for o in (Literal("hello", lang="en-GB"), Literal("x", datatype=XSD.string)):
        triples = _edge_triples() + [(s, URIRef(NKB + "text"), o)]
        assert [str(t) for t in sorted_triples(triples)] == [str(t) for t in _reference_sorted(triples)]


def test_sorted_triples_refuses_bad_iris():
    with pytest.raises((ValueError, SyntaxError)):
        sorted_triples([(URIRef("https://w3id.org/newskb/a b"), URIRef(NKB + "text"), Literal("x"))])


# -- dataset chunks -------------------------------------------------------------------------


def _reference_chunks(name: str, triples: list[ox.Triple]) -> tuple[bytes, bytes]:
    g = ox.NamedNode(name)
    quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
    nq = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    return nq, (trig[len(TRIG_HEADER):] if trig else b"")


def test_graph_chunks_equal_quads_serialisation(docs):
    for doc in docs:
        iri, g = map_facts_triples(doc)
        triples = sorted_triples(g)
        assert graph_chunks(str(iri), triples, TRIG_HEADER) == _reference_chunks(str(iri), triples), doc.article.id


def test_graph_chunks_edge_cases():
    edge = sorted_triples(_edge_triples())
    for name in ("https://w3id.org/newskb/graph/x", NKB + "g", "urn:x:g"):
        assert graph_chunks(name, edge, TRIG_HEADER) == _reference_chunks(name, edge)
        assert graph_chunks(name, edge[:1], TRIG_HEADER) == _reference_chunks(name, edge[:1])
        assert graph_chunks(name, [], TRIG_HEADER) == _reference_chunks(name, []) == (b"", b"")


# -- the build's path: sorted N-Triples, Turtle and chunks without a Python object per triple ---


def _check_text_path(name: str, graph) -> None:
    triples = sorted_triples(graph)
    nt = sorted_ntriples(graph)
    assert nt == ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    ttl = turtle_of_ntriples(nt)
    assert ttl == serialize_sorted(triples)
    assert ntriples_of_turtle(ttl) == nt
    assert graph_chunks_of(name, nt, ttl, TRIG_HEADER) == _reference_chunks(name, triples)


def test_sorted_ntriples_turtle_and_chunks_equal_the_triples_path(docs):
    for doc in docs:
        iri, g = map_facts_triples(doc)
        _check_text_path(str(iri), g)
    _check_text_path(NKB + "g", _edge_triples())
    from rdflib import XSD

    s = URIRef("https://w3id.org/newskb/a")
    for o in (Literal("hello", lang="en-GB"), Literal("x", datatype=XSD.string)):  # the reference path
        _check_text_path(NKB + "g", _edge_triples() + [(s, URIRef(NKB + "text"), o)])
    assert sorted_ntriples([]) == b"" and turtle_of_ntriples(b"") == serialize_sorted([])
    assert graph_chunks_of(NKB + "g", b"", b"", TRIG_HEADER) == (b"", b"")


def test_the_text_path_refuses_bad_iris():
    with pytest.raises(ValueError):  # a character no IRI holds: refused while sorting
        sorted_ntriples([(URIRef("https://w3id.org/newskb/a b"), URIRef(NKB + "text"), Literal("x"))])
    nt = sorted_ntriples([(URIRef("no-scheme/a"), URIRef(NKB + "text"), Literal("x"))])
    with pytest.raises(SyntaxError):  # not an absolute IRI: refused by the parser, before any Turtle
        turtle_of_ntriples(nt)


def test_places_overlap_test_equals_testing_every_interval():
    from newskb.extract.places import _overlap_test

    rnd = random.Random(8)
    for trial in range(400):
        if trial % 2:  # in order and disjoint, as the model's entities are
            cuts = sorted(rnd.sample(range(200), 2 * rnd.randint(0, 12)))
            intervals = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
        else:  # any list: overlapping, out of order, empty
            intervals = [(a, a + rnd.randint(0, 30)) for a in (rnd.randrange(200) for _ in range(rnd.randint(0, 8)))]
        test = _overlap_test(intervals)
        for _ in range(60):
            a = rnd.randrange(-5, 210)
            b = a + rnd.randint(0, 25)
            assert test(a, b) == any(not (b <= s or a >= e) for s, e in intervals), (intervals, a, b)

