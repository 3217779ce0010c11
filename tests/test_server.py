"""``newskb serve``: the SPARQL protocol, dereferenceable IRIs, VoID, pages, and what it refuses.

One server (a subprocess on a free loopback port) serves the corpus KB for the whole session.
"""

from __future__ import annotations

import html
import http.client
import re
from urllib.parse import urlsplit

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from helpers import CORPUS
from newskb.store import open_kb, query_text, run_select, saved_queries
from newskb.web.kbview import KBView
from serving import QUERY_TIMEOUT, jsonld_graph

NKB = "https://w3id.org/newskb/ontology#"


def _key(t) -> tuple:
    """A pyoxigraph term as the (type, value, datatype/lang) SPARQL JSON gives."""
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("uri", t.value, None)
    if t.language:
        return ("literal", t.value, "@" + t.language)
    dt = t.datatype.value
    return ("literal", t.value, None if dt.endswith("#string") else dt)


def _json_key(b) -> tuple | None:
    if b is None:
        return None
    if b["type"] == "uri":
        return ("uri", b["value"], None)
    if "xml:lang" in b:
        return ("literal", b["value"], "@" + b["xml:lang"])
    return ("literal", b["value"], b.get("datatype"))


# ---- SPARQL protocol ----------------------------------------------------------------------------
@pytest.mark.filterwarnings("ignore:Sending Accept header:RuntimeWarning")  # SPARQLWrapper guesses DESCRIBE from a comment
@pytest.mark.parametrize("name", saved_queries())
def test_sparqlwrapper_runs_every_contract_query_like_newskb_query(server, corpus_kb, name):
    """SPARQLWrapper against the server gives the same rows as store.run_select locally."""
    local = run_select(open_kb(corpus_kb), query_text(name))
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(query_text(name))
    sw.setReturnFormat(JSON)
    got = sw.query().convert()
    assert got["head"]["vars"] == local.variables
    remote_rows = [tuple(_json_key(b.get(v)) for v in local.variables) for b in got["results"]["bindings"]]
    local_rows = [tuple(_key(t) for t in row) for row in local.rows]
    assert len(local_rows) > 0 or name in ("deployments",), f"{name} gave no rows on the corpus"
    assert remote_rows == local_rows


@pytest.mark.parametrize("fmt,ctype", [(XML, "sparql-results+xml"), (CSV, "text/csv"), (TSV, "tab-separated")])
def test_sparqlwrapper_other_result_formats(server, fmt, ctype):
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(f"PREFIX nkb: <{NKB}> SELECT ?a WHERE {{ ?a a nkb:Article }} ORDER BY ?a")
    sw.setReturnFormat(fmt)
    res = sw.query()
    assert ctype in res.info()["content-type"]
    body = res.convert()
    text = body.toxml() if hasattr(body, "toxml") else body.decode() if isinstance(body, bytes) else str(body)
    assert "https://w3id.org/newskb/article/" in text


def test_protocol_get_post_form_and_direct_body(client, view):
    q = f"PREFIX nkb: <{NKB}> SELECT (COUNT(*) AS ?n) WHERE {{ ?a a nkb:Article }}"
    counts = set()
    for r in (client.get("/sparql", params={"query": q}),
              client.post("/sparql", data={"query": q}),
              client.post("/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query"})):
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/sparql-results+json")
        counts.add(r.json()["results"]["bindings"][0]["n"]["value"])
    assert counts == {str(len(view.articles))}


@pytest.mark.parametrize("accept,fmt,ctype", [
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/csv", None, "text/csv"), ("text/tab-separated-values", None, "text/tab-separated-values"),
    (None, "csv", "text/csv"), (None, "xml", "application/sparql-results+xml"), (None, "tsv", "text/tab-separated-values")])
def test_select_formats_by_accept_and_format_parameter(client, accept, fmt, ctype):
    params = {"query": f"PREFIX nkb: <{NKB}> SELECT ?a WHERE {{ ?a a nkb:Article }} LIMIT 3"}
    if fmt:
        params["format"] = fmt
    r = client.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype)
    assert r.text.count("https://w3id.org/newskb/article/") == 3


