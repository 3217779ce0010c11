"""Labels and public-vocabulary types (issue 26): every resource a person may land on has a label
made from its facts, an article without a title gets a derived headline, and the published data
carries the schema.org and PROV-O terms the ontology's alignment implies."""

from __future__ import annotations

import doctest

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

import newskb.labels
from newskb.article import parse_text
from newskb.extract.pipeline import extract
from newskb.mapping import PublicVocabulary, map_facts, public_vocabulary
from newskb.store import open_kb, run_select
from newskb.validate import validate_graph
from newskb.vocab import NKB, PROV, SCHEMA

from test_mapping import make_doc


def test_label_doctests():
    assert doctest.testmod(newskb.labels).failed == 0


def test_statement_claim_and_span_labels():
    iri, g = map_facts(make_doc("a1", "Mark Rutte", 1200000))
    st = next(g.subjects(RDF.type, NKB.Statement))
    claim = next(g.subjects(RDF.type, NKB.NumericClaim))
    # a reported clause goes without quotation marks; the article's date stands in for the statement's
    assert str(g.value(st, RDFS.label)) == "Mark Rutte: 600,000 were hurt (2024-10-28)"
    # the qualifier's words when the article has none; the number as people write it, not 1.2e+06
    assert str(g.value(claim, RDFS.label)) == "Russian military casualties: more than 1,200,000, per Mark Rutte (2024-10-28)"
    for span in g.subjects(RDF.type, NKB.TextSpan):
        assert g.value(span, RDFS.label) == g.value(span, NKB.exact)
    assert validate_graph(g).conforms


def test_a_direct_quote_is_labelled_in_quotation_marks_and_shortened():
    doc = make_doc("a1", "Mark Rutte", 5)
    long = "We can confirm that the soldiers who were trained in the east have now been sent west"
    doc.statements[0].direct, doc.statements[0].text = True, long
    _, g = map_facts(doc)
    label = str(g.value(next(g.subjects(RDF.type, NKB.Statement)), RDFS.label))
    assert label.startswith("Mark Rutte: “We can confirm that the soldiers")
    assert label.endswith("…” (2024-10-28)") and len(label) < len(long) + 20


ARTICLE_WITHOUT_TITLE = """---
publisher: Example News
date: 2024-05-02
---
Sign up for our morning briefing newsletter
Officials in the capital said on Thursday that two bridges over the river had been closed after the storm. Repairs will take weeks.
"""


def test_an_article_without_a_title_gets_a_derived_headline_not_its_file_name():
    art = parse_text(ARTICLE_WITHOUT_TITLE)
    doc = extract(art)
    assert doc.article.title is None
    assert doc.article.derived_title.startswith("Officials in the capital said on Thursday")
    assert "Repairs" not in doc.article.derived_title and "newsletter" not in doc.article.derived_title
    _, g = map_facts(doc)
    a = next(g.subjects(RDF.type, NKB.Article))
    assert g.value(a, NKB.derivedHeadline) == g.value(a, RDFS.label) == Literal(doc.article.derived_title)
    assert g.value(a, NKB.headline) is None  # never passed off as the publisher's headline
    assert g.value(a, SCHEMA.name) == g.value(a, RDFS.label)


def test_a_title_from_the_metadata_is_kept():
    doc = extract(parse_text("---\ntitle: Bridges closed\ndate: 2024-05-02\n---\n" + ARTICLE_WITHOUT_TITLE.split("---\n", 2)[2]))
    assert doc.article.title == "Bridges closed" and doc.article.derived_title is None


def test_public_vocabulary_follows_the_alignment_axioms():
    _, g = map_facts(make_doc("a1", "Mark Rutte", 600000))
    rutte = URIRef("https://w3id.org/newskb/person/mark-rutte")
    assert {SCHEMA.Person, PROV.Person, PROV.Agent, NKB.Person} <= set(g.objects(rutte, RDF.type))
    assert g.value(rutte, SCHEMA.name) == Literal("Mark Rutte")
    st = next(g.subjects(RDF.type, NKB.Statement))
    assert (st, RDF.type, PROV.Entity) in g
    assert (st, PROV.wasAttributedTo, rutte) in g
    assert (st, PROV.wasDerivedFrom, g.value(st, NKB.sourceArticle)) in g
    assert g.value(st, PROV.value) == g.value(st, NKB.text)
    claim = next(g.subjects(RDF.type, NKB.NumericClaim))
    assert {SCHEMA.Claim, PROV.Entity} <= set(g.objects(claim, RDF.type))
    assert (claim, PROV.wasAttributedTo, rutte) in g
    assert validate_graph(g).conforms


