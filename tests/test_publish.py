"""'newskb publish' against real servers: replaces and never duplicates, sends only what changed,
survives being killed midway, and fails with one line and exit code 2 losing nothing locally."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

import servers
from newskb.publish import (PublishError, count_triples, kb_graphs, merge_request, publish, read_state, state_path,
                            update_request)
from newskb.remote import Connection, select_with
from newskb.vocab import ONTOLOGY_IRI

from servers import stop_servers  # noqa: F401  (fixture)

KINDS = ["oxigraph", "virtuoso"]


@pytest.fixture(autouse=True)
def _servers_stop_at_end(stop_servers):
    pass


def scratch(kind: str, tmp_path_factory, name: str = "scratch") -> servers.Server:
    """A server for tests that re-publish (the contract servers stay as published)."""
    return servers.get(kind, name, tmp_path_factory, on_disk=False)


def conn(srv: servers.Server) -> Connection:
    return Connection(srv.user, srv.password, srv.auth, 60)


def expected_counts(kb: Path) -> dict[str, int]:
    return {g.iri: g.triples for g in kb_graphs(kb)}


def server_counts(srv: servers.Server, kb: Path) -> dict[str, int]:
    return count_triples(srv.query_url, list(expected_counts(kb)), conn(srv))


def graph_on_server(srv: servers.Server, graph: str) -> set:
    res = select_with(srv.query_url, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", conn(srv))
    return servers.solution_set(res)


def graph_in_kb(source) -> set:
    return {tuple(servers.normalise(t) for t in (q.subject, q.predicate, q.object))
            for q in ox.parse(source.data(), format=ox.RdfFormat.TURTLE)}


def edit_article(kb: Path, aid: str, note: str) -> str:
    """Add one triple to article ``aid`` (its Turtle file and manifest entry); returns its graph."""
    manifest_path = kb / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    entry = manifest["articles"][aid]
    ttl = kb / "articles" / f"{aid}.ttl"
    data = ttl.read_bytes() + f'<{entry["graph"]}#edit> <http://www.w3.org/2000/01/rdf-schema#comment> "{note}" .\n'.encode()
    ttl.write_bytes(data)
    entry["turtle_sha256"] = hashlib.sha256(data).hexdigest()
    entry["triples"] += 1
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return entry["graph"]


def article_ids(kb: Path) -> list[str]:
    return sorted(json.loads((kb / "manifest.json").read_text())["articles"])


def folder_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "store" not in p.relative_to(folder).parts}


@pytest.mark.parametrize("method", ["graph-store", "update"])
@pytest.mark.parametrize("kind", KINDS)
def test_publish_twice_same_counts(kind, method, corpus_kb, tmp_path, tmp_path_factory):
    srv = scratch(kind, tmp_path_factory)
    kb = servers.copy_kb(corpus_kb, tmp_path / "kb")
    kw = srv.publish_kwargs(graph_store=method == "graph-store")
    first = publish(kb, srv.query_url, force=True, **kw)
    assert first.ok, first.summary()
    want = expected_counts(kb)
    assert len(first.sent) == len(want) and first.triples_found == sum(want.values())
    assert server_counts(srv, kb) == want
    for source in kb_graphs(kb):  # every graph arrived whole and exact (non-ASCII text included)
        assert graph_on_server(srv, source.iri) == graph_in_kb(source), source.iri
    again = publish(kb, srv.query_url, **kw)
    assert again.sent == [] and len(again.unchanged) == len(want) and again.ok
    forced = publish(kb, srv.query_url, force=True, **kw)  # replaces, never duplicates
    assert len(forced.sent) == len(want) and forced.ok
    assert server_counts(srv, kb) == want


@pytest.mark.parametrize("kind", KINDS)
def test_changed_article_sends_one_graph(kind, corpus_kb, tmp_path, tmp_path_factory):
    srv = scratch(kind, tmp_path_factory)
    kb = servers.copy_kb(corpus_kb, tmp_path / "kb")
    assert publish(kb, srv.query_url, force=True, **srv.publish_kwargs()).ok
    before = server_counts(srv, kb)
    graph = edit_article(kb, article_ids(kb)[3], "edited once")
    report = publish(kb, srv.query_url, **srv.publish_kwargs())
    assert report.sent == [graph] and report.ok, report.summary()
    after = server_counts(srv, kb)
    assert after[graph] == before[graph] + 1
    assert {g: n for g, n in after.items() if g != graph} == {g: n for g, n in before.items() if g != graph}
    res = select_with(srv.query_url, f'SELECT ?c WHERE {{ GRAPH <{graph}> {{ <{graph}#edit> ?p ?c }} }}', conn(srv))
    assert [r[0].value for r in res.rows] == ["edited once"]


@pytest.mark.parametrize("kind", KINDS)
def test_removed_article_graph_is_dropped(kind, corpus_kb, tmp_path, tmp_path_factory):
    srv = scratch(kind, tmp_path_factory)
    kb = servers.copy_kb(corpus_kb, tmp_path / "kb")
    assert publish(kb, srv.query_url, force=True, **srv.publish_kwargs()).ok
    manifest = json.loads((kb / "manifest.json").read_text())
    aid = article_ids(kb)[0]
    graph = manifest["articles"].pop(aid)["graph"]
    (kb / "manifest.json").write_text(json.dumps(manifest))
    (kb / "articles" / f"{aid}.ttl").unlink()
    report = publish(kb, srv.query_url, **srv.publish_kwargs())
    assert report.removed == [graph] and report.sent == [] and report.ok
    assert count_triples(srv.query_url, [graph], conn(srv)) == {graph: 0}
    assert graph not in read_state(state_path(kb, srv.query_url))


@pytest.mark.parametrize("kind", KINDS)
def test_killed_publish_resumes_complete_and_correct(kind, corpus_kb, tmp_path, tmp_path_factory):
    """SIGKILL after the first graph is confirmed: every graph on the server is then the old or the
    new version (never half), and publishing again completes it."""
    srv = scratch(kind, tmp_path_factory, "kill")
    kb = servers.copy_kb(corpus_kb, tmp_path / "kb")
    assert publish(kb, srv.query_url, force=True, **srv.publish_kwargs(graph_store=False)).ok
    old = server_counts(srv, kb)
    for aid in article_ids(kb):
        edit_article(kb, aid, "version 2")
    new = expected_counts(kb)
    new_sha = {g.iri: g.sha256 for g in kb_graphs(kb)}
    total = len(article_ids(kb))
    exe = Path(sys.executable).with_name("newskb")
    proc = subprocess.Popen([str(exe), "publish", "--kb", str(kb), *srv.publish_args(graph_store=False)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    first = proc.stderr.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    proc.stderr.close()
    assert first.startswith("newskb: sent 1/"), first
    assert proc.returncode == -signal.SIGKILL
    state = read_state(state_path(kb, srv.query_url))
    confirmed = [g for g in new if state.get(g) == new_sha[g] and old[g] != new[g]]
    assert 1 <= len(confirmed) < total, f"the publish was not killed midway ({len(confirmed)} of {total} sent)"
    midway = server_counts(srv, kb)
    assert all(midway[g] in (old[g], new[g]) for g in new), "a graph is half-written"
    assert all(midway[g] == new[g] for g in confirmed)
    resumed = publish(kb, srv.query_url, **srv.publish_kwargs(graph_store=False))
    assert resumed.ok, resumed.summary()
    assert set(resumed.sent) == {g for g in new if state.get(g) != new_sha[g]}
    assert server_counts(srv, kb) == new
    for source in kb_graphs(kb):
        assert graph_on_server(srv, source.iri) == graph_in_kb(source), source.iri


def _one_line_exit_2(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


@pytest.fixture
def published_then_edited(corpus_kb, tmp_path, tmp_path_factory):
    """A KB published to the scratch Virtuoso, then one article edited (so a publish has work)."""
    srv = scratch("virtuoso", tmp_path_factory)
    kb = servers.copy_kb(corpus_kb, tmp_path / "kb")
    assert publish(kb, srv.query_url, force=True, **srv.publish_kwargs()).ok
    edit_article(kb, article_ids(kb)[1], "not yet published")
    return srv, kb


def test_cli_wrong_password_loses_nothing(published_then_edited):
    srv, kb = published_then_edited
    before = folder_digest(kb)
    proc = servers.run_cli("publish", "--kb", str(kb), "--endpoint", srv.query_url, "--graph-store", srv.graph_store_url,
                           "--user", "dba", "--password", "wrong", "--auth", "digest")
    line = _one_line_exit_2(proc)
    assert "authentication failed" in line
    assert folder_digest(kb) == before


def test_cli_unreachable_loses_nothing(published_then_edited):
    srv, kb = published_then_edited
    before = folder_digest(kb)
    url = f"http://127.0.0.1:{servers.free_port()}"
    line = _one_line_exit_2(servers.run_cli("publish", "--kb", str(kb), "--endpoint", f"{url}/sparql",
                                            "--graph-store", f"{url}/store"))
    assert "cannot connect" in line
    assert folder_digest(kb) == before


def test_cli_server_error_loses_nothing(corpus_kb, tmp_path, tmp_path_factory):
    """Virtuoso refuses anonymous SPARQL Update with HTTP 500 (SR186: no permission); here the
    one pending change is dropping the graph of an article removed from the KB."""
    srv = scratch("virtuoso", tmp_path_factory)
    kb = servers.copy_kb(corpus_kb, tmp_path / "kb")
    assert publish(kb, srv.query_url, force=True, **srv.publish_kwargs(graph_store=False)).ok
    manifest = json.loads((kb / "manifest.json").read_text())
    aid = article_ids(kb)[2]
    graph = manifest["articles"].pop(aid)["graph"]
    (kb / "manifest.json").write_text(json.dumps(manifest))
    (kb / "articles" / f"{aid}.ttl").unlink()
    before = folder_digest(kb)
    line = _one_line_exit_2(servers.run_cli("publish", "--kb", str(kb), "--endpoint", srv.query_url))
    assert "server error (HTTP 500)" in line and "SR186" in line
    assert folder_digest(kb) == before
    assert count_triples(srv.query_url, [graph], conn(srv))[graph] > 0
    # with the right credentials the same publish then completes
    ok = servers.run_cli("publish", "--kb", str(kb), *srv.publish_args(graph_store=False))
    assert ok.returncode == 0, ok.stderr
    assert "0 sent" in ok.stdout and "1 removed" in ok.stdout
    assert count_triples(srv.query_url, [graph], conn(srv)) == {graph: 0}


def test_update_request_is_ascii_and_atomic():
    turtle = '<http://e/a> <http://e/p> "Kyiv — Київ 😀" .\n'.encode()
    req = update_request("http://e/g", turtle)
    assert req.isascii()
    assert req.startswith("DROP SILENT GRAPH <http://e/g> ;\nINSERT DATA { GRAPH <http://e/g> {")
    assert "\\u041A" in req and "\\U0001F600" in req


def test_rebuild_with_one_facts_file_edited_sends_one_graph(corpus_kb, tmp_path, tmp_path_factory):
    """The real workflow: the state file survives 'newskb build' into the same folder."""
    from newskb.build import build

    srv = scratch("oxigraph", tmp_path_factory, "rebuild")
    facts = tmp_path / "facts"
    shutil.copytree(corpus_kb / "facts", facts)
    kb = tmp_path / "kb"
    assert build([facts], kb).ok
    assert publish(kb, srv.query_url, **srv.publish_kwargs()).ok
    assert build([facts], kb).ok  # unchanged rebuild: nothing to send
    assert publish(kb, srv.query_url, **srv.publish_kwargs()).sent == []
    target = sorted(facts.glob("*.facts.json"))[5]
    doc = json.loads(target.read_text())
    doc["article"]["date"] = "2001-02-03"
    target.write_text(json.dumps(doc))
    assert build([facts], kb).ok
    report = publish(kb, srv.query_url, **srv.publish_kwargs())
    graph = json.loads((kb / "manifest.json").read_text())["articles"][doc["article"]["id"]]["graph"]
    assert report.sent == [graph] and report.ok, report.summary()
    date = '"2001-02-03"^^<http://www.w3.org/2001/XMLSchema#date>'
    res = select_with(srv.query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?a ?p {date} }} }}", conn(srv))
    assert int(res.rows[0][0].value) >= 1


def test_inferred_graph_is_published(corpus_kb, tmp_path, tmp_path_factory):
    """'newskb reason' writes DIR/inferred.ttl (graph <base>graph/inferred): it is published too."""
    srv = scratch("oxigraph", tmp_path_factory)
    kb = servers.copy_kb(corpus_kb, tmp_path / "kb")
    base = json.loads((kb / "manifest.json").read_text())["base"]
    (kb / "inferred.ttl").write_text(f"<{base}place/x> <{base}p> <{base}place/y> .\n<{base}place/y> <{base}p> <{base}place/z> .\n")
    report = publish(kb, srv.query_url, force=True, **srv.publish_kwargs())
    graph = f"{base}graph/inferred"
    assert graph in report.sent and report.ok
    assert count_triples(srv.query_url, [graph], conn(srv)) == {graph: 2}
    (kb / "inferred.ttl").write_text(f"<{base}place/x> <{base}p> <{base}place/y> .\n")
    assert publish(kb, srv.query_url, **srv.publish_kwargs()).sent == [graph]
    assert count_triples(srv.query_url, [graph], conn(srv)) == {graph: 1}


def test_merged_graph_refused_when_it_cannot_be_right(corpus_kb, tmp_path):
    """Checked before any request: the endpoint here is not even listening."""
    kb = servers.copy_kb(corpus_kb, tmp_path / "kb")
    own = kb_graphs(kb)[0].iri
    for kw, says in ((dict(merged_graph=own), "one of the KB's own graphs"),
                     (dict(merged_graph="https://example.org/m", merge_default_graph=True), "not both"),
                     (dict(merged_graph="not an iri"), "absolute IRI")):
        with pytest.raises(PublishError, match=says):
            publish(kb, "http://127.0.0.1:9/sparql", **kw)
    assert not list(kb.glob(".publish-*")), "a refused publish wrote a state file"


def test_merge_request_reads_only_newskb_graphs():
    base = "https://w3id.org/newskb/"
    named = merge_request(base, "https://w3id.org/newskb/graph/merged")
    assert named.startswith("DROP SILENT GRAPH <https://w3id.org/newskb/graph/merged> ;")
    assert 'STRSTARTS(STR(?g), "https://w3id.org/newskb/graph/")' in named
    assert "?g != <https://w3id.org/newskb/graph/merged>" in named and "<https://w3id.org/newskb/ontology>" in named
    into_default = merge_request(base)
    assert into_default.startswith("DROP SILENT DEFAULT ;") and "?g !=" not in into_default
    for q in (named, into_default):  # both parse as SPARQL Update
        ox.Store().update(q)


def test_a_graph_another_publisher_is_replacing_is_counted_again(corpus_kb, tmp_path, tmp_path_factory, monkeypatch):
    """Two shards both send the ontology graph: one's count can see the other's PUT half done.
    A count that is off is taken again after a pause; a graph that stays off is still reported."""
    import newskb.publish as P
    from newskb.remote import put_graph

    srv = scratch("oxigraph", tmp_path_factory, "recount")
    kb = servers.copy_kb(corpus_kb, tmp_path / "kb")
    assert publish(kb, srv.query_url, force=True, **srv.publish_kwargs()).ok
    source = kb_graphs(kb)[-1]  # the ontology graph, as N-Triples: a line a triple
    assert source.iri == ONTOLOGY_IRI
    half = b"\n".join(source.data().splitlines()[: source.triples // 2]) + b"\n"
    put_graph(srv.graph_store_url, source.iri, half, conn(srv))  # the other publisher, half way through

    real_count, calls, finish = P.count_triples, [], [True]

    def count_then_finish(endpoint, graphs, c):
        counts = real_count(endpoint, graphs, c)
        calls.append(graphs)
        if finish and finish.pop():  # the other publisher's PUT completes just after this count
            put_graph(srv.graph_store_url, source.iri, source.data(), conn(srv))
        return counts

    monkeypatch.setattr(P, "count_triples", count_then_finish)
    monkeypatch.setattr(P, "RECOUNT_PAUSES", (0.0, 0.0, 0.0))
    report = publish(kb, srv.query_url, **srv.publish_kwargs())
    assert report.ok and report.sent == [], report.summary()
    assert calls[1] == [source.iri]  # the second count asked only for the graph that was off

    put_graph(srv.graph_store_url, source.iri, half, conn(srv))  # now it stays half: reported
    calls.clear()
    report = publish(kb, srv.query_url, **srv.publish_kwargs())
    assert not report.ok and report.mismatches == [(source.iri, source.triples, source.triples // 2)]
    assert len(calls) == 1 + len(P.RECOUNT_PAUSES) and source.iri not in read_state(state_path(kb, srv.query_url))
