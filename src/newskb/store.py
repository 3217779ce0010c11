"""Stage 6 — store and query: an embedded pyoxigraph store inside the KB folder, and the saved
SPARQL queries of ``queries/`` run against it.

The store (``DIR/store``) is a cache of the KB folder's article graphs (``DIR/articles/*.ttl``,
named in ``DIR/manifest.json``), the ontology in its own graph and, when current, the inferred
graph of 'newskb reason'. ``STATE.json`` in it records which graph, with which digest, it holds;
:func:`sync_store` brings it up to date by removing and loading only the graphs that changed, so
that adding one article to a large KB costs one article (a full load only when the ontology
changed or the store is missing or was interrupted mid-update).

Queries see the RDF merge of all graphs as their default graph (as on Virtuoso): the store's
default graph holds every triple of every named graph once. Oxigraph's
``use_default_graph_as_union`` repeats a triple once per graph holding it, and OPTIONAL chains
multiply those repeats (the ``places`` query ran out of memory on 16 articles). Removing a graph
removes its triples from the default graph only when no other named graph still holds them.
"""

from __future__ import annotations

import csv
import enum
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from . import jsonio
from .kbfolder import (ANSWERS_DIR, INFERRED_FILE, STORE_DIR, STORE_STATE, ArticleGraph, article_graphs, graphs_digest,
                       inferred_graph_iri, inferred_source, manifest_base, read_manifest)
from .resources import ontology_dir, queries_dir
from .vocab import ONTOLOGY_IRI, XSD_STRING

STATE = STORE_STATE
# what makes a version of the store: the ontology, the article graphs and the inferred graph
VERSION_KEYS = ("ontology", "kb", "inferred", "inferred_graph")
STATE_VERSION = 2
# above this many changed graphs a delta update removes more than a fresh load costs
FULL_RELOAD_FRACTION = 0.25
BULK_FROM = 200  # graphs to add at once through the bulk loader instead of one transaction each
BULK_BATCH = 20  # graphs per bulk load: the bulk loader holds a batch in memory


class QueryError(ValueError):
    """A saved query is missing or the SPARQL is malformed."""


class ResultFormat(enum.Enum):
    """The formats of SELECT results: a text table, and the W3C SPARQL 1.1 results formats."""

    TABLE = ("table", "text/plain")
    JSON = ("json", "application/sparql-results+json")
    XML = ("xml", "application/sparql-results+xml")
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
        raise ValueError(f"unknown result format {name!r}; choose {', '.join(f.label for f in cls)}")


def ontology_files() -> list[Path]:
    return sorted(ontology_dir().glob("*.ttl"))


def ontology_digest() -> str:
    h = hashlib.sha256()
    for f in ontology_files():
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def load_ontology(store: ox.Store) -> None:
    """The ontology into its own named graph (and, like every graph, into the merged default graph)."""
    _load_graphs(store, [(ONTOLOGY_IRI, f) for f in ontology_files()], bulk=False)


# ---- loading Turtle files as named graphs, in Rust ----------------------------------------------

def _split_directives(data: bytes) -> tuple[bytes, bytes]:
    """A Turtle document's leading directives and comments, and the rest (the triples)."""
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end + 1
        line = data[pos:end].lstrip()
        if line and not line.startswith((b"@prefix", b"@base", b"PREFIX", b"BASE", b"#")):
            break
        pos = end
    return data[:pos], data[pos:]


