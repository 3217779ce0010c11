"""SPARQL 1.1 Protocol queries with limits: read-only, no federation, bounded time and size.

Queries run in worker processes (each opens the KB store read-only), so a query that runs past
its time limit is stopped by ending its worker; a fresh worker takes its place. The default graph is the merge of
the article graphs, as for ``newskb query``.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..store import ResultFormat, Results, serialize_solutions
from .errors import RequestRefused

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESULTS = 10_000
MAX_QUERY_CHARS = 64 * 1024


class QueryRefused(RequestRefused):
    """A query the endpoint will not run; ``status`` is the HTTP status to answer with."""


# ---- checking the query text ------------------------------------------------------------------
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z0-9_\-.]*)?|:[A-Za-z0-9_\-.]*)
  | (?P<other>\S)
""", re.VERBOSE | re.DOTALL)

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def tokens(sparql: str) -> list[tuple[str, str, int]]:
    """The tokens of a query as (kind, text, offset), comments left out; kind is 'iri', 'string',
    'var', 'word' (a keyword or prefixed name) or 'other' (one character of punctuation)."""
    return [(m.lastgroup, m.group(), m.start()) for m in _TOKEN.finditer(sparql) if m.lastgroup != "comment"]


def keywords(sparql: str) -> list[str]:
    """The bare keywords of a query (comments, strings, IRIs, variables and prefixed names removed)."""
    return [text.upper() for kind, text, _ in tokens(sparql) if kind == "word" and ":" not in text]