def test_ask_and_construct_describe(client, view):
    r = client.get("/sparql", params={"query": f"ASK {{ ?s a <{NKB}Person> }}"})
    assert r.json() == {"head": {}, "boolean": True}
    person = sorted(i for i, t in view.types.items() if NKB + "Person" in t)[0]
    q = f"CONSTRUCT {{ <{person}> ?p ?o }} WHERE {{ <{person}> ?p ?o }}"
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        g = rdflib.Graph().parse(data=r.text, format=fmt)
        assert (rdflib.URIRef(person), rdflib.RDF.type, rdflib.URIRef(NKB + "Person")) in g
    r = client.get("/sparql", params={"query": f"DESCRIBE <{person}>"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert len(rdflib.Graph().parse(data=r.text, format="turtle")) > 0


# ---- what the endpoint refuses --------------------------------------------------------------------
@pytest.mark.parametrize("how", ["form-update", "update-body", "query-insert", "query-load", "get-update"])
def test_updates_are_refused(client, how):
    ins = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    if how == "form-update":
        r = client.post("/sparql", data={"update": ins})
    elif how == "update-body":
        r = client.post("/sparql", content=ins, headers={"Content-Type": "application/sparql-update"})
    elif how == "query-insert":
        r = client.post("/sparql", data={"query": ins})
    elif how == "query-load":
        r = client.get("/sparql", params={"query": "LOAD <http://example.org/data.ttl>"})
    else:
        r = client.get("/sparql", params={"update": ins})
    assert r.status_code == 403
    assert "read-only" in r.text
    ask = client.get("/sparql", params={"query": "ASK { <urn:x:a> ?p ?o }"})
    assert ask.json()["boolean"] is False


def test_federated_service_is_refused(client):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 403 and "SERVICE" in r.text
    # the word inside a string or an IRI is not a SERVICE call
    ok = client.get("/sparql", params={"query": 'SELECT ("SERVICE" AS ?x) WHERE {}'})
    assert ok.status_code == 200


def test_malformed_sparql_gives_400_with_the_parser_message(client):
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y "})
    assert r.status_code == 400
    assert r.text.startswith("malformed SPARQL: error at 1:")
    assert "Traceback" not in r.text
    assert client.get("/sparql").status_code == 400
    assert "missing" in client.get("/sparql").text


def test_result_size_limit(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and "limit" in r.text


def test_query_time_limit_stops_the_query_and_the_server_goes_on(client):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = client.get("/sparql", params={"query": slow})
    assert r.status_code == 503 and "time limit" in r.text
    assert r.elapsed.total_seconds() < QUERY_TIMEOUT + 5
    for _ in range(3):  # the replaced worker answers again
        ok = client.get("/sparql", params={"query": "ASK {}"})
        assert ok.status_code == 200


def test_request_size_limits(client):
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 100_000
    r = client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    r = client.get("/sparql", params={"query": "ASK {} #" + "x" * 20_000})
    assert r.status_code in (413, 414, 431)
    r = client.post("/sparql", content=b"query=ASK%7B%7D", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


@pytest.mark.parametrize("path", ["/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                                  "/static/..%2f..%2fpyproject.toml", "/data/../manifest.json",
                                  "/data/%2e%2e%2fmanifest.json", "/../../etc/passwd", "/queries/..%2fpyproject.toml"])
def test_no_path_traversal(server, path):
    u = urlsplit(server.url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request("GET", path)  # http.client sends the path as given (no normalisation)
    r = conn.getresponse()
    body = r.read().decode("utf-8", "replace")
    conn.close()
    assert r.status in (400, 404)
    assert "root:" not in body and "[project]" not in body


def test_security_headers(client):
    r = client.get("/")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in r.headers["content-security-policy"]


# ---- dereferenceable IRIs -------------------------------------------------------------------------
def _samples(view: KBView, per_class: int = 2) -> list[tuple[str, str]]:
    out = []
    classes = sorted({t for i, ts in view.types.items() if view.exists(i) for t in ts})
    for cls in classes:
        members = sorted(i for i, ts in view.types.items() if cls in ts and view.exists(i))
        step = max(1, len(members) // per_class)
        out += [(cls, m) for m in members[::step][:per_class]]
    return out


def test_every_class_is_sampled(view):
    classes = {c for c, _ in _samples(view)}
    for local in ("Person", "Article", "Statement", "NumericClaim", "TextSpan", "Country", "Settlement"):
        assert NKB + local in classes


def test_iris_of_each_class_dereference_by_content_negotiation(client, view):
    checked = 0
    for cls, iri in _samples(view):
        path = iri[len(view.base) - 1:]
        own = {(rdflib.URIRef(t.subject.value), rdflib.URIRef(t.predicate.value)) for t in view.outgoing(iri)}
        for accept, fmt, ext in (("text/turtle", "turtle", "ttl"), ("application/ld+json", "json-ld", "jsonld"),
                                 ("application/n-triples", "nt", "nt")):
            r = client.get(path, headers={"Accept": accept})
            assert r.status_code == 303, (iri, accept)
            assert r.headers["location"] == f"{path}.{ext}"
            assert r.headers["vary"] == "Accept"
            doc = client.get(r.headers["location"])
            assert doc.status_code == 200 and doc.headers["content-type"].startswith(accept)
            g = jsonld_graph(doc.text, client) if fmt == "json-ld" else \
                rdflib.Graph().parse(data=doc.text, format=fmt, publicID=str(client.base_url.join(path)))
            got = {(s, p) for s, p, _o in g}
            assert own <= got, f"{iri} as {accept} misses {sorted(own - got)[:3]}"
            assert len(g) >= len(view.outgoing(iri))
        r = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, follow_redirects=True)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert view.label(iri)[:100] in html.unescape(r.text), iri
        checked += 1
    assert checked >= 20


def test_unknown_iris_give_404(client):
    for path in ("/person/no-such-person-zz", "/person/no-such-person-zz.ttl", "/nothing-here", "/span/x/1-2.html"):
        r = client.get(path, headers={"Accept": "text/turtle"})
        assert r.status_code == 404, path


def test_not_acceptable(client, view):
    iri = next(iter(sorted(view.iris)))
    r = client.get(iri[len(view.base) - 1:], headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_ontology_at_its_namespace(client, view):
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["location"] == "/ontology.ttl"
    g = rdflib.Graph().parse(data=client.get("/ontology.ttl").text, format="turtle")
    OWL = rdflib.OWL
    terms = {s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(rdflib.RDF.type, t)
             if str(s).startswith(NKB)}
    assert rdflib.URIRef(NKB + "Person") in terms
    page = client.get("/ontology", follow_redirects=True)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    text = html.unescape(page.text)
    for t in terms:  # every class and property is documented, with its label and definition
        local = str(t)[len(NKB):]
        assert f'id="{local}"' in page.text, local
        label = g.value(t, rdflib.RDFS.label)
        assert str(label) in text
        definition = g.value(t, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#definition"))
        if definition:
            assert str(definition) in text
    assert "schema:Person" in page.text and "prov:Person" in page.text  # alignments shown
    jr = client.get("/ontology", headers={"Accept": "application/ld+json"}, follow_redirects=True)
    assert len(jsonld_graph(jr.text, client)) == len(g)


def test_void_and_dcat(client, view):
    r = client.get("/.well-known/void")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    DCT = rdflib.Namespace("http://purl.org/dc/terms/")
    ds = g.value(rdflib.URIRef(view.base + ".well-known/void"), rdflib.FOAF.primaryTopic)
    assert (ds, rdflib.RDF.type, DCAT.Dataset) in g
    assert int(g.value(ds, VOID.triples)) == view.stats["triples"]
    assert int(g.value(ds, VOID.documents)) == len(view.articles)
    assert int(g.value(ds, VOID.entities)) == len(view.iris)
    assert g.value(ds, DCT.license) is not None
    assert len(list(g.objects(ds, DCT.source))) == len(view.articles)
    examples = list(g.objects(ds, VOID.exampleResource))
    assert len(examples) >= 5
    for ex in examples[:5]:
        assert client.get(str(ex)[len(view.base) - 1:], follow_redirects=True).status_code == 200
    assert client.get("/data/kb.nq").status_code == 200
    jr = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert len(jsonld_graph(jr.text, client)) == len(g)


# ---- pages ----------------------------------------------------------------------------------------
def _visible_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_pages_answer(client):
    for path, needle in (("/", "Articles"), ("/entities", "People"), ("/claims", "Disputed figures"),
                         ("/timeline", "Timeline of events"), ("/map", "<svg"), ("/query", "<textarea"),
                         ("/claims.html", "claimants"), ("/static/style.css", "body")):
        r = client.get(path)
        assert r.status_code == 200, path
        assert needle in r.text, path


def test_article_pages_never_republish_the_text(client, view):
    """No 120-character stretch of any article body appears on its page."""
    from newskb.article import read_article

    for a in view.articles:
        src = CORPUS / a["file"]
        if not src.is_file():
            continue
        body = " ".join(read_article(src).body.split())
        page = client.get(a["iri"][len(view.base) - 1:] + ".html")
        assert page.status_code == 200
        text = " ".join(_visible_text(page.text).split())
        for i in range(0, max(1, len(body) - 120), 60):
            assert body[i:i + 120] not in text, f"{a['id']}: article text republished at {i}"


def test_query_page_runs_a_query_without_javascript(client):
    q = query_text("places")
    r = client.post("/query", data={"query": q})
    assert r.status_code == 200 and "placeLabel" in r.text and "rows" in r.text
    bad = client.post("/query", data={"query": "SELECT nonsense"})
    assert bad.status_code == 400 and "malformed SPARQL" in bad.text
