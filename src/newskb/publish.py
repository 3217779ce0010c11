"""Stage 8 — publish: push a built KB folder to a shared SPARQL 1.1 server.

Every article's named graph (``articles/<id>.ttl``, graph IRI from ``manifest.json``), the
inferred graph of ``newskb reason`` (``inferred.ttl``, graph ``<base>graph/inferred``) when there
is one, and the ontology, in its own graph ``https://w3id.org/newskb/ontology``, are sent

* by the Graph Store HTTP Protocol (``PUT graph_store?graph=IRI``) when a graph store URL is
  given: the Oxigraph server's ``/store``, Virtuoso's ``/sparql-graph-crud-auth``;
* otherwise by SPARQL Update: ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }`` in
  ONE request, so the server holds either the old graph or the new one, never half of it.

Re-publishing replaces graphs, never duplicates them. Only graphs whose Turtle changed since they
were last confirmed are sent: what the server holds is kept per endpoint in a small state file,
``DIR/.publish-<hash of endpoint>.json`` (graph IRI → Turtle SHA-256), rewritten atomically after
each graph is confirmed, so a publish that is killed resumes where it stopped. Graphs this KB
published earlier but no longer has are dropped; graphs published by others (other shards) are
never touched.

The contract queries need a default graph that holds each triple once. A server's union of its
named graphs is not that: it repeats a triple once per graph holding it (an actor's label is in
every article that names the actor), and every OPTIONAL multiplies the repeats. Virtuoso's default
dataset is such a union (docs/servers.md), and so is the Oxigraph server's
``--union-default-graph``. So, after the push, one update request rebuilds the merge of
newskb's named graphs on the server (every shard's: graphs under ``<base>graph/`` and the
ontology graph), each triple once:

* ``merge_default_graph=True`` into the server's default graph (the Oxigraph server);
* ``merged_graph=IRI`` into the named graph IRI (Virtuoso, whose default graph cannot be
  written); clients then query with that graph as the default graph, by the SPARQL protocol's
  ``default-graph-uri`` parameter (``newskb query --endpoint URL --default-graph IRI``).

The merge is redone only when some graph changed since the last one (the state file remembers).

After the push every graph's triple count on the server is checked (``SELECT … COUNT`` in
``GRAPH``). A graph whose count differs is forgotten from the state (the next publish re-sends it)
and reported.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .kbfolder import (INFERRED_FILE, MANIFEST, KBFolderError, article_graphs, inferred_graph_iri, kb_base, manifest_base,
                       read_manifest)
from .remote import Connection, RemoteError, delete_graph, put_graph, select_with, update
from .resources import ontology_dir
from .vocab import ONTOLOGY_IRI

STATE_PREFIX = ".publish-"


class PublishError(ValueError):
    """The KB folder cannot be published (missing or inconsistent files)."""


@dataclass
class GraphSource:
    """One graph to publish: its IRI, Turtle bytes, their SHA-256 and the expected triple count."""

    iri: str
    path: Path | None
    sha256: str
    triples: int
    _data: bytes | None = None

    def data(self) -> bytes:
        if self._data is None:
            self._data = self.path.read_bytes()
        return self._data


@dataclass
class PublishReport:
    endpoint: str
    method: str                                  # "graph-store" or "update"
    sent: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    mismatches: list[tuple[str, int, int]] = field(default_factory=list)   # graph, expected, found
    triples_sent: int = 0
    triples_expected: int = 0
    triples_found: int = 0
    merged_default_graph: bool = False
    merged_graph: str | None = None              # the named graph rebuilt as the merge, if any
    merged_triples: int | None = None            # its triples after the merge
    seconds: float = 0.0
    state_file: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def summary(self) -> str:
        lines = [
            f"published to {self.endpoint} by {'Graph Store Protocol' if self.method == 'graph-store' else 'SPARQL Update'}"
            f" in {self.seconds:.1f} s",
            f"  graphs:   {len(self.sent)} sent ({self.triples_sent} triples), {len(self.unchanged)} unchanged, "
            f"{len(self.removed)} removed",
            f"  verified: {self.triples_found} of {self.triples_expected} triples on the server in "
            f"{len(self.sent) + len(self.unchanged)} graphs",
        ]
        if self.merged_default_graph:
            lines.append("  default graph: rebuilt as the merge of newskb's named graphs")
        if self.merged_graph:
            lines.append(f"  merged graph: <{self.merged_graph}> rebuilt as the merge of newskb's named graphs "
                         f"({self.merged_triples} triples); query it with default-graph-uri")
        for g, want, got in self.mismatches:
            lines.append(f"  DIFFERS {g}: the server has {got} triples, the KB {want}; "
                         "publish again to re-send it")
        return "\n".join(lines)


# ---- what to publish --------------------------------------------------------------------------

def kb_graphs(kb_dir: Path) -> list[GraphSource]:
    """The graphs of a built KB folder (articles in IRI order), then the ontology graph."""
    kb_dir = Path(kb_dir)
    try:
        manifest = read_manifest(kb_dir)
        graphs = [GraphSource(a.graph, a.path, a.sha256, a.triples) for a in article_graphs(kb_dir, manifest)]
    except KBFolderError as exc:
        raise PublishError(str(exc)) from None
    for g in graphs:
        if not g.path.is_file():
            raise PublishError(f"{g.path}: listed in {MANIFEST} but missing; rebuild the KB")
    inferred = kb_dir / INFERRED_FILE
    if inferred.is_file():  # written by 'newskb reason'
        data = inferred.read_bytes()
        n = len(set(ox.parse(data, format=ox.RdfFormat.TURTLE)))
        graphs.append(GraphSource(inferred_graph_iri(manifest_base(manifest)), inferred, hashlib.sha256(data).hexdigest(), n,
                                  data))
    graphs.append(ontology_source())
    return graphs


def ontology_source() -> GraphSource:
    """The ontology files (``ontology/*.ttl``) as one N-Triples document (valid Turtle)."""
    triples: set[ox.Triple] = set()
    for f in sorted(ontology_dir().glob("*.ttl")):
        triples.update(q.triple for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE))
    data = ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)
    return GraphSource(ONTOLOGY_IRI, None, hashlib.sha256(data).hexdigest(), len(triples), data)


# ---- state ------------------------------------------------------------------------------------

def state_path(kb_dir: Path, endpoint: str) -> Path:
    """``DIR/.publish-<16 hex digits of SHA-256(endpoint)>.json``."""
    return Path(kb_dir) / f"{STATE_PREFIX}{hashlib.sha256(endpoint.encode()).hexdigest()[:16]}.json"


def read_state(path: Path) -> dict[str, str]:
    """Graph IRI → SHA-256 of the Turtle the server confirmed. A damaged file counts as empty
    (everything is re-sent, nothing is lost)."""
    return _read_state_doc(path)[0]


def _read_state_doc(path: Path) -> tuple[dict[str, str], str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        graphs = {str(k): str(v) for k, v in data["graphs"].items()}
        return graphs, data.get("merged")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, None


def _state_digest(graphs: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(graphs.items())).encode()).hexdigest()


def _write_state(path: Path, endpoint: str, graphs: dict[str, str], merged: str | None = None) -> None:
    doc = {"endpoint": endpoint, "graphs": dict(sorted(graphs.items()))}
    if merged:
        doc["merged"] = merged  # digest of "graphs" when the default graph was last merged
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(doc, indent=1) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class _kb_lock:
    """One publish per KB folder at a time (a lock on the folder itself: no file is left behind)."""

    def __init__(self, kb_dir: Path):
        self.kb_dir = kb_dir
        self.fd = -1

    def __enter__(self):
        self.fd = os.open(self.kb_dir, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise PublishError(f"{self.kb_dir}: another publish of this KB folder is running; wait for it") from None
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        return False


# ---- sending ----------------------------------------------------------------------------------

def update_request(graph: str, turtle: bytes) -> str:
    """``DROP SILENT GRAPH`` + ``INSERT DATA`` for one graph, as one SPARQL Update request.
    Non-ASCII characters are written as ``\\u`` escapes so no server can mis-decode them."""
    triples = ox.parse(turtle, format=ox.RdfFormat.TURTLE)
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    body = _ascii_escape(nt)
    g = _ascii_escape(graph)
    return f"DROP SILENT GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{\n{body}}} }}\n"


def _ascii_escape(text: str) -> str:
    if text.isascii():
        return text
    return "".join(c if ord(c) < 128 else (f"\\u{ord(c):04X}" if ord(c) < 0x10000 else f"\\U{ord(c):08X}")
                   for c in text)


RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 4.0)  # seconds before each new attempt of a conflicting request


def _retrying(send: Callable[[], None]) -> None:
    """Send a request, and again after a pause while the server reports a transaction conflict
    with another client (shards publishing at the same time: Virtuoso deadlocks one of two
    concurrent merges). Each request is a whole transaction, so sending it again is safe."""
    for delay in RETRY_DELAYS:
        try:
            return send()
        except RemoteError as exc:
            if not exc.retryable:
                raise
        time.sleep(delay)
    send()


def merge_request(base: str, into: str | None = None) -> str:
    """The update that rebuilds the merge of newskb's named graphs on a server (every shard's:
    graphs under ``<base>graph/`` and the ontology graph), each triple once, into the named graph
    ``into`` or, when None, the default graph."""
    mine = (f'STRSTARTS(STR(?g), "{_ascii_escape(base)}graph/") || ?g = <{ONTOLOGY_IRI}>')
    if into is None:
        return ("DROP SILENT DEFAULT ;\n"
                f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({mine}) }}")
    m = f"<{_ascii_escape(into)}>"
    return (f"DROP SILENT GRAPH {m} ;\n"
            f"INSERT {{ GRAPH {m} {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {m} && ({mine})) }}")


def count_triples(endpoint: str, graphs: list[str], conn: Connection) -> dict[str, int]:
    """Triples in each named graph on the server (0 for a graph it does not have)."""
    counts = {g: 0 for g in graphs}
    for i in range(0, len(graphs), 200):
        chunk = graphs[i:i + 200]
        values = " ".join(f"<{_ascii_escape(g)}>" for g in chunk)
        res = select_with(endpoint, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} "
                                    "GROUP BY ?g", conn)
        for g, n in res.rows:
            if g is not None and g.value in counts:
                counts[g.value] = int(n.value)
    return counts


def publish(kb_dir: str | Path, endpoint: str, *, graph_store: str | None = None,
            update_endpoint: str | None = None, user: str | None = None, password: str | None = None,
            auth: str = "basic", timeout: float = 60.0, force: bool = False,
            merge_default_graph: bool = False, merged_graph: str | None = None,
            on_graph: Callable[[str, int, int], None] | None = None) -> PublishReport:
    """Publish the KB folder ``kb_dir`` to the SPARQL server queried at ``endpoint``.

    Graphs go by Graph Store Protocol PUT to ``graph_store`` when given, else by SPARQL Update to
    ``update_endpoint`` (default: ``endpoint``). ``force`` re-sends every graph.
    ``merge_default_graph`` rebuilds the server's default graph, ``merged_graph`` the named graph
    of that IRI, as the merge of newskb's named graphs (by SPARQL Update at ``update_endpoint``)
    whenever the graphs changed (see the module's documentation). ``on_graph(iri,
    done, total)`` is called after each graph the server confirmed.

    Raises :class:`PublishError` for a KB folder that cannot be published and
    :class:`newskb.remote.RemoteError` when the server cannot be used (auth, unreachable, server
    error); the state file then never lists a graph the server did not confirm."""
    t0 = time.monotonic()
    kb_dir = Path(kb_dir)
    conn = Connection(user, password, auth, timeout)
    sources = kb_graphs(kb_dir)
    if merge_default_graph and merged_graph:
        raise PublishError("merge into the default graph or into a named graph, not both")
    if merged_graph is not None:
        if not merged_graph.isascii() or any(c in merged_graph for c in '<>"{}|^`\\ ') or ":" not in merged_graph:
            raise PublishError(f"the merged graph must be an absolute IRI, not {merged_graph!r}")
        if any(s.iri == merged_graph for s in sources):
            raise PublishError(f"the merged graph <{merged_graph}> is one of the KB's own graphs; choose another IRI")
    # what the last merge was into: the state digest alone for the default graph (older state files)
    into = "" if merged_graph is None else " " + merged_graph
    spath = state_path(kb_dir, endpoint)
    report = PublishReport(endpoint=endpoint, method="graph-store" if graph_store else "update", state_file=spath)
    target = update_endpoint or endpoint
    with _kb_lock(kb_dir):
        state, merged = _read_state_doc(spath)
        if force:
            state, merged = {}, None
        wanted = {s.iri for s in sources}
        todo = [s for s in sources if state.get(s.iri) != s.sha256]
        report.unchanged = [s.iri for s in sources if state.get(s.iri) == s.sha256]
        gone = sorted(g for g in state if g not in wanted)
        total = len(todo) + len(gone)
        done = 0
        for s in todo:
            if graph_store:
                _retrying(lambda: put_graph(graph_store, s.iri, s.data(), conn))
            else:
                _retrying(lambda: update(target, update_request(s.iri, s.data()), conn))
            state[s.iri] = s.sha256
            _write_state(spath, endpoint, state, merged)
            report.sent.append(s.iri)
            report.triples_sent += s.triples
            done += 1
            if on_graph:
                on_graph(s.iri, done, total)
        for g in gone:
            if graph_store:
                _retrying(lambda: delete_graph(graph_store, g, conn))
            else:
                _retrying(lambda: update(target, f"DROP SILENT GRAPH <{_ascii_escape(g)}>", conn))
            del state[g]
            _write_state(spath, endpoint, state, merged)
            report.removed.append(g)
            done += 1
            if on_graph:
                on_graph(g, done, total)
        if (merge_default_graph or merged_graph) and merged != _state_digest(state) + into:
            request = merge_request(kb_base(kb_dir), merged_graph)
            _retrying(lambda: update(target, request, conn))
            merged = _state_digest(state) + into
            _write_state(spath, endpoint, state, merged)
            report.merged_default_graph = merge_default_graph
        if merged_graph:
            report.merged_graph = merged_graph
            report.merged_triples = count_triples(endpoint, [merged_graph], conn)[merged_graph]
        counts = count_triples(endpoint, [s.iri for s in sources], conn)
        for pause in RECOUNT_PAUSES:  # a graph another publisher is replacing right now (the
            # ontology graph, which every shard sends) is counted again once it is done
            off = [s.iri for s in sources if counts[s.iri] != s.triples]
            if not off:
                break
            time.sleep(pause)
            counts.update(count_triples(endpoint, off, conn))
        for s in sources:
            report.triples_expected += s.triples
            report.triples_found += counts[s.iri]
            if counts[s.iri] != s.triples:
                report.mismatches.append((s.iri, s.triples, counts[s.iri]))
                state.pop(s.iri, None)
        if report.mismatches:
            _write_state(spath, endpoint, state, merged)
    report.seconds = time.monotonic() - t0
    return report


# seconds to wait before counting a graph again whose count is off (after the first count):
# two shards publishing at once both send the ontology graph, and one's count may see the other's
# Graph Store PUT half done (the likely cause of a mismatch seen once on Virtuoso under load)
RECOUNT_PAUSES = (0.2, 0.5, 1.0)


# ---- command line -----------------------------------------------------------------------------
