"""The compiled SHACL validator (newskb.shaclcore) against pySHACL: the same reports on every
article graph of kb/ and on violating graphs made from them, one (or more) per constraint of the
shapes, found by walking the compiled shapes; and the fallback to pySHACL for shapes it cannot
compile."""

from __future__ import annotations

import logging
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from newskb.resources import shapes_graph
from newskb.shaclcore import SH, UnsupportedShapes, compile_shapes
from newskb.validate import _warn_fallback, class_hierarchy, compiled_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = sorted((ROOT / "kb" / "articles").glob("*.ttl"))
UNTYPED = URIRef("urn:newskb-test:untyped-node")
NEW_FOCUS = URIRef("urn:newskb-test:new-focus")

pytestmark = pytest.mark.skipif(not ARTICLES, reason="no kb/articles/*.ttl")


@lru_cache(maxsize=None)
def _parsed(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


def _copy(g: Graph) -> Graph:
    out = Graph()
    for prefix, ns in g.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    for t in g:
        out.add(t)
    return out


def _both(g: Graph, *, shapes: Graph | None = None, name: str = "g"):
    fast = validate_graph(g, name=name, engine="fast", shapes=shapes)
    slow = validate_graph(g, name=name, engine="pyshacl", shapes=shapes)
    return fast, slow


def _both_or_raise(g: Graph, *, shapes: Graph | None = None, name: str = "g"):
    """Both reports; or, where pySHACL raises (it does on an ill-typed literal compared by
    sh:lessThanOrEquals), check that the fast engine raises the same error and return None."""
    try:
        slow = validate_graph(g, name=name, engine="pyshacl", shapes=shapes)
    except Exception as exc:
        with pytest.raises(type(exc)):
            validate_graph(g, name=name, engine="fast", shapes=shapes)
        return None
    return validate_graph(g, name=name, engine="fast", shapes=shapes), slow


# ------------------------------------------------------------------------------- real articles


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem[:40] for p in ARTICLES])
def test_engines_agree_on_every_article(path):
    g = _parsed(path)
    fast, slow = _both(g, name=path.name)
    assert fast == slow
    assert fast.conforms  # kb/ only holds conforming articles
    # the fast engine also takes plain triples (same report as pySHACL on a graph of them)
    triples = list(g)
    assert validate_graph(triples, name=path.name) == validate_graph(triples, name=path.name, engine="pyshacl")


def test_project_shapes_compile():
    compiled = compiled_shapes()
    assert not isinstance(compiled, Exception), compiled
    named = {str(s.node) for s, *_ in compiled.targeted}
    assert "https://w3id.org/newskb/shapes#StatementShape" in named


# ------------------------------------------------------------------ mutations from the shapes


def _subclasses(c) -> set:
    h = class_hierarchy()
    return set(h.transitive_subjects(RDFS.subClassOf, c))


def _focus_nodes(g: Graph, classes, subjects_of) -> list:
    out = []
    for tc in classes:
        for c in _subclasses(tc):
            out.extend(g.subjects(RDF.type, c))
    for p in subjects_of:
        out.extend(g.subjects(p, None))
    return sorted(set(out), key=str)


def _pick(classes, subjects_of, want_path=None):
    """(graph, focus): the smallest article graph with a focus node of the shape (preferring one
    that has a value for ``want_path``), or a new focus node typed into the smallest graph."""
    by_size = sorted(ARTICLES, key=lambda p: len(_parsed(p)))
    fallback = None
    for path in by_size:
        g = _parsed(path)
        nodes = _focus_nodes(g, classes, subjects_of)
        if not nodes:
            continue
        if want_path is None:
            return g, nodes[0]
        for f in nodes:
            if (f, want_path, None) in g:
                return g, f
        fallback = fallback or (g, nodes[0])
    if fallback:
        return fallback
    g = _copy(_parsed(by_size[0]))
    for c in classes:
        g.add((NEW_FOCUS, RDF.type, c))
    for p in subjects_of:
        g.add((NEW_FOCUS, p, Literal("1", datatype=XSD.integer)))
    return g, NEW_FOCUS


