"""RDF mapping: deterministic, no blank nodes, IRIs safe for any text, shared entities, side-by-side claims."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, URIRef

from newskb.facts import (ArticleMeta, Entity, FactsDocument, NumericClaim, Span, Statement)
from newskb.mapping import IriMinter, map_facts
from newskb.serialize import Format, serialize_dataset, serialize_graph, sorted_triples
from newskb.validate import validate_graph


def make_doc(article_id: str, speaker_name: str, value: float, body: str = "He said 600,000 were hurt.") -> FactsDocument:
    return FactsDocument(
        article=ArticleMeta(id=article_id, sha256="0" * 64, publisher="Example News", date="2024-10-28"),
        entities=[
            Entity(id="E1", key=f"person/{'-'.join(speaker_name.lower().split())}", type="Person", name=speaker_name,
                   mentions=[Span(start=0, end=2, text=body[0:2])]),
            Entity(id="E2", key="org/example-news", type="Publisher", name="Example News"),
        ],
        statements=[Statement(id="S1", speaker="E1", text=body[8:25], direct=False,
                              span=Span(start=8, end=25, text=body[8:25]), cue="say")],
        claims=[NumericClaim(id="C1", value=value, unit="count", qualifier="more-than", kind="casualties/military/RU",
                             kind_label="Russian military casualties", claimant="E1", statement="S1",
                             span=Span(start=8, end=15, text=body[8:15]))],
    )


def test_same_input_gives_identical_bytes():
    doc = make_doc("a1", "Mark Rutte", 600000)
    outs = {serialize_graph(map_facts(doc)[1], Format.TURTLE) for _ in range(3)}
    assert len(outs) == 1


def test_shared_person_one_iri_and_conflicting_claims_side_by_side():
    g1_iri, g1 = map_facts(make_doc("a1", "Mark Rutte", 600000))
    g2_iri, g2 = map_facts(make_doc("a2", "Mark Rutte", 650000))
    person = URIRef("https://w3id.org/newskb/person/mark-rutte")
    assert (person, None, None) in g1 and (person, None, None) in g2
    data = serialize_dataset([(str(g1_iri), sorted_triples(g1)), (str(g2_iri), sorted_triples(g2))], Format.N_QUADS)
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    from newskb.vocab import NKB
    values = sorted(str(o) for _, _, o, _ in ds.quads((None, NKB.value, None, None)))
    assert values == ["600000", "650000"]


def test_mapped_example_conforms():
    _, g = map_facts(make_doc("a1", "Mark Rutte", 600000))
    report = validate_graph(g)
    assert report.conforms, report.text()


def test_configurable_base():
    iri, g = map_facts(make_doc("a1", "Mark Rutte", 1), base="http://example.org/kb/")
    assert str(iri) == "http://example.org/kb/graph/a1"
    assert all(str(s).startswith(("http://example.org/kb/", "https://w3id.org/newskb/ontology#")) for s in g.subjects())


def test_bad_base_is_refused():
    import pytest

    with pytest.raises(ValueError):
        IriMinter("not a base")


@settings(max_examples=200, deadline=None)
@given(name=st.text(min_size=1, max_size=40),
       article=st.text(alphabet=string.ascii_letters + string.digits + "-._", min_size=1, max_size=30))
def test_any_text_gives_safe_iris_and_valid_rdf(name, article):
    """IRIs minted from arbitrary Unicode never break Turtle, N-Quads or SPARQL."""
    if not name.strip():
        name = "x"
    doc = make_doc(article, name, 1.5)
    iri, g = map_facts(doc)
    assert not any(isinstance(x, BNode) for t in g for x in t)
    for fmt in (Format.TURTLE, Format.N_TRIPLES):
        data = serialize_graph(g, fmt)
        back = Graph().parse(data=data, format="turtle" if fmt is Format.TURTLE else "nt")
        assert len(back) == len(g)
    for s in g.subjects():
        assert not any(c in str(s) for c in ' <>"{}|\\^`\n')
    import pyoxigraph as ox
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(iri))) for t in sorted_triples(g))
    person = next(iter(g.subjects(predicate=None, object=URIRef("https://w3id.org/newskb/ontology#Person"))))
    res = store.query(f"SELECT ?o WHERE {{ GRAPH ?g {{ <{person}> ?p ?o }} }}")
    assert len(list(res)) >= 2
