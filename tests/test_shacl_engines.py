"""pyshacl-turbo (the default engine) against pySHACL (the oracle): the same reports on every
article graph of kb/ and on graphs broken one constraint at a time (tests/shacl_cases.py), and
the shapes' own promises (every shape has an sh:message).

Where the two differ, the SHACL specification decides, and the difference is spelled out here:
an ill-typed literal (``"abc"^^xsd:decimal``) under a value comparison (``sh:minInclusive``,
``sh:maxInclusive``, ``sh:lessThanOrEquals`` ...). The spec reports a value for which the
comparison "does not return true" (SHACL 4.3.1-4.3.4, 4.5.3-4.5.4), so a comparison that cannot
be made is a violation of every bound; pySHACL reports only some of them, or raises.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

import shacl_cases as sc
from newskb.resources import shapes_graph
from newskb.serialize import sorted_ntriples
from newskb.validate import ENGINES, validate_graph

pytestmark = pytest.mark.skipif(not sc.ARTICLES, reason="no kb/articles/*.ttl")

CASES = sc.cases() if sc.ARTICLES else []
COMPARISONS = (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.lessThan,
               SH.lessThanOrEquals)
NKB = "https://w3id.org/newskb/ontology#"


def _both(g, **kw):
    return validate_graph(g, engine="turbo", **kw), validate_graph(g, engine="pyshacl", **kw)


def _comparison_shapes() -> set[tuple[str, str]]:
    """(node shape, path) of every property shape with a value comparison."""
    out = set()
    for shape, _c, _s, props in sc.targeted_shapes():
        for p in props:
            if any(c in p.params for c in COMPARISONS):
                out.add((f"nkbsh:{shape.name}", p.path.n3(shapes_graph().namespace_manager)))
    return out


def _ill_typed(g: Graph) -> bool:
    return any(isinstance(o, Literal) and o.ill_typed for o in g.objects())


@pytest.mark.parametrize("path", sc.ARTICLES, ids=[p.stem[:40] for p in sc.ARTICLES])
def test_engines_agree_on_every_article(path):
    g = sc.parsed(path)
    turbo, pyshacl = _both(g, name=path.name)
    assert turbo == pyshacl
    assert turbo.conforms  # kb/ only holds conforming articles
    # the same report from plain triples and from the graph's N-Triples
    assert validate_graph(list(g), name=path.name) == turbo
    assert validate_graph(sorted_ntriples(g), name=path.name) == turbo


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_broken_graph_reports_agree(case):
    g, focus = case.graph()
    turbo = validate_graph(g, name=case.label)
    assert not turbo.conforms and any(v.focus == str(focus) for v in turbo.violations), turbo.text()
    # as the build validates: the graph's N-Triples handed to the engine as they are
    assert validate_graph(sorted_ntriples(g), name=case.label) == turbo
    try:
        pyshacl = validate_graph(g, name=case.label, engine="pyshacl")
    except Exception:  # pySHACL raises on an ill-typed literal under sh:lessThanOrEquals
        assert _ill_typed(g)
        assert any(v.path == case.path.n3(shapes_graph().namespace_manager) for v in turbo.violations)
        return
    if turbo == pyshacl:
        return
    # only where the spec and pySHACL part: more violations, each from a value comparison, on
    # a graph holding an ill-typed literal
    assert _ill_typed(g), "\n".join(["turbo:", turbo.text(), "pyshacl:", pyshacl.text()])
    # (a report lists one violation per constraint broken: equal violations can repeat)
    extra = Counter(turbo.violations) - Counter(pyshacl.violations)
    assert extra and not Counter(pyshacl.violations) - Counter(turbo.violations)
    assert {(v.shape, v.path) for v in extra} <= _comparison_shapes(), extra


def test_cases_cover_every_constraint():
    """Every constraint parameter of every shape is broken by at least one case."""
    missing = []
    for shape, _c, _s, props in sc.targeted_shapes():
        for s in [shape] + props:
            for param in s.params:
                if param in sc.NOT_MUTATED or (param == SH.minCount and int(s.params[param][0]) == 0):
                    continue
                if not any(label for label, _ in sc.mutations(s)):
                    missing.append((shape.name, s.path, param))
    assert not missing
    assert len(CASES) > 200


def test_every_shape_has_a_message():
    """A report names the rule in the project's words, whichever engine made it."""
    for f in sorted(sc.ROOT.glob("shapes/**/*.ttl")):
        sg = Graph().parse(f)
        shapes = set(sg.subjects(RDF.type, SH.NodeShape)) | set(sg.objects(None, SH.property))
        assert shapes, f
        without = sorted(str(sg.value(s, SH.path) or s) for s in shapes if sg.value(s, SH.message) is None)
        assert not without, f"{f.name}: shapes without sh:message: {without}"


