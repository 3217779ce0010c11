"""Reference inside an article: one mechanism, salience over the preceding mentions.

A definite description ("the ministry", "the report", "the group"), a title alone ("the
spokesman", "Ethiopia's prime minister") or a single name ("Machado" after "Maria Corina
Machado") refers to an actor the article named before. :class:`Salience` keeps every mention of
every registered actor outside quotes, in text order, with whether it was a grammatical subject,
and every resolved speaker. :meth:`Salience.refer` ranks the actors mentioned before an offset
that *agree* with the referring phrase:

* **kind**: the actor types the phrase can denote (a role noun: persons; "the ministry":
  organisations; "the report": documents);
* **number**: a plural phrase takes only groups (and organisations, which English refers to in
  the plural too); a singular phrase never takes a group;
* **gender**: a person known to be male (female) from an honorific or a gendered role word is
  never "she" ("he");
* **content**: the phrase's head noun must fit the actor (its name, a mention or its role holds
  the noun, or, for a generic noun such as "the group", the actor is of that kind), and a
  country the phrase names must be the actor's.

The most salient agreeing actor wins: the nearest sentence first, then a speaker over a main clause's subject over another subject
over any other mention, then the latest mention. Two different actors equal on all three are a
tie: nobody is chosen and the note says so ("tie between candidates: …"). The search looks back
``window`` sentences (three by default; a surname or a title looks through the whole article
before the phrase, since a name once introduced stays available).

Why not a library: coreferee (the one coreference resolver packaged for spaCy 3.8) installs its
English model from its GitHub repository, not from PyPI, so it cannot be installed here; the
neural resolvers on PyPI (fastcoref, maverick-coref, spacy-coref) load transformer weights from a
model hub at run time. See decision D12 in ``docs/decisions.md``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from ..resources import read_table
from .context import ExtractionContext

PERSONS = frozenset({"Person", "UnnamedPerson", "AnonymousSource"})
BODIES = frozenset({"Organisation", "Government", "MilitaryForce", "Publisher"})
PLURAL_OK = frozenset({"Group", "Organisation", "Government", "MilitaryForce"})


@lru_cache(maxsize=1)
def gender_words() -> dict[str, str]:
    """Honorifics and role words that give a person's gender (``data/gender-words.tsv``)."""
    return {row["word"]: row["gender"] for row in read_table("gender-words.tsv")}


@dataclass(order=True)
class _Mention:
    start: int
    end: int
    eid: str = field(compare=False)
    rank: int = field(compare=False, default=0)  # 3 speaker, 2 main-clause subject, 1 other subject, 0 other
    plural: bool = field(compare=False, default=False)  # the mention's head noun is plural ("Russian forces")


class Salience:
    """The mentions of the article's actors, in text order, and the speakers resolved so far."""

    def __init__(self, ctx: ExtractionContext, inside_quote) -> None:
        self.ctx = ctx
        self.inside_quote = inside_quote
        self.mentions: list[_Mention] = []
        self._seen: set[tuple[int, int, str]] = set()
        self._genders: dict[str, str | None] = {}
        self.refresh()

    def refresh(self) -> None:
        """Take in the mentions registered since the last call."""
        for (s, e), eid in self.ctx.entity_mentions.items():
            if (s, e, eid) in self._seen or self.inside_quote(s, e):
                continue
            self._seen.add((s, e, eid))
            self.mentions.append(_Mention(s, e, eid, self._rank(s, e), self._plural(s, e)))
        self.mentions.sort()

    def _plural(self, s: int, e: int) -> bool:
        span = self.ctx.doc.char_span(s, e, alignment_mode="expand")
        return span is not None and len(span) > 0 and (span.root.tag_ in _PLURAL_TAGS
                                                       or span.root.lower_ in ("they", "them", "we"))

    def _rank(self, s: int, e: int) -> int:
        span = self.ctx.doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            return 0
        root = span.root
        t = root
        for _ in range(3):  # "Air Force Commander Mykola Oleshchuk said": the name hangs on the title
            if t.dep_ in ("appos", "compound") and t.head is not t:
                t = t.head
        if root.dep_ in ("nsubj", "nsubjpass") and finite(root.head):
            verb = root.head
        elif t.dep_ == "nsubj" and finite(t.head):
            verb = t.head
        elif root.dep_ == "pobj" and root.head.dep_ == "agent":
            verb = root.head.head
        else:
            return 0
        while verb.dep_ == "conj" and verb.head is not verb:
            verb = verb.head
        return 2 if verb.dep_ == "ROOT" else 1  # the main clause's subject over a subordinate one's

    def note_speaker(self, s: int, e: int, eid: str) -> None:
        self.mentions.append(_Mention(s, max(e, s + 1), eid, 3, self._plural(s, max(e, s + 1))))
        self.mentions.sort()

    def note_gender(self, eid: str, pronoun: str) -> None:
        """A person a "he" or "she" was resolved to is of that gender from then on."""
        g = {"he": "m", "she": "f"}.get(pronoun)
        if g and self._genders.get(eid) is None:
            self._genders[eid] = g

    def gender(self, eid: str) -> str | None:
        if eid not in self._genders:
            self._genders[eid] = self._gender(eid)
        return self._genders[eid]

    def _gender(self, eid: str) -> str | None:
        ent = self.ctx.entities.by_id.get(eid)
        if ent is None:
            return None
        words = gender_words()
        body = self.ctx.body
        for m in ent.mentions:
            before = body[max(0, m.start - 6):m.start].strip().rstrip(".").split()
            if before and before[-1].lower() in words:
                return words[before[-1].lower()]
        for w in (ent.role or "").split():
            if w in words:
                return words[w]
        return None

    def refer(self, off: int, *, accept, window: int | None = 3) -> tuple[str | None, str]:
        """The most salient actor mentioned before ``off`` that ``accept(entity)`` admits:
        ``(entity id, "")``, or ``(None, note)`` when there is none or a tie."""
        eid, _start, note = self.best(off, accept=accept, window=window)
        return eid, note

    def best(self, off: int, *, accept, window: int | None = 3, min_rank: int = 0,
             plural: bool | None = None) -> tuple[str | None, int, str]:
        """:meth:`refer` with the offset of the winning mention, over the mentions of rank
        ``min_rank`` or more (1: subjects and speakers only, as a pronoun wants) and, when
        ``plural`` is given, of that grammatical number ("it" never continues "Russian forces";
        "they" continues a plural mention or a group)."""
        ctx = self.ctx
        sents = ctx._sent_starts
        here = bisect_left(sents, off + 1) - 1
        best: dict[str, tuple[int, int, int]] = {}
        for m in self.mentions:
            if m.start >= off:
                break
            if m.rank < min_rank:
                continue
            if plural is not None and not _number_fits(ctx, m, plural):
                continue
            sent_no = bisect_left(sents, m.start + 1) - 1
            distance = here - sent_no
            if window is not None and distance > window:
                continue
            ent = ctx.entities.by_id.get(m.eid)
            if ent is None or not accept(ent):
                continue
            score = (-distance, m.rank, m.start)
            if m.eid not in best or score > best[m.eid]:
                best[m.eid] = score
        if not best:
            return None, -1, "no candidate"
        ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        if len(ranked) > 1 and ranked[0][1][:2] == ranked[1][1][:2]:
            names = ", ".join(ctx.entities.by_id[e].name for e, _s in ranked[:2])
            return None, -1, f"tie between candidates: {names}"
        return ranked[0][0], ranked[0][1][2], ""


