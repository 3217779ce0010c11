"""The corpus KB published to real servers (Oxigraph, Virtuoso) answers every contract query
(queries/*.rq) with the same solutions as the embedded store."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

import servers
from newskb.remote import Connection, select, update
from newskb.store import open_kb, query_text, run_select, saved_queries

from servers import contract, stop_servers  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _servers_stop_at_end(stop_servers):
    pass


def test_servers_listen_on_loopback_only(contract):
    srv, _, _ = contract
    assert srv.query_url.startswith("http://127.0.0.1:")
    if srv.kind == "virtuoso":
        ini = (srv.folder / "virtuoso.ini").read_text()
        ports = [line for line in ini.splitlines() if line.startswith("ServerPort")]
        assert len(ports) == 2 and all("127.0.0.1:" in p for p in ports)


def test_corpus_published_completely(contract):
    srv, kb, report = contract
    manifest = json.loads((kb / "manifest.json").read_text())["articles"]
    assert report.ok, report.summary()
    assert len(report.sent) == len(manifest) + 1  # every article and the ontology
    assert report.triples_expected == report.triples_found
    assert report.triples_expected >= sum(a["triples"] for a in manifest.values())


@pytest.mark.parametrize("name", saved_queries())
def test_contract_query_same_solutions(contract, name):
    srv, kb, _ = contract
    sparql = query_text(name)
    local = run_select(open_kb(kb), sparql)
    # speed is measured in bench/, not here
    remote = select(srv.query_url, sparql, timeout=120, default_graph=srv.merged_graph)
    assert remote.variables == local.variables
    want, got = servers.solution_set(local), servers.solution_set(remote)
    assert got == want, (f"{name} on {srv.kind}: {len(want - got)} solutions missing, {len(got - want)} extra; "
                         f"e.g. missing {sorted(want - got, key=str)[:2]}, extra {sorted(got - want, key=str)[:2]}")


NKB = "https://w3id.org/newskb/ontology#"
# every claim made exact (both bounds = its value): two different exact figures cannot both hold
EXACT_CLAIMS = [
    f"DELETE {{ GRAPH <G> {{ ?c <{NKB}upperBound> ?h }} }} WHERE {{ GRAPH <G> {{ ?c <{NKB}upperBound> ?h }} }}",
    f"DELETE {{ GRAPH <G> {{ ?c <{NKB}lowerBound> ?l }} }} WHERE {{ GRAPH <G> {{ ?c <{NKB}lowerBound> ?l }} }}",
    f"INSERT {{ GRAPH <G> {{ ?c <{NKB}lowerBound> ?v ; <{NKB}upperBound> ?v }} }} "
    f"WHERE {{ GRAPH <G> {{ ?c a <{NKB}NumericClaim> ; <{NKB}value> ?v }} }}",
]


def test_contradictory_claims_same_solutions(contract):
    """The corpus's competing figures are all compatible: with every claim made exact, each is
    contradictory, and the server's status matches the embedded store's (regression: Virtuoso 7
    failed on conflicting-claims with SQ156 'Bad dfe in sqlo_place_exp' when ?status was an
    IF over MAX in the sub-select's projection)."""
    srv, kb, _ = contract
    graph = "https://w3id.org/newskb/graph/test-exact-claims"
    local = ox.Store()
    local.extend(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph))
                 for q in open_kb(kb).quads_for_pattern(None, None, None, ox.DefaultGraph()))
    for step in EXACT_CLAIMS:
        local.update(step.replace("<G>", f"<{graph}>"))
    local.update(f"ADD <{graph}> TO DEFAULT")  # a KB's store keeps the merge in its default graph
    sparql = query_text("conflicting-claims")
    want = run_select(local, sparql)
    conn = Connection(srv.user, srv.password, srv.auth, 120)
    source = f"GRAPH <{srv.merged_graph}> {{ ?s ?p ?o }}" if srv.merged_graph else "?s ?p ?o"
    update(srv.update_url, f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ {source} }}", conn)
    try:
        for step in EXACT_CLAIMS:
            update(srv.update_url, step.replace("<G>", f"<{graph}>"), conn)
        remote = select(srv.query_url, sparql, timeout=120, default_graph=graph)
    finally:
        update(srv.update_url, f"DROP SILENT GRAPH <{graph}>", conn)
    status = want.variables.index("status")
    assert want.rows and {row[status].value for row in want.rows} == {"contradictory"}
    assert remote.variables == want.variables
    assert servers.solution_set(remote) == servers.solution_set(want)


RDFS_LABELS = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"


def test_virtuoso_union_repeats_triples_and_the_merged_graph_holds_each_once(corpus_kb, tmp_path_factory):
    """Virtuoso's default dataset repeats a triple once per graph holding it (the OPTIONAL chains of
    the contract queries multiply those repeats); publish keeps the merge in a named graph, which
    holds exactly the embedded store's merged default graph."""
    srv = servers.get("virtuoso", "contract", tmp_path_factory)
    kb, report = servers.published(srv, corpus_kb, tmp_path_factory)
    assert report.merged_graph == srv.merged_graph == servers.VIRTUOSO_MERGED_GRAPH
    local = open_kb(kb)
    held = sum(1 for _ in local.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert report.merged_triples == held

    def labels(**kw) -> int:
        return int(select(srv.query_url, RDFS_LABELS, timeout=60, **kw).rows[0][0].value)

    want = int(run_select(local, RDFS_LABELS).rows[0][0].value)
    assert labels(default_graph=srv.merged_graph) == want
    assert labels() > want, "Virtuoso's union no longer repeats triples: the merged graph may be unneeded"


def test_cli_query_with_default_graph(corpus_kb, tmp_path_factory):
    srv = servers.get("virtuoso", "contract", tmp_path_factory)
    kb, _ = servers.published(srv, corpus_kb, tmp_path_factory)
    done = servers.run_cli("query", "deployments", "--endpoint", srv.query_url, "--default-graph",
                           srv.merged_graph, "--format", "json")
    assert done.returncode == 0, done.stderr
    local = run_select(open_kb(kb), query_text("deployments"))
    assert local.rows
    assert len(json.loads(done.stdout)["results"]["bindings"]) == len(local.rows)


def test_cli_default_graph_needs_an_endpoint(corpus_kb):
    done = servers.run_cli("query", "deployments", "--kb", str(corpus_kb), "--default-graph", "https://example.org/g")
    assert done.returncode == 2 and "--default-graph goes with --endpoint" in done.stderr
