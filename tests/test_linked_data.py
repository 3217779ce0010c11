"""Issue 26: linked data and pages that explain themselves to a crawler and to an analyst.

Served by the session's ``newskb serve`` of the corpus KB (tests/serving.py). Each fix of the
issue has its regression test here; the browser's view is in test_browser.py.
"""

from __future__ import annotations

import html
import re
import warnings

import pyoxigraph as ox
import pytest
import rdflib
from SPARQLWrapper import JSON, TSV, SPARQLWrapper

from newskb.store import query_text, saved_queries
from newskb.web.pages import Pages
from serving import QUERY_TIMEOUT

NKB = "https://w3id.org/newskb/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RUTTE = "https://w3id.org/newskb/person/mark-rutte"


def _path(view, iri: str) -> str:
    return "/" + iri[len(view.base):]


def _triples(g: rdflib.Graph) -> set:
    return {(str(s), str(p), o.n3() if isinstance(o, rdflib.Literal) else str(o)) for s, p, o in g}


# ---- the must-show -----------------------------------------------------------------------------
def test_person_jsonld_is_compact_its_context_resolves_and_it_expands_to_the_turtle(client, view):
    from pyld import jsonld

    doc = client.get(_path(view, RUTTE) + ".jsonld")
    assert doc.status_code == 200 and doc.headers["content-type"].startswith("application/ld+json")
    data = doc.json()
    assert data["@context"] == "https://w3id.org/newskb/ontology/context.jsonld"
    assert all(k.startswith("@") or ":" in k for node in data["@graph"] for k in node)  # compact IRIs
    assert '"https://w3id.org/newskb/ontology#' not in doc.text

    def loader(url, options=None):  # the context IRI under the KB's base, resolved at the server
        r = client.get("/" + url[len(view.base):])
        assert r.status_code == 200, url
        return {"contextUrl": None, "documentUrl": url, "document": r.json()}

    nquads = jsonld.to_rdf(data, {"format": "application/n-quads", "documentLoader": loader})
    from_jsonld = {(q.subject.value, q.predicate.value, str(q.object) if isinstance(q.object, ox.Literal) else q.object.value)
                   for q in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)}
    ttl = client.get(_path(view, RUTTE) + ".ttl").content
    from_turtle = {(t.subject.value, t.predicate.value, str(t.object) if isinstance(t.object, ox.Literal) else t.object.value)
                   for t in ox.parse(ttl, format=ox.RdfFormat.TURTLE)}
    assert from_jsonld == from_turtle and len(from_turtle) > 50


