"""The ontology's terms in one place: a namespace that fails on a misspelled term.

Kept equal to ``ontology/newskb.ttl`` by ``tests/test_ontology.py``.
"""

from rdflib import URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace

from .resources import read_table

KB_BASE = "https://w3id.org/newskb/"  # the default base IRI of a KB's resources (mapping.DEFAULT_BASE)
NKB_IRI = "https://w3id.org/newskb/ontology#"
ONTOLOGY_IRI = "https://w3id.org/newskb/ontology"


class NKB(DefinedNamespace):
    _NS = Namespace(NKB_IRI)
    _fail = True
    Abduction: URIRef
    Advance: URIRef
    Agent: URIRef
    Agreement: URIRef
    AgreementBreakdown: URIRef
    AidDecision: URIRef
    Airstrike: URIRef
    AnonymousSource: URIRef
    Ambush: URIRef
    Appointment: URIRef
    Area: URIRef
    WaterBody: URIRef
    approximatePoint: URIRef
    ArmsTransfer: URIRef
    Arrest: URIRef
    Article: URIRef
    Attack: URIRef
    Bombing: URIRef
    Capture: URIRef
    CasualtyReport: URIRef
    Country: URIRef
    Coup: URIRef
    DatePrecision: URIRef
    Document: URIRef
    Decree: URIRef
    Deployment: URIRef
    Dismissal: URIRef
    DroneStrike: URIRef
    Election: URIRef
    Evacuation: URIRef
    Event: URIRef
    Government: URIRef
    Group: URIRef
    Incursion: URIRef
    Measure: URIRef
    Meeting: URIRef
    MilitaryForce: URIRef
    MilitaryTraining: URIRef
    MissileStrike: URIRef
    Mobilisation: URIRef
    NewsPublisher: URIRef
    NumericClaim: URIRef
    Organisation: URIRef
    PeaceTalks: URIRef
    Person: URIRef
    Place: URIRef
    PrisonerExchange: URIRef
    Protest: URIRef
    Qualifier: URIRef
    QuantityKind: URIRef
    Region: URIRef
    Release: URIRef
    Role: URIRef
    Sanctions: URIRef
    SanctionsEvasion: URIRef
    Settlement: URIRef
    Shelling: URIRef
    StatedForm: URIRef
    Statement: URIRef
    TextSpan: URIRef
    Threat: URIRef
    Trial: URIRef
    Ultimatum: URIRef
    Unit: URIRef
    UnnamedPerson: URIRef
    Withdrawal: URIRef
    acledEventType: URIRef
    actor: URIRef
    affected: URIRef
    affiliation: URIRef
    author: URIRef
    beginIndex: URIRef
    cameoRootCode: URIRef
    claimant: URIRef
    comparableUntil: URIRef
    comparisonWindow: URIRef
    confidence: URIRef
    confirmedBy: URIRef
    contains: URIRef
    contributor: URIRef
    conversionMultiplier: URIRef
    conversionOffset: URIRef
    coSpeaker: URIRef
    counted: URIRef
    country: URIRef
    cue: URIRef
    date: URIRef
    datePrecision: URIRef
    datePublished: URIRef
    dateText: URIRef
    dimension: URIRef
    derivedHeadline: URIRef
    direct: URIRef
    endDate: URIRef
    endIndex: URIRef
    equivalentClaim: URIRef
    evidence: URIRef
    exact: URIRef
    extractionRule: URIRef
    force: URIRef
    geonamesId: URIRef
    governs: URIRef
    headline: URIRef
    inverseLabel: URIRef
    inArticle: URIRef
    isoCode: URIRef
    kind: URIRef
    kindPlace: URIRef
    language: URIRef
    locatedIn: URIRef
    location: URIRef
    lowerBound: URIRef
    maxValue: URIRef
    measure: URIRef
    mentions: URIRef
    participant: URIRef
    place: URIRef
    placeSource: URIRef
    publisher: URIRef
    qualifier: URIRef
    qualifierText: URIRef
    reportedIn: URIRef
    role: URIRef
    sha256: URIRef
    size: URIRef
    sourceArticle: URIRef
    sourceFile: URIRef
    speaker: URIRef
    statedForm: URIRef
    statedIn: URIRef
    statedUnit: URIRef
    statedValue: URIRef
    text: URIRef
    timeKind: URIRef
    timeSpanEnd: URIRef
    timeSpanStart: URIRef
    unit: URIRef
    upperBound: URIRef
    url: URIRef
    value: URIRef


# individuals whose local names are not Python identifiers (unit-…, qualifier-…, precision-…, measure-…);
# units and measures are the rows of newskb/data/units.tsv and measures.tsv
INDIVIDUALS = frozenset({
    "Measures",
    "precision-day",
    "precision-interval",
    "precision-month",
    "precision-week",
    "precision-year",
    "qualifier-approximately",
    "qualifier-at-least",
    "qualifier-exactly",
    "qualifier-less-than",
    "qualifier-more-than",
    "qualifier-nearly",
    "qualifier-up-to",
    "qualifier-within",
} | {"unit-" + r["code"] for r in read_table("units.tsv")} | {"measure-" + r["code"] for r in read_table("measures.tsv")})


def individual(local: str) -> URIRef:
    """The IRI of a named individual of the ontology, e.g. ``individual("unit-km")``."""
    if local not in INDIVIDUALS:
        raise KeyError(f"{local!r} is not an individual of the newskb ontology")
    return URIRef(NKB_IRI + local)


# namespaces the ontology aligns to that rdflib does not declare (its SDO is schema.org with a
# closed term list; its WGS is the https:// spelling of WGS84, not the one in use)
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")

PREFIXES = {
    "nkb": NKB_IRI,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "geo": str(GEO),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "gsp": str(GSP),
}

# the vocabularies of the dataset description (VoID and DCAT) served beside the KB
DATASET_PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "void": "http://rdfs.org/ns/void#",
}

# IRIs as plain strings, for the code that works with pyoxigraph terms or SPARQL text (every
# other IRI comes from rdflib's namespaces or the ones above: none is spelled out elsewhere)
RDF_TYPE = str(RDF.type)
RDF_LANG_STRING = str(RDF.langString)
RDFS_LABEL = str(RDFS.label)
XSD_STRING = str(XSD.string)
XSD_BOOLEAN = str(XSD.boolean)
OWL_SAME_AS = str(OWL.sameAs)
SKOS_ALT_LABEL = str(SKOS.altLabel)
GEO_LAT = str(GEO.lat)
GEO_LONG = str(GEO.long)

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def curie(iri: str) -> str:
    """``prefix:local`` for an IRI in one of the :data:`PREFIXES` namespaces (the longest that
    matches), else ``<iri>``."""
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def sparql_prefixes(*names: str) -> str:
    """SPARQL ``PREFIX`` lines for some of the :data:`PREFIXES` (all of them without ``names``)."""
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in (names or PREFIXES))