def check_query(sparql: str) -> str:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE). Raises :class:`QueryRefused` for an
    update, a federated SERVICE call or an oversized query."""
    if len(sparql) > MAX_QUERY_CHARS:
        raise QueryRefused(f"query too long: {len(sparql)} characters; the limit is {MAX_QUERY_CHARS}", 413)
    words = keywords(sparql)
    # the first keyword after the prologue (PREFIX/BASE declarations) names the operation
    first = next((w for w in words if w not in ("PREFIX", "BASE")), "")
    if first in UPDATE_WORDS or any(w in ("INSERT", "LOAD", "CLEAR", "DROP") for w in words):
        raise QueryRefused("SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD) "
                           "is not allowed: this endpoint is read-only", 403)
    if "SERVICE" in words:
        raise QueryRefused("federated queries (SERVICE) are not allowed: this endpoint only queries its own data", 403)
    return first if first in QUERY_FORMS else ""


# ---- worker processes -------------------------------------------------------------------------
def _worker_main(conn, store_path: str) -> None:  # pragma: no cover - runs in a child process
    store = ox.Store.read_only(store_path)
    # the store's default graph holds the merge of the article graphs (see newskb.store); an older
    # store without it is queried with the union of the named graphs instead
    merged = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", _execute(store, union=not merged, **job)))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except QueryRefused as exc:
            conn.send(("refused", (str(exc), exc.status)))
        except Exception as exc:  # any other engine error is the query's fault, not the server's
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


@dataclass
class Answer:
    """What a query gave: ``kind`` is 'solutions', 'boolean' or 'graph'."""

    kind: str
    variables: list[str] | None = None
    rows: list[list] | None = None
    boolean: bool | None = None
    triples: list | None = None
    data: bytes | None = None        # solutions already serialised (in the worker, by pyoxigraph) …
    data_format: str | None = None   # … in this format: 'json', 'csv' or 'tsv'


# formats of SELECT results that pyoxigraph writes itself (no Python object per row)
SERIALIZED = {"json": ResultFormat.JSON, "xml": ResultFormat.XML, "csv": ResultFormat.CSV, "tsv": ResultFormat.TSV}


def _execute(store: ox.Store, *, query: str, max_results: int, default_graphs: list[str],
             named_graphs: list[str], union: bool = False, serialize: str | None = None) -> Answer:
    kw = {}
    if default_graphs:
        kw["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    elif union:
        kw["use_default_graph_as_union"] = True
    if named_graphs:
        kw["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    res = store.query(query, **kw)
    if isinstance(res, ox.QueryBoolean):
        return Answer("boolean", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        variables = [v.value for v in res.variables]
        if serialize in SERIALIZED:
            sink = _RowLimit(SERIALIZED[serialize], max_results)
            serialize_solutions(res, SERIALIZED[serialize], sink)
            return Answer("solutions", variables=variables, data=b"".join(sink.parts), data_format=serialize)
        rows = []
        for sol in res:
            if len(rows) >= max_results:
                raise QueryRefused(f"the result has more than {max_results} rows, the limit of this endpoint; "
                                   "add a LIMIT or narrow the query", 400)
            rows.append([sol[v] for v in variables])
        return Answer("solutions", variables=variables, rows=rows)
    triples = []
    for t in res:
        if len(triples) >= max_results:
            raise QueryRefused(f"the result has more than {max_results} triples, the limit of this endpoint; "
                               "add a LIMIT or narrow the query", 400)
        triples.append(t)
    return Answer("graph", triples=triples)


class _RowLimit:
    """Where pyoxigraph writes serialised solutions: counts them chunk by chunk as
    :func:`newskb.store.serialized_row_count` does (an upper bound for JSON and CSV) and stops the
    query as soon as there are more than ``limit``, so a large result is never held whole."""

    def __init__(self, fmt: ResultFormat, limit: int):
        self.parts: list[bytes] = []
        self.fmt, self.limit = fmt, limit
        # JSON: separators between solutions; XML: result elements; CSV: record ends (CRLF); TSV:
        # line ends (header included)
        self.marks = {ResultFormat.JSON: (b',{"', b",{}"), ResultFormat.XML: (b"<result>",),
                      ResultFormat.CSV: (b"\r\n",), ResultFormat.TSV: (b"\n",)}[fmt]
        self.count = 0
        self.tail = b""

    def write(self, b) -> int:
        b = bytes(b)
        self.parts.append(b)
        chunk = self.tail + b  # a mark split between two chunks is counted once, in the second
        self.count += sum(chunk.count(m) for m in self.marks)
        rows = {ResultFormat.JSON: self.count + 1, ResultFormat.XML: self.count}.get(self.fmt, self.count - 1)
        self.tail = chunk[-(len(self.marks[0]) - 1):] if len(self.marks[0]) > 1 else b""
        if rows > self.limit:
            raise QueryRefused(f"the result has more than {self.limit} rows, the limit of this endpoint; "
                               "add a LIMIT or narrow the query", 400)
        return len(b)

    def flush(self) -> None:
        pass


class _Worker:
    def __init__(self, ctx, store_path: str):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, store_path), daemon=True)
        self.proc.start()
        child.close()

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A few worker processes that run SPARQL queries against the KB store, with a time limit
    (the worker of a query past it is killed and replaced) and a result-size limit."""

    def __init__(self, store_path: str | Path, *, workers: int = 2, timeout: float = DEFAULT_TIMEOUT,
                 max_results: int = DEFAULT_MAX_RESULTS):
        self.store_path = str(store_path)
        self.timeout = timeout
        self.max_results = max_results
        self.size = workers
        # a fork server that imported this module once forks each worker (and each replacement
        # of a worker killed at the time limit) in milliseconds; spawn imported it per worker
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload([__name__])
        self._idle: list[_Worker] = []
        self._sem = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._started = False

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            for _ in range(self.size):
                w = _Worker(self._ctx, self.store_path)
                self._idle.append(w)
                self._all.append(w)
            self._started = True

    def close(self) -> None:
        with self._lock:
            for w in self._all:
                w.stop()
            self._all.clear()
            self._idle.clear()
            self._started = False

    def run(self, query: str, *, default_graphs: list[str] | None = None,
            named_graphs: list[str] | None = None, serialize: str | None = None) -> Answer:
        """Run one query (blocking). Raises QueryRefused (400 syntax/limit, 403, 503 timeout).
        ``serialize`` ('json', 'csv' or 'tsv'): SELECT results come back already serialised in
        that format (``Answer.data``, written by pyoxigraph in the worker) instead of as rows."""
        self.start()
        if not self._sem.acquire(timeout=self.timeout):
            raise QueryRefused("the endpoint is busy; try again", 503)
        try:
            with self._lock:
                w = self._idle.pop()
            job = {"query": query, "max_results": self.max_results,
                   "default_graphs": default_graphs or [], "named_graphs": named_graphs or []}
            if serialize:
                job["serialize"] = serialize
            try:
                w.conn.send(job)
                ready = w.conn.poll(self.timeout)
                msg = w.conn.recv() if ready else None
            except (EOFError, OSError):
                ready, msg = True, None
            if msg is None:
                w = self._replace(w)
                if not ready:
                    raise QueryRefused(f"the query ran past the time limit of {self.timeout:g} s and was stopped", 503)
                raise QueryRefused("the query worker failed; try again", 500)
            status, value = msg
            if status == "ok":
                return value
            if status == "syntax":
                raise QueryRefused(f"malformed SPARQL: {value}", 400)
            if status == "refused":
                raise QueryRefused(value[0], value[1])
            raise QueryRefused(f"the query failed: {value}", 400)
        finally:
            with self._lock:
                if w in self._all:
                    self._idle.append(w)
            self._sem.release()

    def _replace(self, w: _Worker) -> _Worker:
        w.stop()
        nw = _Worker(self._ctx, self.store_path)
        with self._lock:
            self._all.remove(w)
            self._all.append(nw)
        return nw

    async def arun(self, query: str, **kw) -> Answer:
        return await asyncio.to_thread(self.run, query, **kw)