def test_the_version_iri_and_the_context_answer(client, view):
    assert view.ontology_version_path == "ontology/0.1.0"
    for accept, ctype in (("text/turtle", "text/turtle"), ("text/html", "text/html"), ("application/rdf+xml", "application/rdf+xml")):
        r = client.get("/ontology/0.1.0", headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(ctype), accept
    g = rdflib.Graph().parse(data=client.get("/ontology/0.1.0", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/newskb/ontology"), rdflib.OWL.versionIRI,
            rdflib.URIRef("https://w3id.org/newskb/ontology/0.1.0")) in g
    assert client.get("/ontology/9.9.9").status_code == 404
    ctx = client.get("/ontology/context.jsonld")
    assert ctx.status_code == 200 and ctx.headers["access-control-allow-origin"] == "*"
    assert ctx.json()["@context"]["nkb"] == NKB


def test_every_iri_the_data_uses_under_the_base_dereferences(client, view):
    """Subjects, objects and graph names under the base (hash IRIs through their document)."""
    used = set()
    for q in view.store.quads_for_pattern(None, None, None, None):
        for t in (q.subject, q.object, q.graph_name):
            if isinstance(t, ox.NamedNode) and t.value.startswith(view.base):
                used.add(t.value.split("#")[0])
    assert len(used) > 1000
    for iri in sorted(used)[:: max(1, len(used) // 150)] + ["https://w3id.org/newskb/ontology"]:
        r = client.get(_path(view, iri), headers={"Accept": "text/turtle"}, follow_redirects=True)
        assert r.status_code == 200, iri


def test_void_triples_equal_the_endpoint_and_its_subsets_the_graphs(client, view):
    g = rdflib.Graph().parse(data=client.get("/.well-known/void").text, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = g.value(rdflib.URIRef(view.base + ".well-known/void"), rdflib.FOAF.primaryTopic)

    def count(q: str) -> int:
        r = client.get("/sparql", params={"query": q})
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    assert int(g.value(ds, VOID.triples)) == count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    subsets = {str(s).rsplit("#", 1)[1]: int(g.value(s, VOID.triples)) for s in g.objects(ds, VOID.subset)}
    assert subsets["ontology"] == count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/newskb/ontology> { ?s ?p ?o } }")
    assert subsets["articles"] == count(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER (STRSTARTS(STR(?g), 'https://w3id.org/newskb/graph/') && ?g != <https://w3id.org/newskb/graph/inferred>) } }")
    # the home page shows the same counts as VoID; its groups are the entities page's
    home = html.unescape(re.sub(r"<[^>]+>", "", client.get("/").text))
    assert f"{int(g.value(ds, VOID.triples)):,} triples" in home
    entities = client.get("/entities").text
    for name, n in re.findall(r'<h2 id="[^"]+">([^<]+) <span class="count">(\d+)</span>', entities):
        assert f"{n} {name.lower()}" in home, name


def test_a_query_in_schema_org_and_prov_terms_only_finds_rutte_his_statements_and_their_article(client):
    text = query_text("attributions")
    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#"))
    iris = set(re.findall(r"<([^>]+)>", body))
    assert iris == {"https://schema.org/", "http://www.w3.org/ns/prov#"}, iris  # no other vocabulary
    assert not re.search(r"\b(nkb|rdfs|owl|skos|geo):", body)
    r = client.get("/sparql", params={"query": text})
    rows = r.json()["results"]["bindings"]
    mine = [b for b in rows if b.get("agentName", {}).get("value") == "Mark Rutte"]
    statements = [b for b in mine if "/statement/" in b["entity"]["value"]]
    assert len(statements) >= 5 and all(b.get("value") for b in statements)
    assert any("I can confirm that North Korean troops" in b["value"]["value"] for b in statements)
    ft = {b["article"]["value"] for b in statements}
    assert "https://w3id.org/newskb/article/2024-10-28-ft-nato-north-korean-troops-kursk" in ft
    assert all(b.get("articleName") and b.get("datePublished") for b in statements)


# ---- documents name what they link to -------------------------------------------------------------
def test_every_document_gives_the_labels_and_types_of_what_it_links_to(view):
    """For every resource: each resource its description links to that has a label and a type in
    the KB has them in the document too (the issue counted 2,993 of 3,164 documents without)."""
    missing = []
    for iri in sorted(view.iris):
        desc = view.description(iri)
        have = {(t.subject.value, t.predicate.value) for t in desc}
        linked = {n.value for t in desc for n in (t.subject, t.object) if isinstance(n, ox.NamedNode)}
        for other in linked - {iri}:
            if other in view.labels and not other.startswith(iri + "#") and (other, RDFS_LABEL) not in have:
                missing.append((iri, other, "label"))
            if view.types_of(other) and (other, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") not in have:
                missing.append((iri, other, "type"))
    assert not missing, f"{len(missing)} links without label or type, e.g. {missing[:3]}"


def test_a_statement_document_names_its_speaker(client, view):
    st = next(i for i in sorted(view.iris) if "/statement/" in i)
    g = rdflib.Graph().parse(data=client.get(_path(view, st) + ".ttl").text, format="turtle")
    speaker = g.value(rdflib.URIRef(st), rdflib.URIRef(NKB + "speaker"))
    assert g.value(speaker, rdflib.RDFS.label) is not None and g.value(speaker, rdflib.RDF.type) is not None
    assert str(g.value(rdflib.URIRef(st), rdflib.RDFS.label)).startswith(str(g.value(speaker, rdflib.RDFS.label)) + ": ")


def test_documents_in_rdfxml_hold_the_turtle_triples(client, view):
    r = client.get(_path(view, RUTTE), headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 303 and r.headers["location"].endswith(".rdf")
    x = client.get(r.headers["location"])
    assert x.headers["content-type"].startswith("application/rdf+xml")
    g_xml = rdflib.Graph().parse(data=x.text, format="xml")
    g_ttl = rdflib.Graph().parse(data=client.get(_path(view, RUTTE) + ".ttl").text, format="turtle")
    assert _triples(g_xml) == _triples(g_ttl)
    assert client.get("/.well-known/void", headers={"Accept": "application/rdf+xml"}).headers["content-type"].startswith(
        "application/rdf+xml")


# ---- protocol -------------------------------------------------------------------------------------
def test_two_query_parameters_are_refused(client):
    q = "ASK {}"
    r = client.get("/sparql", params=[("query", q), ("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1")])
    assert r.status_code == 400 and "exactly one" in r.text
    r = client.post("/sparql", content=f"query={q}&query={q}".encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400
    assert client.get("/sparql", params={"query": q}).status_code == 200


def test_cors_preflight_on_sparql(client):
    r = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                           "Access-Control-Request-Headers": "content-type"})
    assert r.status_code in (200, 204)
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "content-type" in r.headers["access-control-allow-headers"].lower()


@pytest.mark.parametrize("accept,refused", [
    ("application/ld+json;q=0, application/*", ".jsonld"),       # not served through application/json
    ("text/turtle;q=0, text/*;q=0.9, */*;q=0.1", ".ttl"),        # nor through text/n3
    ("application/n-triples; q=0, text/plain, text/html;q=0", ".nt"),
    ("text/html;Q=0, */*", ".html"),                              # the parameter name is case-insensitive
])
def test_q0_is_honoured(client, view, accept, refused):
    r = client.get(_path(view, RUTTE), headers={"Accept": accept})
    assert r.status_code in (303, 406)
    if r.status_code == 303:
        assert not r.headers["location"].endswith(refused), (accept, r.headers["location"])


def test_q0_is_honoured_for_results(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                   headers={"Accept": "application/sparql-results+json;q=0, application/*"})
    assert r.status_code == 200 and "json" not in r.headers["content-type"]


def test_retry_after_on_503(client):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = client.get("/sparql", params={"query": slow}, timeout=QUERY_TIMEOUT + 30)
    assert r.status_code == 503 and int(r.headers["retry-after"]) > 0


def test_sparqlwrapper_takes_every_saved_query_for_what_it_is(server):
    """SPARQLWrapper keeps every other comment line and looks for a query form anywhere: the word
    "described" in actors.rq made it a DESCRIBE query."""
    from pathlib import Path

    from newskb.resources import queries_dir

    for f in sorted(Path(queries_dir()).rglob("*.rq")):
        sw = SPARQLWrapper(server.url + "/sparql")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            sw.setQuery(f.read_text())
        assert sw.queryType == "SELECT", f.name


@pytest.mark.parametrize("name", saved_queries())
def test_sparqlwrapper_gets_tsv_when_it_asks_for_tsv(server, name):
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(query_text(name))
    sw.setReturnFormat(TSV)
    res = sw.query()
    assert "tab-separated-values" in res.info()["content-type"], name
    assert res.convert().decode().split("\n", 1)[0].startswith("?")


def test_tsv_asked_as_sparqlwrapper_asks_when_its_accept_is_any(client):
    """What SPARQLWrapper sends for a query it takes for DESCRIBE (or CONSTRUCT) with TSV: the
    format parameters repeated, the second empty, and Accept */*. The server used the last."""
    q = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"
    params = [("query", q)] + [(k, v) for k in ("format", "output", "results") for v in ("tsv", "")]
    r = client.get("/sparql", params=params, headers={"Accept": "*/*"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/tab-separated-values")
    sw = SPARQLWrapper(client.base_url.join("/sparql").__str__())
    sw.setQuery(q)
    sw.setReturnFormat(JSON)
    assert "results" in sw.query().convert()


# ---- pages ----------------------------------------------------------------------------------------
def _visible(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_inverse_properties_read_as_english(client, view):
    for iri in ("https://w3id.org/newskb/place/country/UA", RUTTE,
                next(i for i in sorted(view.iris) if "/statement/" in i and any(
                    t.predicate.value == NKB + "statedIn" for t in view.incoming(i)))):
        text = _visible(client.get(_path(view, iri) + ".html").text)
        assert not re.search(r"\bis [\w ]+ of\b", text.split("Referenced by")[-1]), iri
        assert "Referenced by" in text
    ua = _visible(client.get("/place/country/UA.html").text)
    assert "contains" in ua and "is contains of" not in ua and "is located in of" not in ua


def test_every_object_property_has_an_inverse_label(view):
    from newskb.resources import ontology_graph

    g = ontology_graph()
    props = [p for p in g.subjects(rdflib.RDF.type, rdflib.OWL.ObjectProperty) if str(p).startswith(NKB)]
    assert props and all(g.value(p, rdflib.URIRef(NKB + "inverseLabel")) is not None for p in props)


def test_large_numbers_are_written_out(client, view):
    """Every disputed figure is written as people write it (the page printed 1.2e+06). Which
    figures are disputed depends on the corpus and the extraction (the 1,200,000 the issue saw is
    no longer among them), so that figure is checked through the formatter the page uses."""
    from newskb.labels import format_number

    claims = _visible(client.get("/claims").text)
    rows = view.select(query_text("conflicting-claims"))
    assert rows and "e+0" not in claims and re.search(r"\d{1,3},\d{3}", claims)
    for r in rows:
        assert format_number(r["value"].value) in claims, r["value"].value
    assert format_number(1.2e6) == format_number("1200000") == "1,200,000"


def test_the_article_without_a_title_is_titled_by_its_first_sentence(client, view):
    ft = "https://w3id.org/newskb/article/2024-10-28-ft-nato-north-korean-troops-kursk"
    page = client.get(_path(view, ft) + ".html").text
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert "ft-nato" not in title and html.unescape(title).startswith("Nato has confirmed")
    assert "derived from its first sentence" in page
    home = client.get("/").text
    assert "2024-10-28-ft-nato-north-korean-troops-kursk</a>" not in home


def test_query_page_shows_labels_not_iris(client):
    r = client.post("/query", data={"query": query_text("statements")})
    cells = re.findall(r"<td><a [^>]*>([^<]*)</a></td>", r.text)
    assert cells and not any(c.startswith("https://") for c in cells)
    assert "Mark Rutte" in cells


def test_no_raw_iri_path_on_pages_where_a_label_exists(view):
    pages = Pages(view)
    paths = {unquote_path(iri[len(view.base):]): iri for iri in view.iris if iri in view.labels}
    sample = sorted(view.iris)[:: max(1, len(view.iris) // 120)]
    for iri in sample:
        text = _visible(pages.resource(iri))
        kinds = "person|org|statement|claim|span|event|place|article|kind|role|group|force|government"
        shown = [p for p in re.findall(rf"\b(?:{kinds})/[^\s<>\"“”]+", text)
                 if p in paths]
        assert not shown, (iri, shown[:3])


def unquote_path(p: str) -> str:
    from urllib.parse import unquote

    return unquote(p)


def test_map_labels_do_not_overlap_and_stay_inside():
    from newskb.web import basemap

    pts = [basemap.Point(50.0 + i * 0.01, 30.0 + i * 0.01, f"Town number {i}") for i in range(8)]
    pts += [basemap.Point(10.0, 179.0, "Far east edge city"), basemap.Point(-60.0, -179.0, "Far west edge city")]
    svg = basemap.render(pts)
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    boxes = []
    for x, y, anchor, text in re.findall(r'<text class="pl" x="([\d.-]+)" y="([\d.-]+)"(?: text-anchor="(\w+)")?>([^<]+)</text>', svg):
        w = len(text) * basemap.CHAR_WIDTH
        left = float(x) - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
        box = (left, float(y) - basemap.LABEL_HEIGHT + 3, left + w, float(y) + 3)
        assert box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height, text
        assert not any(basemap._overlaps(box, b) for b in boxes), text
        boxes.append(box)
    assert "Far east edge city" in svg and "Far west edge city" in svg
    assert svg.count("<circle") == len(pts)  # every dot is drawn, labelled or not
