"""The store's full load: bulk loads run on several threads at once give the same store as one
at a time, and a batch the bulk loader refuses is loaded file by file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from newskb import store as store_mod
from newskb.kbfolder import article_graphs, read_manifest
from newskb.kbfolder import STORE_DIR
from newskb.store import load_threads, remove_graph, sync_store


def _quads(path: Path) -> set[str]:
    st = ox.Store.read_only(str(path))
    try:
        return {str(q) for q in st}
    finally:
        del st


@pytest.fixture()
def kb(corpus_kb, tmp_path) -> Path:
    d = tmp_path / "kb"
    shutil.copytree(corpus_kb, d, ignore=shutil.ignore_patterns(STORE_DIR))
    return d


def test_parallel_bulk_loads_give_the_store_one_load_gives(kb, tmp_path, monkeypatch):
    monkeypatch.setattr(store_mod, "BULK_BATCH", 2)  # 16 graphs: 8 bulk loads, 4 at a time
    one, four = tmp_path / "one", tmp_path / "four"
    r1 = sync_store(one, kb, full=True, threads=1)
    r4 = sync_store(four, kb, full=True, threads=4)
    assert r1.full and r4.full and r1.added == r4.added == len(article_graphs(kb, read_manifest(kb))) >= 16
    want = _quads(one)
    assert _quads(four) == want
    assert any(q.endswith(" .") is False for q in want)  # str(Quad) has no trailing dot: sanity of the set
    # the store loaded in parallel is a normal store: removing a graph leaves what it leaves in
    # the store loaded one batch at a time
    victim = article_graphs(kb, read_manifest(kb))[3].graph
    for path in (one, four):
        st = ox.Store(str(path))
        remove_graph(st, victim)
        st.flush()
        del st
    after = _quads(one)
    assert _quads(four) == after and len(after) < len(want)
    assert not any(f"<{victim}>" in q for q in after)


def test_a_batch_the_bulk_loader_refuses_is_loaded_file_by_file(kb, tmp_path, monkeypatch):
    monkeypatch.setattr(store_mod, "BULK_BATCH", 3)
    want = tmp_path / "want"
    sync_store(want, kb, full=True, threads=1)
    # the same triples behind a base directive, which the TriG wrapping cannot carry
    graphs = article_graphs(kb, read_manifest(kb))
    ttl = graphs[4].path
    ttl.write_bytes(b"@base <https://example.org/unused/> .\n" + ttl.read_bytes())
    got = tmp_path / "got"
    sync_store(got, kb, full=True, threads=2)
    assert _quads(got) == _quads(want)


def test_load_threads_is_one_per_core_up_to_four(monkeypatch):
    for cores, want in ((None, 1), (1, 1), (2, 2), (4, 4), (64, 4)):
        monkeypatch.setattr(store_mod.os, "cpu_count", lambda c=cores: c)
        assert load_threads() == want


def test_a_one_process_build_feeds_its_store_while_it_builds(corpus_kb, tmp_path, monkeypatch):
    """build --jobs 1 loads each batch of published graphs into the new store on a thread while it
    goes on building, and compacts it there: the store is the one a full load of the folder gives."""
    from newskb import build as build_mod
    from newskb.build import build

    added: list[str] = []

    class Counting(store_mod.GraphFeeder):
        def add(self, graph, turtle, sha256):
            added.append(graph)
            super().add(graph, turtle, sha256)

    facts = sorted((corpus_kb / "facts").glob("*.facts.json"))
    monkeypatch.setattr(build_mod, "GraphFeeder", Counting)
    monkeypatch.setattr(build_mod, "OTHER_CHUNK", 3)  # several chunks: the feeder is used
    monkeypatch.setattr(store_mod, "BULK_BATCH", 4)  # and several bulk loads
    kb = tmp_path / "kb"
    result = build(facts, kb, jobs=1, incremental=False)
    graphs = {a.graph for a in article_graphs(kb, read_manifest(kb))}
    assert len(result.published) == len(facts) >= 16 and sorted(added) == sorted(graphs)
    state = store_mod._read_state(kb / STORE_DIR)
    assert state["compacted"] is True and set(state["graphs"]) == graphs
    full = tmp_path / "full"
    sync_store(full, kb, full=True, threads=1)
    assert _quads(kb / STORE_DIR) == _quads(full)
