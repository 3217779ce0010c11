"""Stage 3 — RDF mapping: a :class:`~newskb.facts.FactsDocument` becomes one named graph.

IRIs are minted deterministically under a configurable base from global keys (never from
counters), so the same input gives the same IRIs, two articles naming the same person share one
IRI, and conflicting claims (each with its own IRI from article and span) stand side by side.
No blank nodes are written. Every segment taken from text is percent-encoded, so no text can
break Turtle, N-Quads or SPARQL.

IRI scheme (``{base}`` defaults to :data:`DEFAULT_BASE`)::

    {base}article/{article-id}          {base}graph/{article-id}
    {base}person/{slug}  {base}org/{slug}  {base}government/{ISO2}  {base}group/{slug}
    {base}force/{ISO2}/{slug}           {base}role/{slug}          {base}kind/{kind-key}
    {base}place/geonames/{id}  {base}place/country/{ISO2}  {base}place/region/{ISO 3166-2}
    {base}place/local/{container}/{slug}
    {base}statement/{article-id}/{start}-{end}
    {base}claim/{article-id}/{start}-{end}/{unit}
    {base}event/{event-key}             {base}span/{article-id}/{start}-{end}
    {place IRI}#geo                     (schema:geo: the place's coordinates as schema.org has them)

Statements and claims with no known speaker or claimant stay in the facts document (with the
extractor's note) and are not published: an unattributed statement is not a fact the KB can
stand behind.

Every resource a person may land on has an ``rdfs:label`` (statements, claims and spans get one
made from their facts by :mod:`newskb.labels`; an article without a title, the headline derived
from its first sentence). The graph also carries the schema.org and PROV-O types and properties
that the ontology's alignment axioms imply (:class:`PublicVocabulary`), ``schema:name`` for
resources with a schema.org type, and ``schema:geo`` for places with coordinates, so that a
consumer who knows only those vocabularies can query the KB.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from .facts import DateValue, Entity, FactsDocument, Place, Span
from .labels import claim_label, quantity, span_label, statement_label
from .quantities import bounds, comparable_until, time_span
from .vocab import GEO, GSP, KB_BASE, NKB, PROV, SCHEMA, SKOS, individual

DEFAULT_BASE = KB_BASE  # the base IRI of the KB's resources, unless a build names another

ENTITY_CLASS = {
    "Person": NKB.Person,
    "Organisation": NKB.Organisation,
    "Government": NKB.Government,
    "Group": NKB.Group,
    "MilitaryForce": NKB.MilitaryForce,
    "Publisher": NKB.NewsPublisher,
    "UnnamedPerson": NKB.UnnamedPerson,
    "AnonymousSource": NKB.AnonymousSource,
    "Document": NKB.Document,
}
PLACE_CLASS = {"Settlement": NKB.Settlement, "Region": NKB.Region, "Country": NKB.Country, "Area": NKB.Area,
               "WaterBody": NKB.WaterBody}

Triple = tuple[Node, Node, Node]


class MappingError(ValueError):
    """The facts document cannot be mapped (an unknown event type, unit or qualifier)."""


# Terms repeat within and across articles: the pure functions making them are memoised (bounded;
# rdflib terms are immutable values, so sharing one object between triples changes nothing).
_MEMO = 1 << 16


@lru_cache(maxsize=_MEMO)
def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Mark Rutte" -> "mark-rutte")."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = re.sub(r"[’'`]", "", t.lower())
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t[:80] or "x"


@lru_cache(maxsize=_MEMO)
def _segment(seg: str) -> str:
    seg = unicodedata.normalize("NFC", seg)
    return quote(seg, safe="-._~") or "_"


@dataclass(frozen=True)
class IriMinter:
    """Mints every IRI of the KB under ``base`` (which must end in '/' or '#')."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+[/#]$", self.base):
            raise ValueError(f"base IRI {self.base!r} must be an http(s) IRI ending in '/' or '#'")

    def make(self, *segments: str) -> URIRef:
        return _mint(self.base, segments)

    def key(self, key: str) -> URIRef:
        """An IRI from a slash-separated global key ("person/mark-rutte")."""
        return self.make(*[s for s in key.split("/") if s])

    def article(self, article_id: str) -> URIRef:
        return self.make("article", article_id)

    def graph(self, article_id: str) -> URIRef:
        return self.make("graph", article_id)

    def place(self, key: str) -> URIRef:
        return self.key("place/" + key)

    def span(self, article_id: str, span: Span) -> URIRef:
        return self.make("span", article_id, f"{span.start}-{span.end}")

    def publisher(self, name: str) -> URIRef:
        return self.make("org", slug(name))

    def person(self, name: str) -> URIRef:
        return self.make("person", slug(name))


