"""The corpus KB published to real servers (Oxigraph, Virtuoso) answers every contract query
(queries/*.rq) with the same solutions as the embedded store."""

from __future__ import annotations

import json

import pytest

import servers
from newskb.remote import select
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
    remote = select(srv.query_url, sparql, timeout=120)  # speed is measured in bench/, not here
    assert remote.variables == local.variables
    want, got = servers.solution_set(local), servers.solution_set(remote)
    assert got == want, (f"{name} on {srv.kind}: {len(want - got)} solutions missing, {len(got - want)} extra; "
                         f"e.g. missing {sorted(want - got, key=str)[:2]}, extra {sorted(got - want, key=str)[:2]}")