def _trig(graphs: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    """TriG holding each Turtle document twice: in its named graph and in the default graph."""
    for g, data in graphs:
        head, body = _split_directives(data)
        if b"@base" in head or b"BASE" in head:
            raise ValueError(f"{g}: a base directive cannot move into TriG")
        yield head
        yield b"<" + g.encode() + b"> {\n" + body + b"\n}\n{\n" + body + b"\n}\n"


def load_threads() -> int:
    """Bulk loads run at once by a full (re)load: one per core, at most 4 (pyoxigraph releases
    the GIL while it loads, so two threads load faster than one on 2 cores)."""
    return max(1, min(4, os.cpu_count() or 1))


def _turtle(source: Path | bytes) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def _load_graphs(store: ox.Store, graphs: list[tuple[str, Path | bytes]], *, bulk: bool, threads: int = 1) -> None:
    """Load Turtle documents (files, or their bytes) into their named graphs and into the merged
    default graph. ``bulk``: the bulk loader over batches of them (fast, not transactional),
    ``threads`` batches at a time; otherwise one transaction per document."""
    if bulk:
        def load(batch: list[tuple[str, Path | bytes]]) -> list[tuple[str, Path | bytes]]:
            try:
                # bytes, not a stream: the loader then never calls back into Python, and it runs
                # without the GIL from start to end (a batch is a few megabytes)
                store.bulk_load(b"".join(_trig((g, _turtle(src)) for g, src in batch)), format=ox.RdfFormat.TRIG)
            except (SyntaxError, ValueError):
                return batch  # a file the TriG wrapping cannot hold: one by one (same result)
            return []

        # the bulk loader holds a batch in memory
        batches = [graphs[i:i + BULK_BATCH] for i in range(0, len(graphs), BULK_BATCH)]
        if threads > 1 and len(batches) > 1:
            # pyoxigraph releases the GIL while it loads, and each load writes its own sorted files
            # that RocksDB ingests atomically (oxigraph's own loader runs batches on parallel
            # threads the same way); a batch that fails is loaded again file by file below (a
            # quad loaded twice is still one quad)
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=threads) as pool:
                failed = list(pool.map(load, batches))
        else:
            failed = [load(b) for b in batches]
        graphs = [g for batch in failed for g in batch]
    for g, src in graphs:
        data = _turtle(src)
        for to in (ox.NamedNode(g), ox.DefaultGraph()):
            store.load(data, format=ox.RdfFormat.TURTLE, to_graph=to)


def remove_graph(store: ox.Store, graph: str) -> None:
    """Remove a named graph, and those of its triples from the merged default graph that no
    other named graph holds."""
    g = ox.NamedNode(graph)
    default = ox.DefaultGraph()
    # one query (one snapshot, evaluated in Rust) instead of a store lookup per triple from Python
    only_here = list(store.query(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {g}) }} }}"))
    store.remove_graph(g)
    for sol in only_here:
        store.remove(ox.Quad(sol[0], sol[1], sol[2], default))


# ---- the KB folder's store ---------------------------------------------------------------------

@dataclass
class SyncResult:
    """What :func:`sync_store` did."""

    full: bool = False        # loaded from scratch
    added: int = 0            # graphs loaded
    removed: int = 0          # graphs removed
    graphs: int = 0           # article graphs in the store after
    compacted: bool = False   # the store's files were compacted (after a bulk load)

    def text(self) -> str:
        if self.full:
            return f"loaded {self.added} graphs from scratch"
        return f"{self.added} graphs loaded, {self.removed} removed, {self.graphs - self.added} kept"


def _read_state(path: Path) -> dict | None:
    try:
        state = jsonio.loads((path / STATE).read_bytes())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and state.get("version") == STATE_VERSION else None


def _write_state(path: Path, state: dict | None) -> None:
    f = path / STATE
    if state is None:  # mid-update: a store without a state is reloaded from scratch
        f.unlink(missing_ok=True)
        return
    tmp = f.with_suffix(".tmp")
    tmp.write_bytes(jsonio.dumps(state, sort_keys=True))
    os.replace(tmp, f)


def _wanted(kb_dir: Path, graphs: list[ArticleGraph], manifest: dict | None = None) -> dict:
    """The state a current store of ``kb_dir`` has."""
    digest = graphs_digest(graphs)
    inferred = None
    if inferred_source(kb_dir) == digest:
        inferred = hashlib.sha256((kb_dir / INFERRED_FILE).read_bytes()).hexdigest()
    base = manifest_base(manifest if manifest is not None else read_manifest(kb_dir))
    return {"version": STATE_VERSION, "ontology": ontology_digest(), "kb": digest,
            "graphs": {a.graph: a.sha256 for a in graphs}, "inferred": inferred,
            "inferred_graph": inferred_graph_iri(base)}


def is_current(path: Path, kb_dir: Path) -> bool:
    """True when the store at ``path`` holds exactly the graphs of ``kb_dir`` (and the current
    ontology and inferred graph)."""
    state = _read_state(path)
    if state is None:
        return False
    manifest = read_manifest(kb_dir)
    want = _wanted(kb_dir, article_graphs(kb_dir, manifest), manifest)
    return all(state.get(k) == want[k] for k in VERSION_KEYS)


