"""The HTML pages of the site, rendered server-side with Jinja2 (autoescaped) from a KBView.

Every function takes ``root``: the prefix that leads from the page to the site root ("/" on the
server, "../" repeated for a page of the static site), so the same pages work in both.
Article text is never shown: a fact's quoted span appears with at most 20 characters of known
context on each side, taken from the facts file's own spans.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cached_property
from urllib.parse import quote, unquote

import jinja2
import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, XSD

from .. import __version__
from ..labels import format_number
from ..store import query_text, saved_queries
from ..vocab import GEO_LAT, NKB_IRI, ONTOLOGY_IRI, RDF_TYPE, RDFS_LABEL, SCHEMA, XSD_STRING, curie
from ..vocab import PREFIXES as VOCAB_PREFIXES
from . import basemap
from .kbview import PREFIXES, RDF_EXTENSIONS, KBView, term_str

MAX_INCOMING = 200
MAX_EVIDENCE = 40

# site pages: name -> (file, title)
PAGES = {"index": ("index.html", "Home"), "entities": ("entities.html", "Entities"),
         "claims": ("claims.html", "Disputed figures"), "timeline": ("timeline.html", "Timeline"),
         "map": ("map.html", "Map"), "query": ("query.html", "Query"), "ontology": ("ontology.html", "Ontology")}

CLASS_GROUPS = [
    ("People", ["Person"]), ("Organisations", ["Organisation", "NewsPublisher"]),
    ("Governments", ["Government"]), ("Military forces", ["MilitaryForce"]), ("Groups", ["Group"]),
    ("Places", ["Country", "Region", "Settlement", "Area"]), ("Roles", ["Role"]),
    ("Quantity kinds", ["QuantityKind"]),
]


class Urls:
    """Links from a page to the site's resources."""

    def __init__(self, kb: KBView, root: str):
        self.kb = kb
        self.root = root

    def page(self, name: str) -> str:
        return self.root + PAGES[name][0]

    def static(self, name: str) -> str:
        return self.root + "static/" + name

    def doc(self, iri: str, ext: str = "html") -> str | None:
        """The document of an IRI (None for an IRI that is neither the KB's nor the ontology's)."""
        if iri == ONTOLOGY_IRI:
            return self.root + "ontology." + ext
        if iri.startswith(NKB_IRI):
            return self.root + "ontology." + ext + ("#" + iri[len(NKB_IRI):] if ext == "html" else "")
        doc, hash_, frag = iri.partition("#")
        if hash_ and self.kb.exists(doc):  # <place>#geo: a part of its document
            found = self.doc(doc, ext)
            return found + "#" + frag if found and ext == "html" else found
        path = self.kb.path_of(iri)
        if path is None or not self.kb.exists(iri):
            return None
        return self.root + quote(path, safe="/%:@!$&'()*+,;=-._~") + "." + ext

    def href(self, iri: str) -> str:
        """A link for any IRI: its page here, else the IRI itself (external)."""
        return self.doc(iri) or iri


