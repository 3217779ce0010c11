"""Deterministic RDF output: the same triples always give byte-identical files.

Triples are converted to pyoxigraph terms, sorted (graph, subject, predicate, object, with
``rdf:type`` first for each subject) and written by pyoxigraph's serializers with fixed prefixes.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .vocab import PREFIXES, RDF_TYPE, XSD_STRING



class Format(enum.Enum):
    """Output formats, each knowing its file extension and media type."""

    TURTLE = ("ttl", "text/turtle", ox.RdfFormat.TURTLE)
    TRIG = ("trig", "application/trig", ox.RdfFormat.TRIG)
    N_QUADS = ("nq", "application/n-quads", ox.RdfFormat.N_QUADS)
    N_TRIPLES = ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES)
    JSON_LD = ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD)

    def __init__(self, extension: str, media_type: str, ox_format: ox.RdfFormat):
        self.extension = extension
        self.media_type = media_type
        self.ox_format = ox_format

    @property
    def is_dataset(self) -> bool:
        return self in (Format.TRIG, Format.N_QUADS)


def to_ox(term: Node):
    """An rdflib term as a pyoxigraph term. Blank nodes are refused: published data has none."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        raise ValueError("blank node in published data")
    raise TypeError(f"cannot serialize {term!r}")


def _term_key(t) -> tuple:
    return (type(t).__name__ != "NamedNode", str(t))


def _triple_key(t: ox.Triple) -> tuple:
    return (str(t.subject), t.predicate.value != RDF_TYPE, str(t.predicate), _term_key(t.object))


def sorted_triples(graph: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    """The triples as pyoxigraph triples, sorted by :func:`_triple_key`.

    Each distinct term (an article repeats its IRIs and many literals) gets its N-Triples text,
    as pyoxigraph writes it, once (:func:`_nt_text`); the triples are ordered by those texts
    and made by pyoxigraph's N-Triples parser from the ordered lines, which also checks every
    IRI as ``ox.NamedNode`` does. The sort key is one string, ``s NUL f p NUL g o`` (``f``,
    ``g``: "0"/"1" for p is rdf:type / o is an IRI, or not): NUL, below every other character
    and in no text (escaped in literals, refused in IRIs), makes it order as the key tuple.
    Any other term (a language-tagged literal, a blank node...) takes :func:`_sorted_triples_ref`."""
    if not isinstance(graph, (list, tuple, set, frozenset)):
        graph = list(graph)
    data = _sorted_lines(graph)
    if data is None:
        return _sorted_triples_ref(graph)
    out = parse_triples(data, Format.N_TRIPLES)
    if len(out) != data.count(b"\n"):  # pragma: no cover - cannot happen with the texts of _nt_text
        raise ValueError("N-Triples round trip lost triples")
    return out


def sorted_ntriples(graph: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """``ox.serialize(sorted_triples(graph), format=N_TRIPLES)``, without making a Python object
    per triple: the sorted lines of :func:`sorted_triples` are already that document. Its IRIs
    are checked when the document is parsed (:func:`turtle_of_ntriples` does, before anything
    is written); tests/test_fast_paths.py compares it with pyoxigraph's on every article."""
    if not isinstance(graph, (list, tuple, set, frozenset)):
        graph = list(graph)
    data = _sorted_lines(graph)
    if data is None:
        return ox.serialize(_sorted_triples_ref(graph), format=ox.RdfFormat.N_TRIPLES)
    return data


def turtle_of_ntriples(nt: bytes) -> bytes:
    """An N-Triples document as Turtle, triples in the same order (:func:`serialize_sorted` of
    its triples), straight from pyoxigraph's parser to its serialiser; the parser refuses an
    invalid IRI (``SyntaxError``)."""
    return ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def ntriples_of_turtle(ttl: bytes) -> bytes:
    """A Turtle document as N-Triples, triples in document order."""
    return ox.serialize(ox.parse(ttl, format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)


def _sorted_lines(graph) -> bytes | None:
    """The N-Triples lines of ``graph`` in :func:`sorted_triples` order (UTF-8), or None when a
    term has no text of :func:`_nt_text`."""
    terms = {id(x): x for spo in graph for x in spo}  # each distinct term object once
    texts = {k: _nt_text(x) for k, x in terms.items()}
    if None in texts.values():
        return None
    rows = [(texts[id(s)], texts[id(p)], texts[id(o)]) for s, p, o in graph]
    t = _RDF_TYPE_NT
    rows.sort(key=lambda r: f"{r[0]}\0{'0' if r[1] == t else '1'}{r[1]}\0{'0' if r[2][0] == '<' else '1'}{r[2]}")
    return "".join([f"{s} {p} {o} .\n" for s, p, o in rows]).encode("utf-8")


_RDF_TYPE_NT = f"<{RDF_TYPE}>"
# What IRIREF forbids in N-Triples; anything else the parser checks as ox.NamedNode does.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# pyoxigraph's escapes in a quoted literal (checked against ox.Literal for every code point).
_NT_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F, 0xFFFE, 0xFFFF]}
_TO_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f\ufffe\uffff]')
_NT_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r",
                    0x22: '\\"', 0x5C: "\\\\"})