@lru_cache(maxsize=_MEMO)
def _mint(base: str, segments: tuple[str, ...]) -> URIRef:
    return URIRef(base + "/".join(_segment(s) for s in segments))


@lru_cache(maxsize=_MEMO)
def date_literal(value: str) -> Literal:
    """ISO date text to a typed literal: xsd:date, xsd:gYearMonth or xsd:gYear."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    raise MappingError(f"date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY")


def _wkt_num(x: float) -> str:
    return f"{x:.5f}".rstrip("0").rstrip(".")


def decimal_literal(value: float) -> Literal:
    """A float as a canonical xsd:decimal literal (no exponent, no trailing zeros)."""
    return _decimal(repr(float(value)))  # the repr, not the float, keys the memo: 0.0 == -0.0


@lru_cache(maxsize=_MEMO)
def _decimal(value: str) -> Literal:
    d = Decimal(value)
    if not d.is_finite():
        raise MappingError(f"value {value!r} is not a finite number")
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Literal(text, datatype=XSD.decimal)


@lru_cache(maxsize=_MEMO, typed=True)
def _integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


@lru_cache(maxsize=_MEMO)
def _string(text: str) -> Literal:
    """A plain string literal (memoised: span texts, labels and rule names repeat)."""
    return Literal(text)


_TRUE, _FALSE = Literal(True), Literal(False)


def _boolean(b: bool) -> Literal:
    return _TRUE if b is True else _FALSE if b is False else Literal(b)


_individual = lru_cache(maxsize=4096)(individual)


class K:
    """The ontology terms the mapping uses, each looked up once (a namespace attribute is a call)."""

    Article = NKB.Article
    Country = NKB.Country
    NewsPublisher = NKB.NewsPublisher
    NumericClaim = NKB.NumericClaim
    StatedForm = NKB.StatedForm
    Person = NKB.Person
    QuantityKind = NKB.QuantityKind
    Role = NKB.Role
    Statement = NKB.Statement
    TextSpan = NKB.TextSpan
    actor = NKB.actor
    affected = NKB.affected
    affiliation = NKB.affiliation
    author = NKB.author
    beginIndex = NKB.beginIndex
    claimant = NKB.claimant
    comparableUntil = NKB.comparableUntil
    confidence = NKB.confidence
    confirmedBy = NKB.confirmedBy
    contributor = NKB.contributor
    counted = NKB.counted
    country = NKB.country
    cue = NKB.cue
    date = NKB.date
    datePrecision = NKB.datePrecision
    datePublished = NKB.datePublished
    dateText = NKB.dateText
    derivedHeadline = NKB.derivedHeadline
    direct = NKB.direct
    endDate = NKB.endDate
    endIndex = NKB.endIndex
    equivalentClaim = NKB.equivalentClaim
    evidence = NKB.evidence
    exact = NKB.exact
    extractionRule = NKB.extractionRule
    force = NKB.force
    geonamesId = NKB.geonamesId
    governs = NKB.governs
    headline = NKB.headline
    inArticle = NKB.inArticle
    isoCode = NKB.isoCode
    kind = NKB.kind
    kindPlace = NKB.kindPlace
    language = NKB.language
    locatedIn = NKB.locatedIn
    lowerBound = NKB.lowerBound
    maxValue = NKB.maxValue
    measure = NKB.measure
    location = NKB.location
    mentions = NKB.mentions
    participant = NKB.participant
    place = NKB.place
    placeSource = NKB.placeSource
    publisher = NKB.publisher
    qualifier = NKB.qualifier
    qualifierText = NKB.qualifierText
    reportedIn = NKB.reportedIn
    role = NKB.role
    sha256 = NKB.sha256
    size = NKB.size
    sourceArticle = NKB.sourceArticle
    sourceFile = NKB.sourceFile
    speaker = NKB.speaker
    statedForm = NKB.statedForm
    coSpeaker = NKB.coSpeaker
    statedIn = NKB.statedIn
    statedUnit = NKB.statedUnit
    statedValue = NKB.statedValue
    text = NKB.text
    timeSpanEnd = NKB.timeSpanEnd
    timeSpanStart = NKB.timeSpanStart
    unit = NKB.unit
    upperBound = NKB.upperBound
    url = NKB.url
    value = NKB.value


TYPE, LABEL, ALT_LABEL = RDF.type, RDFS.label, SKOS.altLabel
PROV_ATTRIBUTED = PROV.wasAttributedTo
GEO_LAT, GEO_LONG, SAME_AS = GEO.lat, GEO.long, OWL.sameAs
S_GEO, S_COORDINATES, S_LAT, S_LONG, S_NAME = (SCHEMA.geo, SCHEMA.GeoCoordinates, SCHEMA.latitude, SCHEMA.longitude,
                                               SCHEMA.name)

# the public vocabularies the published data is also typed in (what the ontology aligns to)
PUBLIC_NAMESPACES = (str(SCHEMA), str(PROV))


class PublicVocabulary:
    """The schema.org and PROV-O types and properties implied by the ontology's alignment axioms:
    ``nkb:Person rdfs:subClassOf schema:Person`` puts ``schema:Person`` on every nkb:Person, and
    ``nkb:speaker rdfs:subPropertyOf prov:wasAttributedTo`` adds a ``prov:wasAttributedTo`` triple
    beside every ``nkb:speaker`` one (through any chain of nkb super-classes and super-properties).
    A resource that gets a schema.org type also gets its ``rdfs:label`` as ``schema:name``.
    Built from the ontology, so a class or property added there with its alignment is covered."""

    def __init__(self, ontology: Graph, namespaces: tuple[str, ...] = PUBLIC_NAMESPACES):
        def public(t) -> bool:
            return isinstance(t, URIRef) and str(t).startswith(namespaces)

        def implied(pred) -> dict[URIRef, tuple[URIRef, ...]]:
            out = {}
            for start in {s for s in ontology.subjects(pred, None) if isinstance(s, URIRef)}:
                seen, todo = set(), [start]
                while todo:
                    for sup in ontology.objects(todo.pop(), pred):
                        if isinstance(sup, URIRef) and sup not in seen:
                            seen.add(sup)
                            todo.append(sup)
                found = tuple(sorted(t for t in seen if public(t)))
                if found and not public(start):
                    out[start] = found
            return out

        self.types = implied(RDFS.subClassOf)
        self.properties = implied(RDFS.subPropertyOf)
        self.named = frozenset(c for c, sups in self.types.items() if any(str(x).startswith(str(SCHEMA)) for x in sups))

    def expand(self, triples: set[Triple]) -> set[Triple]:
        """``triples`` with the public-vocabulary triples they imply."""
        by_predicate: dict[Node, list[Triple]] = {}
        for t in triples:  # a dict of the few predicates: no term comparison per triple
            by_predicate.setdefault(t[1], []).append(t)
        extra: set[Triple] = set()
        named: set[Node] = set()
        types = self.types
        for s, _, o in by_predicate.get(TYPE, ()):
            for c in types.get(o, ()):
                extra.add((s, TYPE, c))
            if o in self.named:
                named.add(s)
        for p, sups in self.properties.items():
            for s, _, o in by_predicate.get(p, ()):
                extra.update((s, q, o) for q in sups)
        if named:
            extra.update((s, S_NAME, o) for s, _, o in by_predicate.get(LABEL, ()) if s in named)
        return triples | extra


@lru_cache(maxsize=1)
def public_vocabulary() -> PublicVocabulary:
    """The :class:`PublicVocabulary` of the project's ontology (``ontology/``)."""
    from .resources import ontology_graph

    return PublicVocabulary(ontology_graph())


