"""Incremental builds: the store and the dumps are updated graph by graph, and every step gives
exactly what a full build of the same inputs gives (files byte for byte, store quad for quad)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from newskb.build import _dirs_signature, build
from newskb.export import export_bytes
from newskb.kbfolder import KBFolderError
from newskb.kbfolder import INFERRED_FILE, STORE_DIR, inferred_graph_iri
from newskb.reason import reason
from newskb.serialize import Format
from newskb.store import STATE, is_current, open_kb, query_text, run_select, sync_store

PUBLISHED = ("kb.nq", "kb.trig", "manifest.json")


@pytest.fixture(scope="module")
def facts(corpus_kb, tmp_path_factory) -> list[Path]:
    """The corpus facts documents (files of a built KB), as build inputs."""
    d = tmp_path_factory.mktemp("facts")
    for f in sorted((corpus_kb / "facts").glob("*.facts.json")):
        shutil.copyfile(f, d / f.name)
    return sorted(d.glob("*.facts.json"))


def quads(kb: Path) -> set[str]:
    store = open_kb(kb)
    try:
        return {str(q) for q in store}
    finally:
        del store


def same_as_full(kb: Path, inputs: list[Path], tmp: Path, *, dumps: bool = True) -> None:
    full = tmp / "full"
    if full.exists():
        shutil.rmtree(full)
    build(inputs, full, incremental=False, dumps=dumps)
    names = PUBLISHED if dumps else ("manifest.json",)
    for name in names:
        assert (kb / name).read_bytes() == (full / name).read_bytes(), f"{name} differs from a full build"
    for sub in ("articles", "facts"):
        have = {p.name: p.read_bytes() for p in (kb / sub).iterdir()}
        want = {p.name: p.read_bytes() for p in (full / sub).iterdir()}
        assert have == want, f"{sub}/ differs from a full build"
    assert quads(kb) == quads(full), "the updated store differs from a store loaded from scratch"


def test_add_change_remove_equal_a_full_build(facts, tmp_path):
    kb = tmp_path / "kb"
    inputs = list(facts[:10])
    build(inputs, kb)
    state = json.loads((kb / STORE_DIR / STATE).read_text())
    assert len(state["graphs"]) == 10

    inputs += facts[10:12]  # two new articles
    r = build(inputs, kb)
    assert sum(1 for a in r.published if a.report is not None) == 2  # only the new ones validated
    same_as_full(kb, inputs, tmp_path)

    changed = tmp_path / "changed" / inputs[3].name  # one article's facts change (its title)
    changed.parent.mkdir()
    doc = json.loads(inputs[3].read_text())
    doc["article"]["title"] = (doc["article"].get("title") or "") + " (updated)"
    changed.write_text(json.dumps(doc, ensure_ascii=False, indent=2))
    inputs[3] = changed
    del inputs[0]  # and one is gone: the places it shares with others stay in the default graph
    build(inputs, kb)
    same_as_full(kb, inputs, tmp_path)


def test_no_dumps_kb_answers_the_same_and_dumps_come_back(facts, tmp_path):
    kb, nd = tmp_path / "kb", tmp_path / "nd"
    build(facts[:6], kb)
    build(facts[:6], nd, dumps=False)
    assert not (nd / "kb.nq").exists() and not (nd / "kb.trig").exists()
    assert (nd / "manifest.json").read_bytes() == (kb / "manifest.json").read_bytes()
    for name in ("actors", "statements", "numeric-claims"):
        q = query_text(name)
        assert run_select(open_kb(nd), q).rows == run_select(open_kb(kb), q).rows
    assert export_bytes(nd, Format.N_QUADS) == export_bytes(kb, Format.N_QUADS)
    build(facts[:7], nd, dumps=False)  # grows without dumps
    build(facts[:7], nd)  # and writes them again, from the article graphs
    same_as_full(nd, facts[:7], tmp_path)


def test_interrupted_store_update_is_reloaded(facts, tmp_path):
    kb = tmp_path / "kb"
    build(facts[:4], kb)
    want = quads(kb)
    (kb / STORE_DIR / STATE).unlink()  # what a kill in the middle of an update leaves
    assert not is_current(kb / STORE_DIR, kb)
    assert quads(kb) == want
    shutil.rmtree(kb / STORE_DIR)  # what a build killed before its swap leaves in the old folder
    assert quads(kb) == want
    assert sync_store(kb / STORE_DIR, kb).added == 0  # current: nothing to do


def test_reasoned_graph_survives_an_unchanged_rebuild_and_goes_with_a_change(facts, tmp_path):
    kb = tmp_path / "kb"
    build(facts[:3], kb)
    assert reason(kb).consistent
    g = ox.NamedNode(inferred_graph_iri("https://w3id.org/newskb/"))
    before = (kb / INFERRED_FILE).read_bytes()
    build(facts[:3], kb)  # nothing changed: the inferred graph is still true
    assert (kb / INFERRED_FILE).read_bytes() == before
    assert open_kb(kb).contains_named_graph(g)
    build(facts[:4], kb)  # the KB changed: the inferred graph is stale and leaves the store
    assert not (kb / INFERRED_FILE).exists()
    store = open_kb(kb)
    assert not store.contains_named_graph(g)
    inferred_only = {str(t) for t in ox.parse(before, format=ox.RdfFormat.TURTLE)}
    default = {str(q.triple) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    held = {str(q.triple) for q in store if not isinstance(q.graph_name, ox.DefaultGraph)}  # articles, ontology
    assert not (inferred_only - held) & default, "inferred triples left in the merged default graph"
    assert held <= default


def test_not_a_kb_folder(tmp_path):
    with pytest.raises(KBFolderError, match="not a newskb KB folder"):
        open_kb(tmp_path)
    (tmp_path / "manifest.json").write_text("{]")
    with pytest.raises(FileNotFoundError, match="not a valid manifest"):
        open_kb(tmp_path)


def test_store_fed_during_a_parallel_build_equals_one_loaded_after(facts, tmp_path):
    """With --jobs 2 the main process loads graphs into the new store while the workers run."""
    build(facts[:8], tmp_path / "j1", jobs=1)
    build(facts[:8], tmp_path / "j2", jobs=2)
    for name in PUBLISHED:
        assert (tmp_path / "j1" / name).read_bytes() == (tmp_path / "j2" / name).read_bytes()
    assert quads(tmp_path / "j1") == quads(tmp_path / "j2")
    assert is_current(tmp_path / "j2" / STORE_DIR, tmp_path / "j2")


def _retitled(src: Path, dest_dir: Path, suffix: str) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    doc = json.loads(src.read_text())
    doc["article"]["title"] = (doc["article"].get("title") or "") + suffix
    out = dest_dir / src.name
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2))
    return out


def test_builds_through_the_spare_folder_equal_full_builds(facts, tmp_path):
    """From the third build on, a build starts from the folder the build before last left (the
    spare) and touches only what changed since then; every step still equals a full build, and
    the previous KB is never written into (its files are hard links shared with the spare)."""
    kb = tmp_path / "kb"
    spare = tmp_path / ".kb.spare"
    steps: list[list[Path]] = []
    base = list(facts[:8])
    steps.append(base)                                            # 1: fresh
    steps.append(base + [facts[8]])                               # 2: add (makes the spare)
    steps.append(base[1:] + [facts[8], facts[9]])                 # 3: remove one, add one (uses it)
    steps.append([base[0]] + base[2:] + [facts[8], facts[9]])     # 4: the removed one back, another out
    changed = _retitled(base[3], tmp_path / "c1", " (updated)")
    steps.append([base[0]] + base[2:3] + [changed] + base[4:] + [facts[9]])  # 5: change one, drop one
    steps.append(steps[-1])                                       # 6: nothing changed
    changed2 = _retitled(base[3], tmp_path / "c2", " (again)")
    steps.append([p if p != changed else changed2 for p in steps[-1]])  # 7: the changed one changes again
    for n, inputs in enumerate(steps, 1):
        live_before = {p.name: p.stat().st_ino for p in (kb / "articles").iterdir()} if kb.exists() else {}
        digests_before = {p.name: p.read_bytes() for p in (kb / "articles").iterdir()} if kb.exists() else {}
        build(inputs, kb, dumps=n % 2 == 0)
        assert spare.is_dir() == (n >= 2), n
        assert not (tmp_path / ".kb.new").exists() and not (tmp_path / ".kb.old").exists()
        same_as_full(kb, inputs, tmp_path, dumps=n % 2 == 0)
        assert sorted(p.name for p in kb.iterdir() if p.name.startswith(".")) == []
        if n >= 2:  # the spare is the previous KB: same article files, none rewritten in place
            kept = {p.name: p.read_bytes() for p in (spare / "articles").iterdir()}
            assert kept == digests_before, n
            assert {p.name: p.stat().st_ino for p in (spare / "articles").iterdir()} == live_before, n
            assert sorted(p.name for p in spare.iterdir()) == ["SPARE.json", "articles", "facts"]


def kb_with_spare(facts: list[Path], tmp_path: Path) -> tuple[Path, Path]:
    """A KB folder built three times (of 5, 6, then 7 articles), and the spare folder that left."""
    kb = tmp_path / "kb"
    spare = tmp_path / ".kb.spare"
    for inputs in (facts[:5], facts[:6], facts[:7]):
        build(inputs, kb)
    assert spare.is_dir()
    return kb, spare


def test_a_spare_that_does_not_match_is_not_used(facts, tmp_path):
    kb, spare = kb_with_spare(facts, tmp_path)
    damaged = sorted((spare / "articles").iterdir())[0]
    damaged.unlink()  # a new file: the old one is a hard link shared with the KB
    damaged.write_text("damaged")
    m = kb / "manifest.json"  # the KB changed since the spare was recorded: the spare is not trusted
    m.write_text(json.dumps(json.loads(m.read_text()), indent=2))
    build(facts[:8], kb)
    same_as_full(kb, facts[:8], tmp_path)
    shutil.rmtree(spare / "facts")  # a spare without its facts folder is not used either
    build(facts[1:8], kb)
    same_as_full(kb, facts[1:8], tmp_path)


def test_the_spare_signature_sees_files_renamed_added_or_removed(tmp_path):
    """The spare is recognised by its folders' inode and time stamps, not by listing them; a
    signature taken in the clock tick of a change also records the number of files."""
    for d in ("articles", "facts"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "a.ttl").write_text("a")
    racy = _dirs_signature(tmp_path, now_ns=time.time_ns())
    assert [len(sig) for sig in racy] == [4, 4] and racy[0][3] == racy[1][3] == 1
    time.sleep(0.1)  # beyond any clock tick: the stamps alone now tell a later change
    settled = _dirs_signature(tmp_path, now_ns=time.time_ns())
    assert [len(sig) for sig in settled] == [3, 3]
    assert _dirs_signature(tmp_path) == settled
    os.rename(tmp_path / "articles" / "a.ttl", tmp_path / "articles" / "b.ttl")  # same number of files
    after = _dirs_signature(tmp_path)
    assert after[0] != settled[0] and after[1] == settled[1]


def test_a_spare_whose_files_were_renamed_is_not_used(facts, tmp_path):
    kb, spare = kb_with_spare(facts, tmp_path)
    time.sleep(0.1)
    for sub in ("articles", "facts"):  # as many files as before, but one article's are gone
        first = sorted((spare / sub).iterdir())[0]
        first.rename(first.with_name("renamed-" + first.name))
    build(facts[:8], kb)
    same_as_full(kb, facts[:8], tmp_path)


def test_a_full_build_does_not_leave_a_spare_it_cannot_describe(facts, tmp_path):
    """A --full build (or one after a code change) does not trust the previous manifest, so it
    cannot say how the previous folder differs: the next build must not start from it blindly."""
    kb = tmp_path / "kb"
    build(facts[:6], kb)
    build(facts[:7], kb)                       # makes the spare
    build(facts[:5], kb, incremental=False)    # drops two articles without reading the manifest
    build(facts[:5] + [facts[7]], kb)          # incremental again
    same_as_full(kb, facts[:5] + [facts[7]], tmp_path)
    build(facts[:4] + [facts[7]], kb)
    same_as_full(kb, facts[:4] + [facts[7]], tmp_path)


def test_an_unchanged_article_given_as_text_then_as_its_facts_file_equals_full_builds(corpus, tmp_path):
    """The manifest's ``extracted`` flag follows the kind of input an unchanged graph came from:
    the article's text, then the facts file the build wrote for it, then the text again; each
    manifest is byte for byte what a full build of the same input writes."""
    text = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")[0]
    kb = tmp_path / "kb"
    build([text], kb)
    (aid, entry), = json.loads((kb / "manifest.json").read_text())["articles"].items()
    assert entry["extracted"] is True
    facts_file = tmp_path / "in" / f"{aid}.facts.json"
    facts_file.parent.mkdir()
    shutil.copyfile(kb / "facts" / facts_file.name, facts_file)
    r = build([facts_file], kb)
    assert [a.report for a in r.published] == [None]  # the graph was not made again
    assert json.loads((kb / "manifest.json").read_text())["articles"][aid]["extracted"] is False
    same_as_full(kb, [facts_file], tmp_path)
    build([text], kb)
    assert json.loads((kb / "manifest.json").read_text())["articles"][aid]["extracted"] is True
    same_as_full(kb, [text], tmp_path)


def test_rebuilds_do_not_pile_up_the_stores_info_logs(facts, tmp_path):
    """Each opening of the store for writing starts a RocksDB info log; only the newest old ones
    are kept (the data files are untouched: the store still equals a full build's)."""
    from newskb.store import INFO_LOGS_KEPT

    kb = tmp_path / "kb"
    for n in (2, 3, 2, 3, 2, 3):
        build(facts[:n], kb, dumps=False)
    old = [p.name for p in (kb / STORE_DIR).iterdir() if p.name.startswith("LOG.old.")]
    assert len(old) <= INFO_LOGS_KEPT
    same_as_full(kb, facts[:3], tmp_path, dumps=False)


def _sst_files(store_dir: Path) -> int:
    return sum(1 for p in store_dir.iterdir() if p.suffix == ".sst")


def test_a_bulk_loaded_store_is_compacted_and_a_one_article_update_is_not(facts, tmp_path):
    """The bulk loader leaves many small overlapping files, which every read looks into; a build's
    store is compacted once after its bulk load (the contract queries got 4-5 times faster at 1M
    triples: bench/), while adding one article (a transaction) leaves compaction to RocksDB."""
    kb = tmp_path / "kb"
    build(facts[:8], kb, jobs=2)  # the parallel build feeds the store while the workers run
    sdir = kb / STORE_DIR
    assert json.loads((sdir / STATE).read_text())["compacted"] is True
    assert is_current(sdir, kb)
    want = quads(kb)
    # a store filled by the bulk loader and never compacted (as the feeder leaves it): optimize
    # merges its files (what sync_store now does after every bulk load)
    src = open_kb(kb)
    graphs = sorted(src.named_graphs(), key=str)
    loose = tmp_path / "loose"
    store = ox.Store(str(loose))
    for i in range(0, len(graphs), 2):  # one bulk load per two graphs, as the feeder does per batch
        store.bulk_extend([q for g in graphs[i:i + 2] for q in src.quads_for_pattern(None, None, None, g)])
    store.flush()
    del store, src
    before = _sst_files(loose)
    store = ox.Store(str(loose))
    store.optimize()
    store.flush()
    del store
    assert _sst_files(loose) < before, "optimize did not merge the bulk loader's files"

    # one more article (loaded in a transaction): the state stays compacted
    build(facts[:9], kb)
    state = json.loads((sdir / STATE).read_text())
    assert state["compacted"] is True and len(state["graphs"]) == 9
    res = sync_store(sdir, kb)  # nothing to do, and no compaction either
    assert (res.added, res.removed, res.compacted) == (0, 0, False)
    # a state left uncompacted (older stores, an interrupted feeder) is compacted at the next sync
    state["compacted"] = False
    (sdir / STATE).write_text(json.dumps(state))
    assert sync_store(sdir, kb).compacted is True
    assert quads(kb) >= want and len(quads(kb)) > len(want)
