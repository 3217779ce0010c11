"""A compiled SHACL Core validator: the project's shapes turned once into plain Python checks.

pySHACL re-reads the shapes graph and walks rdflib's indexes for every constraint of every focus
node (about 90 ms for a 1,500-triple article graph). :func:`compile_shapes` reads a shapes graph
once into :class:`CompiledShapes`, whose :meth:`~CompiledShapes.validate` indexes the data once
(subject -> predicate -> objects) and runs the checks over dicts (a few ms).

It mimics pySHACL 0.40.1 as called by :mod:`newskb.validate` (core SHACL only, no inference,
``allow_warnings=True``, the class hierarchy mixed into the data graph): the same focus nodes, the
same value nodes, the same results (focus, path, value, message, source shape, severity) and the
same ``conforms`` flag, including pySHACL's generic messages ("Less than 1 values on ...") when a
shape has no ``sh:message``, and discarding the results of the shapes inside ``sh:or``/``sh:not``.

Supported (everything else raises :class:`UnsupportedShapes`, naming the feature):

* targets: ``sh:targetClass`` (with the ``rdfs:subClassOf`` closure over data and hierarchy),
  ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, implicit class targets;
* node and property shapes, ``sh:path`` with an IRI (a predicate path) only;
* ``sh:property``, ``sh:node``, ``sh:not``, ``sh:or``, ``sh:and``;
* ``sh:minCount``, ``sh:maxCount``, ``sh:datatype`` (with pySHACL's ill-typed literal check),
  ``sh:class`` (``rdf:type``/``rdfs:subClassOf*``), ``sh:pattern`` (+ ``sh:flags``),
  ``sh:minLength``, ``sh:maxLength``, ``sh:minInclusive``, ``sh:maxInclusive``,
  ``sh:minExclusive``, ``sh:maxExclusive``, ``sh:lessThanOrEquals``;
* ``sh:message`` (at most one per shape), ``sh:severity`` (at most one), ``sh:deactivated``, and
  the non-validating ``sh:name``, ``sh:description``, ``sh:order``, ``sh:group``,
  ``sh:defaultValue``.

Not supported (raise): complex property paths, ``sh:xone``, ``sh:in``, ``sh:hasValue``,
``sh:closed``, ``sh:languageIn``, ``sh:uniqueLang``, ``sh:nodeKind``, ``sh:equals``,
``sh:disjoint``, ``sh:lessThan``, qualified value shapes, SPARQL/JS constraints and targets, custom
constraint components, recursive shapes, and shapes pySHACL itself would refuse to load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")

_RDF_TYPE = RDF.type
_XSD_INTEGER_S = str(XSD.integer)
_ALLOWED_SEVERITIES = frozenset({SH.Info, SH.Warning})  # pySHACL with allow_warnings=True
_EMPTY: dict = {}

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
# predicates on a shape that do not validate anything (or are handled by the shape itself)
_IGNORED = {
    RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, SH.name, SH.description,
    SH.order, SH.group, SH.defaultValue, SH.message, SH.severity, SH.deactivated, SH.path, SH.flags,
    *_TARGETS,
}
_XSD_WHOLE_INTEGERS = {
    XSD.integer, XSD.nonPositiveInteger, XSD.negativeInteger, XSD.long, XSD.int, XSD.short, XSD.byte,
    XSD.nonNegativeInteger, XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort, XSD.unsignedByte,
    XSD.positiveInteger,
}


class UnsupportedShapes(ValueError):
    """The shapes graph uses a SHACL feature the compiled validator does not implement (or that
    pySHACL would refuse); :func:`newskb.validate.validate_graph` then falls back to pySHACL."""


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL would write it into its report graph."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    shape: Node
    severity: URIRef


# ------------------------------------------------------------------------------------------ data


class _Data:
    """The data graph (plus the class hierarchy) as dicts, built once per validation."""

    __slots__ = ("spo", "h", "_supers", "_subs", "_merged", "_types", "_stringify")

    def __init__(self, triples: Iterable, hier: "_Hierarchy", stringify: Callable[[Node], str]):
        spo = _memory_index(triples)
        if spo is None:
            spo = self._index(triples)
        self.spo = spo
        self.h = hier
        self._types: dict | None = None
        self._stringify = stringify
        sub = RDFS.subClassOf
        self._merged = any(sub in ps for ps in spo.values())  # data has its own subclass axioms
        self._supers: dict = {} if self._merged else hier.supers
        self._subs: dict = {} if self._merged else hier.subs

    @staticmethod
    def _index(triples: Iterable) -> dict:
        spo: dict = {}
        get = spo.get
        for s, p, o in triples:
            ps = get(s)
            if ps is None:
                spo[s] = {p: {o: None}}
            else:
                os_ = ps.get(p)
                if os_ is None:
                    ps[p] = {o: None}
                else:
                    os_[o] = None
        return spo

    def size(self) -> int:
        return sum(len(os_) for ps in self.spo.values() for os_ in ps.values())

    def values(self, s: Node, p: Node) -> dict:
        ps = self.spo.get(s)
        a = ps.get(p) if ps is not None else None
        hs = self.h.spo.get(s)
        if hs is None:
            return a if a is not None else _EMPTY
        b = hs.get(p)
        if b is None:
            return a if a is not None else _EMPTY
        if a is None:
            return b
        return {**a, **b}

    # rdfs:subClassOf closures (over data and hierarchy)
    def _closure(self, start: Node, step: Callable[[Node], Iterable[Node]]) -> frozenset:
        seen = {start}
        todo = [start]
        while todo:
            for n in step(todo.pop()):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return frozenset(seen)

    def supers(self, t: Node) -> frozenset:
        r = self._supers.get(t)
        if r is None:
            if self._merged:
                r = self._supers[t] = self._closure(t, lambda n: self.values(n, RDFS.subClassOf))
            else:
                r = frozenset((t,))
        return r

    def subs(self, c: Node) -> frozenset:
        r = self._subs.get(c)
        if r is None:
            if self._merged:
                children: dict = {}
                for src in (self.h.spo, self.spo):
                    for s, ps in src.items():
                        for o in ps.get(RDFS.subClassOf, ()):
                            children.setdefault(o, []).append(s)
                r = self._subs[c] = self._closure(c, lambda n: children.get(n, ()))
            else:
                r = frozenset((c,))
        return r

    def instances(self, c: Node) -> Iterable[Node]:
        if self._types is None:
            types: dict = {}
            for src in (self.spo, self.h.spo):
                for s, ps in src.items():
                    ts = ps.get(RDF.type)
                    if ts:
                        for t in ts:
                            types.setdefault(t, []).append(s)
            self._types = types
        return self._types.get(c, ())

    def subjects_of(self, p: Node) -> set:
        return {s for src in (self.spo, self.h.spo) for s, ps in src.items() if p in ps}

    def objects_of(self, p: Node) -> set:
        return {o for src in (self.spo, self.h.spo) for ps in src.values() for o in ps.get(p, ())}

    def is_instance(self, v: Node, c: Node) -> bool:
        if isinstance(v, Literal):
            return False
        for t in self.values(v, _RDF_TYPE):
            if c in self.supers(t):  # supers(t) holds t
                return True
        return False

    def str(self, node: Node) -> str:
        """A data node as pySHACL's ``stringify_node`` shows it in its generic messages."""
        return self._stringify(node)


