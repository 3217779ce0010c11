"""Ontology quality (after the Ontology Development Kit and SOSA/SSN): OWL 2 DL structure, every
term labelled and defined (SHACL shapes on the ontology itself), the mapping and the queries use
exactly the ontology's terms, and HermiT finds the ontology consistent with no empty class.

owlready2 cannot check the OWL 2 DL profile, so the usual DL violations are checked structurally.
"""

from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from helpers import ROOT
from newskb.reason import OWL2_DATATYPES
from newskb.resources import ontology_graph, queries_dir
from newskb.vocab import INDIVIDUALS, NKB, NKB_IRI

PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
BUILTIN_NS = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
SHACL_ONTOLOGY_SHAPES = ROOT / "shapes" / "ontology" / "ontology-shapes.ttl"
# RDF, RDFS and OWL terms usable as predicates without a declaration
BUILTIN_PREDICATES = {RDF.type, RDFS.label, RDFS.comment, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain,
                      RDFS.range, OWL.sameAs, OWL.disjointWith, OWL.inverseOf, OWL.versionInfo, OWL.versionIRI,
                      OWL.equivalentClass, OWL.equivalentProperty}


def own(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(NKB_IRI)


@pytest.fixture(scope="module")
def g() -> Graph:
    return ontology_graph()


# ---------------------------------------------------------------- OWL 2 DL, structurally
def test_every_property_is_exactly_one_kind(g):
    props = {s for t in PROPERTY_TYPES for s in g.subjects(RDF.type, t)}
    for p in sorted(props):
        kinds = [t for t in PROPERTY_TYPES if (p, RDF.type, t) in g]
        assert len(kinds) == 1, f"{p} is declared {kinds}: OWL 2 DL needs exactly one of object/datatype/annotation"


def test_every_used_predicate_is_declared(g):
    declared = {s for t in PROPERTY_TYPES for s in g.subjects(RDF.type, t)}
    used = {p for p in g.predicates()} - BUILTIN_PREDICATES
    assert not sorted(used - declared), f"predicates used in the ontology but not declared: {sorted(used - declared)}"
    # properties that are the subject of property axioms must be declared too
    axiom_subjects = {s for p in (RDFS.domain, RDFS.range, RDFS.subPropertyOf, OWL.inverseOf) for s in g.subjects(p, None)}
    assert not sorted(axiom_subjects - declared)


def test_kb_predicates_are_declared(g, corpus_kb):
    from newskb.reason import read_kb

    declared = {str(s) for t in PROPERTY_TYPES for s in g.subjects(RDF.type, t)}
    union, _, _ = read_kb(corpus_kb)
    used = {p for _, p, _ in union} - {str(p) for p in BUILTIN_PREDICATES}
    assert not sorted(used - declared), f"the KB uses undeclared predicates {sorted(used - declared)}"


def test_no_punning_in_own_namespace(g):
    classes = set(g.subjects(RDF.type, OWL.Class))
    props = {s for t in PROPERTY_TYPES for s in g.subjects(RDF.type, t)}
    individuals = set(g.subjects(RDF.type, OWL.NamedIndividual)) | {
        s for s, o in g.subject_objects(RDF.type) if o in classes and own(o)}
    for a, b, what in ((classes, individuals, "class and individual"), (classes, props, "class and property"),
                       (props, individuals, "property and individual")):
        both = sorted(t for t in a & b if own(t))
        assert not both, f"punning ({what}) in nkb: {both}"


def test_no_blank_nodes_and_no_redefined_builtins(g):
    assert not [t for t in g if any(isinstance(x, BNode) for x in t)]
    redefined = sorted({s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(BUILTIN_NS)})
    assert not redefined, f"the ontology makes statements about built-in vocabulary: {redefined}"


def _non_simple(g) -> set:
    """Transitive properties and every property with a transitive sub-property (OWL 2 DL, 11.2)."""
    out = set(g.subjects(RDF.type, OWL.TransitiveProperty))
    changed = True
    while changed:
        changed = False
        for sub, sup in g.subject_objects(RDFS.subPropertyOf):
            if sub in out and sup not in out:
                out.add(sup)
                changed = True
        for a, b in g.subject_objects(OWL.inverseOf):
            for x, y in ((a, b), (b, a)):
                if x in out and y not in out:
                    out.add(y)
                    changed = True
    return out


def test_non_simple_properties_are_not_restricted(g):
    non_simple = _non_simple(g)
    assert NKB.locatedIn in non_simple and NKB.contains in non_simple
    card = (OWL.cardinality, OWL.minCardinality, OWL.maxCardinality, OWL.qualifiedCardinality,
            OWL.minQualifiedCardinality, OWL.maxQualifiedCardinality)
    for r in g.subjects(OWL.onProperty, None):
        p = g.value(r, OWL.onProperty)
        assert not (p in non_simple and any(g.value(r, c) is not None for c in card)), \
            f"cardinality restriction on the non-simple property {p}"
    for t in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.IrreflexiveProperty, OWL.AsymmetricProperty):
        bad = sorted(set(g.subjects(RDF.type, t)) & non_simple)
        assert not bad, f"{t} on non-simple properties {bad}"