def _wrong_datatype(dt) -> list:
    out = [Literal("5", datatype=XSD.integer) if dt != XSD.integer else Literal("5", datatype=XSD.string),
           UNTYPED]
    if dt == XSD.string:
        out.append(Literal("text", lang="en"))
    elif dt not in (XSD.anyURI, RDF.langString, RDFS.Literal):
        out.append(Literal("abc", datatype=dt))  # ill-typed
    return out


def _set(g: Graph, f, p, values) -> None:
    g.remove((f, p, None))
    for v in values:
        g.add((f, p, v))


def _mutations(shape, path):
    """(label, edit(g, f)) pairs, each making focus f violate one constraint of ``shape``."""
    P = shape.params
    muts = []
    if SH.minCount in P and int(P[SH.minCount][0]) >= 1:
        muts.append(("remove required", lambda g, f: g.remove((f, path, None))))
    if SH.maxCount in P:
        n = int(P[SH.maxCount][0])

        def too_many(g, f, n=n):
            vals = list(g.objects(f, path))
            base = vals[0] if vals else Literal("1.5", datatype=XSD.decimal)
            extra = [base] + [(Literal(f"extra value {i}") if isinstance(base, Literal)
                               else URIRef(f"{base}-other-{i}")) for i in range(n + 1)]
            for v in extra:
                g.add((f, path, v))
        muts.append((f"more than {n}", too_many))
    if SH.datatype in P:
        for i, wrong in enumerate(_wrong_datatype(P[SH.datatype][0])):
            muts.append((f"datatype #{i}", lambda g, f, w=wrong: _set(g, f, path, [w])))
    if SH["class"] in P:
        muts.append(("class: untyped node", lambda g, f: _set(g, f, path, [UNTYPED])))
        muts.append(("class: literal", lambda g, f: _set(g, f, path, [Literal("a literal")])))

        def wrong_class(g, f):
            # another node of the graph that is not of the class (the focus node itself, typed otherwise)
            others = [s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)
                      and not any(c2 in _subclasses(c) for c in P[SH["class"]] for c2 in g.objects(s, RDF.type))]
            _set(g, f, path, others[:1] or [UNTYPED])
        muts.append(("class: wrong class", wrong_class))
    if SH.pattern in P:
        def mismatch(g, f):
            vals = list(g.objects(f, path))
            dt = vals[0].datatype if vals and isinstance(vals[0], Literal) else None
            _set(g, f, path, [Literal("ftp:// no match ZZ", datatype=dt)])
        muts.append(("pattern", mismatch))
    if SH.minLength in P:
        muts.append(("too short", lambda g, f: _set(g, f, path, [Literal("")])))
    for rng, delta in ((SH.minInclusive, -1), (SH.maxInclusive, 1), (SH.minExclusive, 0), (SH.maxExclusive, 0)):
        if rng in P:
            m = P[rng][0]
            dt = P[SH.datatype][0] if SH.datatype in P else m.datatype
            bad = Literal(str(m.value + delta), datatype=dt)
            muts.append((f"out of range {rng.fragment}", lambda g, f, b=bad: _set(g, f, path, [b])))
            muts.append((f"range on a string {rng.fragment}", lambda g, f: _set(g, f, path, [Literal("x")])))
    if SH.lessThanOrEquals in P:
        other = P[SH.lessThanOrEquals][0]

        def greater(g, f):
            cmp = list(g.objects(f, other))
            base = cmp[0] if cmp else Literal(3, datatype=XSD.integer)
            _set(g, f, path, [Literal(base.value + 5, datatype=base.datatype)])
        muts.append(("begin > end", greater))
        muts.append(("incomparable", lambda g, f: _set(g, f, path, [Literal("abc")])))
    if SH["or"] in P:
        muts.append(("or: plain string", lambda g, f: _set(g, f, path, [Literal("soon")])))
        muts.append(("or: ill-typed date", lambda g, f: _set(g, f, path, [Literal("2016-02-30", datatype=XSD.date)])))
    if SH["not"] in P:
        for n in P[SH["not"]]:
            classes = list(shapes_graph().objects(n, SH["class"]))

            def add_type(g, f, classes=classes):
                for c in classes:
                    g.add(((f if path is None else next(iter(g.objects(f, path)), f)), RDF.type, c))
            muts.append(("not: also typed", add_type))
    return muts