def _memory_index(data: Any) -> dict | None:
    """The subject -> predicate -> object index of a plain rdflib Graph in its own Memory store,
    used as is (read only) instead of iterating the graph (rdflib computes every triple's contexts
    on the way, most of the time of an iteration). None when ``data`` is anything else, or when
    the store holds more triples than the graph (a store shared between graphs)."""
    if type(data) is not Graph:
        return None
    from rdflib.plugins.stores.memory import Memory

    store = data.store
    if type(store) is not Memory:
        return None
    spo = getattr(store, "_Memory__spo", None)
    if type(spo) is not dict:
        return None
    n = 0
    for ps in spo.values():
        for os_ in ps.values():
            n += len(os_)
    if n != len(data):
        return None
    return spo


class _Hierarchy:
    """The class hierarchy (rdfs:subClassOf axioms, individuals' types) indexed once."""

    def __init__(self, g: Graph | None):
        spo: dict = {}
        if g is not None:
            for s, p, o in g:
                spo.setdefault(s, {}).setdefault(p, {})[o] = None
        self.spo = spo
        parents: dict = {}
        children: dict = {}
        for s, ps in spo.items():
            for o in ps.get(RDFS.subClassOf, ()):
                parents.setdefault(s, []).append(o)
                children.setdefault(o, []).append(s)

        def closure(start, edges):
            seen = {start}
            todo = [start]
            while todo:
                for n in edges.get(todo.pop(), ()):
                    if n not in seen:
                        seen.add(n)
                        todo.append(n)
            return frozenset(seen)

        self.supers = {c: closure(c, parents) for c in set(parents) | set(children)}
        self.subs = {c: closure(c, children) for c in set(parents) | set(children)}


