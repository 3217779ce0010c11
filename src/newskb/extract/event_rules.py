"""The event rules as data: the typology, the trigger rows and the word sets (docs/events.md).

Three tables in ``newskb/data/``, each row citing its source:

* ``event-typology.tsv``: one row per type of :data:`~newskb.extract.vocabulary.EVENT_TYPES`
  (family, key date precision, label template, ACLED / CAMEO alignment);
* ``event-types.tsv``: trigger rows, tried in order (the first row that matches a word types it);
* ``event-lexicon.tsv``: the word sets that the trigger rows name as ``$set`` and that the
  filters and role finders apply by name.

This module only reads and checks them; :mod:`newskb.extract.events` applies them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..resources import read_table
from .vocabulary import EVENT_TYPES

SPECIALS = frozenset({"@place", "@force", "@armed", "@deployed", "@actor", "@agentive", "@people", "@person", "@territory", "@future"})
POS_NAMES = frozenset({"VERB", "NOUN", "ADJ"})


@dataclass(frozen=True)
class Term:
    """One condition of a trigger row: a special (``@place`` …) or a set of words that must stand
    near the trigger (``strict``: among its dependents or inside one of its arguments)."""

    special: str | None = None
    words: frozenset[str] = frozenset()
    strict: bool = False
    particle: bool = False  # a particle of the trigger verb ("pull back", "take over")
    head: bool = False  # the word the trigger depends on ("a drone hit": the drone's verb)


@dataclass(frozen=True)
class EventType:
    type: str
    family: str
    keydate: str
    compound: str  # yes, head or no
    yields: frozenset[str]
    of_role: str
    label: str
    acled: str
    cameo: str


@dataclass(frozen=True)
class EventRule:
    """One row of ``event-types.tsv`` with the alignment of its type."""

    type: str
    triggers: frozenset[str]
    pos: frozenset[str] | None
    requires: tuple[tuple[Term, ...], ...] | None  # alternatives, each a conjunction of terms
    excludes: tuple[Term, ...]
    acled: str
    cameo: str
    keydate: str
    source: str

    @property
    def specials(self) -> frozenset[str]:
        return frozenset(t.special for alt in self.requires or () for t in alt if t.special)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, frozenset[str]]:
    """``set name -> words`` of ``event-lexicon.tsv``."""
    out: dict[str, frozenset[str]] = {}
    for r in read_table("event-lexicon.tsv"):
        if r["set"] in out:
            raise ValueError(f"event-lexicon.tsv: set {r['set']!r} is defined twice")
        out[r["set"]] = frozenset(w.strip().lower() for w in r["words"].split("|") if w.strip())
    return out


def words(name: str) -> frozenset[str]:
    """The words of one lexicon set (a KeyError names a set the table lacks)."""
    return lexicon()[name]


@lru_cache(maxsize=1)
def typology() -> dict[str, EventType]:
    """``type -> EventType`` of ``event-typology.tsv``; every type of EVENT_TYPES has a row."""
    out: dict[str, EventType] = {}
    for r in read_table("event-typology.tsv"):
        t = r["type"]
        if t not in EVENT_TYPES:
            raise ValueError(f"event-typology.tsv: {t!r} is not in vocabulary.EVENT_TYPES")
        yields = frozenset() if r["yields"] == "-" else frozenset(r["yields"].split("|"))
        bad = yields - set(EVENT_TYPES)
        if bad or r["keydate"] not in ("day", "month") or r["of"] not in ("agent", "target"):
            raise ValueError(f"event-typology.tsv: bad row for {t!r} ({sorted(bad) or r['keydate'] or r['of']})")
        if r["compound"] not in ("yes", "head", "no"):
            raise ValueError(f"event-typology.tsv: compound of {t!r} must be yes, head or no")
        out[t] = EventType(t, r["family"], r["keydate"], r["compound"], yields, r["of"], r["label"],
                           r["acled"], r["cameo"])
    missing = set(EVENT_TYPES) - set(out)
    if missing:
        raise ValueError(f"event-typology.tsv: no row for {sorted(missing)}")
    return out


def _term(text: str, where: str) -> Term:
    if text.startswith("^"):
        return Term(words=frozenset({text[1:].lower()}), particle=True)
    if text.startswith("<"):
        return Term(words=frozenset({text[1:].lower()}), head=True)
    strict = text.startswith(">")
    text = text[1:] if strict else text
    if text.startswith("@"):
        if text not in SPECIALS:
            raise ValueError(f"event-types.tsv: unknown condition {text!r} in {where}")
        return Term(special=text)
    if text.startswith("$"):
        try:
            return Term(words=words(text[1:]), strict=strict)
        except KeyError:
            raise ValueError(f"event-types.tsv: unknown word set {text!r} in {where}") from None
    return Term(words=frozenset({text.lower()}), strict=strict)


def _merged(terms: list[Term]) -> tuple[Term, ...]:
    """Plain word terms of one strictness joined into one (the common case: 'a|b|$set')."""
    out: list[Term] = [t for t in terms if t.special]
    for strict, particle, head in ((False, False, False), (True, False, False), (False, True, False),
                                   (False, False, True)):
        ws = frozenset().union(*[t.words for t in terms if not t.special and t.strict == strict
                                 and t.particle == particle and t.head == head])
        if ws:
            out.append(Term(words=ws, strict=strict, particle=particle, head=head))
    return tuple(out)


def _conditions(cell: str, where: str) -> tuple[tuple[Term, ...], ...] | None:
    if cell == "*":
        return None
    alts = [a for a in cell.split("|") if a]
    singles = [_term(a, where) for a in alts if "+" not in a]
    out = [(t,) for t in _merged(singles)]
    out += [tuple(_term(p, where) for p in a.split("+")) for a in alts if "+" in a]
    return tuple(out)


@lru_cache(maxsize=1)
def load_event_rules() -> tuple[EventRule, ...]:
    """Rows of ``event-types.tsv`` in order, checked against the typology and the word sets."""
    types = typology()
    rules = []
    for n, r in enumerate(read_table("event-types.tsv"), 2):
        t = r["type"]
        if t not in types:
            raise ValueError(f"event-types.tsv: row {n}: {t!r} is not a type of event-typology.tsv")
        where = f"row {n} ({t})"
        pos = None if r["pos"] == "*" else frozenset(r["pos"].split("|"))
        if pos and not pos <= POS_NAMES:
            raise ValueError(f"event-types.tsv: {where}: unknown part of speech {r['pos']!r}")
        excl = () if r["excludes"] == "-" else _merged([_term(x, where) for x in r["excludes"].split("|") if x])
        ty = types[t]
        rules.append(EventRule(t, frozenset(w.lower() for w in r["triggers"].split("|")), pos,
                               _conditions(r["requires"], where), excl, ty.acled, ty.cameo, ty.keydate,
                               r["source"]))
    return tuple(rules)


@lru_cache(maxsize=1)
def trigger_index() -> dict[str, tuple[int, ...]]:
    """For each trigger word, the positions of the rows it triggers, in table order."""
    out: dict[str, list[int]] = {}
    for k, r in enumerate(load_event_rules()):
        for w in r.triggers:
            out.setdefault(w, []).append(k)
    return {w: tuple(ks) for w, ks in out.items()}


# dependency labels that head a clause of their own
CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "advcl", "relcl", "parataxis", "xcomp", "csubj", "acl", "pcomp"})


def clause_of(tok):
    """The head of the clause ``tok`` is in (a noun's clause is that of its verb)."""
    t = tok
    for _ in range(12):
        if t.dep_ in CLAUSE_DEPS and t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return t
        t = t.head
    return t