def _cases():
    compiled = compiled_shapes()
    cases = []
    for shape, classes, nodes, subjects_of, objects_of in compiled.targeted:
        targets = (tuple(classes), tuple(subjects_of))
        for label, edit in _mutations(shape, None):  # node-level constraints (sh:not ...)
            cases.append((f"{_name(shape)} {label}", targets, None, edit))
        for p in shape.params.get(SH.property, []):
            sub = compiled.shapes[p]
            for label, edit in _mutations(sub, sub.path):
                cases.append((f"{_name(shape)} {_name(sub)} {sub.path.split('#')[-1].split('/')[-1]}: {label}",
                              targets, sub.path, edit))
    return cases


def _name(shape) -> str:
    return str(shape.node).rsplit("#", 1)[-1] if isinstance(shape.node, URIRef) else "[]"


CASES = _cases() if ARTICLES else []


def test_every_constraint_gets_a_mutation():
    compiled = compiled_shapes()
    exercised = set()
    for shape, *_ in compiled.targeted:
        for s in [shape] + [compiled.shapes[p] for p in shape.params.get(SH.property, [])]:
            for param in s.params:
                if param != SH.property and _mutations(s, s.path):
                    exercised.add((s.node, param))
                elif param != SH.property and not (param == SH.minCount and int(s.params[param][0]) == 0):
                    pytest.fail(f"no mutation for {param} of {s.node}")
    assert len(exercised) > 50


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_mutation_reports_agree(case):
    label, (classes, subjects_of), path, edit = case
    base, focus = _pick(classes, subjects_of, path)
    g = _copy(base)
    edit(g, focus)
    both = _both_or_raise(g, name=label)
    if both is None:
        assert "datatype" in label  # only an ill-typed literal under sh:lessThanOrEquals
        return
    fast, slow = both
    assert fast == slow, "\n".join(["fast:", fast.text(), "pyshacl:", slow.text()])
    assert not fast.conforms and fast.violations, label
    assert any(v.focus == str(focus) for v in fast.violations)


def _messageless_shapes() -> Graph:
    """The project's shapes without sh:message (pySHACL's generic messages are then reported) and
    with one shape downgraded to sh:Warning (reported, but conforming with allow_warnings)."""
    sg = Graph()
    for prefix, ns in shapes_graph().namespaces():
        sg.bind(prefix, ns)
    for t in shapes_graph():
        if t[1] != SH.message:
            sg.add(t)
    sg.add((URIRef("https://w3id.org/newskb/shapes#PersonShape"), SH.severity, SH.Warning))
    return sg


MESSAGELESS = _messageless_shapes() if ARTICLES else None


@pytest.mark.parametrize("case", CASES[::2], ids=[c[0] for c in CASES[::2]])
def test_generic_messages_agree(case):
    label, (classes, subjects_of), path, edit = case
    base, focus = _pick(classes, subjects_of, path)
    g = _copy(base)
    edit(g, focus)
    both = _both_or_raise(g, shapes=MESSAGELESS, name=label)
    if both is None:
        return
    fast, slow = both
    assert fast == slow, "\n".join(["fast:", fast.text(), "pyshacl:", slow.text()])
    assert fast.violations


def test_warning_severity_conforms_in_both_engines():
    g = _copy(min((_parsed(p) for p in ARTICLES), key=len))
    person = URIRef("urn:newskb-test:person")
    role = URIRef("https://w3id.org/newskb/ontology#role")
    g.add((person, RDF.type, URIRef("https://w3id.org/newskb/ontology#Person")))
    g.add((person, RDFS.label, Literal("A. Person")))
    g.add((person, role, UNTYPED))
    # PersonShape is sh:Warning in MESSAGELESS, its property shape is not: pySHACL reports the
    # property shape's Violation but lets the Warning node shape conform; so does the fast engine
    fast, slow = _both(g, shapes=MESSAGELESS)
    assert fast == slow
    assert fast.conforms and [(v.severity, v.message) for v in fast.violations] == [
        ("Violation", "Value does not have class nkb:Role")]
    # a Warning on the property shape itself: reported as a Warning, conforming
    sg = _copy(shapes_graph())
    prop = next(p for p in sg.objects(URIRef("https://w3id.org/newskb/shapes#PersonShape"), SH.property)
                if (p, SH.path, role) in sg)
    sg.add((prop, SH.severity, SH.Warning))
    fast, slow = _both(g, shapes=sg)
    assert fast == slow
    assert fast.conforms and [v.severity for v in fast.violations] == ["Warning"]


