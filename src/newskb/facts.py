"""The facts document: everything extracted from one article, as typed, versioned JSON.

A facts document is the hand-over point between extraction and RDF mapping. ``newskb extract``
prints one; ``newskb build`` accepts one (``*.facts.json``) in place of an article, so a person can
review and correct facts and rebuild without re-running NLP.

Conventions
-----------
* Offsets (``Span.start``/``Span.end``) are Unicode code-point offsets into the article *body* (the
  text after the front matter), end exclusive; ``Span.text == body[start:end]``.
* ``id`` fields are local to the document (``E1``, ``P3``, ``S2`` …) and are what other facts refer
  to. ``key`` fields are global: the mapping turns a key into an IRI, so two documents that give
  the same key to an entity share one IRI (the same person across articles).
* Every fact says how sure the extractor is (``confidence`` 0..1) and which rule or model made it
  (``rule``), so a reviewer can decide what to check first.
* Dates are ISO strings: ``YYYY-MM-DD`` (day, week), ``YYYY-MM`` (month) or ``YYYY`` (year), with
  their precision; an interval has ``value`` (start) and ``end``.

The JSON Schema is ``FactsDocument.model_json_schema()`` (``newskb extract --schema``) and is
documented in ``docs/facts.md``.
"""

from __future__ import annotations

import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FACTS_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Span(_Model):
    """A stretch of the article body: code-point offsets, end exclusive, and the exact text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> "Span":
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self


class Sourced(_Model):
    """Fields every extracted fact carries: how sure, and which rule or model produced it."""

    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    rule: str = "manual"


Precision = Literal["day", "week", "month", "year", "interval", "unknown"]


class DateValue(_Model):
    """A resolved date with its precision. ``value`` is None when it could not be resolved."""

    value: str | None = None
    end: str | None = None
    precision: Precision = "unknown"
    text: str | None = None
    span: Span | None = None
    note: str | None = None


class Contributor(_Model):
    name: str
    location: str | None = None
    role: Literal["author", "additional-reporting", "editing"] = "additional-reporting"


class ArticleMeta(_Model):
    """Article metadata. ``id`` is the file stem; it names the article's IRI and graph.
    ``derived_title`` is set by extraction only when the metadata has no ``title``: the body's
    first sentence outside page furniture, shortened; it is published as a derived headline,
    never as the publisher's."""

    id: str
    source: str | None = None
    sha256: str
    format: Literal["text", "markdown", "html"] = "text"
    title: str | None = None
    derived_title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    authors: list[str] = Field(default_factory=list)
    contributors: list[Contributor] = Field(default_factory=list)
    body_length: int = 0
    warnings: list[str] = Field(default_factory=list)


ActorType = Literal["Person", "Organisation", "Government", "Group", "MilitaryForce", "Publisher",
                    "UnnamedPerson", "AnonymousSource", "Document"]


class Entity(Sourced):
    """An actor: person, organisation, state or government, described group, or military force.

    ``key`` is global, e.g. ``person/mark-rutte``, ``government/UA``, ``org/nato``,
    ``group/ukrainian-military-analysts``, ``force/kp/troops``.
    ``role`` is a plain-English role ("secretary-general"); ``affiliation`` the local id of the
    entity the role is held in. ``country`` is an ISO 3166-1 alpha-2 code. Forces may carry a
    ``size`` and a ``location`` (a place id).
    """

    id: str
    key: str
    type: ActorType
    name: str
    aliases: list[str] = Field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None
    size: int | None = None
    location: str | None = None
    same_as: list[str] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)


PlaceType = Literal["Settlement", "Region", "Country", "Area", "WaterBody"]


class Place(Sourced):
    """A place. ``key`` is ``geonames/ID``, ``country/XX``, ``region/XX-YY`` or
    ``local/<container key>/<slug>`` for a place missing from the gazetteers.
    ``within`` is the local id of the containing place; ``source`` cites where the identifier and
    coordinates came from (never invented)."""

    id: str
    key: str
    type: PlaceType
    name: str
    aliases: list[str] = Field(default_factory=list)
    geonames_id: int | None = None
    iso_code: str | None = None
    lat: float | None = None
    long: float | None = None
    approximate: bool = False  # the point is not the place's own (a container's, a mean of neighbours')
    bbox: list[float] | None = None  # west, south, east, north, from packaged data
    within: str | None = None
    same_as: list[str] = Field(default_factory=list)
    source: str | None = None
    mentions: list[Span] = Field(default_factory=list)