class Pages:
    def __init__(self, kb: KBView):
        self.kb = kb
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("newskb.web", "templates"),
            autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
            undefined=jinja2.StrictUndefined)
        self.env.globals.update(version=__version__, PAGES=PAGES, qname=qname)
        self.env.filters["shorten"] = _shorten
        self.env.filters["num"] = format_number

    # ---- helpers -------------------------------------------------------------------------
    def _render(self, template: str, root: str, **ctx) -> str:
        u = Urls(self.kb, root)
        return self.env.get_template(template).render(
            u=u, kb=self.kb, label=self.kb.label, term=lambda t: self._term(t, u), **ctx)

    def _term(self, t, u: Urls) -> dict:
        """A term as {text, href, note} for templates."""
        if t is None:
            return {"text": "", "href": None, "note": ""}
        if isinstance(t, ox.NamedNode):
            return {"text": self.kb.label(t.value), "href": u.href(t.value), "note": ""}
        note = ""
        if isinstance(t, ox.Literal):
            if t.language:
                note = "@" + t.language
            elif t.datatype and t.datatype.value != XSD_STRING:
                note = t.datatype.value.replace(str(XSD), "xsd:")
        return {"text": t.value, "href": None, "note": note}

    def _contexts(self, span_iris: list[str]) -> list[dict]:
        out = []
        for s in sorted(span_iris)[:MAX_EVIDENCE]:
            got = self.kb.span_context(s)
            if got:
                ctx, art = got
                out.append({"ctx": ctx, "span": s, "article": art})
        return sorted(out, key=lambda c: (c["article"], c["ctx"].start))

    # ---- pages ---------------------------------------------------------------------------
    @cached_property
    def groups(self) -> list[tuple[str, list[str]]]:
        """The entities page's groups and their members: what the home page counts, too (a member
        of two classes of a group counts once)."""
        kb = self.kb
        return [(name, sorted({i for c in classes for i in kb.members(NKB_IRI + c)}, key=lambda i: kb.label(i).lower()))
                for name, classes in CLASS_GROUPS]

    def index(self, root: str = "/") -> str:
        kb = self.kb
        groups = [(name, len(members)) for name, members in self.groups]
        return self._render("index.html", root, title="newskb", stats=kb.stats, groups=groups, articles=kb.articles)

    def entities(self, root: str = "/") -> str:
        return self._render("entities.html", root, title="Entities", groups=self.groups)

    def resource(self, iri: str, root: str = "/") -> str:
        kb = self.kb
        if kb.article_by_iri(iri):
            return self.article(iri, root)
        u = Urls(kb, root)
        out = kb.outgoing(iri)
        types = [t.object.value for t in out if t.predicate.value == RDF_TYPE]
        props = defaultdict(list)
        spans = []
        for t in out:
            p = t.predicate.value
            if p == RDF_TYPE:
                continue
            if p == NKB_IRI + "evidence":
                spans.append(t.object.value)
            props[p].append(t.object)
        implied = _implied(out, subject=True)
        props = {p: vs for p, vs in props.items() if not all((p, v.value) in implied for v in vs)}
        incoming = defaultdict(list)
        n_in = 0
        links_in = kb.incoming(iri)
        implied = _implied(links_in, subject=False)
        for t in links_in:
            if (t.predicate.value, t.subject.value) in implied:
                continue  # prov:wasAttributedTo beside nkb:speaker says nothing more to a reader
            n_in += 1
            if len(incoming[t.predicate.value]) < MAX_INCOMING:
                incoming[t.predicate.value].append(t.subject)
        own_ctx = []
        if kb.is_a(iri, "TextSpan"):
            own_ctx = self._contexts([iri])
        statements = self.select_statements(iri)
        claims = self.select_claims(iri)
        events = self.select_events(iri)
        map_svg = self.place_map(iri, u)
        label = kb.label(iri)
        return self._render(
            "resource.html", root, title=label, iri=iri, types=types, props=sorted(props.items()),
            incoming=sorted(incoming.items()), n_incoming=n_in, evidence=self._contexts(spans) if spans else own_ctx,
            statements=statements, claims=claims, events=events, map_svg=map_svg,
            docs={ext: u.doc(iri, ext) for ext in RDF_EXTENSIONS})

    def select_statements(self, iri: str, *, article: str | None = None) -> list[dict]:
        where = ("?st nkb:sourceArticle ?x ." if article else
                 "{ ?st nkb:speaker ?x } UNION { ?st nkb:mentions ?x }")
        rows = self.kb.select(PREFIXES + f"""
            SELECT DISTINCT ?x ?st ?speaker ?text ?direct ?date ?article ?span ?cue WHERE {{
              ?st a nkb:Statement . {where}
              OPTIONAL {{ ?st nkb:speaker ?speaker }} OPTIONAL {{ ?st nkb:text ?text }}
              OPTIONAL {{ ?st nkb:direct ?direct }} OPTIONAL {{ ?st nkb:date ?date }}
              OPTIONAL {{ ?st nkb:sourceArticle ?article }} OPTIONAL {{ ?st nkb:evidence ?span }}
              OPTIONAL {{ ?st nkb:cue ?cue }}
            }} ORDER BY ?date ?st""", x=article or iri)
        return self._with_context(rows, "st")

    def select_claims(self, iri: str, *, article: str | None = None) -> list[dict]:
        where = "?c nkb:sourceArticle ?x ." if article else "?c ?p ?x ."
        rows = self.kb.select(PREFIXES + f"""
            SELECT DISTINCT ?x ?c ?claimant ?kind ?value ?unit ?qualifier ?qtext ?date ?article ?span ?counted WHERE {{
              ?c a nkb:NumericClaim . {where}
              OPTIONAL {{ ?c nkb:claimant ?claimant }} OPTIONAL {{ ?c nkb:kind ?kind }}
              OPTIONAL {{ ?c nkb:value ?value }} OPTIONAL {{ ?c nkb:unit ?unit }}
              OPTIONAL {{ ?c nkb:qualifier ?qualifier }} OPTIONAL {{ ?c nkb:qualifierText ?qtext }}
              OPTIONAL {{ ?c nkb:date ?date }} OPTIONAL {{ ?c nkb:sourceArticle ?article }}
              OPTIONAL {{ ?c nkb:evidence ?span }} OPTIONAL {{ ?c nkb:counted ?counted }}
            }} ORDER BY ?kind ?value ?c""", x=article or iri)
        return self._with_context(rows, "c")

    def select_events(self, iri: str, *, article: str | None = None) -> list[dict]:
        where = "?e nkb:reportedIn ?x ." if article else "?e ?p ?x ."
        rows = self.kb.select(PREFIXES + f"""
            SELECT DISTINCT ?x ?e ?type ?date ?place ?article ?span WHERE {{
              ?e nkb:reportedIn ?article ; a ?type . ?type rdfs:subClassOf nkb:Event . {where}
              OPTIONAL {{ ?e nkb:date ?date }} OPTIONAL {{ ?e nkb:place ?place }}
              OPTIONAL {{ ?e nkb:evidence ?span }}
            }} ORDER BY ?date ?e""", x=article or iri)
        out = self._with_context(rows, "e")
        for r in out:
            r["participants"] = [t.object for t in self.kb.outgoing(r["e"].value)
                                 if t.predicate.value == NKB_IRI + "participant"]
        return out

    def _with_context(self, rows: list[dict], key: str) -> list[dict]:
        """One row per fact (the first evidence span of each), with the span's context."""
        merged: dict[str, dict] = {}
        for r in rows:
            k = r[key].value
            if k not in merged:
                merged[k] = dict(r)
                merged[k]["contexts"] = []
            span = r.get("span")
            if span is not None and len(merged[k]["contexts"]) < 3:
                got = self.kb.span_context(span.value)
                if got and all(c.start != got[0].start for c in merged[k]["contexts"]):
                    merged[k]["contexts"].append(got[0])
        return list(merged.values())

    def place_map(self, iri: str, u: Urls) -> str:
        kb = self.kb
        pts = []
        if iri in kb.coords:
            lat, lon = kb.coords[iri]
            pts.append(basemap.Point(lat, lon, kb.label(iri), u.href(iri)))
        for t in kb.incoming(iri):  # places inside it
            s = t.subject.value
            if t.predicate.value == NKB_IRI + "locatedIn" and s in kb.coords:
                lat, lon = kb.coords[s]
                pts.append(basemap.Point(lat, lon, kb.label(s), u.href(s)))
        if not pts:
            return ""
        return basemap.render(pts, title=f"Map of {kb.label(iri)}")

    def article(self, iri: str, root: str = "/") -> str:
        kb = self.kb
        u = Urls(kb, root)
        a = kb.article_by_iri(iri)
        meta = defaultdict(list)
        own = kb.outgoing(iri)
        implied = _implied(own, subject=True)
        for t in own:
            if t.predicate.value != RDF_TYPE and (t.predicate.value, t.object.value) not in implied:
                meta[t.predicate.value].append(t.object)
        facts = kb.facts(a["id"])
        mentioned = []
        for e in facts.get("entities", []) + facts.get("places", []):
            key = e.get("key")
            if key and kb.exists(kb.base + key):
                mentioned.append((kb.base + key, e.get("type", ""), len(e.get("mentions", []))))
        mentioned = sorted(set(mentioned), key=lambda m: (m[1], kb.label(m[0]).lower()))
        pts = [basemap.Point(*kb.coords[m[0]], kb.label(m[0]), u.href(m[0])) for m in mentioned if m[0] in kb.coords]
        return self._render(
            "article.html", root, title=a["headline"], a=a, iri=iri, meta=sorted(meta.items()),
            mentioned=mentioned, statements=self.select_statements(iri, article=iri),
            claims=self.select_claims(iri, article=iri), events=self.select_events(iri, article=iri),
            map_svg=basemap.render(pts, title="Places in this article") if pts else "",
            extractor=facts.get("extractor", ""),
            docs={ext: u.doc(iri, ext) for ext in RDF_EXTENSIONS},
            graph_doc=u.doc(a["graph"], "ttl"))

    def claims(self, root: str = "/") -> str:
        """The competing figures of the saved query, one card per quantity (kind): its measure,
        subject, place and time span, the figures and their claimants side by side; contradictory
        groups first."""
        rows = self.kb.select(query_text("conflicting-claims"))
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            groups[term_str(r["kind"])].append(r)
        cards = [self._claims_card(kind, rs) for kind, rs in groups.items()]
        cards.sort(key=lambda c: (c["status"] != "contradictory", self.kb.label(c["kind"]).lower(), c["kind"]))
        return self._render("claims.html", root, title="Disputed figures", cards=cards)

    def _claims_card(self, kind: str, rs: list[dict]) -> dict:
        ctx_rows = self._with_context([dict(r, span=self._first_span(r["claim"].value)) for r in rs], "claim")
        ctx_rows.sort(key=lambda r: (term_str(r["timeStart"]), float(r["value"].value), r["claim"].value))
        values = sorted({float(r["value"].value) for r in rs} | {float(r["maxValue"].value) for r in rs if r["maxValue"]})
        starts = sorted(term_str(r["timeStart"]) for r in rs if r["timeStart"])
        ends = sorted(term_str(r["timeEnd"]) for r in rs if r["timeEnd"])
        status = "contradictory" if any(term_str(r["status"]) == "contradictory" for r in rs) else "compatible"
        first = rs[0]
        return {"kind": kind, "unit": term_str(first["unit"]), "rows": ctx_rows, "status": status,
                "measure": term_str(first["measure"]) if first["measure"] else "",
                "place": term_str(first["place"]) if first["place"] else "",
                "span": (starts[0], ends[-1]) if starts and ends else None,
                "low": values[0], "high": values[-1], "n_claimants": len({term_str(r["claimant"]) for r in rs})}

    def _first_span(self, iri: str):
        spans = sorted(t.object.value for t in self.kb.outgoing(iri) if t.predicate.value == NKB_IRI + "evidence")
        return ox.NamedNode(spans[0]) if spans else None

    def timeline(self, root: str = "/") -> str:
        rows = self.kb.select(query_text("events"))
        events: dict[str, dict] = {}
        for r in rows:
            e = events.setdefault(r["event"].value, {"event": r["event"], "type": r["type"], "typeLabel": term_str(r["typeLabel"]),
                                                      "label": self.kb.labels.get(r["event"].value, ""),
                                                      "date": term_str(r["date"]), "place": r["place"], "participants": [],
                                                      "articles": []})
            if r["participant"] is not None and r["participant"] not in e["participants"]:
                e["participants"].append(r["participant"])
            if r["article"] is not None and r["article"] not in e["articles"]:
                e["articles"].append(r["article"])
        by_month: dict[str, list] = defaultdict(list)
        undated = []
        for e in sorted(events.values(), key=lambda e: (e["date"], e["typeLabel"], e["event"].value)):
            (by_month[e["date"][:7]] if e["date"] else undated).append(e)
        return self._render("timeline.html", root, title="Timeline of events", months=sorted(by_month.items()),
                            undated=undated, total=len(events))

    def map(self, root: str = "/") -> str:
        kb = self.kb
        u = Urls(kb, root)
        rows = kb.select(query_text("places"))
        places = {}
        for r in rows:
            if r["lat"] is None or r["long"] is None:
                continue
            places.setdefault(r["place"].value, r)
        pts = [basemap.Point(float(r["lat"].value), float(r["long"].value), kb.label(p), u.href(p),
                             r["placeType"].value.rsplit("#", 1)[-1] if r["placeType"] is not None else "")
               for p, r in places.items()]
        return self._render("map.html", root, title="Map of places", map_svg=basemap.render(pts, title="Places with coordinates"),
                            places=sorted(places.items(), key=lambda p: kb.label(p[0]).lower()),
                            outlines=basemap.available())

    def query(self, root: str = "/", *, endpoint: str | None = "sparql", sparql: str = "",
              result=None, error: str = "") -> str:
        saved = {name: query_text(name) for name in saved_queries()}
        return self._render("query.html", root, title="Query", saved=saved, saved_json=json.dumps(saved),
                            endpoint=endpoint, sparql=sparql or saved.get("statements", ""),
                            result=result, error=error)

    def ontology(self, root: str = "/") -> str:
        return self._render("ontology.html", root, title="newskb ontology", **self.ontology_model)

    @cached_property
    def ontology_model(self) -> dict:
        kb = self.kb
        by_s: dict[str, list] = defaultdict(list)
        for t in kb.ontology_triples():
            if isinstance(t.subject, ox.NamedNode):
                by_s[t.subject.value].append(t)
        owl_class, individual = str(OWL.Class), str(OWL.NamedIndividual)
        kinds = [("Classes", owl_class), ("Object properties", str(OWL.ObjectProperty)),
                 ("Datatype properties", str(OWL.DatatypeProperty)),
                 ("Annotation properties", str(OWL.AnnotationProperty)), ("Individuals", individual)]
        sections = []
        header = {}
        for s, ts in by_s.items():
            if s == ONTOLOGY_IRI:
                header = {"triples": ts}
        for title, ty in kinds:
            terms = []
            for s, ts in sorted(by_s.items()):
                if not s.startswith(NKB_IRI):
                    continue
                tys = {t.object.value for t in ts if t.predicate.value == RDF_TYPE}
                if ty not in tys or (ty == owl_class and individual in tys):
                    continue
                if ty != individual and individual in tys:
                    continue
                terms.append({"iri": s, "local": s[len(NKB_IRI):],
                              "triples": [t for t in ts if t.predicate.value != RDF_TYPE or t.object.value != ty]})
            sections.append((title, terms))
        return {"sections": sections, "header": header, "ontology_iri": ONTOLOGY_IRI,
                "prefixes": {v: k for k, v in VOCAB_PREFIXES.items()}}


