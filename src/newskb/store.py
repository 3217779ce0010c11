"""Stage 6 — store and query: an embedded pyoxigraph store inside the KB folder, and the saved
SPARQL queries of ``queries/`` run against it.

The store (``DIR/store``) is a cache of the published N-Quads (``DIR/kb.nq``) plus the ontology in
its own graph; it is rebuilt from them when missing. Queries see the RDF merge of all graphs as their
default graph (as on Virtuoso): the store's default graph holds every triple of every named graph
once. Oxigraph's ``use_default_graph_as_union`` repeats a triple once per graph holding it, and
OPTIONAL chains multiply those repeats (the ``places`` query ran out of memory on 16 articles).
"""

from __future__ import annotations

import csv
import enum
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .resources import ontology_dir, queries_dir
from .vocab import ONTOLOGY_IRI

STORE_DIR = "store"
NQUADS = "kb.nq"


class QueryError(ValueError):
    """A saved query is missing or the SPARQL is malformed."""


class ResultFormat(enum.Enum):
    TABLE = ("table", "text/plain")
    JSON = ("json", "application/sparql-results+json")
    CSV = ("csv", "text/csv")
    TSV = ("tsv", "text/tab-separated-values")

    def __init__(self, name_: str, media_type: str):
        self.label = name_
        self.media_type = media_type

    @classmethod
    def parse(cls, name: str) -> "ResultFormat":
        for f in cls:
            if f.label == name:
                return f
        raise ValueError(f"unknown result format {name!r}; choose table, json, csv or tsv")


def load_ontology(store: ox.Store) -> None:
    """The ontology into its own named graph (and, like every graph, into the merged default graph)."""
    g = ox.NamedNode(ONTOLOGY_IRI)
    for f in sorted(ontology_dir().glob("*.ttl")):
        _load(store, f, ox.RdfFormat.TURTLE, g)


def _load(store: ox.Store, path: Path, fmt: ox.RdfFormat, graph: ox.NamedNode | None) -> None:
    """Load a file into its named graph(s) and stream a copy of its triples into the default graph."""
    store.bulk_load(path=str(path), format=fmt, to_graph=graph)
    default = ox.DefaultGraph()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default)
                      for q in ox.parse(path=str(path), format=fmt))


def create_store(path: Path, nquads: Path) -> ox.Store:
    """(Re)create the store at ``path`` from an N-Quads file, the ontology and, when current,
    the inferred graph of 'newskb reason'. The default graph is the merge of all of them."""
    from .reason import INFERRED_FILE, inferred_graph_iri, inferred_is_current, kb_base

    store = ox.Store(str(path))
    store.clear()
    _load(store, nquads, ox.RdfFormat.N_QUADS, None)
    load_ontology(store)
    kb_dir = nquads.parent
    if inferred_is_current(kb_dir):
        _load(store, kb_dir / INFERRED_FILE, ox.RdfFormat.TURTLE,
              ox.NamedNode(inferred_graph_iri(kb_base(kb_dir))))
    store.flush()
    return store


def merge_default_graph(store: ox.Store) -> None:
    """Fill the default graph with the triples of all named graphs, each once (for a store
    filled by other means than :func:`create_store`)."""
    default = ox.DefaultGraph()
    for g in list(store.named_graphs()):
        quads = list(store.quads_for_pattern(None, None, None, g))
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in quads)


def open_kb(kb: Path) -> ox.Store:
    """Open the store of a built KB folder, creating it from ``kb.nq`` when it is missing."""
    kb = Path(kb)
    nq = kb / NQUADS
    if not nq.is_file():
        raise FileNotFoundError(f"{kb}: not a newskb KB folder (no {NQUADS}); build one with 'newskb build --out {kb}'")
    sdir = kb / STORE_DIR
    stamp = sdir / "SOURCE"
    want = f"{nq.stat().st_size}:{nq.stat().st_mtime_ns}"
    if sdir.is_dir() and stamp.is_file() and stamp.read_text() == want:
        return ox.Store.read_only(str(sdir))
    store = create_store(sdir, nq)
    del store
    stamp.write_text(want)
    return ox.Store.read_only(str(sdir))


def query_text(name_or_file: str) -> str:
    """SPARQL text of a saved query (``queries/NAME.rq``) or of a file."""
    p = Path(name_or_file)
    if p.suffix == ".rq" and p.is_file():
        return p.read_text(encoding="utf-8")
    saved = queries_dir() / f"{name_or_file}.rq"
    if saved.is_file():
        return saved.read_text(encoding="utf-8")
    names = ", ".join(saved_queries())
    raise QueryError(f"no saved query or .rq file {name_or_file!r}; saved queries: {names}")


def saved_queries() -> list[str]:
    return sorted(p.stem for p in queries_dir().glob("*.rq"))


@dataclass
class Results:
    """SELECT results: variable names and rows of pyoxigraph terms (None when unbound)."""

    variables: list[str]
    rows: list[list[object | None]]

    def to_json(self) -> str:
        """W3C SPARQL 1.1 Query Results JSON."""
        return json.dumps({
            "head": {"vars": self.variables},
            "results": {"bindings": [
                {v: _json_term(t) for v, t in zip(self.variables, row) if t is not None} for row in self.rows
            ]},
        }, ensure_ascii=False, indent=1) + "\n"

    def to_csv(self) -> str:
        """W3C SPARQL 1.1 CSV: plain values."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(self.variables)
        for row in self.rows:
            w.writerow(["" if t is None else t.value for t in row])
        return out.getvalue()

    def to_tsv(self) -> str:
        """W3C SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax."""
        lines = ["\t".join("?" + v for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join("" if t is None else str(t) for t in row))
        return "\n".join(lines) + "\n"

    def to_table(self, width: int = 60) -> str:
        def cell(t) -> str:
            if t is None:
                return ""
            s = t.value
            s = s.replace("\n", " ")
            return s if len(s) <= width else s[: width - 1] + "…"

        cells = [[cell(t) for t in row] for row in self.rows]
        widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(self.variables)]
        fmt = " | ".join("{:<%d}" % w for w in widths)
        out = [fmt.format(*self.variables), "-+-".join("-" * w for w in widths)]
        out += [fmt.format(*r) for r in cells]
        out.append(f"({len(self.rows)} rows)")
        return "\n".join(out) + "\n"

    def render(self, fmt: ResultFormat) -> str:
        return {ResultFormat.JSON: self.to_json, ResultFormat.CSV: self.to_csv,
                ResultFormat.TSV: self.to_tsv, ResultFormat.TABLE: self.to_table}[fmt]()


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        d["datatype"] = t.datatype.value
    return d


def run_select(store: ox.Store, sparql: str, *, bindings: dict[str, object] | None = None) -> Results:
    """Run a SELECT query; the default graph is the merge of all graphs (see the module doc).
    ``bindings`` pre-binds variables (values are pyoxigraph terms): parameters never go into the
    query text."""
    try:
        res = store.query(sparql, substitutions=_subst(bindings))
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {exc}") from None
    if not isinstance(res, ox.QuerySolutions):
        raise QueryError("only SELECT queries give a result table")
    variables = [v.value for v in res.variables]
    rows = [[sol[v] for v in variables] for sol in res]
    return Results(variables, rows)


def _subst(bindings: dict[str, object] | None):
    if not bindings:
        return None
    return {ox.Variable(k): v for k, v in bindings.items()}
