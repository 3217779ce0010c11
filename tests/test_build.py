"""End to end: build, validate, parse with rdflib and rapper, query contract, byte-identical rebuilds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph

from helpers import ROOT, SEED
from newskb.resources import queries_dir
from newskb.store import open_kb, query_text, run_select

CONTRACT = {
    "statements": "?statement ?speaker ?speakerLabel ?date ?text ?direct ?article",
    "numeric-claims": "?claim ?claimant ?claimantLabel ?kind ?kindLabel ?value ?unit ?qualifier ?date ?article",
    "conflicting-claims": "?claim ?claimant ?claimantLabel ?kind ?kindLabel ?value ?unit ?qualifier ?date ?article"
                          " ?status ?maxValue ?measure ?measureLabel ?place ?timeStart ?timeEnd",
    "deployments": "?deployment ?force ?forceLabel ?country ?countryLabel ?place ?placeLabel ?size ?date ?confirmedBy ?confirmedByLabel",
    "places": "?place ?placeLabel ?placeType ?lat ?long ?within ?withinLabel ?sameAs",
    "actors": "?actor ?actorLabel ?actorType ?role ?roleLabel ?affiliation ?affiliationLabel ?sameAs",
    "events": "?event ?type ?typeLabel ?date ?place ?placeLabel ?participant ?participantLabel ?article",
    "provenance": "?fact ?article ?start ?end ?exact",
}


def newskb(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("newskb")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=ROOT, check=check)


def published_files(kb: Path) -> list[Path]:
    return sorted(p for p in kb.rglob("*") if p.is_file() and not any(
        part == "store" or part.startswith(".") for part in p.relative_to(kb).parts))


def test_cli_build_then_validate_exits_0(tmp_path):
    out = tmp_path / "kb"
    r = newskb("build", str(SEED), "--out", str(out), "--quiet")
    assert r.returncode == 0, r.stderr + r.stdout
    assert "1 published" in r.stdout and "every published graph conforms" in r.stdout
    v = newskb("validate", "--kb", str(out))
    assert v.returncode == 0, v.stdout + v.stderr
    assert "1 conform, 0 do not" in v.stdout


def test_published_files_parse_in_rdflib_without_blank_nodes(seed_kb):
    ds = Dataset()
    ds.parse(seed_kb / "kb.trig", format="trig")
    nq = Dataset()
    nq.parse(seed_kb / "kb.nq", format="nquads")
    assert len(list(ds.quads())) == len(list(nq.quads())) > 500
    for ttl in (seed_kb / "articles").glob("*.ttl"):
        g = Graph().parse(ttl, format="turtle")
        assert not [t for t in g if any(isinstance(x, BNode) for x in t)]


def test_published_files_parse_in_rapper(seed_kb, rapper):
    for f, syntax in [(seed_kb / "kb.trig", "trig"), (seed_kb / "kb.nq", "nquads"),
                      *[(p, "turtle") for p in (seed_kb / "articles").glob("*.ttl")]]:
        r = subprocess.run([rapper, "-i", syntax, "-c", str(f)], capture_output=True, text=True)
        assert r.returncode == 0, f"{f}: {r.stderr}"


def test_query_headers_state_their_variables():
    for name, variables in CONTRACT.items():
        text = (queries_dir() / f"{name}.rq").read_text()
        assert text.startswith("# Question:"), name
        assert variables in " ".join(text.split()), f"{name}.rq header/select does not list {variables}"


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_contract_queries_return_their_variables(seed_kb, name):
    res = run_select(open_kb(seed_kb), query_text(name))
    assert res.variables == CONTRACT[name].replace("?", "").split()
    assert res.rows, f"{name} returned no rows on the seed article"


def test_query_formats(seed_kb):
    js = newskb("query", "places", "--kb", str(seed_kb), "--format", "json")
    assert js.returncode == 0, js.stderr
    data = json.loads(js.stdout)
    assert data["head"]["vars"] == CONTRACT["places"].replace("?", "").split()
    b = data["results"]["bindings"][0]
    assert b["place"]["type"] == "uri"
    csv_out = newskb("query", "places", "--kb", str(seed_kb), "--format", "csv").stdout
    assert csv_out.splitlines()[0] == ",".join(CONTRACT["places"].replace("?", "").split())
    tsv_out = newskb("query", "places", "--kb", str(seed_kb), "--format", "tsv").stdout
    assert tsv_out.splitlines()[0].split("\t")[0] == "?place"
    table = newskb("query", "statements", "--kb", str(seed_kb)).stdout
    assert "rows)" in table


def test_query_errors_exit_2(seed_kb, tmp_path):
    r = newskb("query", "no-such-query", "--kb", str(seed_kb))
    assert r.returncode == 2 and "saved queries:" in r.stderr
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT WHERE {")
    r = newskb("query", str(bad), "--kb", str(seed_kb))
    assert r.returncode == 2 and "malformed SPARQL" in r.stderr
    r = newskb("query", "places", "--kb", str(tmp_path))
    assert r.returncode == 2 and "not a newskb KB folder" in r.stderr


def test_provenance_spans_match_article_bodies(corpus_kb, corpus):
    from newskb.article import read_article

    bodies = {}
    for p in corpus.iterdir():
        a = read_article(p)
        bodies[a.id] = a.body
    rows = run_select(open_kb(corpus_kb), query_text("provenance")).rows
    assert len(rows) > 1000
    for fact, article, start, end, exact in rows:
        aid = article.value.rsplit("/", 1)[1]
        assert bodies[aid][int(start.value):int(end.value)] == exact.value, (fact, start, end)


def test_rebuild_is_byte_identical(seed_kb, tmp_path):
    from newskb.build import build

    again = tmp_path / "kb"
    build([SEED], again)
    a = {p.relative_to(seed_kb): p.read_bytes() for p in published_files(seed_kb)}
    b = {p.relative_to(again): p.read_bytes() for p in published_files(again)}
    assert a == b


def test_facts_files_rebuild_without_nlp(seed_kb, tmp_path):
    """A reviewed facts file builds to the same graph as the article it came from."""
    from newskb.build import build

    facts = next((seed_kb / "facts").glob("*.facts.json"))
    out = tmp_path / "kb"
    result = build([facts], out)
    assert result.ok, result.summary()
    assert (out / "kb.nq").read_bytes() == (seed_kb / "kb.nq").read_bytes()


def test_bad_inputs_do_not_stop_the_batch(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "broken.facts.json").write_text("{not json")
    (tmp_path / "in" / "seed.txt").write_bytes(SEED.read_bytes())
    r = newskb("build", str(tmp_path / "in"), "--out", str(tmp_path / "kb"), "--quiet")
    assert r.returncode == 1
    assert "1 published" in r.stdout
    assert "empty.txt: empty file" in r.stdout and "broken.facts.json" in r.stdout


def test_non_conforming_graph_is_refused(seed_kb, tmp_path):
    """A facts file whose statement speaker is a place maps to a graph the shapes reject."""
    from newskb.build import build
    from newskb.facts import FactsDocument

    doc = FactsDocument.from_json(next((seed_kb / "facts").glob("*.facts.json")).read_text())
    place = doc.places[0]
    # forge an entity that is also typed as a place by giving it the place's key
    ent = doc.entities[0]
    ent.key = "place/" + place.key
    f = tmp_path / "forged.facts.json"
    f.write_text(doc.to_json())
    result = build([f], tmp_path / "kb")
    assert not result.ok and len(result.refused) == 1
    assert "does not conform" in result.summary()
    assert not (tmp_path / "kb" / "articles" / f"{doc.article.id}.ttl").exists()


@pytest.mark.slow
def test_repository_kb_equals_fresh_rebuild(corpus_kb, tmp_path):
    """kb/ is the published build of every article in ../shared/corpus ('make kb': build, then
    reason), byte for byte."""
    import shutil

    from newskb.reason import reason

    fresh = tmp_path / "kb"
    shutil.copytree(corpus_kb, fresh, ignore=shutil.ignore_patterns("store"))
    assert reason(fresh, load_store=False).consistent
    kb = ROOT / "kb"
    want = {p.relative_to(fresh).as_posix(): p.read_bytes() for p in published_files(fresh)}
    have = {p.relative_to(kb).as_posix(): p.read_bytes() for p in published_files(kb)
            if p.name != "README.md" and not p.name.startswith(".")}
    assert sorted(have) == sorted(want), "kb/ has different files than a fresh build: run 'make kb' and commit"
    changed = [name for name in want if have[name] != want[name]]
    assert not changed, f"kb/ differs from a fresh build in {changed[:5]}: run 'make kb' and commit"


def test_incremental_rebuild_reuses_unchanged_articles(tmp_path):
    """The second build of unchanged inputs re-extracts nothing and writes the same bytes."""
    from newskb.build import build

    src = tmp_path / "in"
    src.mkdir()
    (src / "seed.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "kb"
    first = build([src], out)
    before = {p.relative_to(out): p.read_bytes() for p in published_files(out)}
    second = build([src], out)
    assert first.reused == [] and second.reused == ["seed"]
    assert {p.relative_to(out): p.read_bytes() for p in published_files(out)} == before
    full = build([src], out, incremental=False)
    assert full.reused == []


def test_two_builds_at_once_are_refused(tmp_path):
    import fcntl

    from newskb.build import BuildError, build

    out = tmp_path / "kb"
    with open(tmp_path / ".kb.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BuildError, match="another build"):
            build([SEED], out)


def test_build_pauses_the_garbage_collector_and_restores_it(seed_kb, tmp_path):
    """A build runs with the cyclic collector paused (its per-article records would set off full
    collections) and leaves it as it found it, on or off."""
    import gc

    from newskb.build import build

    facts = next((seed_kb / "facts").glob("*.facts.json"))
    seen = []
    gc.callbacks.append(lambda phase, info: seen.append(info["generation"]) if phase == "start" else None)
    try:
        assert gc.isenabled()
        assert build([facts], tmp_path / "a").ok and gc.isenabled()
        gc.collect()
        seen.clear()
        gc.disable()
        try:
            assert build([facts], tmp_path / "b").ok and not gc.isenabled()
        finally:
            gc.enable()
        assert seen == []  # no automatic collection ran while the collector was off
    finally:
        gc.callbacks.pop()


def test_inputs_in_nested_folders_are_listed_in_path_order(tmp_path):
    """Folders are listed as ``sorted(Path.rglob)`` would list them (the order the build and its
    manifest follow), names that share a prefix with a folder's name included; hidden files,
    other suffixes and links to folders are left out."""
    from newskb.build import collect_inputs

    names = ["a", "a-b", "a.b", "a b", "ab", "A", "b", "é", "a0"]
    for n in names:
        (tmp_path / n).mkdir()
        for m in names:
            (tmp_path / n / f"{m}.txt").write_text("x")
        (tmp_path / f"{n}.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "notes.csv").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    want = sorted(p for p in tmp_path.rglob("*.txt") if "link" not in p.parts and not p.name.startswith("."))
    assert collect_inputs([tmp_path]) == want and len(want) == 90


def test_a_failure_while_finishing_one_article_costs_only_that_article(corpus, tmp_path, monkeypatch):
    """An error while one article is validated is reported for that article, and the others are
    published as without it."""
    from newskb import build as build_mod
    from newskb.build import build

    texts = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md", ".html"))[:3]
    assert len(texts) == 3
    real = build_mod.validate_graph
    victim: list[str] = []

    def failing(nt, *, name):
        if not victim:
            victim.append(name)
            raise RuntimeError("the engine stopped")
        return real(nt, name=name)

    monkeypatch.setattr(build_mod, "validate_graph", failing)
    result = build(texts, tmp_path / "kb", incremental=False)
    assert len(result.failed) == 1 and len(result.published) == 2
    source, message = result.failed[0]
    assert "internal error (RuntimeError: the engine stopped)" in message
    published = {Path(a.source).name for a in result.published}
    assert Path(source).name in {p.name for p in texts} and Path(source).name not in published
    assert published == {p.name for p in texts} - {Path(source).name}