def _implied(triples, *, subject: bool) -> set[tuple[str, str]]:
    """(public property, other end) of the schema.org/PROV-O triples that repeat an nkb triple
    beside them (the mapping adds them from the ontology's alignment): pages show the nkb one only."""
    from ..mapping import public_vocabulary  # (the mapping's imports are not paid at server start)

    props = public_vocabulary().properties
    out = set()
    for t in triples:
        p = t.predicate.value
        end = t.object if subject else t.subject
        out.update((str(sup), end.value) for sup in props.get(URIRef(p), ()))
        if subject and p == RDFS_LABEL:  # schema:name repeats the label
            out.add((str(SCHEMA.name), t.object.value))
        if subject and p == GEO_LAT:  # schema:geo repeats the coordinates shown as geo:lat/long
            out.add((str(SCHEMA.geo), t.subject.value + "#geo"))
    return out


def _shorten(s: str, n: int = 200) -> str:
    s = str(s).replace("\n", " ")
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def qname(iri: str) -> str:
    """``prefix:local`` for an IRI of a known namespace, else the IRI."""
    short = curie(iri)
    return iri if short.startswith("<") else short


def page_for_path(path: str) -> str | None:
    """The site page name for a URL path like 'claims' or 'claims.html'."""
    p = unquote(path).removesuffix(".html")
    if p in ("", "index"):
        return "index"
    return p if p in PAGES else None