# ---------------------------------------------------------------------------------------- shapes

_Report = Callable[..., Result]


class _Shape:
    __slots__ = ("node", "path", "severity", "message", "deactivated", "components", "allow_conform", "params")

    def __init__(self, node: Node):
        self.node = node
        self.path: URIRef | None = None
        self.severity: URIRef = SH.Violation
        self.message: str | None = None
        self.deactivated = False
        self.components: list[Callable[[_Data, list], tuple[bool, list]]] = []
        self.allow_conform = False
        self.params: dict[URIRef, list[Node]] = {}  # the constraint parameters compiled, for tools and tests

    def validate(self, d: _Data, focus: Iterable[Node]) -> tuple[bool, list]:
        if self.deactivated:
            return True, []
        path = self.path
        if path is None:
            fvn = [(f, (f,)) for f in focus]
        else:
            values = d.values
            fvn = [(f, values(f, path)) for f in focus]
        if not fvn:
            return True, []
        non_conformant = False
        reports: list = []
        for comp in self.components:
            ok, reps = comp(d, fvn)
            if reps:
                if not ok and not self.allow_conform:
                    for r in reps:
                        if r.severity not in _ALLOWED_SEVERITIES:
                            non_conformant = True
                            break
                reports.extend(reps)
        return not non_conformant, reports

    def conforms(self, d: _Data, v: Node) -> bool:
        """``self.validate(d, [v])[0]`` without building results: with allowed warnings a shape
        of severity sh:Warning or sh:Info always conforms; otherwise it conforms when every
        component does (a failing component always reports with a disallowed severity)."""
        if self.deactivated or self.allow_conform:
            return True
        fvn = [(v, (v,) if self.path is None else d.values(v, self.path))]
        for comp in self.components:
            if not comp(d, fvn)[0]:
                return False
        return True

    def result(self, d: _Data, focus: Node, value: Node | None, generic: Callable[[], str]) -> Result:
        msg = self.message if self.message is not None else generic()
        return Result(focus, self.path, value, msg, self.node, self.severity)


class CompiledShapes:
    """A shapes graph compiled into Python checks; :meth:`validate` runs them over one graph."""

    def __init__(self, shapes: Graph, hierarchy: Graph | None):
        self.shapes_graph = shapes
        self.hierarchy = _Hierarchy(hierarchy)
        self.hierarchy_graph = hierarchy
        self._c = _Compiler(shapes)
        self.targeted: list[tuple[_Shape, list, list, list, list]] = self._c.compile_all()
        self.shapes: dict[Node, _Shape] = self._c.done

    def validate(self, data: Graph | Iterable, *, stringify: Callable[[Node], str] | None = None
                 ) -> tuple[bool, list[Result], "_Data"]:
        """Validate ``data`` (an rdflib Graph or an iterable of (s, p, o) rdflib terms): whether it
        conforms, the results (unordered) and the indexed data. ``stringify`` shows a data node in
        generic messages (default: as pySHACL on a copy of ``data`` mixed with the hierarchy)."""
        if stringify is None:
            stringify = _default_stringifier(data, self.hierarchy_graph)
        d = _Data(data, self.hierarchy, stringify)
        non_conformant = False
        results: list[Result] = []
        for shape, classes, nodes, subjects_of, objects_of in self.targeted:
            focus: set = set(nodes)
            for tc in classes:
                for c in d.subs(tc):
                    focus.update(d.instances(c))
            for p in subjects_of:
                focus |= d.subjects_of(p)
            for p in objects_of:
                focus |= d.objects_of(p)
            if not focus:
                continue
            ok, reps = shape.validate(d, list(focus))
            non_conformant = non_conformant or not ok
            results.extend(reps)
        return not non_conformant, results, d


def _default_stringifier(data: Any, hierarchy: Graph | None) -> Callable[[Node], str]:
    """pySHACL shows data nodes with the namespaces of its working copy of the data graph (core
    prefixes, then the data graph's, then the hierarchy graph's, then sh:). Built on first use."""
    cache: dict = {}

    def stringify(node: Node) -> str:
        from pyshacl.rdfutil import stringify_node

        g = cache.get("g")
        if g is None:
            g = Graph(bind_namespaces="core")
            src = data if isinstance(data, Graph) else Graph()
            for p, n in src.namespace_manager.namespaces():
                g.namespace_manager.bind(p, n, override=True, replace=True)
            if hierarchy is not None:
                for p, n in hierarchy.namespace_manager.namespaces():
                    g.namespace_manager.bind(p, n, override=False, replace=False)
            cache["g"] = g
        if isinstance(node, BNode) and not cache.get("filled"):
            # a blank node is shown with its triples: fill the copy
            for t in data:
                g.add(t)
            if hierarchy is not None:
                for t in hierarchy:
                    g.add(t)
            cache["filled"] = True
        try:
            return stringify_node(g, node)
        except (LookupError, ValueError):
            return str(node)

    return stringify