def test_public_vocabulary_covers_a_class_added_later_without_code():
    """A new class or property with its alignment in the ontology is covered as it is."""
    onto = Graph()
    ex = "https://w3id.org/newskb/ontology#"
    onto.add((URIRef(ex + "UnnamedPerson"), RDFS.subClassOf, URIRef(ex + "Person")))
    onto.add((URIRef(ex + "Person"), RDFS.subClassOf, SCHEMA.Person))
    onto.add((URIRef(ex + "Person"), RDFS.subClassOf, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Actor")))
    onto.add((URIRef(ex + "quotedBy"), RDFS.subPropertyOf, URIRef(ex + "speaker")))
    onto.add((URIRef(ex + "speaker"), RDFS.subPropertyOf, PROV.wasAttributedTo))
    pv = PublicVocabulary(onto)
    x, s = URIRef("https://w3id.org/newskb/person/x"), URIRef("https://w3id.org/newskb/statement/a/1-2")
    out = pv.expand({(x, RDF.type, URIRef(ex + "UnnamedPerson")), (x, RDFS.label, Literal("a man")),
                     (s, URIRef(ex + "quotedBy"), x)})
    assert (x, RDF.type, SCHEMA.Person) in out and (x, SCHEMA.name, Literal("a man")) in out
    assert (s, PROV.wasAttributedTo, x) in out
    assert not any("semanticweb" in str(o) for _, _, o in out)  # only schema.org and PROV-O


def test_the_project_alignment_has_the_public_types_the_issue_names():
    pv = public_vocabulary()
    assert SCHEMA.Person in pv.types[NKB.Person] and SCHEMA.Organization in pv.types[NKB.Organisation]
    assert SCHEMA.Place in pv.types[NKB.Settlement] and PROV.Entity in pv.types[NKB.Statement]
    assert PROV.wasDerivedFrom in pv.properties[NKB.reportedIn]
    assert OWL.sameAs not in pv.properties


def test_places_with_coordinates_have_schema_geo(corpus_kb):
    """Each place's schema:geo node has its geo:lat values (a place two articles place differently
    has two points in the merged graph, and its node both latitudes)."""
    rows = run_select(open_kb(corpus_kb), """
        PREFIX schema: <https://schema.org/>
        PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
        SELECT ?p ?lat ?slat WHERE {
          ?p geo:lat ?lat . OPTIONAL { ?p schema:geo ?g . ?g a schema:GeoCoordinates ; schema:latitude ?slat } }""").rows
    lats, slats = {}, {}
    for p, lat, slat in rows:
        lats.setdefault(p, set()).add(lat)
        slats.setdefault(p, set()).add(slat)
    assert lats and lats == slats


def test_no_statement_claim_event_or_span_without_a_label_in_the_corpus_kb(corpus_kb):
    """The must-show of issue 26, by kind (queries/checks/resource-without-label-violation.rq runs
    with the other checks in test_reasoning)."""
    st = open_kb(corpus_kb)
    for cls in ("Statement", "NumericClaim", "Event", "TextSpan", "Article"):
        res = run_select(st, f"""PREFIX nkb: <https://w3id.org/newskb/ontology#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT (COUNT(DISTINCT ?x) AS ?all) (COUNT(DISTINCT ?l) AS ?labelled) WHERE {{
              ?x a/rdfs:subClassOf* nkb:{cls} . OPTIONAL {{ ?x rdfs:label ?lab BIND (?x AS ?l) }} }}""")
        total, labelled = (int(t.value) for t in res.rows[0])
        assert total > 0 and labelled == total, (cls, total, labelled)
