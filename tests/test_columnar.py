"""The columnar replica (``newskb.columnar``) answers the saved queries with the store's bytes.

Every saved query, in JSON, CSV and TSV, on the corpus KB and on a KB of the corpus replicated
with distinct IRIs; the writer on awkward terms against pyoxigraph's own writer; the exactness
check that keeps out what the replica could not give back; and ``newskb serve`` answering the
saved queries from it (the ``X-Newskb-Engine`` header says which engine answered)."""

from __future__ import annotations

import sys
import time

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from helpers import ROOT
from newskb.columnar import EXACT_DATATYPES, ColumnarReplica, ReplicaError, TooManyRows, serialize_table
from newskb.server import ENGINE_HEADER, create_app
from newskb.store import (QueryError, ResultFormat, load_ontology, merge_default_graph, open_kb, query_text,
                          run_select_serialized, saved_queries)

FORMATS = (ResultFormat.JSON, ResultFormat.CSV, ResultFormat.TSV)
X = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"


@pytest.fixture(scope="module")
def kb_store(corpus_kb):
    return open_kb(corpus_kb)


@pytest.fixture(scope="module")
def replica(kb_store):
    return ColumnarReplica.from_store(kb_store)


@pytest.mark.parametrize("name", saved_queries())
def test_every_saved_query_gives_the_store_bytes_on_the_corpus(replica, kb_store, name):
    text = query_text(name)
    assert replica.select(name).rows > 0  # every saved query has rows on the corpus: not vacuous
    for fmt in FORMATS:
        want = run_select_serialized(kb_store, text, fmt)
        assert replica.select_serialized(name, fmt) == want, fmt
        assert replica.select_serialized(text, fmt) == want, fmt  # by its text, as the server sends it