# -------------------------------------------------------------------------------------- compiler


def _literal_int(v: Node, what: str) -> int:
    if not (isinstance(v, Literal) and v.datatype == XSD.integer) or int(v.value) < 0:
        raise UnsupportedShapes(f"{what} must be a non-negative xsd:integer literal (got {v!r})")
    return int(v.value)


def _value_check(rule: Node) -> Callable[[Any], bool]:
    """pySHACL's DatatypeConstraintComponent._assert_actual_datatype for one datatype."""
    from datetime import date, datetime, time
    from decimal import Decimal

    kinds = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
             XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}
    kind = kinds.get(rule)
    if kind is None:
        return lambda value: True
    return lambda value: isinstance(value, kind)


def _datatype_test(rule: Node) -> Callable[[Node], bool]:
    """Whether a value node matches ``sh:datatype rule``, as pySHACL decides it."""
    actual = _value_check(rule)
    rule_s = str(rule)
    is_literal_rule = rule == RDFS.Literal
    is_datatype_rule = rule == RDFS.Datatype
    is_string_rule = rule == XSD.string
    is_lang_rule = rule == RDF.langString

    def test(v: Node) -> bool:
        if type(v) is not Literal and not isinstance(v, Literal):
            return False
        dt = v.datatype
        if dt is not None and type(dt) is URIRef and str.__eq__(dt, rule_s) or (
                dt is not None and type(dt) is not URIRef and dt == rule):
            if getattr(v, "ill_typed", None) is True:
                return False
            return actual(v.value)
        if is_literal_rule:
            return True
        if is_datatype_rule and dt:
            return True
        if dt is None and v.language is None and is_string_rule:
            return actual(v.value)
        if is_lang_rule and v.language:
            return actual(v.value)
        return False
    return test


def _string_of(v: Node) -> str:
    """pySHACL's StringBasedConstraintBase.value_node_to_string."""
    if isinstance(v, Literal):
        if v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
            return str(v.value)
        return str(v)
    return str(v)