def _messageless_shapes() -> Graph:
    """The project's shapes without sh:message and with one shape downgraded to sh:Warning."""
    sg = Graph(bind_namespaces="none")
    for prefix, ns in shapes_graph().namespaces():
        sg.bind(prefix, ns)
    for t in shapes_graph():
        if t[1] != SH.message:
            sg.add(t)
    sg.add((URIRef("https://w3id.org/newskb/shapes#PersonShape"), SH.severity, SH.Warning))
    return sg


def test_warning_severity():
    g = sc.smallest_article()
    person, role = URIRef("urn:newskb-test:person"), URIRef(NKB + "role")
    g.add((person, RDF.type, URIRef(NKB + "Person")))
    g.add((person, RDFS.label, Literal("A. Person")))
    g.add((person, role, sc.UNTYPED))
    # a Warning on the property shape: reported as a Warning; the graph conforms (warnings allowed)
    sg = sc.copy(shapes_graph())
    prop = next(p for p in sg.objects(URIRef("https://w3id.org/newskb/shapes#PersonShape"), SH.property)
                if (p, SH.path, role) in sg)
    sg.add((prop, SH.severity, SH.Warning))
    turbo, pyshacl = _both(g, shapes=sg)
    assert turbo == pyshacl
    assert turbo.conforms and [v.severity for v in turbo.violations] == ["Warning"]
    # a Warning on the node shape only: its property shape still reports a Violation, which
    # turbo counts against conformance; pySHACL lets the Warning node shape conform (its own
    # reading of allow_warnings; the project's shapes use no severities)
    turbo, pyshacl = _both(g, shapes=_messageless_shapes())
    assert turbo.violations == pyshacl.violations
    assert [(v.severity, v.path) for v in turbo.violations] == [("Violation", "nkb:role")]
    assert not turbo.conforms


def test_subclasses_are_checked_through_the_class_hierarchy():
    """A Government is checked as an Agent: the ontology's hierarchy sits beside the data."""
    g = sc.copy(sc.pick((URIRef(NKB + "Government"),), ())[0])
    gov = sorted(g.subjects(RDF.type, URIRef(NKB + "Government")))[0]
    g.remove((gov, RDFS.label, None))
    for r in _both(g):
        assert [(v.focus, v.path, v.shape) for v in r.violations] == [(str(gov), "rdfs:label", "nkbsh:AgentShape")]


def test_blank_node_values():
    g = sc.smallest_article()
    article = next(g.subjects(RDF.type, URIRef(NKB + "Article")))
    b = BNode()
    g.add((article, URIRef(NKB + "publisher"), b))
    g.add((b, RDFS.label, Literal("anonymous publisher")))
    turbo, pyshacl = _both(g)
    assert turbo == pyshacl and not turbo.conforms
    assert {(v.path, v.message) for v in turbo.violations} == {("nkb:publisher", "The publisher is one news publisher.")}


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="turbo"):
        validate_graph(Graph(), engine="fast")


def test_decimal_ranges_agree():
    """geo:lat at and beyond its bounds, as decimals and as integers."""
    case = next(c for c in CASES if c.label.startswith("PlaceShape lat: out of range minInclusive"))
    base, focus = sc.pick(case.classes, case.subjects_of, case.path)
    for v in (Literal("-90", datatype=XSD.decimal), Literal("-90.0001", datatype=XSD.decimal), Literal(-90),
              Literal(90.5), Literal("12", datatype=XSD.decimal), Literal("1e3", datatype=XSD.decimal)):
        g = sc.copy(base)
        sc.set_values(g, focus, case.path, [v])
        turbo, pyshacl = _both(g)
        assert turbo == pyshacl, v


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_validate_with_either_engine(engine, tmp_path, capsys):
    from newskb.cli import main

    case = next(c for c in CASES if c.label.startswith("StatementShape speaker: remove required"))
    g, _focus = case.graph()
    broken = tmp_path / "broken.ttl"
    g.serialize(broken, format="turtle")
    assert main(["validate", "--engine", engine, str(sc.ARTICLES[0]), str(broken)]) == 1
    out = capsys.readouterr().out
    assert "A statement needs exactly one speaker" in out and "2 graphs validated: 1 conform, 1 do not" in out


def test_triples_counted_from_ntriples_text_as_from_triples():
    """A report counts an N-Triples document's distinct triples: repeated lines once, blank and
    comment lines not at all, whichever form the graph is given in."""
    g = Graph()
    ex = "https://example.org/"
    g.add((URIRef(ex + "a"), RDFS.label, Literal("A")))
    g.add((URIRef(ex + "a"), RDF.type, URIRef(ex + "Thing")))
    g.add((URIRef(ex + "b"), RDFS.label, Literal("B")))
    nt = sorted_ntriples(g)
    lines = nt.splitlines()
    text = b"# a comment\n\n" + nt + lines[0] + b"\n   \n  # indented comment\n"
    assert validate_graph(text, name="t").triples == validate_graph(g, name="t").triples == 3