# ---- result formats ---------------------------------------------------------------------------
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
GRAPH_TYPES = {
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
FORMAT_NAMES = {
    "json": "json", "srj": "json", "application/sparql-results+json": "json", "application/json": "json",
    "xml": "xml", "srx": "xml", "application/sparql-results+xml": "xml", "application/xml": "xml",
    "csv": "csv", "text/csv": "csv", "tsv": "tsv", "text/tab-separated-values": "tsv",
    "turtle": "ttl", "ttl": "ttl", "text/turtle": "ttl", "n3": "ttl", "text/n3": "ttl",
    "ntriples": "nt", "nt": "nt", "n-triples": "nt", "application/n-triples": "nt",
    "json-ld": "jsonld", "jsonld": "jsonld", "application/ld+json": "jsonld",
    "rdfxml": "rdfxml", "rdf": "rdfxml", "application/rdf+xml": "rdfxml",
}


def render_answer(ans: Answer, fmt: str) -> bytes:
    """Serialize an answer; ``fmt`` is a key of RESULT_TYPES (SELECT/ASK) or GRAPH_TYPES."""
    if ans.kind == "graph":
        from .rdfdocs import DOC_PREFIXES
        oxf = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
               "rdfxml": ox.RdfFormat.RDF_XML}[fmt]
        return ox.serialize(ans.triples, format=oxf, prefixes=DOC_PREFIXES if oxf is ox.RdfFormat.TURTLE else None)
    if ans.kind == "boolean":
        b = "true" if ans.boolean else "false"
        if fmt == "json":
            return ('{"head": {}, "boolean": %s}\n' % b).encode()
        if fmt == "xml":
            return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                    f'<head/><boolean>{b}</boolean></sparql>\n').encode()
        return (b + "\n").encode()
    if ans.data is not None:
        if ans.data_format != fmt:
            raise ValueError(f"results were serialised as {ans.data_format}, not {fmt}")
        return ans.data
    return Results(ans.variables, ans.rows).render(SERIALIZED[fmt]).encode("utf-8")