def _nt_text(term) -> str | None:
    """``str(to_ox(term))`` for an IRI or a plain or datatyped (not xsd:string) literal,
    computed without pyoxigraph; None for any other term."""
    t = type(term)
    if t is URIRef:
        return None if _NOT_IN_IRI.search(term) else f"<{term}>"
    if t is Literal and term.language is None:
        dt = term.datatype
        text = f'"{str.translate(term, _NT_ESCAPES) if _TO_ESCAPE.search(term) else str.__str__(term)}"'
        if dt is None:
            return text
        if type(dt) is not URIRef or str.__eq__(dt, XSD_STRING) or _NOT_IN_IRI.search(dt):
            return None
        return f"{text}^^<{dt}>"
    return None


def _sorted_triples_ref(graph: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    """:func:`sorted_triples` by its definition: every term converted by :func:`to_ox`, the
    triples sorted by :func:`_triple_key`."""
    iris: dict[str, ox.NamedNode] = {}  # an article repeats its IRIs many times: convert each once

    def conv(t):
        if type(t) is URIRef:
            n = iris.get(t)
            if n is None:
                n = iris[t] = ox.NamedNode(t)
            return n
        return to_ox(t)

    return sorted((ox.Triple(conv(s), conv(p), conv(o)) for s, p, o in graph), key=_triple_key)


def serialize_graph(graph: Graph | Iterable, fmt: Format = Format.TURTLE) -> bytes:
    """One graph as Turtle / N-Triples / JSON-LD bytes, deterministically ordered."""
    return serialize_sorted(sorted_triples(graph), fmt)


def serialize_sorted(triples: list[ox.Triple], fmt: Format = Format.TURTLE) -> bytes:
    """Triples already in :func:`sorted_triples` order, serialised as they are."""
    return ox.serialize(triples, format=fmt.ox_format, prefixes=PREFIXES if fmt is Format.TURTLE else None)


def serialize_dataset(graphs: Iterable[tuple[str, list[ox.Triple]]], fmt: Format) -> bytes:
    """Named graphs (already sorted triples) as TriG or N-Quads bytes, graphs in IRI order."""
    quads = []
    for name, triples in sorted(graphs, key=lambda g: g[0]):
        g = ox.NamedNode(name)
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in triples)
    return ox.serialize(quads, format=fmt.ox_format, prefixes=PREFIXES if fmt is Format.TRIG else None)


def parse_triples(data: bytes, fmt: Format = Format.TURTLE) -> list[ox.Triple]:
    return [q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(data, format=fmt.ox_format)]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def dataset_header(fmt: Format) -> bytes:
    """What :func:`serialize_dataset` writes before the first graph (the TriG ``@prefix`` lines),
    given at least one quad; N-Quads has none."""
    if fmt is not Format.TRIG:
        return b""
    g = ox.NamedNode("urn:x:g")
    data = ox.serialize([ox.Quad(g, g, g, g)], format=fmt.ox_format, prefixes=PREFIXES)
    return data[:data.index(b"\n<") + 1]