def test_triples_and_consume_agree():
    """Plain triples and consume=True (pySHACL then works in place) give the same reports."""
    label, (classes, subjects_of), path, edit = next(c for c in CASES if "speaker: remove required" in c[0])
    base, focus = _pick(classes, subjects_of, path)
    g = _copy(base)
    edit(g, focus)
    expected = validate_graph(g, engine="pyshacl")
    assert not expected.conforms
    triples = list(g)
    assert validate_graph(iter(triples), engine="fast") == validate_graph(triples, engine="pyshacl")
    assert validate_graph(_copy(g), consume=True, engine="fast") == expected
    assert validate_graph(_copy(g), consume=True, engine="pyshacl") == expected


def test_blank_node_values_agree():
    g = _copy(min((_parsed(p) for p in ARTICLES), key=len))
    article = next(g.subjects(RDF.type, URIRef("https://w3id.org/newskb/ontology#Article")))
    b = BNode()
    g.add((article, URIRef("https://w3id.org/newskb/ontology#publisher"), b))
    g.add((b, RDFS.label, Literal("anonymous publisher")))
    g.add((article, URIRef("https://w3id.org/newskb/ontology#author"), b))
    for shapes in (None, MESSAGELESS):
        fast, slow = _both(g, shapes=shapes)
        assert fast == slow and not fast.conforms


# --------------------------------------------------------------------- unsupported shapes


def _with(extra) -> Graph:
    sg = Graph()
    for prefix, ns in shapes_graph().namespaces():
        sg.bind(prefix, ns)
    for t in shapes_graph():
        sg.add(t)
    for t in extra:
        sg.add(t)
    return sg


ARTICLE_SHAPE = URIRef("https://w3id.org/newskb/shapes#ArticleShape")


@pytest.mark.parametrize("feature,extra", [
    ("sh:nodeKind", lambda: [(ARTICLE_SHAPE, SH.nodeKind, SH.BlankNode)]),
    ("sh:in", lambda: [(ARTICLE_SHAPE, SH["in"], RDF.nil)]),
    ("complex property paths", lambda: [(b := BNode(), SH.path, BNode()), (ARTICLE_SHAPE, SH.property, b)]),
])
def test_unsupported_feature_raises_and_falls_back(feature, extra, caplog):
    sg = _with(extra())
    with pytest.raises(UnsupportedShapes, match=feature.split()[0]):
        compile_shapes(sg, class_hierarchy())
    if feature != "sh:nodeKind":
        return
    # sh:nodeKind sh:BlankNode on articles: every article violates it, in both engines
    g = _parsed(min(ARTICLES, key=lambda p: len(_parsed(p))))
    _warn_fallback.cache_clear()
    with caplog.at_level(logging.WARNING, logger="newskb.validate"):
        fast = validate_graph(g, shapes=sg)
    slow = validate_graph(g, shapes=sg, engine="pyshacl")
    assert fast == slow and not fast.conforms
    assert any("nodeKind" in v.message or "BlankNode" in v.message for v in fast.violations)
    assert any("nodeKind" in r.getMessage() and "pySHACL" in r.getMessage() for r in caplog.records)


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError):
        validate_graph(Graph(), engine="sparql")


def test_decimal_ranges_agree():
    """geo:lat at and beyond the bounds, as decimals and as integers."""
    case = next(c for c in CASES if "PlaceShape" in c[0] and ": out of range minInclusive" in c[0])
    label, (classes, subjects_of), path, edit = case
    base, focus = _pick(classes, subjects_of, path)
    for v in (Literal(Decimal("-90")), Literal(Decimal("-90.0001")), Literal(-90), Literal(90.5),
              Literal("12", datatype=XSD.decimal), Literal("1e3", datatype=XSD.decimal)):
        g = _copy(base)
        _set(g, focus, path, [v])
        fast, slow = _both(g)
        assert fast == slow, v
