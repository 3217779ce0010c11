"""Hand annotations of articles (``tests/annotations/<split>/*.json``): their form and checks.

The format is documented in ``docs/annotations.md``. An annotation lists, per area, what a careful
reader finds in one article, as short phrases and keys, never as article text. :func:`load_split`
reads a split's files, :func:`check` finds every problem of one annotation against its article
body (phrases that do not occur, references that do not resolve) so that an annotator can mend
them before the annotation is used to score anything.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SPLITS = ("train", "dev")

ActorKind = Literal["Person", "Organisation", "Government", "Group", "MilitaryForce", "UnnamedPerson",
                    "AnonymousSource", "Document", "Publisher"]
PlaceKind = Literal["Settlement", "Region", "Country", "Area", "WaterBody"]
Measure = Literal["killed", "wounded", "casualties", "missing", "detained", "displaced", "troops", "weapons",
                  "attacks", "money", "distance", "area", "share", "duration", "temperature", "population",
                  "votes", "buildings", "price", "other"]
GoldQualifier = Literal["exactly", "approximately", "more-than", "at-least", "up-to", "less-than", "nearly",
                        "within"]
_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldActor(_Gold):
    id: str | None = None
    key: str | None = None
    name: str | None = None
    type: ActorKind | None = None
    role: str | None = None
    affiliation: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")

    @model_validator(mode="after")
    def _named(self) -> "GoldActor":
        if not (self.key or self.name):
            raise ValueError("an actor needs a key or a name")
        if self.id is None and self.key is None:
            raise ValueError(f"actor {self.name!r}: give an id (or a key) so that others can refer to it")
        return self

    @property
    def ref(self) -> str:
        return self.id or self.key  # type: ignore[return-value]


class GoldStatement(_Gold):
    phrase: str
    speaker: str | list[str] | None
    direct: bool | None = None
    date: str | None = Field(default=None, pattern=_DATE)

    @property
    def speakers(self) -> list[str]:
        if self.speaker is None:
            return []
        return [self.speaker] if isinstance(self.speaker, str) else list(self.speaker)


class GoldClaim(_Gold):
    phrase: str | None = None
    value: float | None = None
    min: float | None = None
    max: float | None = None
    unit: str
    qualifier: GoldQualifier | None = None
    measure: Measure | None = None
    claimant: str
    group: str | None = None

    @model_validator(mode="after")
    def _value(self) -> "GoldClaim":
        if self.value is None and (self.min is None or self.max is None):
            raise ValueError("a claim needs a value, or a min and a max")
        if self.value is not None and (self.min is not None or self.max is not None):
            raise ValueError("a claim has a value or a range (min, max), not both")
        return self


class GoldPlace(_Gold):
    name: str
    key: str | None = None
    type: PlaceKind | None = None
    within: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    coordinates: bool | None = None


class GoldEvent(_Gold):
    type: str
    phrase: str
    mentions: list[str] = Field(default_factory=list)
    place: str | None = None
    participants: list[str] = Field(default_factory=list)
    date: str | None = Field(default=None, pattern=_DATE)


class GoldDeployment(_Gold):
    force: str
    size: int | None = None
    place_any: list[str] = Field(default_factory=list)
    confirmed_by: list[str] = Field(default_factory=list)


class Annotation(_Gold):
    article: str
    split: Literal["train", "dev"] | None = None
    annotator: str | None = None
    notes: str | None = None
    actors: list[GoldActor] = Field(default_factory=list)
    statements: list[GoldStatement] = Field(default_factory=list)
    claims: list[GoldClaim] = Field(default_factory=list)
    conflicts: list[list[str]] = Field(default_factory=list)
    places: list[GoldPlace] = Field(default_factory=list)
    events: list[GoldEvent] = Field(default_factory=list)
    deployments: list[GoldDeployment] = Field(default_factory=list)
    file: str | None = Field(default=None, exclude=True)

    def actor(self, ref: str) -> GoldActor | None:
        """The listed actor a reference names (None for a global key not listed, or "publisher")."""
        for a in self.actors:
            if ref in (a.id, a.key):
                return a
        return None

    def refs(self) -> list[tuple[str, str]]:
        """Every actor reference in the annotation, with where it is."""
        out: list[tuple[str, str]] = []
        for a in self.actors:
            if a.affiliation:
                out.append((f"actor {a.ref} affiliation", a.affiliation))
        for s in self.statements:
            out += [(f"statement '{s.phrase}' speaker", r) for r in s.speakers]
        for c in self.claims:
            out.append((f"claim {c.value or (c.min, c.max)} claimant", c.claimant))
        for e in self.events:
            out += [(f"event '{e.phrase}' participant", r) for r in e.participants]
        for d in self.deployments:
            out += [(f"deployment of {d.force}", r) for r in [d.force, *d.confirmed_by]]
        return out


_GLOBAL_KEY = re.compile(r"^(person|org|government|group|force|source|document)/\S+$")


def load(path: Path) -> Annotation:
    """Read one annotation file; errors name the file and the field."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON: {exc}") from None
    try:
        ann = Annotation.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{path}: {exc}") from None
    ann.file = str(path)
    return ann


def split_folder(root: Path, split: str) -> Path:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    return Path(root) / split


def load_split(root: Path, split: str) -> list[Annotation]:
    """Every annotation of ``split`` under ``root`` (``tests/annotations``), sorted by file name."""
    folder = split_folder(root, split)
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise FileNotFoundError(f"{folder}: no annotation files (*.json)")
    return [load(f) for f in files]


def _occurs(phrase: str, body: str) -> bool:
    """Case folded, so that a dateline's capitals ("BEIRUT") name the place too."""
    return _squash(phrase).casefold() in _squash(body).casefold()


def _squash(text: str) -> str:
    t = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", t)


def check(ann: Annotation, body: str) -> list[str]:
    """Every problem of ``ann`` against its article ``body``: phrases and names that do not occur
    in the body, references that resolve to no actor, conflict groups no claim has."""
    problems: list[str] = []

    def need(phrase: str | None, where: str) -> None:
        if phrase and not _occurs(phrase, body):
            problems.append(f"{where}: {phrase!r} does not occur in the article body")

    for a in ann.actors:
        need(a.name, f"actor {a.ref} name")
    for s in ann.statements:
        need(s.phrase, "statement phrase")
    for c in ann.claims:
        need(c.phrase, "claim phrase")
    for p in ann.places:
        need(p.name, "place name")
    from .extract.vocabulary import EVENT_TYPES

    for e in ann.events:
        if e.type not in EVENT_TYPES:
            problems.append(f"event '{e.phrase}': unknown type {e.type!r} (docs/events.md lists the types)")
        need(e.phrase, f"event {e.type} phrase")
        for m in e.mentions:
            need(m, f"event {e.type} mention")
    for where, ref in ann.refs():
        if ref != "publisher" and ann.actor(ref) is None and not _GLOBAL_KEY.match(ref):
            problems.append(f"{where}: {ref!r} names no listed actor (give it an id in 'actors') nor a global key")
    groups = {c.group for c in ann.claims}
    for group in ann.conflicts:
        for name in group:
            if name not in groups:
                problems.append(f"conflicts: no claim has group {name!r}")
    ids = [a.ref for a in ann.actors]
    for ref in sorted({r for r in ids if ids.count(r) > 1}):
        problems.append(f"actors: {ref!r} is listed twice")
    return problems