# --------------------------------------------------------------------------- agreement


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})


def _number_fits(ctx: ExtractionContext, m: _Mention, plural: bool) -> bool:
    """A mention continues a pronoun of that number: a plural pronoun takes a plural mention or a
    group ("police"); a singular one a singular mention ("the coalition", "the account")."""
    if not plural:
        return not m.plural
    ent = ctx.entities.by_id.get(m.eid)
    return m.plural or (ent is not None and ent.type == "Group")


def finite(verb) -> bool:
    """The verb heads a finite clause (a tense or a modal of its own): its subject is a
    grammatical subject a pronoun can continue; the subject of an infinitive ("called for the
    minister to act") is not."""
    return verb.tag_ in _FINITE_TAGS or any(c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS
                                            for c in verb.children)


def agrees_gender(gender: str | None, pronoun: str) -> bool:
    """"he" never takes a person known to be female, nor "she" one known to be male."""
    want = {"he": "m", "she": "f"}.get(pronoun)
    return gender is None or want is None or gender == want


def agrees_number(ent, plural: bool) -> bool:
    if plural:
        return ent.type in PLURAL_OK
    return ent.type != "Group"


def head_fits(ent, head: str, generic: bool, body: str | None = None) -> bool:
    """The head noun of a description fits the actor: its name, a mention or its role holds the
    noun, or (with ``body``) a noun phrase in apposition to a mention does ("the U.N. refugee
    agency, <Acronym>, …"; "<Acronym>, the refugee agency, …": news introduce a short name
    with its description); a generic noun ("the group", "the organisation") fits any actor of
    its kind."""
    if generic:
        return True
    pat = re.compile(rf"(?i)\b{re.escape(head)}(?:s|es)?\b")
    if pat.search(ent.name) or any(pat.search(a) for a in ent.aliases) or pat.search(ent.role or ""):
        return True
    if any(pat.search(m.text) for m in ent.mentions):
        return True
    return body is not None and any(_appositive_fits(body, m.start, m.end, head) for m in ent.mentions)


def _appositive_fits(body: str, s: int, e: int, head: str) -> bool:
    """A noun phrase with the head noun ``head`` right before the mention ``body[s:e]`` with a
    comma or bracket between them, or right after it as "…, the/a … <head>"."""
    h = re.escape(head)
    before = body[max(0, s - 80):s]
    if re.search(rf"(?i)\b(?:the|an?)\s+[^,;()“”\"\n]{{0,50}}?\b{h}(?:s|es)?\s*(?:,|\()\s*$", before):
        return True
    after = body[e:e + 80]
    return bool(re.match(rf"(?i)\s*(?:,|\()\s*(?:the|an?)\s+[^,;()“”\"\n]{{0,50}}?\b{h}(?:s|es)?\b\s*(?:,|\)|\.)", after))