class _Builder:
    def __init__(self, doc: FactsDocument, minter: IriMinter):
        self.doc = doc
        self.m = minter
        self.aid = doc.article.id
        self.article = minter.article(self.aid)
        self.triples: set[Triple] = set()
        self.entity_iri: dict[str, URIRef] = {}
        self.place_iri: dict[str, URIRef] = {}
        self.countries: set[str] = set()
        self.name_of: dict[str, str] = {e.id: e.name for e in doc.entities}
        self.spans: set[URIRef] = set()

    def add(self, s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            self.triples.add((s, p, o))

    # -- provenance -------------------------------------------------------------------------
    def evidence(self, subject: URIRef, span: Span) -> None:
        s = self.m.span(self.aid, span)
        self.add(subject, K.evidence, s)
        if s in self.spans:  # the same words are the evidence of several facts: described once
            return
        self.spans.add(s)
        self.add(s, TYPE, K.TextSpan)
        self.add(s, K.inArticle, self.article)
        self.add(s, K.beginIndex, _integer(span.start))
        self.add(s, K.endIndex, _integer(span.end))
        self.add(s, K.exact, _string(span.text))
        self.add(s, LABEL, _string(span_label(span.text)))

    def sourced(self, subject: URIRef, fact) -> None:
        self.add(subject, K.confidence, decimal_literal(round(fact.confidence, 3)))
        self.add(subject, K.extractionRule, _string(fact.rule))

    def date_value(self, date: DateValue | None) -> str | None:
        """The date a statement or claim is published with (the article's when it has none)."""
        return date.value if date is not None and date.value else self.doc.article.date

    def date(self, subject: URIRef, date: DateValue | None, fallback: str | None = None) -> None:
        if date is not None and date.value:
            self.add(subject, K.date, date_literal(date.value))
            if date.end:
                self.add(subject, K.endDate, date_literal(date.end))
            if date.precision != "unknown":
                self.add(subject, K.datePrecision, _individual(f"precision-{date.precision}"))
            if date.text:
                self.add(subject, K.dateText, Literal(date.text))
        elif fallback:
            self.add(subject, K.date, date_literal(fallback))
            self.add(subject, K.datePrecision, _individual("precision-day"))

    # -- article ------------------------------------------------------------------------------
    def map_article(self) -> None:
        meta = self.doc.article
        a = self.article
        self.add(a, TYPE, K.Article)
        self.add(a, LABEL, Literal(meta.title or meta.derived_title or meta.id))
        if meta.title:
            self.add(a, K.headline, Literal(meta.title))
        elif meta.derived_title:
            self.add(a, K.derivedHeadline, Literal(meta.derived_title))
        if meta.date:
            self.add(a, K.datePublished, date_literal(meta.date))
        if meta.url:
            self.add(a, K.url, Literal(meta.url, datatype=XSD.anyURI))
        if meta.language:
            self.add(a, K.language, Literal(meta.language))
        self.add(a, K.sha256, Literal(meta.sha256))
        if meta.source:
            self.add(a, K.sourceFile, Literal(meta.source))
        if meta.publisher:
            pub = self.publisher_iri()
            self.add(a, K.publisher, pub)
            self.add(pub, TYPE, K.NewsPublisher)
            self.add(pub, LABEL, Literal(meta.publisher))
        for name in meta.authors:
            self.person(name)
            self.add(a, K.author, self.m.person(name))
        for c in meta.contributors:
            self.person(c.name)
            self.add(a, K.author if c.role == "author" else K.contributor, self.m.person(c.name))

    def publisher_iri(self) -> URIRef:
        for e in self.doc.entities:
            if e.type == "Publisher":
                return self.m.key(e.key)
        return self.m.publisher(self.doc.article.publisher or "unknown")

    def person(self, name: str) -> None:
        p = self.m.person(name)
        self.add(p, TYPE, K.Person)
        self.add(p, LABEL, Literal(name))

    # -- places -------------------------------------------------------------------------------
    def map_places(self) -> None:
        for p in self.doc.places:
            self.place_iri[p.id] = self.m.place(p.key)
        for p in self.doc.places:
            self.map_place(p)

    def map_place(self, p: Place) -> None:
        s = self.place_iri[p.id]
        self.add(s, TYPE, PLACE_CLASS[p.type])
        self.add(s, LABEL, Literal(p.name))
        for alias in sorted(set(p.aliases) - {p.name}):
            self.add(s, ALT_LABEL, Literal(alias))
        if p.lat is not None and p.long is not None:
            self.point(s, p.lat, p.long)
            if p.approximate:
                self.add(s, NKB.approximatePoint, Literal(True))
        if p.bbox:
            self.bounding_box(s, p.bbox)
        if p.within:
            self.add(s, K.locatedIn, self.place_iri[p.within])
        if p.geonames_id is not None:
            self.add(s, K.geonamesId, _integer(p.geonames_id))
        if p.iso_code:
            self.add(s, K.isoCode, Literal(p.iso_code))
            if p.type == "Country":
                self.countries.add(p.iso_code)
        for same in p.same_as:
            self.add(s, SAME_AS, URIRef(same))
        if p.source:
            self.add(s, K.placeSource, Literal(p.source))
        self.sourced(s, p)
        for m in p.mentions:
            self.evidence(s, m)

    def bounding_box(self, s: URIRef, bbox: list[float]) -> None:
        """GeoSPARQL: ``s geo:hasBoundingBox <s/bbox>``, a geometry whose WKT is the box polygon."""
        w, so, e, n = (_wkt_num(x) for x in bbox)
        g = URIRef(f"{s}/bbox")
        self.add(s, GSP.hasBoundingBox, g)
        self.add(g, TYPE, GSP.Geometry)
        self.add(g, GSP.asWKT, Literal(f"POLYGON(({w} {so}, {e} {so}, {e} {n}, {w} {n}, {w} {so}))", datatype=GSP.wktLiteral))

    def point(self, s: URIRef, lat: float, long: float) -> None:
        """A place's point: WGS84 geo:lat/geo:long, and the same as schema:geo, a
        schema:GeoCoordinates node of its own at ``<place>#geo`` (no blank nodes)."""
        lat_, long_ = decimal_literal(lat), decimal_literal(long)
        self.add(s, GEO_LAT, lat_)
        self.add(s, GEO_LONG, long_)
        geo = URIRef(s + "#geo")
        self.add(s, S_GEO, geo)
        self.add(geo, TYPE, S_COORDINATES)
        self.add(geo, S_LAT, lat_)
        self.add(geo, S_LONG, long_)

    def country(self, code: str) -> URIRef:
        """The country place for an ISO code; added to the graph when no place in the document is it."""
        iri = self.m.place(f"country/{code}")
        if code not in self.countries:
            from .extract.gazetteer import country_name

            from .extract.gazetteer import country_geonames_id, country_label, country_point

            self.countries.add(code)
            self.add(iri, TYPE, K.Country)
            self.add(iri, LABEL, Literal(country_label(code)))
            if country_label(code) != country_name(code):
                self.add(iri, ALT_LABEL, Literal(country_name(code)))
            self.add(iri, K.isoCode, Literal(code))
            pt, gid = country_point(code), country_geonames_id(code)
            if pt is not None:
                self.point(iri, pt.lat, pt.long)
                self.add(iri, K.placeSource, Literal(pt.source))
                if pt.bbox:
                    self.bounding_box(iri, list(pt.bbox))
            if gid:
                self.add(iri, K.geonamesId, _integer(gid))
                self.add(iri, SAME_AS, URIRef(f"https://sws.geonames.org/{gid}/"))
        return iri

    # -- actors -------------------------------------------------------------------------------
    def map_entities(self) -> None:
        for e in self.doc.entities:
            self.entity_iri[e.id] = self.m.key(e.key)
        for e in self.doc.entities:
            self.map_entity(e)

    def map_entity(self, e: Entity) -> None:
        s = self.entity_iri[e.id]
        self.add(s, TYPE, ENTITY_CLASS[e.type])
        self.add(s, LABEL, Literal(e.name))
        for alias in sorted(set(e.aliases) - {e.name}):
            self.add(s, ALT_LABEL, Literal(alias))
        if e.role:
            r = self.m.make("role", slug(e.role))
            self.add(s, K.role, r)
            self.add(r, TYPE, K.Role)
            self.add(r, LABEL, Literal(e.role))
        if e.affiliation:
            # a document's affiliation is its author (PROV-O: the document was attributed to it)
            self.add(s, PROV_ATTRIBUTED if e.type == "Document" else K.affiliation, self.entity_iri[e.affiliation])
        if e.country:
            c = self.country(e.country)
            self.add(s, K.governs if e.type == "Government" else K.country, c)
        if e.size is not None:
            self.add(s, K.size, _integer(e.size))
        if e.location:
            self.add(s, K.location, self.place_iri[e.location])
        for same in e.same_as:
            self.add(s, SAME_AS, URIRef(same))
        self.sourced(s, e)
        for m in e.mentions:
            self.evidence(s, m)

    # -- statements and claims ----------------------------------------------------------------
    def map_statements(self) -> set[str]:
        mapped: set[str] = set()
        for st in self.doc.statements:
            if st.speaker is None:
                continue
            s = self.m.make("statement", self.aid, f"{st.span.start}-{st.span.end}")
            mapped.add(st.id)
            self.add(s, TYPE, K.Statement)
            self.add(s, LABEL, Literal(statement_label(self.name_of[st.speaker], st.text, st.direct,
                                                       self.date_value(st.date))))
            self.add(s, K.speaker, self.entity_iri[st.speaker])
            for co in st.co_speakers:
                self.add(s, K.coSpeaker, self.entity_iri[co])
            self.add(s, K.text, Literal(st.text))
            self.add(s, K.direct, _boolean(st.direct))
            if st.cue:
                self.add(s, K.cue, Literal(st.cue))
            self.date(s, st.date, fallback=self.doc.article.date)
            self.add(s, K.sourceArticle, self.article)
            for ref in st.about:
                self.add(s, K.mentions, self.entity_iri.get(ref) or self.place_iri[ref])
            self.sourced(s, st)
            self.evidence(s, st.span)
        return mapped

    def claim_iri(self, c) -> URIRef:
        return self.m.make("claim", self.aid, f"{c.span.start}-{c.span.end}", c.unit)

    def map_claims(self, mapped_statements: set[str]) -> None:
        by_id = {c.id: c for c in self.doc.claims}
        for c in self.doc.claims:
            if c.claimant is None:
                continue
            s = self.claim_iri(c)
            self.add(s, TYPE, K.NumericClaim)
            words = c.qualifier_text or (c.qualifier.replace("-", " ") if c.qualifier else None)
            self.add(s, LABEL, Literal(claim_label(c.kind_label, words, c.value, c.max_value, c.unit,
                                                   self.name_of[c.claimant], self.date_value(c.date))))
            self.add(s, K.value, decimal_literal(c.value))
            if c.max_value is not None:
                self.add(s, K.maxValue, decimal_literal(c.max_value))
            self.add(s, K.unit, _closed("unit", c.unit))
            if c.qualifier:
                self.add(s, K.qualifier, _closed("qualifier", c.qualifier))
            if c.qualifier_text:
                self.add(s, K.qualifierText, Literal(c.qualifier_text))
            self.map_kind(s, c)
            self.map_figure(s, c)
            if c.counted:
                self.add(s, K.counted, Literal(c.counted))
            self.add(s, K.claimant, self.entity_iri[c.claimant])
            if c.statement in mapped_statements:
                st = next(x for x in self.doc.statements if x.id == c.statement)
                self.add(s, K.statedIn, self.m.make("statement", self.aid, f"{st.span.start}-{st.span.end}"))
            if c.equivalent_of and by_id[c.equivalent_of].claimant is not None:
                self.add(s, K.equivalentClaim, self.claim_iri(by_id[c.equivalent_of]))
            self.date(s, c.date, fallback=self.doc.article.date)
            self.add(s, K.sourceArticle, self.article)
            self.sourced(s, c)
            self.evidence(s, c.span)

    def map_kind(self, s: URIRef, c) -> None:
        """The claim's quantity kind: its key, label, measure and place (all parts of the key, so
        every article that names the kind says the same of it)."""
        k = self.m.key("kind/" + c.kind)
        self.add(s, K.kind, k)
        self.add(k, TYPE, K.QuantityKind)
        self.add(k, LABEL, Literal(c.kind_label))
        if c.measure:
            self.add(k, K.measure, _closed("measure", c.measure))
        if c.place:
            self.add(k, K.kindPlace, self.place_iri[c.place])

    def map_figure(self, s: URIRef, c) -> None:
        """What the figure allows (bounds), when it holds (time span, comparable until) and the
        other forms in which the article states it."""
        low, high = bounds(c)
        self.add(s, K.lowerBound, decimal_literal(low))
        if high is not None:
            self.add(s, K.upperBound, decimal_literal(high))
        span = time_span(c, self.doc.article.date)
        if span is not None:
            self.add(s, K.timeSpanStart, date_literal(span[0].isoformat()))
            self.add(s, K.timeSpanEnd, date_literal(span[1].isoformat()))
            self.add(s, K.comparableUntil, date_literal(comparable_until(c, span[1]).isoformat()))
        for f in c.forms:
            where = f"{f.span.start}-{f.span.end}" if f.span is not None else f"{c.span.start}-{c.span.end}"
            fs = self.m.make("claim", self.aid, where, f.unit, "form")
            self.add(s, K.statedForm, fs)
            self.add(fs, TYPE, K.StatedForm)
            self.add(fs, LABEL, _string(f"{quantity(f.value, None, f.unit)} (as stated)"))
            self.add(fs, K.statedValue, decimal_literal(f.value))
            self.add(fs, K.statedUnit, _closed("unit", f.unit))
            if f.span is not None:
                self.evidence(fs, f.span)

    # -- events -------------------------------------------------------------------------------
    def map_events(self) -> None:
        for ev in self.doc.events:
            s = self.m.key("event/" + ev.key)
            cls = _event_class(ev.type)
            self.add(s, TYPE, cls)
            self.add(s, LABEL, Literal(ev.label or ev.type))
            for p in ev.participants:
                self.add(s, K.participant, self.entity_iri[p])
            for p in ev.actors:
                self.add(s, K.actor, self.entity_iri[p])
            for p in ev.affected:
                self.add(s, K.affected, self.entity_iri[p])
            if ev.place:
                self.add(s, K.place, self.place_iri[ev.place])
            self.date(s, ev.date)
            if ev.force:
                self.add(s, K.force, self.entity_iri[ev.force])
            if ev.country:
                self.add(s, K.country, self.country(ev.country))
            if ev.size is not None:
                self.add(s, K.size, _integer(ev.size))
            for c in ev.confirmed_by:
                self.add(s, K.confirmedBy, self.entity_iri[c])
            self.add(s, K.reportedIn, self.article)
            self.sourced(s, ev)
            self.evidence(s, ev.span)
            for m in ev.mentions:
                self.evidence(s, m)


def _closed(kind: str, value: str) -> URIRef:
    try:
        return _individual(f"{kind}-{value}")
    except KeyError:
        raise MappingError(f"{kind} {value!r} is not in the ontology (see newskb.extract.vocabulary)") from None


def _event_class(name: str) -> URIRef:
    try:
        return getattr(NKB, name)
    except AttributeError:
        raise MappingError(f"event type {name!r} is not a class of the ontology") from None


def map_facts(doc: FactsDocument, *, base: str = DEFAULT_BASE) -> tuple[URIRef, Graph]:
    """Map one facts document to ``(graph IRI, rdflib Graph)``.

    Raises :class:`MappingError` when a fact uses a term the ontology does not have."""
    iri, triples = map_facts_triples(doc, base=base)
    g = Graph()
    for t in triples:
        g.add(t)
    return iri, g


def map_facts_triples(doc: FactsDocument, *, base: str = DEFAULT_BASE) -> tuple[URIRef, set[Triple]]:
    """:func:`map_facts` as a set of triples, without building an rdflib Graph (what the build
    needs: the triples are validated, sorted and serialised, never queried)."""
    minter = IriMinter(base)
    b = _Builder(doc, minter)
    b.map_places()
    b.map_entities()
    b.map_article()
    mapped = b.map_statements()
    b.map_claims(mapped)
    b.map_events()
    return minter.graph(doc.article.id), public_vocabulary().expand(b.triples)