def sync_store(path: Path, kb_dir: Path, *, full: bool = False, manifest: dict | None = None,
               graphs: list[ArticleGraph] | None = None, threads: int | None = None) -> SyncResult:
    """Bring the store at ``path`` (created when missing) up to date with the KB folder
    ``kb_dir``: only graphs added, changed or gone since its recorded state are loaded or
    removed. ``full`` reloads everything; ``manifest`` and ``graphs``: the folder's manifest and
    :func:`~newskb.kbfolder.article_graphs`, when the caller has them already; ``threads``: bulk
    loads run at once (default :func:`load_threads`)."""
    path, kb_dir = Path(path), Path(kb_dir)
    manifest = read_manifest(kb_dir) if manifest is None else manifest
    graphs = article_graphs(kb_dir, manifest) if graphs is None else graphs
    want = _wanted(kb_dir, graphs, manifest)
    state = None if full else _read_state(path)
    have = state["graphs"] if state and state.get("ontology") == want["ontology"] else None
    wanted = want["graphs"]
    if have is not None:
        stale = sorted(g for g, sha in have.items() if wanted.get(g) != sha)  # changed or gone
        if len(stale) > max(16, FULL_RELOAD_FRACTION * len(have)):
            have = None
    path.mkdir(parents=True, exist_ok=True)
    _write_state(path, None)
    store = ox.Store(str(path))
    res = SyncResult(graphs=len(graphs))
    if have is None:
        res.full = True
        store.clear()
        load_ontology(store)
        todo = graphs
        have = {}
    else:
        if state.get("inferred") is not None:  # inferred from the previous content: never kept
            remove_graph(store, state["inferred_graph"])
        for g in stale:
            remove_graph(store, g)
            res.removed += 1
        todo = [a for a in graphs if have.get(a.graph) != a.sha256]
    bulk = res.full or len(todo) >= BULK_FROM
    _load_graphs(store, [(a.graph, a.path) for a in todo], bulk=bulk,
                 threads=load_threads() if threads is None else threads)
    res.added = len(todo)
    if want["inferred"] is not None:
        _load_graphs(store, [(want["inferred_graph"], kb_dir / INFERRED_FILE)], bulk=False)
    store.flush()
    if bulk or (state is not None and state.get("compacted") is not True):
        # the bulk loader writes many small overlapping files, and every read looks into each of
        # them: compacted once, the contract queries run several times faster (docs/pipeline.md).
        # Loads in transactions (one article added) are left to RocksDB's own background
        # compaction
        store.optimize()
        res.compacted = True
    del store
    _prune_info_logs(path)
    if state is None or any(state.get(k) != want[k] for k in VERSION_KEYS):
        shutil.rmtree(path / ANSWERS_DIR, ignore_errors=True)  # what was computed from another version
    _write_state(path, dict(want, compacted=True))
    return res


INFO_LOGS_KEPT = 2


def _prune_info_logs(path: Path) -> None:
    """Remove all but the newest :data:`INFO_LOGS_KEPT` of the store's old RocksDB info logs
    (``LOG.old.<time>``): every opening of the store for writing starts a new one, and RocksDB
    keeps up to a thousand, which a large KB rebuilt often piles up. The data files are not
    touched."""
    try:
        old = sorted(n for n in os.listdir(path) if n.startswith("LOG.old."))
    except OSError:
        return
    for name in old[:max(0, len(old) - INFO_LOGS_KEPT)]:
        try:
            os.unlink(os.path.join(path, name))
        except OSError:
            pass


