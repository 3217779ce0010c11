"""The saved queries' answers, cached per KB version (``newskb.answers``), and ``newskb serve``
answering from them: the store's bytes in every format, entity tags and 304, the row limit,
and every other query on the store (the ``X-Newskb-Engine`` header says which answered)."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from starlette.testclient import TestClient

from newskb.answers import FORMATS, AnswerCache
from newskb.kbfolder import ANSWERS_DIR, MANIFEST, STORE_DIR
from newskb.server import create_app
from newskb.store import kb_version, open_kb, query_text, run_select_serialized, saved_queries
from newskb.web.views import ENGINE_HEADER


@pytest.fixture(scope="module")
def kb(corpus_kb, tmp_path_factory):
    """A copy of the corpus KB with its answers computed."""
    d = tmp_path_factory.mktemp("answers") / "kb"
    shutil.copytree(corpus_kb, d)
    AnswerCache(d).fill()
    return d


def test_every_answer_is_the_store_bytes_in_every_format(kb):
    cache = AnswerCache(kb)
    store = open_kb(kb)
    assert cache.complete()
    for name in saved_queries():
        for fmt, rf in FORMATS.items():
            hit = cache.get(name, fmt)
            assert hit.read() == run_select_serialized(store, query_text(name), rf), (name, fmt)
        assert cache.get(name, "json").rows > 0 or name == "deployments"
        assert cache.saved_name(query_text(name)) == name  # found by its exact text too
    assert cache.saved_name("SELECT * WHERE { ?s ?p ?o }") is None


def test_a_new_kb_version_has_new_answers_and_the_old_ones_go(kb, tmp_path):
    d = tmp_path / "kb"
    shutil.copytree(kb, d)
    old = AnswerCache(d)
    assert old.complete()
    manifest = json.loads((d / MANIFEST).read_text())  # one article fewer: another version
    gone = sorted(manifest["articles"])[0]
    del manifest["articles"][gone]
    (d / MANIFEST).write_text(json.dumps(manifest))
    new = AnswerCache(d)
    assert new.version != old.version == kb_version(kb) and not new.complete()
    assert new.get("actors", "json") is None
    # the store was brought up to date for the new version: the old answers went with it
    assert not old.dir.exists()
    (d / STORE_DIR / ANSWERS_DIR / "another-version").mkdir(parents=True)  # left by a server of the old one
    new.fill()
    assert new.complete() and [p.name for p in (d / STORE_DIR / ANSWERS_DIR).iterdir()] == [new.dir.name]
    assert new.get("actors", "json").etag != old.etag("actors", "json")


def test_the_server_answers_saved_queries_from_the_cache_with_etags(kb):
    store = open_kb(kb)
    with TestClient(create_app(kb, workers=1)) as client:
        for name in ("deployments", "statements"):
            text = query_text(name)
            for fmt, rf in FORMATS.items():
                r = client.get(f"/queries/{name}.{fmt}")
                assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "cache", r.text
                assert r.content == run_select_serialized(store, text, rf)
                assert r.headers["content-type"].startswith(rf.media_type)
                again = client.get(f"/queries/{name}.{fmt}", headers={"If-None-Match": r.headers["etag"]})
                assert again.status_code == 304 and not again.content and again.headers["etag"] == r.headers["etag"]
                other = client.get(f"/queries/{name}.{fmt}", headers={"If-None-Match": '"another-version"'})
                assert other.status_code == 200 and other.content == r.content
            for fmt, accept in (("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
                                ("csv", "text/csv"), ("tsv", "text/tab-separated-values")):
                r = client.post("/sparql", data={"query": text}, headers={"Accept": accept})
                assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "cache", r.text
                assert r.content == run_select_serialized(store, text, FORMATS[fmt])
            # a dataset named in the request, or any other query: the store
            r = client.post("/sparql", data={"query": text, "default-graph-uri": "https://w3id.org/newskb/ontology"})
            assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "store"
        r = client.post("/sparql", data={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"})
        assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "store"
        assert client.get("/queries/actors.html").status_code == 404


def test_the_row_limit_holds_for_cached_answers_and_the_cache_can_be_turned_off(kb):
    with TestClient(create_app(kb, workers=1, max_results=10)) as client:
        r = client.get("/queries/provenance.json")
        assert r.status_code == 400 and "more than 10 rows" in r.text
    app = create_app(kb, workers=1, cached_answers=False)
    with TestClient(app) as client:
        r = client.get("/queries/deployments.json")
        assert r.status_code == 200 and r.headers[ENGINE_HEADER] == "store"
        assert r.content == run_select_serialized(open_kb(kb), query_text("deployments"), FORMATS["json"])


def test_the_server_fills_a_missing_cache_in_the_background(kb, tmp_path):
    d = tmp_path / "kb"
    shutil.copytree(kb, d, ignore=shutil.ignore_patterns(ANSWERS_DIR))
    assert not AnswerCache(d).complete()
    with TestClient(create_app(d, workers=1)) as client:
        # answered at once, from the store, while the cache is filled
        first = client.get("/queries/deployments.json")
        assert first.status_code == 200
        deadline = time.monotonic() + 120
        while not AnswerCache(d).complete() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert AnswerCache(d).complete()
        r = client.get("/queries/deployments.json")
        assert r.headers[ENGINE_HEADER] == "cache" and r.content == first.content
