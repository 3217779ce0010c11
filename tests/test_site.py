"""``newskb site``: the same pages and documents as static files with relative links."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import rdflib

from newskb.site import _segments, write_site
from newskb.store import open_kb, query_text, run_select, saved_queries
from newskb.web.kbview import KBView


@pytest.fixture(scope="module")
def site(seed_kb, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    counts = write_site(seed_kb, out)
    assert counts["resources"] > 50
    return out


def test_pages_documents_and_data_files(site, seed_kb):
    view = KBView(seed_kb)
    for name in ("index.html", "entities.html", "claims.html", "timeline.html", "map.html", "query.html",
                 "ontology.html", "ontology.ttl", ".well-known/void", "void.ttl", "data/kb.nq", "data/kb.trig",
                 "static/style.css", "static/query.js"):
        assert (site / name).is_file(), name
    for iri in view.iris:
        segs = _segments(view.path_of(iri))
        for ext in ("html", "ttl", "jsonld", "nt"):
            assert site.joinpath(*segs[:-1], segs[-1] + "." + ext).is_file(), (iri, ext)
    person = sorted(i for i in view.iris if "/person/" in i)[0]
    segs = _segments(view.path_of(person))
    g = rdflib.Graph().parse(site.joinpath(*segs[:-1], segs[-1] + ".ttl"), format="turtle")
    assert (rdflib.URIRef(person), rdflib.RDF.type, rdflib.URIRef("https://w3id.org/newskb/ontology#Person")) in g


def test_every_relative_link_resolves(site):
    """Links are relative (the site can be hosted under any path) and point at files that exist."""
    pages = sorted(site.rglob("*.html"))
    assert pages
    broken = []
    for page in pages:
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            if href.startswith(("http://", "https://", "#", "mailto:")):
                continue
            assert not href.startswith("/"), f"{page}: absolute link {href}"
            target = (page.parent / unquote(urlsplit(href).path)).resolve()
            if not target.exists():
                broken.append((str(page.relative_to(site)), href))
    assert not broken, broken[:10]


def test_saved_query_results_match_newskb_query(site, seed_kb):
    store = open_kb(seed_kb)
    for name in saved_queries():
        res = run_select(store, query_text(name))
        data = json.loads((site / "queries" / f"{name}.json").read_text())
        assert data["head"]["vars"] == res.variables
        assert len(data["results"]["bindings"]) == len(res.rows)


def test_static_query_page_has_no_endpoint(site):
    page = (site / "query.html").read_text()
    assert 'data-endpoint=""' in page and "no SPARQL endpoint" in page


def test_file_names_never_escape_the_site():
    assert _segments("person/%2E%2E/x") == ["person", "%2E%2E", "x"]
    assert _segments("a/b%2Fc") == ["a", "b%2Fc"]
    assert _segments("place/local/caf%C3%A9") == ["place", "local", "café"]