def test_property_axioms_fit_the_property_kind(g):
    classes = set(g.subjects(RDF.type, OWL.Class))
    for p in g.subjects(RDF.type, OWL.ObjectProperty):
        for r in g.objects(p, RDFS.range):
            assert r in classes, f"object property {p} has range {r}, not a declared class"
    for p in g.subjects(RDF.type, OWL.DatatypeProperty):
        for r in g.objects(p, RDFS.range):
            assert str(r) in OWL2_DATATYPES, f"data property {p} has range {r}, not in the OWL 2 datatype map"
        for t in (OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.InverseFunctionalProperty):
            assert (p, RDF.type, t) not in g, f"data property {p} cannot be {t}"
    for p in g.subjects(RDF.type, OWL.AnnotationProperty):
        for axiom in (RDFS.domain, RDFS.range, RDFS.subPropertyOf):
            assert g.value(p, axiom) is None or own(p) is False, f"annotation property {p} has {axiom}"
    for p in set(g.subjects(RDFS.domain, None)):
        for d in g.objects(p, RDFS.domain):
            assert d in classes, f"{p} has domain {d}, not a declared class"
    for a, b in g.subject_objects(RDFS.subPropertyOf):
        kinds = [[t for t in PROPERTY_TYPES if (x, RDF.type, t) in g] for x in (a, b)]
        assert kinds[0] == kinds[1], f"{a} rdfs:subPropertyOf {b} mixes property kinds {kinds}"
    for a, b in g.subject_objects(OWL.inverseOf):
        assert (a, RDF.type, OWL.ObjectProperty) in g and (b, RDF.type, OWL.ObjectProperty) in g


def test_literals_in_the_ontology_use_owl2_datatypes(g):
    for _, _, o in g:
        if isinstance(o, Literal) and o.datatype is not None:
            assert str(o.datatype) in OWL2_DATATYPES, f"literal {o!r} has a datatype outside the OWL 2 datatype map"


def test_disjointness_is_pairwise_and_between_declared_classes(g):
    classes = set(g.subjects(RDF.type, OWL.Class))
    for a, b in g.subject_objects(OWL.disjointWith):
        assert a in classes and b in classes and a != b
    # the pairs the broken-KB tests depend on
    for a, b in ((NKB.Agent, NKB.Place), (NKB.Person, NKB.Organisation), (NKB.Statement, NKB.Agent)):
        assert (a, OWL.disjointWith, b) in g or (b, OWL.disjointWith, a) in g
    assert (URIRef("http://www.w3.org/2003/01/geo/wgs84_pos#lat"), RDFS.domain, NKB.Place) in g
    assert (NKB.speaker, RDFS.range, NKB.Agent) in g


def test_hermit_finds_the_ontology_consistent_and_every_class_satisfiable(g):
    import io

    import owlready2 as o2

    world = o2.World()
    data = g.serialize(format="nt", encoding="utf-8")
    world.get_ontology("https://w3id.org/newskb/ontology-check").load(fileobj=io.BytesIO(data), format="ntriples")
    o2.sync_reasoner_hermit(world, debug=0)  # raises OwlReadyInconsistentOntologyError if inconsistent
    empty = sorted(c.iri for c in world.inconsistent_classes())
    assert not empty, f"unsatisfiable classes: {empty}"
    world.close()


