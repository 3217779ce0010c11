"""The ontology: parses, no blank nodes, every term labelled and defined, code and ontology agree."""

from __future__ import annotations

import re

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.namespace import SKOS

from newskb.resources import ontology_graph, queries_dir
from newskb.vocab import INDIVIDUALS, NKB, NKB_IRI

OWN_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual)


def own_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NKB_IRI)}


def test_no_blank_nodes_in_ontology():
    g = ontology_graph()
    assert not [t for t in g if any(isinstance(x, BNode) for x in t)]


def test_every_term_is_declared_labelled_and_defined():
    g = ontology_graph()
    for term in own_terms(g):
        types = set(g.objects(term, RDF.type))
        assert types & set(OWN_TYPES), f"{term} is not declared as a class, property or individual"
        labels = [o for o in g.objects(term, RDFS.label) if getattr(o, "language", None) == "en"]
        assert len(labels) == 1, f"{term} needs exactly one English label"
        assert g.value(term, SKOS.definition), f"{term} needs a skos:definition"


def test_vocab_namespace_matches_ontology():
    g = ontology_graph()
    in_ontology = {str(t)[len(NKB_IRI):] for t in own_terms(g)}
    in_code = set(NKB.__annotations__) | set(INDIVIDUALS)
    assert in_ontology == in_code


def test_vocab_fails_on_misspelled_term():
    import pytest

    with pytest.raises(AttributeError):
        NKB.Statment  # noqa: B018


def test_queries_use_only_declared_terms():
    g = ontology_graph()
    declared = {str(t)[len(NKB_IRI):] for t in own_terms(g)}
    for q in sorted(queries_dir().rglob("*.rq")):
        used = set(re.findall(r"\bnkb:([A-Za-z][\w-]*)", q.read_text()))
        assert used <= declared, f"{q.name} uses undeclared terms {sorted(used - declared)}"


def test_every_event_type_and_closed_value_is_in_ontology():
    from newskb.extract.vocabulary import EVENT_TYPES, QUALIFIERS, UNITS

    g = ontology_graph()
    for t in EVENT_TYPES:
        assert (URIRef(NKB_IRI + t), RDFS.subClassOf, NKB.Event) in g
        assert g.value(URIRef(NKB_IRI + t), NKB.acledEventType), f"{t} has no ACLED alignment"
    for u in UNITS:
        assert (URIRef(NKB_IRI + "unit-" + u), RDF.type, NKB.Unit) in g
    for q in QUALIFIERS:
        assert (URIRef(NKB_IRI + "qualifier-" + q), RDF.type, NKB.Qualifier) in g