class Statement(Sourced):
    """Something somebody said. ``text`` is the verbatim quote (``direct``) or the reported clause;
    ``span`` covers exactly ``text``. ``speaker`` is an entity id, or None with ``speaker_note``
    saying why it was left out."""

    id: str
    speaker: str | None = None
    speaker_mention: Span | None = None
    speaker_note: str | None = None
    text: str
    direct: bool
    span: Span
    cue: str | None = None
    date: DateValue | None = None
    about: list[str] = Field(default_factory=list)
    co_speakers: list[str] = Field(default_factory=list)


Qualifier = Literal["exactly", "approximately", "more-than", "at-least", "up-to", "less-than", "nearly", "within"]


class StatedForm(_Model):
    """The figure of a claim as the article also states it: in another unit ("12 miles" of
    "20 kilometers (12 miles)", "$6.3bn" of "£5bn ($6.3bn)") or as written before its unit was
    converted ("4,500 feet" of a claim in metres). ``unit`` is a code of ``newskb/data/units.tsv``."""

    value: float
    max_value: float | None = None
    unit: str
    span: Span | None = None


class NumericClaim(Sourced):
    """A number somebody claims about a quantity.

    ``value`` (a range's minimum; ``max_value`` its maximum) in ``unit``, hedged by ``qualifier``.
    What it measures: ``measure`` (a code of ``newskb/data/measures.tsv``: killed, troops, money,
    distance …), of ``subject`` (the kind's parts between the measure and the time: whose dead,
    which force, what share, e.g. ``of-military/of-RU``), at ``place`` (a place id), over ``time``
    (the instant or period the figure is about, with its precision; None: as of ``date``). ``kind``
    is a normalised key built from those parts, so that claims about the same quantity share it,
    with ``kind_label``. ``claimant`` is an entity id (the speaker of the surrounding statement, the
    source it is cited from, or the publisher when the journalist states it); ``date`` when it was
    claimed. ``forms``: the same figure stated in other units."""

    id: str
    value: float
    max_value: float | None = None
    unit: str
    measure: str | None = None
    qualifier: Qualifier | None = None
    qualifier_text: str | None = None
    kind: str
    kind_label: str
    counted: str | None = None
    subject: str | None = None
    place: str | None = None
    claimant: str | None = None
    claimant_note: str | None = None
    statement: str | None = None
    span: Span
    date: DateValue | None = None
    time: DateValue | None = None
    forms: list[StatedForm] = Field(default_factory=list)
    equivalent_of: str | None = None


class Event(Sourced):
    """Something that happened, typed along the event typology (docs/events.md).
    ``participants`` is every actor taking part; ``actors`` those who acted (ACLED actor1: the
    attacker, the state that decreed, a party to talks) and ``affected`` those affected (ACLED
    actor2: the target, the victims, the counterpart), both among the participants.
    Deployments also carry ``force``, ``size`` and ``confirmed_by``."""

    id: str
    key: str
    type: str
    label: str | None = None
    participants: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    affected: list[str] = Field(default_factory=list)
    place: str | None = None
    date: DateValue | None = None
    span: Span
    mentions: list[Span] = Field(default_factory=list)
    force: str | None = None
    country: str | None = None
    size: int | None = None
    confirmed_by: list[str] = Field(default_factory=list)