class _Compiler:
    def __init__(self, sg: Graph):
        from pyshacl.rdfutil import stringify_node

        self.sg = sg
        sg.namespace_manager.bind("sh", SH, override=False, replace=False)  # as pySHACL does
        self.sstr = lambda n: stringify_node(sg, n)
        self.done: dict[Node, _Shape] = {}
        self.busy: set = set()
        self._check_graph()

    def _check_graph(self) -> None:
        sg = self.sg
        for bad in (SH.ConstraintComponent, SH.SPARQLConstraint, SH.JSConstraint, SH.SPARQLTarget,
                    SH.SPARQLTargetType, SH.JSTarget, SH.JSTargetType, SH.SPARQLFunction, SH.SPARQLRule,
                    SH.TripleRule):
            if (None, RDF.type, bad) in sg:
                raise UnsupportedShapes(f"shapes use {self.sstr(bad)}, not supported by the compiled validator")
        for p in (SH.parameter, SH.sparql, SH.js, SH.rule, SH.target, SH.validator, SH.nodeValidator,
                  SH.propertyValidator):
            if (None, p, None) in sg:
                raise UnsupportedShapes(f"shapes use {self.sstr(p)}, not supported by the compiled validator")
        node_shapes = set(sg.subjects(RDF.type, SH.NodeShape))
        for s in node_shapes:
            if (s, SH.path, None) in sg:
                raise UnsupportedShapes(f"{self.sstr(s)}: a sh:NodeShape with sh:path (pySHACL refuses it)")
        for s in sg.subjects(RDF.type, SH.PropertyShape):
            if s in node_shapes:
                raise UnsupportedShapes(f"{self.sstr(s)}: both sh:NodeShape and sh:PropertyShape")
            if len(set(sg.objects(s, SH.path))) != 1:
                raise UnsupportedShapes(f"{self.sstr(s)}: a sh:PropertyShape needs exactly one sh:path")

    def _class_like(self) -> set:
        sg = self.sg
        classes = {RDFS.Class}
        classes.update(sg.subjects(RDFS.subClassOf, RDFS.Class))
        return classes

    def compile_all(self) -> list:
        sg = self.sg
        roots: dict = {}
        for p in _TARGETS:
            for s in sg.subjects(p, None):
                roots.setdefault(s, None)
        class_like = self._class_like()
        shapeish = set(sg.subjects(RDF.type, SH.NodeShape)) | set(sg.subjects(RDF.type, SH.PropertyShape))
        shapeish |= set(sg.subjects(SH.property, None)) | set(sg.subjects(SH.node, None))
        for s in shapeish:
            if any(t in class_like for t in sg.objects(s, RDF.type)):
                roots.setdefault(s, None)  # implicit class target
        out = []
        for s in roots:
            shape = self.shape(s)
            classes = list(dict.fromkeys(sg.objects(s, SH.targetClass)))
            if any(t in class_like for t in sg.objects(s, RDF.type)) and s not in classes:
                classes.append(s)
            out.append((shape, classes, list(dict.fromkeys(sg.objects(s, SH.targetNode))),
                        list(dict.fromkeys(sg.objects(s, SH.targetSubjectsOf))),
                        list(dict.fromkeys(sg.objects(s, SH.targetObjectsOf)))))
        return out

    def shape(self, node: Node) -> _Shape:
        done = self.done.get(node)
        if done is not None:
            return done
        if isinstance(node, Literal):
            raise UnsupportedShapes(f"a literal {node!r} used as a shape")
        if node in self.busy:
            raise UnsupportedShapes(f"recursive shapes (through {self.sstr(node)})")
        self.busy.add(node)
        try:
            shape = self._compile(node)
        finally:
            self.busy.discard(node)
        self.done[node] = shape
        return shape

    def _one(self, node: Node, p: URIRef) -> Node | None:
        vals = list(dict.fromkeys(self.sg.objects(node, p)))
        if len(vals) > 1:
            raise UnsupportedShapes(f"{self.sstr(node)}: more than one {self.sstr(p)}")
        return vals[0] if vals else None

    def _compile(self, node: Node) -> _Shape:
        sg, sstr = self.sg, self.sstr
        shape = _Shape(node)
        name = sstr(node)
        paths = list(dict.fromkeys(sg.objects(node, SH.path)))
        if len(paths) > 1:
            raise UnsupportedShapes(f"{name}: more than one sh:path")
        if paths:
            if not isinstance(paths[0], URIRef):
                raise UnsupportedShapes(f"{name}: sh:path {sstr(paths[0])} is not an IRI (complex property paths)")
            shape.path = paths[0]
        sev = self._one(node, SH.severity)
        if sev is not None:
            shape.severity = sev
        shape.allow_conform = shape.severity in _ALLOWED_SEVERITIES
        msg = self._one(node, SH.message)
        if msg is not None:
            shape.message = str(msg)
        deact = self._one(node, SH.deactivated)
        if deact is not None:
            if not isinstance(deact, Literal):
                raise UnsupportedShapes(f"{name}: sh:deactivated must be a literal")
            shape.deactivated = bool(deact.value)

        params = list(dict.fromkeys(p for p in sg.predicates(node)))
        for p in params:
            if p in _IGNORED:
                continue
            build = _BUILDERS.get(p)
            if build is None:
                if str(p).startswith(str(SH)):
                    raise UnsupportedShapes(f"{name}: {sstr(p)} is not supported by the compiled validator")
                continue  # not a SHACL term: pySHACL ignores it too (no custom components, checked above)
            shape.components.append(build(self, shape, node))
            shape.params[p] = list(sg.objects(node, p))
        return shape

    # ---------------------------------------------------------------- constraint components

    def _objects(self, node: Node, p: URIRef) -> list:
        return list(self.sg.objects(node, p))

    def min_count(self, shape: _Shape, node: Node):
        vals = self._objects(node, SH.minCount)
        if len(vals) != 1 or shape.path is None:
            raise UnsupportedShapes(f"{self.sstr(node)}: sh:minCount needs one value on a property shape")
        n = _literal_int(vals[0], "sh:minCount")
        path_s = self.sstr(shape.path)

        def check(d: _Data, fvn: list):
            if n == 0:
                return True, []
            reps = [shape.result(d, f, None, lambda f=f: f"Less than {n} values on {d.str(f)}->{path_s}")
                    for f, vals in fvn if len(vals) < n]
            return not reps, reps
        return check

    def max_count(self, shape: _Shape, node: Node):
        vals = self._objects(node, SH.maxCount)
        if len(vals) != 1 or shape.path is None:
            raise UnsupportedShapes(f"{self.sstr(node)}: sh:maxCount needs one value on a property shape")
        n = _literal_int(vals[0], "sh:maxCount")
        path_s = self.sstr(shape.path)

        def check(d: _Data, fvn: list):
            reps = [shape.result(d, f, None, lambda f=f: f"More than {n} values on {d.str(f)}->{path_s}")
                    for f, vals in fvn if len(vals) > n]
            return not reps, reps
        return check

    def class_(self, shape: _Shape, node: Node):
        rules = self._objects(node, SH["class"])
        if len(rules) < 2:
            text = f"Value does not have class {self.sstr(rules[0])}"
        else:
            text = "Value class is not in classes ({})".format(", ".join(self.sstr(c) for c in rules))

        def check(d: _Data, fvn: list):
            reps = []
            is_instance = d.is_instance
            for c in rules:
                for f, vals in fvn:
                    for v in vals:
                        if not is_instance(v, c):
                            reps.append(shape.result(d, f, v, lambda: text))
            return not reps, reps
        return check

    def datatype(self, shape: _Shape, node: Node):
        rules = self._objects(node, SH.datatype)
        if len(rules) != 1:
            raise UnsupportedShapes(f"{self.sstr(node)}: more than one sh:datatype")
        rule = rules[0]
        if not isinstance(rule, URIRef):
            raise UnsupportedShapes(f"{self.sstr(node)}: sh:datatype {self.sstr(rule)} is not an IRI")
        text = f"Value is not Literal with datatype {self.sstr(rule)}"
        matches = _datatype_test(rule)

        def check(d: _Data, fvn: list):
            reps = [shape.result(d, f, v, lambda: text)
                    for f, vals in fvn for v in vals if not matches(v)]
            return not reps, reps
        return check

    def pattern(self, shape: _Shape, node: Node):
        rules = self._objects(node, SH.pattern)
        for r in rules:
            if not isinstance(r, Literal):
                raise UnsupportedShapes(f"{self.sstr(node)}: sh:pattern must be a literal")
        flags = list(self.sg.objects(node, SH.flags))
        re_flags = 0
        if flags and flags[0]:
            fl = str(flags[0].value if isinstance(flags[0], Literal) else flags[0]).lower()
            if len(flags) > 1:
                raise UnsupportedShapes(f"{self.sstr(node)}: more than one sh:flags")
            if "i" in fl:
                re_flags |= re.I
            if "m" in fl:
                re_flags |= re.M
        compiled = [re.compile(str(r.value) if r.value is not None and len(r.value) > 1 else str(r), re_flags)
                    for r in rules]
        if len(rules) < 2:
            text = "Value does not match pattern '{}'".format(str(rules[0].value))
        else:
            text = "Value does not match every pattern in ('{}')".format("', '".join(str(c.value) for c in rules))

        def check(d: _Data, fvn: list):
            reps = []
            for rx in compiled:
                for f, vals in fvn:
                    for v in vals:
                        if isinstance(v, BNode) or not rx.search(_string_of(v)):
                            reps.append(shape.result(d, f, v, lambda: text))
            return not reps, reps
        return check

    def _length(self, shape: _Shape, node: Node, p: URIRef, op: str):
        rules = self._objects(node, p)
        if len(rules) != 1:
            raise UnsupportedShapes(f"{self.sstr(node)}: more than one {self.sstr(p)}")
        r = rules[0]
        if (not isinstance(r, Literal) or getattr(r, "ill_typed", False) or r.datatype is None
                or r.datatype not in _XSD_WHOLE_INTEGERS
                or r.datatype in (XSD.negativeInteger, XSD.nonPositiveInteger) or r.value < 0):
            raise UnsupportedShapes(f"{self.sstr(node)}: {self.sstr(p)} must be a non-negative integer")
        n = r.value

        def check(d: _Data, fvn: list):
            reps = []
            for f, vals in fvn:
                for v in vals:
                    if op == ">=":
                        ok = n == 0 or (not isinstance(v, BNode) and len(_string_of(v)) >= n)
                    else:
                        ok = not isinstance(v, BNode) and len(_string_of(v)) <= n
                    if not ok:
                        reps.append(shape.result(d, f, v, lambda: f"String length not {op} {d.str(r)}"))
            return not reps, reps
        return check

    def min_length(self, shape, node):
        return self._length(shape, node, SH.minLength, ">=")

    def max_length(self, shape, node):
        return self._length(shape, node, SH.maxLength, "<=")

    def _range(self, shape: _Shape, node: Node, p: URIRef, op: str, passes: Callable[[int], bool]):
        from pyshacl.rdfutil.compare import compare_literal

        rules = self._objects(node, p)
        for r in rules:
            if not isinstance(r, Literal):
                raise UnsupportedShapes(f"{self.sstr(node)}: {self.sstr(p)} must be a literal")
        if len(rules) < 2:
            text = f"Value is not {op} {self.sstr(rules[0])}"
        else:
            text = "Value is not {} in ({})".format(op, ", ".join(self.sstr(c) for c in rules))

        prepared = [(m, isinstance(m.value, str), m.value,
                     type(m.value) is int and m.datatype == XSD.integer and not m.ill_typed) for m in rules]

        def check(d: _Data, fvn: list):
            reps = []
            for m, m_is_string, mv, m_int in prepared:
                for f, vals in fvn:
                    for v in vals:
                        flag = False
                        if isinstance(v, Literal):
                            vv = v.value
                            if m_int and type(vv) is int and type(v.datatype) is URIRef and str.__eq__(
                                    v.datatype, _XSD_INTEGER_S) and not v.ill_typed:
                                # both well-typed xsd:integer: compare_literal compares the ints
                                flag = passes((vv > mv) - (vv < mv))
                            elif m_is_string == isinstance(vv, str):
                                try:
                                    flag = passes(compare_literal(v, m))
                                except (TypeError, NotImplementedError):
                                    flag = False
                        if not flag:
                            reps.append(shape.result(d, f, v, lambda: text))
            return not reps, reps
        return check

    def min_inclusive(self, shape, node):
        return self._range(shape, node, SH.minInclusive, ">=", lambda c: c >= 0)

    def max_inclusive(self, shape, node):
        return self._range(shape, node, SH.maxInclusive, "<=", lambda c: c <= 0)

    def min_exclusive(self, shape, node):
        return self._range(shape, node, SH.minExclusive, ">", lambda c: c > 0)

    def max_exclusive(self, shape, node):
        return self._range(shape, node, SH.maxExclusive, "<", lambda c: c < 0)

    def less_than_or_equals(self, shape: _Shape, node: Node):
        props = set(self.sg.objects(node, SH.lessThanOrEquals))
        if shape.path is None:
            raise UnsupportedShapes(f"{self.sstr(node)}: sh:lessThanOrEquals on a node shape")
        for lt in props:
            if not isinstance(lt, URIRef):
                raise UnsupportedShapes(f"{self.sstr(node)}: sh:lessThanOrEquals must be an IRI")
        if len(props) < 2:
            rules = self.sstr(next(iter(props)))
        else:
            rules = ", ".join(self.sstr(p) for p in props)

        def check(d: _Data, fvn: list):
            reps = []
            for lt in props:
                for f, vals in fvn:
                    compare_values = d.values(f, lt)
                    for value_node in vals:
                        if isinstance(value_node, BNode):
                            raise RuntimeError("Cannot use sh:lessThanOrEquals to compare a BlankNode.")
                        orig = value_node
                        v_str = False
                        if isinstance(value_node, URIRef):
                            value_node, v_str = str(value_node), True
                        elif isinstance(value_node, Literal) and isinstance(value_node.value, str):
                            value_node, v_str = value_node.value, True
                        for cv in compare_values:
                            if isinstance(cv, BNode):
                                raise RuntimeError("Cannot use sh:lessThanOrEquals to compare a BlankNode.")
                            c_str = False
                            if isinstance(cv, URIRef):
                                cv, c_str = str(cv), True
                            elif isinstance(cv, Literal) and isinstance(cv.value, str):
                                cv, c_str = cv.value, True
                            if v_str != c_str or not value_node <= cv:
                                reps.append(shape.result(
                                    d, f, orig, lambda f=f, orig=orig: f"Value of {d.str(f)}->{rules} < {d.str(orig)}"))
            return not reps, reps
        return check

    def property(self, shape: _Shape, node: Node):
        subs = []
        for p in self._objects(node, SH.property):
            sub = self.shape(p)
            if sub.path is None:
                raise UnsupportedShapes(f"{self.sstr(p)}: a sh:property value is not a property shape")
            subs.append(sub)

        def check(d: _Data, fvn: list):
            # pySHACL validates each sub-shape once per value node; validating all value nodes at
            # once (duplicates kept) gives the same results and the same conformance
            values = [v for _, vals in fvn for v in vals]
            if not values:
                return True, []
            ok_all, reps = True, []
            for sub in subs:
                ok, r = sub.validate(d, values)
                ok_all = ok_all and ok
                reps.extend(r)
            return ok_all, reps
        return check

    def node_(self, shape: _Shape, node: Node):
        refs = self._objects(node, SH.node)
        subs = [self.shape(n) for n in refs]
        for n, sub in zip(refs, subs):
            if sub.path is not None:
                raise UnsupportedShapes(f"{self.sstr(n)}: a sh:node value is a property shape")
        if len(refs) < 2:
            text = "Value does not conform to Shape {}.".format(self.sstr(refs[0]))
        else:
            text = "Value must conform to every Shape in ('{}').".format("', '".join(self.sstr(c) for c in refs))
        text += " See details for more information."

        def check(d: _Data, fvn: list):
            if not any(vals for _, vals in fvn):
                return True, []
            reps = []
            for sub in subs:
                for f, vals in fvn:
                    for v in vals:
                        ok, r = sub.validate(d, (v,))
                        if not ok or r:
                            reps.append(shape.result(d, f, v, lambda: text))
            return not reps, reps
        return check

    def not_(self, shape: _Shape, node: Node):
        refs = self._objects(node, SH["not"])
        subs = [self.shape(n) for n in refs]
        if len(refs) == 1:
            tail = f"must not conform to shape {self.sstr(refs[0])}"
        else:
            tail = "must not conform to any shapes in {}".format(" , ".join(self.sstr(n) for n in refs))

        def check(d: _Data, fvn: list):
            reps = []
            for sub in subs:
                for f, vals in fvn:
                    for v in vals:
                        if sub.conforms(d, v):
                            reps.append(shape.result(d, f, v, lambda v=v: f"Node {d.str(v)} {tail}"))
            return not reps, reps
        return check

    def _list(self, owner: Node, lst: Node, what: str) -> list:
        items = list(self.sg.items(lst))
        if not items:
            raise UnsupportedShapes(f"{self.sstr(owner)}: the {what} list is empty or not an RDF list")
        return items

    def _shape_list(self, shape: _Shape, node: Node, key: str, need, wording: str):
        """sh:or / sh:and: each value node must conform to ``need`` (any / all) of the shapes of
        each list, with pySHACL's message naming the lists."""
        lists = self._objects(node, SH[key])
        groups = [[self.shape(o) for o in set(self._list(node, lst, f"sh:{key}"))] for lst in lists]
        if len(lists) < 2:
            shapes_s = " , ".join(self.sstr(o) for o in self.sg.items(lists[0]))
        else:
            shapes_s = " and ".join("({})".format(" , ".join(self.sstr(o) for o in self.sg.items(a)))
                                    for a in lists)

        def check(d: _Data, fvn: list):
            reps = []
            for group in groups:
                for f, vals in fvn:
                    for v in vals:
                        if not need([sub.conforms(d, v) for sub in group]):
                            reps.append(shape.result(
                                d, f, v, lambda v=v: f"Node {d.str(v)} must conform to {wording} {shapes_s}"))
            return not reps, reps
        return check

    def or_(self, shape: _Shape, node: Node):
        return self._shape_list(shape, node, "or", any, "one or more shapes in")

    def and_(self, shape: _Shape, node: Node):
        return self._shape_list(shape, node, "and", all, "all shapes in")