class GraphFeeder:
    """Loads article graphs into a new store while a build is still producing them, on a thread
    of its own (pyoxigraph loads and compacts without the GIL, so the build's extraction goes on
    meanwhile); :func:`sync_store` completes it afterwards: graphs loaded here that did not make
    it into the KB are removed, the rest are loaded. :meth:`close` waits for the thread."""

    def __init__(self, path: Path):
        from concurrent.futures import ThreadPoolExecutor

        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        _write_state(self.path, None)
        self.store = ox.Store(str(self.path))
        self.store.clear()
        load_ontology(self.store)
        self.loaded: dict[str, str] = {}
        self.queue: list[tuple[str, bytes, str]] = []  # (graph, its Turtle, the Turtle's sha256)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newskb-store")
        self._pending: list = []
        self._finished = False

    def add(self, graph: str, turtle: Path, sha256: str) -> None:
        """Queue a graph's Turtle file; it is read now (the build moves it afterwards)."""
        self.queue.append((graph, turtle.read_bytes(), sha256))
        if len(self.queue) >= BULK_BATCH:
            self._load()

    def _load(self) -> None:
        batch, self.queue = self.queue, []
        self._pending.append(self._thread.submit(_load_graphs, self.store, [(g, d) for g, d, _ in batch], bulk=True))
        self.loaded.update((g, sha) for g, _, sha in batch)

    def finish(self) -> None:
        """Start loading what is left and then compacting the store (the bulk loads leave many
        small files), without waiting."""
        if self._finished:
            return
        self._finished = True
        if self.queue:
            self._load()
        self._pending.append(self._thread.submit(self._compact))

    def close(self) -> None:
        """:meth:`finish`, wait for the thread and record what the store holds; raises what a
        load raised."""
        self.finish()
        try:
            for fut in self._pending:
                fut.result()
        finally:
            self._thread.shutdown()
        del self.store
        _write_state(self.path, {"version": STATE_VERSION, "ontology": ontology_digest(), "kb": None,
                                 "graphs": self.loaded, "inferred": None, "inferred_graph": None,
                                 "compacted": True})

    def _compact(self) -> None:
        self.store.flush()
        self.store.optimize()


def create_store(path: Path, kb_dir: Path) -> ox.Store:
    """(Re)create the store at ``path`` from the KB folder ``kb_dir`` (see :func:`sync_store`)."""
    sync_store(path, kb_dir, full=True)
    return ox.Store(str(path))


def merge_default_graph(store: ox.Store) -> None:
    """Fill the default graph with the triples of all named graphs, each once (for a store
    filled by other means than :func:`sync_store`)."""
    default = ox.DefaultGraph()
    for g in list(store.named_graphs()):
        quads = list(store.quads_for_pattern(None, None, None, g))
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in quads)


def kb_version(kb: Path) -> str:
    """A digest that names one version of a KB folder's store: the same article graphs, ontology
    and inferred graph, queried by the same pyoxigraph. What is computed once from the whole KB
    (the saved queries' answers, :mod:`newskb.answers`) is kept under it. Brings the store up to
    date first, as :func:`open_kb` does."""
    from importlib.metadata import version

    kb = Path(kb)
    sdir = kb / STORE_DIR
    if not is_current(sdir, kb):
        sync_store(sdir, kb)
    state = _read_state(sdir) or {}
    key = [state.get(k) for k in VERSION_KEYS] + [version("pyoxigraph")]
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:20]