def graph_chunk(name: str, triples: Iterable[ox.Triple], fmt: Format, header: bytes = b"") -> bytes:
    """One named graph's part of :func:`serialize_dataset` output (without the dataset header):
    the dataset is the header followed by its graphs' chunks in IRI order (nothing when empty)."""
    g = ox.NamedNode(name)
    data = ox.serialize([ox.Quad(t.subject, t.predicate, t.object, g) for t in triples],
                        format=fmt.ox_format, prefixes=PREFIXES if fmt is Format.TRIG else None)
    if not data:
        return b""
    if not data.startswith(header):  # pragma: no cover - a pyoxigraph change
        raise ValueError("unexpected TriG header")
    return data[len(header):]


def graph_chunks(name: str, triples: list[ox.Triple], trig_header: bytes) -> tuple[bytes, bytes]:
    """``(graph_chunk(name, triples, N_QUADS), graph_chunk(name, triples, TRIG, trig_header))``
    without making a quad per triple (:func:`graph_chunks_of`)."""
    if not triples:
        return b"", b""
    ttl = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return graph_chunks_of(name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), ttl, trig_header)


def graph_chunks_of(name: str, nt: bytes, ttl: bytes, trig_header: bytes) -> tuple[bytes, bytes]:
    """One named graph's N-Quads and TriG chunks made from its N-Triples ``nt`` and Turtle ``ttl``
    (the same triples in the same order): pyoxigraph writes N-Quads as N-Triples lines with the
    graph name before the final " .", and one named graph in TriG as its Turtle with a tab
    before every line, between "<name> {" and "}" (no term's text holds a raw newline). Checked
    against the quads' own serialisations on every article by tests/test_fast_paths.py; when
    the Turtle header is not the expected one (a pyoxigraph change), the quads are serialised
    instead."""
    if not nt:
        return b"", b""
    header = _turtle_header()
    if not ttl.startswith(header) or not ttl.endswith(b" .\n"):  # pragma: no cover - a pyoxigraph change
        return _graph_chunks_ref(name, parse_triples(nt, Format.N_TRIPLES), trig_header)
    g = ox.NamedNode(name)
    nq = nt.replace(b" .\n", b" " + str(g).encode() + b" .\n")
    opening = _trig_opening(g, trig_header)
    trig = opening + ttl[len(header):-1].replace(b"\n", b"\n\t") + b"\n}\n"
    return nq, trig


@functools.lru_cache(maxsize=1)
def _turtle_header() -> bytes:
    """What Turtle output starts with (the ``@prefix`` lines), as :func:`dataset_header`."""
    n = ox.NamedNode("urn:x:g")
    data = ox.serialize([ox.Triple(n, n, n)], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return data[:data.index(b"\n<") + 1]


def _trig_opening(g: ox.NamedNode, trig_header: bytes) -> bytes:
    """The TriG text opening graph ``g`` (``<g> {`` and the tab of its first line)."""
    data = ox.serialize([ox.Quad(g, g, g, g)], format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    if not data.startswith(trig_header):  # pragma: no cover - a pyoxigraph change
        raise ValueError("unexpected TriG header")
    data = data[len(trig_header):]
    return data[:data.index(b" {\n\t") + 4]


def _graph_chunks_ref(name: str, triples: Iterable[ox.Triple], trig_header: bytes) -> tuple[bytes, bytes]:
    """:func:`graph_chunks` from one list of quads, serialised in both formats."""
    g = ox.NamedNode(name)
    quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
    nq = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    if not trig:
        return nq, b""
    if not trig.startswith(trig_header):  # pragma: no cover - a pyoxigraph change
        raise ValueError("unexpected TriG header")
    return nq, trig[len(trig_header):]