_BUILDERS: dict[URIRef, Callable[[_Compiler, _Shape, Node], Any]] = {
    SH.minCount: _Compiler.min_count,
    SH.maxCount: _Compiler.max_count,
    SH["class"]: _Compiler.class_,
    SH.datatype: _Compiler.datatype,
    SH.pattern: _Compiler.pattern,
    SH.minLength: _Compiler.min_length,
    SH.maxLength: _Compiler.max_length,
    SH.minInclusive: _Compiler.min_inclusive,
    SH.maxInclusive: _Compiler.max_inclusive,
    SH.minExclusive: _Compiler.min_exclusive,
    SH.maxExclusive: _Compiler.max_exclusive,
    SH.lessThanOrEquals: _Compiler.less_than_or_equals,
    SH.property: _Compiler.property,
    SH.node: _Compiler.node_,
    SH["not"]: _Compiler.not_,
    SH["or"]: _Compiler.or_,
    SH["and"]: _Compiler.and_,
}


def compile_shapes(shapes: Graph, hierarchy: Graph | None = None) -> CompiledShapes:
    """Compile ``shapes`` (with ``hierarchy``'s rdfs:subClassOf axioms and rdf:type triples mixed
    into every data graph, as pySHACL's ``ont_graph``); raises :class:`UnsupportedShapes`."""
    return CompiledShapes(shapes, hierarchy)