# ---------------------------------------------------------------- labels and definitions (SHACL)
def test_ontology_shapes_are_outside_the_data_shapes_glob():
    from newskb.resources import shapes_dir

    assert SHACL_ONTOLOGY_SHAPES.is_file()
    assert SHACL_ONTOLOGY_SHAPES not in set(shapes_dir().glob("*.ttl"))


def _own_subgraph(g: Graph) -> Graph:
    sub = Graph()
    for t in g:
        if own(t[0]) or t[0] == URIRef("https://w3id.org/newskb/ontology"):
            sub.add(t)
    return sub


def _shacl(data: Graph):
    from pyshacl import validate

    shapes = Graph().parse(SHACL_ONTOLOGY_SHAPES, format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return conforms, text


def test_every_term_has_label_and_definition_shacl(g):
    conforms, text = _shacl(_own_subgraph(g))
    assert conforms, text


def test_ontology_shapes_catch_an_undefined_term(g):
    data = _own_subgraph(g)
    bad = URIRef(NKB_IRI + "Undefined")
    data.add((bad, RDF.type, OWL.Class))
    data.add((bad, RDFS.label, Literal("undefined", lang="en")))
    conforms, text = _shacl(data)
    assert not conforms and "Undefined" in text and "definition" in text


# ---------------------------------------------------------------- mapping and queries use exactly the ontology
def _used_terms() -> tuple[set[str], set[str]]:
    """(terms the mapping and queries use, terms used only through closed vocabularies)."""
    from typing import get_args

    from newskb.extract.vocabulary import EVENT_TYPES, MEASURES, QUALIFIERS, UNITS
    from newskb.facts import DateValue

    src = (ROOT / "src" / "newskb" / "mapping.py").read_text(encoding="utf-8")
    used = set(re.findall(r"\bNKB\.([A-Za-z]\w*)", src))
    for q in sorted(queries_dir().rglob("*.rq")):
        used |= set(re.findall(r"\bnkb:([A-Za-z][\w-]*)", q.read_text(encoding="utf-8")))
    precisions = [p for p in get_args(DateValue.model_fields["precision"].annotation) if p != "unknown"]
    closed = set(EVENT_TYPES) | {f"unit-{u}" for u in UNITS} | {f"qualifier-{q}" for q in QUALIFIERS} \
        | {f"precision-{p}" for p in precisions} | {f"measure-{m}" for m in MEASURES}
    return used, closed


def test_mapping_and_queries_use_no_undeclared_term(g):
    declared = {str(t)[len(NKB_IRI):] for t in g.subjects() if own(t)}
    used, closed = _used_terms()
    assert not sorted((used | closed) - declared), f"used but not in the ontology: {sorted((used | closed) - declared)}"


# terms no code writes on purpose, with the reason
NOT_WRITTEN_BY_MAPPING = {
    "contains": "written by 'newskb reason' (inverse of locatedIn) into the inferred graph",
    "acledEventType": "annotation on event classes, used inside the ontology",
    "cameoRootCode": "annotation on event classes, used inside the ontology",
    "Measures": "the SKOS concept scheme of the measures, used inside the ontology (skos:inScheme)",
    "timeKind": "on measures, used inside the ontology (the mapping reads measures.tsv, kept equal by tests)",
    "comparisonWindow": "on measures, used inside the ontology (the mapping reads measures.tsv, kept equal by tests)",
    "inverseLabel": "annotation on object properties, read by the pages (newskb.web)",
}


def test_no_unused_term_in_the_ontology(g):
    used, closed = _used_terms()
    declared = {str(t)[len(NKB_IRI):] for t in g.subjects() if own(t)}
    reached = {NKB_IRI + t for t in used | closed}
    changed = True
    while changed:  # a superclass or super-property of a used term is used
        changed = False
        for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDF.type):
            for a, b in g.subject_objects(p):
                if str(a) in reached and str(b) not in reached:
                    reached.add(str(b))
                    changed = True
    reached_local = {t[len(NKB_IRI):] for t in reached if t.startswith(NKB_IRI)}
    unused = sorted(declared - reached_local - set(NOT_WRITTEN_BY_MAPPING))
    assert not unused, f"ontology terms that neither the mapping, the queries nor the reasoner use: {unused}"
    assert set(NKB.__annotations__) | set(INDIVIDUALS) == declared