class StepFailure(_Model):
    """An extraction step that raised on a stretch of the body: a bug in a rule. What the step
    found there was dropped; everything else of the article was kept."""

    step: str
    error: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class FactsDocument(_Model):
    """Everything extracted from one article."""

    facts_version: str = FACTS_VERSION
    extractor: str = "newskb"
    article: ArticleMeta
    entities: list[Entity] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    claims: list[NumericClaim] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    failures: list[StepFailure] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> "FactsDocument":
        ents = {e.id for e in self.entities}
        places = {p.id for p in self.places}
        stmts = {s.id for s in self.statements}
        claims = {c.id for c in self.claims}
        problems: list[str] = []

        def need(ref: str | None, pool: set[str], what: str, where: str) -> None:
            if ref is not None and ref not in pool:
                problems.append(f"{where}: unknown {what} id {ref!r}")

        for e in self.entities:
            need(e.affiliation, ents, "entity", f"entity {e.id}")
            need(e.location, places, "place", f"entity {e.id}")
        for p in self.places:
            need(p.within, places, "place", f"place {p.id}")
        for s in self.statements:
            need(s.speaker, ents, "entity", f"statement {s.id}")
            for c in s.co_speakers:
                need(c, ents, "entity", f"statement {s.id}")
            for a in s.about:
                if a not in ents and a not in places:
                    problems.append(f"statement {s.id}: unknown entity or place id {a!r}")
        for c in self.claims:
            need(c.claimant, ents, "entity", f"claim {c.id}")
            need(c.statement, stmts, "statement", f"claim {c.id}")
            need(c.equivalent_of, claims, "claim", f"claim {c.id}")
            need(c.place, places, "place", f"claim {c.id}")
        for ev in self.events:
            for p in ev.participants:
                need(p, ents, "entity", f"event {ev.id}")
            for p in [*ev.actors, *ev.affected]:
                need(p, ents, "entity", f"event {ev.id}")
                if p not in ev.participants:
                    problems.append(f"event {ev.id}: actor or affected {p!r} is not among its participants")
            for p in ev.confirmed_by:
                need(p, ents, "entity", f"event {ev.id}")
            need(ev.force, ents, "entity", f"event {ev.id}")
            need(ev.place, places, "place", f"event {ev.id}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def left_out(self) -> dict[str, dict[str, int]]:
        """Statements found without a speaker and claims without a claimant (they are not
        published), counted by reason: the part of ``speaker_note`` / ``claimant_note`` before
        its first colon ("speaker not identified: 'the source' is no actor" counts as "speaker
        not identified")."""
        def reasons(notes: list[str | None]) -> dict[str, int]:
            out: dict[str, int] = {}
            for note in notes:
                why = (note or "").split(":", 1)[0].strip() or "no reason recorded"
                out[why] = out.get(why, 0) + 1
            return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))
        return {"statements": reasons([s.speaker_note for s in self.statements if not s.speaker]),
                "claims": reasons([c.claimant_note for c in self.claims if not c.claimant])}

    def check_spans(self, body: str) -> list[str]:
        """Return one message per span whose text does not match ``body`` exactly."""
        bad: list[str] = []
        for where, span in self.iter_spans():
            if span.end > len(body) or body[span.start:span.end] != span.text:
                bad.append(f"{where}: span {span.start}-{span.end} does not match the body")
        return bad

    def iter_spans(self):
        for e in self.entities:
            for m in e.mentions:
                yield f"entity {e.id}", m
        for p in self.places:
            for m in p.mentions:
                yield f"place {p.id}", m
        for s in self.statements:
            yield f"statement {s.id}", s.span
            if s.speaker_mention:
                yield f"statement {s.id} speaker", s.speaker_mention
            if s.date and s.date.span:
                yield f"statement {s.id} date", s.date.span
        for c in self.claims:
            yield f"claim {c.id}", c.span
            for f in c.forms:
                if f.span is not None:
                    yield f"claim {c.id} form", f.span
        for ev in self.events:
            yield f"event {ev.id}", ev.span
            for m in ev.mentions:
                yield f"event {ev.id} mention", m

    def to_json(self) -> str:
        """Indented JSON, exactly ``json.dumps(model_dump(mode="json", exclude_none=True),
        ensure_ascii=False, indent=2) + "\\n"``. pydantic's Rust serialiser writes the same bytes
        except for some floats (see :func:`_json_risky`); a document that may hold one is
        written by the pure-Python encoder."""
        try:
            text = self.model_dump_json(indent=2, exclude_none=True)
        except ValueError:  # pragma: no cover - e.g. a lone surrogate
            text = None
        if text is None or _json_risky(text):
            return _slow_json(self)
        return text + "\n"

    @classmethod
    def from_json(cls, text: str) -> "FactsDocument":
        return cls.model_validate_json(text)


# pydantic and json.dumps write floats alike (shortest round trip) except where Python uses an
# exponent (|x| < 1e-4 or >= 1e16; pydantic then writes one too, always signed, or "0.0000...")
# and for NaN/Infinity (pydantic: null). Any such text anywhere, strings included, takes the
# reference path: a false alarm only costs time.
_EXPONENT = re.compile(r"[eE][-+]\d")


def _json_risky(text: str) -> bool:
    return ("0.0000" in text or "null" in text or "NaN" in text or "Infinity" in text
            or _EXPONENT.search(text) is not None)


def _slow_json(doc: BaseModel) -> str:
    """The reference encoding of :meth:`FactsDocument.to_json`."""
    return json.dumps(doc.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