def test_every_saved_query_gives_the_store_bytes_on_a_replicated_kb(corpus_kb, tmp_path):
    """Four copies of the corpus KB under distinct IRIs (about 100,000 quads): more rows per
    query, the same sharing of ontology terms, the same bytes."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import replicate_nquads

    nq = tmp_path / "r.nq"
    copies, quads = replicate_nquads(corpus_kb / "kb.nq", nq, 4 * sum(1 for _ in open(corpus_kb / "kb.nq")))
    assert copies == 4
    st = ox.Store()
    st.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    load_ontology(st)
    merge_default_graph(st)
    rep = ColumnarReplica.from_store(st)
    assert rep.triples == len(list(st.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    for name in saved_queries():
        for fmt in FORMATS:
            assert rep.select_serialized(name, fmt) == run_select_serialized(st, query_text(name), fmt), (name, fmt)


def _store(lines: list[str]) -> ox.Store:
    st = ox.Store()
    st.load(("\n".join(lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return st


AWKWARD = [  # one object per subject, so ORDER BY ?s is total on both engines
    f'<{EX}s01> <{EX}p> "a \\"quoted\\" word, a comma" .',
    f'<{EX}s02> <{EX}p> "back\\\\slash and\\ttab" .',
    f'<{EX}s03> <{EX}p> "line\\nbreak and\\rreturn" .',
    f'<{EX}s04> <{EX}p> "control \\u0001 \\u0008 \\u000C \\u007F end" .',
    f'<{EX}s05> <{EX}p> "Zelenskyy: «Київ» — 東京 🙂" .',
    f'<{EX}s06> <{EX}p> "Kyiv"@en .',
    f'<{EX}s07> <{EX}p> "Київ, \\"столиця\\""@uk .',
    f'<{EX}s08> <{EX}p> "-42"^^<{X}integer> .',
    f'<{EX}s09> <{EX}p> "650000"^^<{X}integer> .',
    f'<{EX}s10> <{EX}p> "1.5"^^<{X}decimal> .',
    f'<{EX}s11> <{EX}p> "7"^^<{X}decimal> .',
    f'<{EX}s12> <{EX}p> "-0.25"^^<{X}decimal> .',
    f'<{EX}s13> <{EX}p> "123456789.123456789012"^^<{X}decimal> .',
    f'<{EX}s14> <{EX}p> "true"^^<{X}boolean> .',
    f'<{EX}s15> <{EX}p> "false"^^<{X}boolean> .',
    f'<{EX}s16> <{EX}p> "2024-10-28"^^<{X}date> .',
    f'<{EX}s17> <{EX}p> "2024"^^<{X}gYear> .',
    f'<{EX}s18> <{EX}p> "2024-10"^^<{X}gYearMonth> .',
    f'<{EX}s19> <{EX}p> "http://example.org/a?b=c,d"^^<{X}anyURI> .',
    f'<{EX}s20> <{EX}p> <{EX}o/caf\u00e9?x=1&y=2#frag> .',
    f'<{EX}s26> <{EX}p> "POLYGON((30.1 44.3, 40.25 44.3, 40.25 52.4, 30.1 52.4, 30.1 44.3))"'
    f'^^<http://www.opengis.net/ont/geosparql#wktLiteral> .',
    f'<{EX}s21> <{EX}p> "" .',
    # forms the store keeps canonical ("7.5", "7", "true"): the replica gives the same back
    f'<{EX}s22> <{EX}p> "7.50"^^<{X}decimal> .',
    f'<{EX}s23> <{EX}p> "+007"^^<{X}integer> .',
    f'<{EX}s24> <{EX}p> "1"^^<{X}boolean> .',
    f'<{EX}s25> <{EX}p> "-0.0"^^<{X}decimal> .',
    f'<{EX}s01> <{EX}q> "only on s01" .',
]
AWKWARD_QUERIES = [
    f"SELECT ?s ?o ?q ?never WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}q> ?q }} "
    f"OPTIONAL {{ ?s <{EX}none> ?never }} }} ORDER BY ?s ?o",
    f"SELECT ?o WHERE {{ ?s <{EX}p> ?o FILTER (isLiteral(?o) && datatype(?o) = <{X}string>) }} ORDER BY DESC(?o)",
    f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o FILTER (datatype(?o) = <{X}decimal>) }} ORDER BY ?o",
    f"SELECT ?s ?q WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}q> ?q }} }} ORDER BY DESC(?q) ?s",  # unbound sorts first
    f"SELECT ?s WHERE {{ ?s <{EX}missing> ?o }}",
    f"SELECT ?q WHERE {{ ?s <{EX}q> ?q }}",
    f"SELECT ?never WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}none> ?never }} }}",  # rows, no binding
]


@pytest.mark.parametrize("query", AWKWARD_QUERIES)
def test_the_writer_gives_pyoxigraphs_bytes_on_awkward_terms(query):
    """Quotes, backslashes, tabs, line breaks, control characters, non-ASCII text, language tags,
    every datatype the replica admits, an IRI with non-ASCII and reserved characters, a column that
    is never bound, a column bound on one row, an empty result."""
    st = _store(AWKWARD)
    rep = ColumnarReplica.from_store(st)
    table = rep._run(query)
    for fmt in FORMATS:
        want = run_select_serialized(st, query, fmt)
        assert serialize_table(table, fmt) == want, (fmt, want)


@pytest.mark.parametrize("query", [
    # SPARQL compares an integer and a decimal by value; maplib sorts them datatype by datatype
    f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o FILTER (datatype(?o) IN (<{X}integer>, <{X}decimal>)) }} ORDER BY ?o",
    # an IRI and literals, and dates of three datatypes, in one sort key
    f"SELECT ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?o",
    # language-tagged strings: their order is each engine's own
    f"SELECT ?o WHERE {{ ?s <{EX}p> ?o FILTER (lang(?o) != '') }} ORDER BY ?o",
    # a sort on an expression cannot be checked
    f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }} ORDER BY STR(?s)",
])
def test_an_order_the_engines_may_give_differently_is_refused(query):
    """The replica refuses (and the server asks the store) when rows that tie on the earlier
    sort keys hold terms of different kinds in a later one; the same column after a unique key
    (query ``ORDER BY ?s ?o`` above) passes."""
    rep = ColumnarReplica.from_store(_store(AWKWARD))
    with pytest.raises(ReplicaError, match="order"):
        rep._run(query)


def test_the_awkward_data_covers_every_admitted_datatype():
    seen = {line.rsplit("^^<", 1)[1].split(">")[0] for line in AWKWARD if "^^<" in line}
    assert seen | {X + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"} == set(EXACT_DATATYPES)


@pytest.mark.parametrize("line", [
    f'<{EX}s> <{EX}p> "1.0E3"^^<{X}double> .',              # a datatype the replica does not write
    f'<{EX}s> <{EX}p> "0.1234567890123"^^<{X}decimal> .',   # 13 places: maplib keeps 12
    f'<{EX}s> <{EX}p> "123456789012345678901234567.5"^^<{X}decimal> .',  # 27 digits before the point
    f'<{EX}s> <{EX}p> "12345678901234567890"^^<{X}integer> .',  # past 64 bits
    f'<{EX}s> <{EX}p> "2024-10-28Z"^^<{X}date> .',          # a time zone
    f'<{EX}s> <{EX}p> "2024-02-30"^^<{X}date> .',           # not a date
    f'<{EX}s> <{EX}p> "0999-01-01"^^<{X}date> .',           # a year before 1000
    f'<{EX}s> <{EX}p> "-0044"^^<{X}gYear> .',               # a year BC: sorted by value, not as text
    f'<{EX}s> <{EX}p> "12024-01"^^<{X}gYearMonth> .',       # a five-digit year
    f'<{EX}s> <{EX}p> "x"^^<{EX}custom> .',                 # an unknown datatype
    f'_:b1 <{EX}p> "x" .',                                  # blank nodes get new labels
    f'<{EX}s> <{EX}p> _:b2 .',
])
def test_the_exactness_check_refuses_what_the_replica_cannot_give_back(line):
    good = f'<{EX}t> <{EX}p> "2024-10-28"^^<{X}date> .'
    assert ColumnarReplica.from_store(_store([good])).triples == 1
    with pytest.raises(ReplicaError, match="cannot give back"):
        ColumnarReplica.from_store(_store([good, line]))


def test_only_the_saved_queries_and_the_row_limit(replica):
    text = query_text("deployments")
    assert replica.saved_name("deployments") == replica.saved_name(text) == "deployments"
    assert replica.saved_name(text + " ") is None
    with pytest.raises(QueryError, match="saved queries only"):
        replica.select("SELECT * WHERE { ?s ?p ?o }")
    rows = replica.select("provenance").rows
    with pytest.raises(TooManyRows) as e:
        replica.select_serialized("provenance", ResultFormat.JSON, max_rows=rows - 1)
    assert (e.value.rows, e.value.limit) == (rows, rows - 1)
    assert replica.select_serialized("provenance", ResultFormat.JSON, max_rows=rows)
    assert replica.variables("provenance") == ["fact", "article", "start", "end", "exact"]


def test_a_busy_replica_says_so_after_the_wait(replica):
    """Queries run one at a time; a caller that may wait 0.2 s while another query holds the
    replica gets ReplicaError (the server then asks the store), and the replica works after."""
    assert replica._lock.acquire()
    try:
        t = time.monotonic()
        with pytest.raises(ReplicaError, match="busy"):
            replica.select("deployments", wait=0.2)
        assert 0.15 < time.monotonic() - t < 5
    finally:
        replica._lock.release()
    assert replica.select("deployments", wait=0.2).rows > 0


# ---- newskb serve ------------------------------------------------------------------------------
def _ready(client: TestClient, app, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while app.state.replica.replica is None and time.monotonic() < deadline:
        assert app.state.replica.error is None, app.state.replica.error
        time.sleep(0.05)
    assert app.state.replica.replica is not None, "the replica was not ready in time"


def test_the_server_answers_saved_queries_from_the_replica_with_the_store_bytes(corpus_kb, kb_store):
    app = create_app(corpus_kb, workers=1)
    with TestClient(app) as client:
        _ready(client, app)
        for name in ("deployments", "statements"):
            text = query_text(name)
            r = client.get(f"/queries/{name}.json")
            assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "columnar"
            assert r.content == run_select_serialized(kb_store, text, ResultFormat.JSON)
            for fmt, accept in ((ResultFormat.JSON, "application/sparql-results+json"),
                                (ResultFormat.CSV, "text/csv"), (ResultFormat.TSV, "text/tab-separated-values")):
                r = client.post("/sparql", data={"query": text}, headers={"Accept": accept})
                assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "columnar", r.text
                assert r.content == run_select_serialized(kb_store, text, fmt)
            # what the replica does not answer goes to the store: XML, a dataset, another query
            r = client.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+xml"})
            assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "store"
            r = client.post("/sparql", data={"query": text, "default-graph-uri": "https://w3id.org/newskb/ontology"})
            assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "store"
        r = client.post("/sparql", data={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"})
        assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "store"


def test_the_server_row_limit_holds_for_the_replica_and_no_columnar_turns_it_off(corpus_kb):
    app = create_app(corpus_kb, workers=1, max_results=10)
    with TestClient(app) as client:
        _ready(client, app)
        r = client.get("/queries/provenance.json")
        assert r.status_code == 400 and "more than 10 rows" in r.text
    app = create_app(corpus_kb, workers=1, columnar=False)
    with TestClient(app) as client:
        assert app.state.replica is None
        r = client.get("/queries/deployments.json")
        assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "store"
