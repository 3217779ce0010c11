"""The multi-machine design (bench/multi-machine.md, docs/servers.md), run for real: the corpus
split into two shards, each built into its own KB folder as a separate machine would, both
published at the same time into one real SPARQL server. The server then answers every contract
query exactly as one KB built from the whole corpus does, with no renaming or reconciliation
step, and a shard's later publish touches only its own graphs."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from pathlib import Path

import pytest

import servers
from helpers import CORPUS
from newskb.build import build
from newskb.publish import count_triples, kb_graphs, publish
from newskb.remote import Connection, select
from newskb.store import open_kb, query_text, run_select, saved_queries

from servers import stop_servers  # noqa: F401  (fixture)

KINDS = ["oxigraph", "virtuoso"]


@pytest.fixture(autouse=True)
def _servers_stop_at_end(stop_servers):
    pass


def shard_of(path: Path) -> int:
    """A shard rule on the file name (as the docs suggest): it keeps an article in one shard."""
    return hashlib.sha256(path.name.encode()).digest()[0] % 2


@pytest.fixture(scope="module")
def shard_kbs(tmp_path_factory) -> list[Path]:
    """Two shard folders of the corpus, each built on its own into its own KB folder."""
    root = tmp_path_factory.mktemp("shards")
    articles = sorted(p for p in CORPUS.iterdir() if p.is_file() and not p.name.startswith("."))
    kbs = []
    for n in (0, 1):
        folder = root / f"shard-{n}"
        folder.mkdir()
        for p in articles:
            if shard_of(p) == n:
                shutil.copyfile(p, folder / p.name)
        assert any(folder.iterdir()), "the shard rule left a shard empty"
        out = root / f"kb-{n}"
        result = build([folder], out, dumps=False)
        assert not result.failed, result.summary()
        kbs.append(out)
    return kbs


def article_ids(kb: Path) -> set[str]:
    return {p.stem for p in (kb / "articles").glob("*.ttl")}


def test_shards_partition_the_corpus_and_match_the_whole_build(shard_kbs, corpus_kb):
    a, b = (article_ids(kb) for kb in shard_kbs)
    assert a and b and not a & b
    assert a | b == article_ids(corpus_kb)
    for kb in shard_kbs:  # built apart, each article's graph is byte for byte the whole build's
        for ttl in sorted((kb / "articles").glob("*.ttl")):
            assert ttl.read_bytes() == (corpus_kb / "articles" / ttl.name).read_bytes(), ttl.name


def publish_together(srv: servers.Server, kbs: list[Path]) -> list:
    """Each shard publishes from its own thread, at the same time (two machines)."""
    reports: list = [None] * len(kbs)
    errors: list = []

    def one(i: int) -> None:
        try:
            reports[i] = publish(kbs[i], srv.query_url, **srv.publish_kwargs())
        except Exception as exc:  # noqa: BLE001 - re-raised below in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(kbs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors
    return reports


@pytest.fixture(scope="module", params=KINDS)
def shards_published(request, shard_kbs, tmp_path_factory):
    srv = servers.get(request.param, "shards", tmp_path_factory, on_disk=False)
    kbs = [servers.copy_kb(kb, tmp_path_factory.mktemp(f"shard-{srv.kind}-{i}") / "kb")
           for i, kb in enumerate(shard_kbs)]
    reports = publish_together(srv, kbs)
    return srv, kbs, reports


def server_counts(srv: servers.Server, graphs: list[str]) -> dict[str, int]:
    return count_triples(srv.query_url, graphs, Connection(srv.user, srv.password, srv.auth, 60))


def test_both_shards_arrive_whole(shards_published, corpus_kb):
    srv, kbs, reports = shards_published
    assert all(r.ok for r in reports), [r.summary() for r in reports]
    want = {g.iri: g.triples for g in kb_graphs(corpus_kb)}  # the whole corpus's graphs and the ontology
    assert {g.iri: g.triples for kb in kbs for g in kb_graphs(kb)} == want
    assert server_counts(srv, sorted(want)) == want


@pytest.mark.parametrize("name", saved_queries())
def test_contract_query_over_shards_equals_whole_corpus(shards_published, corpus_kb, name):
    srv, _, _ = shards_published
    sparql = query_text(name)
    whole = run_select(open_kb(corpus_kb), sparql)
    remote = select(srv.query_url, sparql, timeout=120, default_graph=srv.merged_graph)
    assert remote.variables == whole.variables
    want, got = servers.solution_set(whole), servers.solution_set(remote)
    assert want, f"{name}: the corpus gives no solutions; the comparison would prove nothing"
    assert got == want, (f"{name} on {srv.kind}: {len(want - got)} solutions missing, {len(got - want)} extra; "
                         f"e.g. missing {sorted(want - got, key=str)[:2]}, extra {sorted(got - want, key=str)[:2]}")


def sourced_from(srv: servers.Server, article_iri: str) -> int:
    """Facts from one article in what the contract queries read: the server's default graph, or
    the merged graph that publish keeps on Virtuoso."""
    res = select(srv.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?fact "
                 f"<https://w3id.org/newskb/ontology#sourceArticle> <{article_iri}> }}", timeout=60,
                 default_graph=srv.merged_graph)
    return int(res.rows[0][0].value)


@pytest.mark.parametrize("kind", KINDS)
def test_a_shard_republishing_touches_only_its_own_graphs(kind, shard_kbs, tmp_path_factory):
    srv = servers.get(kind, "shards-republish", tmp_path_factory, on_disk=False)
    kbs = [servers.copy_kb(kb, tmp_path_factory.mktemp(f"republish-{kind}-{i}") / "kb") for i, kb in enumerate(shard_kbs)]
    publish_together(srv, kbs)
    other = {g.iri: g.triples for g in kb_graphs(kbs[1])}
    entries = json.loads((kbs[0] / "manifest.json").read_text())["articles"]
    dropped_id, kept_id = sorted(entries)[0], sorted(json.loads((kbs[1] / "manifest.json").read_text())["articles"])[0]
    base = entries[dropped_id]["base"]
    assert sourced_from(srv, f"{base}article/{dropped_id}") > 0 and sourced_from(srv, f"{base}article/{kept_id}") > 0

    # shard 0 loses one article and is rebuilt and published again; shard 1 does nothing
    folder = tmp_path_factory.mktemp("shard-0-smaller")
    for aid, entry in entries.items():
        if aid != dropped_id:
            shutil.copyfile(CORPUS / entry["source"], folder / entry["source"])
    result = build([folder], kbs[0], dumps=False)
    assert not result.failed and len(result.published) == len(entries) - 1, result.summary()
    again = publish(kbs[0], srv.query_url, **srv.publish_kwargs())
    assert again.ok and again.sent == [] and again.removed == [entries[dropped_id]["graph"]], again.summary()
    assert server_counts(srv, [entries[dropped_id]["graph"]]) == {entries[dropped_id]["graph"]: 0}
    assert server_counts(srv, sorted(other)) == other  # every graph of the other shard still whole
    # the re-merged default graph (merged graph on Virtuoso) forgot the dropped article, kept the other shard's
    assert sourced_from(srv, f"{base}article/{dropped_id}") == 0
    assert sourced_from(srv, f"{base}article/{kept_id}") > 0