def open_kb(kb: Path) -> ox.Store:
    """Open the store of a built KB folder read-only, first bringing it up to date (only the
    graphs that changed) when the folder changed since. Raises ``FileNotFoundError``
    (:class:`newskb.kbfolder.KBFolderError`) when ``kb`` is not a KB folder."""
    kb = Path(kb)
    sdir = kb / STORE_DIR
    if not is_current(sdir, kb):
        sync_store(sdir, kb)
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
        """W3C SPARQL 1.1 CSV: plain values (blank nodes as ``_:label``)."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(self.variables)
        for row in self.rows:
            w.writerow(["" if t is None else "_:" + t.value if isinstance(t, ox.BlankNode) else t.value
                        for t in row])
        return out.getvalue()

    def to_tsv(self) -> str:
        """W3C SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax."""
        lines = ["\t".join("?" + v for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join("" if t is None else str(t) for t in row))
        return "\n".join(lines) + "\n"

    def to_xml(self) -> str:
        """W3C SPARQL Query Results XML."""
        out = io.StringIO()
        out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>')
        for v in self.variables:
            out.write(f"<variable name={quoteattr(v)}/>")
        out.write("</head>\n<results>\n")
        for row in self.rows:
            out.write("<result>")
            for v, t in zip(self.variables, row):
                if t is not None:
                    out.write(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            out.write("</result>\n")
        out.write("</results>\n</sparql>\n")
        return out.getvalue()

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
        return {ResultFormat.JSON: self.to_json, ResultFormat.XML: self.to_xml, ResultFormat.CSV: self.to_csv,
                ResultFormat.TSV: self.to_tsv, ResultFormat.TABLE: self.to_table}[fmt]()


def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != XSD_STRING:
        d["datatype"] = t.datatype.value
    return d


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
    if t.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
    return f"<literal>{escape(t.value)}</literal>"


def run_select(store: ox.Store, sparql: str, *, bindings: dict[str, object] | None = None) -> Results:
    """Run a SELECT query; the default graph is the merge of all graphs (see the module doc).
    ``bindings`` pre-binds variables (values are pyoxigraph terms): parameters never go into the
    query text."""
    res = _select(store, sparql, bindings)
    variables = [v.value for v in res.variables]
    rows = [[sol[v] for v in variables] for sol in res]
    return Results(variables, rows)


def _subst(bindings: dict[str, object] | None):
    if not bindings:
        return None
    return {ox.Variable(k): v for k, v in bindings.items()}


# ---- the fast path: results serialised by pyoxigraph (in Rust), never turned into Python terms ----
_OX_RESULT_FORMATS = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
    ResultFormat.XML: ox.QueryResultsFormat.XML,
    ResultFormat.CSV: ox.QueryResultsFormat.CSV,
    ResultFormat.TSV: ox.QueryResultsFormat.TSV,
}


def _select(store: ox.Store, sparql: str, bindings: dict[str, object] | None, **kw) -> ox.QuerySolutions:
    try:
        res = store.query(sparql, substitutions=_subst(bindings), **kw)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {exc}") from None
    if not isinstance(res, ox.QuerySolutions):
        raise QueryError("only SELECT queries give a result table")
    return res


def run_select_serialized(store: ox.Store, sparql: str, fmt: ResultFormat, *,
                          bindings: dict[str, object] | None = None) -> bytes:
    """Run a SELECT query and return its results as bytes in ``fmt``: W3C SPARQL 1.1 Query
    Results JSON, XML, CSV or TSV written by pyoxigraph itself (in Rust: no Python object per row or
    term, unlike ``run_select(...).render(fmt)``); the table
    view goes through :func:`run_select`. Same default graph and ``bindings`` as :func:`run_select`.
    JSON is compact and ends with a newline; the solutions and their order are those of
    :func:`run_select`."""
    if fmt is ResultFormat.TABLE:
        return run_select(store, sparql, bindings=bindings).to_table().encode("utf-8")
    return serialize_solutions(_select(store, sparql, bindings), fmt)


def serialize_solutions(res: ox.QuerySolutions, fmt: ResultFormat, output=None) -> bytes | None:
    """pyoxigraph solutions (not yet iterated) as W3C JSON, XML, CSV or TSV bytes, written in Rust;
    or written to ``output`` (an object with ``write(bytes)``, called with chunks of about 8 KB
    as the solutions come: it may raise to stop the query), and then None."""
    if output is None:
        data = res.serialize(format=_OX_RESULT_FORMATS[fmt])
        return data + b"\n" if fmt is ResultFormat.JSON else data
    res.serialize(output, format=_OX_RESULT_FORMATS[fmt])
    if fmt is ResultFormat.JSON:
        output.write(b"\n")
    return None


def serialized_row_count(data: bytes, fmt: ResultFormat) -> int:
    """Number of solutions in results serialised by :func:`run_select_serialized` (or pyoxigraph),
    without parsing them. TSV: one line per solution (literals escape their newlines). JSON: a
    solution object starts with ``[{`` or ``,{``, and ``,{"`` cannot occur inside a JSON string
    (its quote would be escaped); ``,{}`` (a solution with nothing bound) is counted wherever it
    occurs, so the count may exceed the truth, never fall below it. CSV: records end with CRLF; a
    quoted field holding a CRLF counts twice, so again an upper bound."""
    if fmt is ResultFormat.TSV:
        return max(0, data.count(b"\n") - 1)
    if fmt is ResultFormat.XML:  # an element name, which no text or attribute holds unescaped
        return data.count(b"<result>")
    if fmt is ResultFormat.CSV:
        return max(0, data.count(b"\r\n") - 1)
    i = data.find(b'"bindings":[')
    if i < 0:
        raise ValueError("not SPARQL JSON results with bindings")
    body = memoryview(data)[i + 12:]
    if body[:1] == b"]":
        return 0
    body = bytes(body)
    return 1 + body.count(b',{"') + body.count(b",{}")
