"""Roles of an event mention: who acted, who or what was affected, where and when (docs/events.md).

The roles follow SEM (actor, place, time) and ACLED (actor1, actor2, location), read from the
dependency parse around the trigger:

* **actors** (ACLED actor1): the subject of a trigger verb, the agent of a passive ("by …"), the
  possessor or national adjective of a trigger noun ("Russia's attack", "a Russian drone attack"),
  or the subject of the verb that launches, carries out or holds the trigger noun ("Ukraine carried
  out a strike"; support verbs of ``event-lexicon.tsv``);
* **affected** (ACLED actor2): the object of a trigger verb, the subject of a passive, the object of
  "on / against / at" and of "of" (per type), the counterpart of "with / between";
* **place**: the most specific place of the trigger's own phrase (its objects and locative
  complements), else of its clause, else, for events that happen somewhere (fighting, casualties,
  captures, protests …), of the sentence. Never a place inside the actor's own phrase (the
  attacker's home), the place something was launched from, the speaker's phrase, or the phrase of
  another event of the sentence ("talks in Geneva" does not place an airstrike);
* **time**: the time expression of the trigger's own phrase, else of its clause, else the sentence's
  when no other event of the sentence owns it; else an expression referring back ("at the time",
  "the next day": the time of the sentence before, shifted); else present or present-perfect tense
  (the day of the report, or of the statement it is in); else the last time named earlier in the
  paragraph. A trigger dated after publication is a plan, not an event (except threats).
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from ..facts import DateValue, Span
from .claims import statement_at
from .context import ExtractionContext
from .dates import iter_dates
from .event_rules import EventRule, clause_of, typology, words

_CLAUSAL = frozenset({"ccomp", "advcl", "relcl", "conj", "parataxis", "xcomp", "csubj", "acl", "pcomp"})
_DESCRIBING = frozenset({"relcl", "acl"})  # clauses describing a noun: their time is that noun's
_RANK = {"Settlement": 0, "Area": 1, "Region": 2, "Country": 3}
# families of events that happen at a place: the sentence's place is theirs when their phrase names none
PLACE_BOUND = frozenset({"armed", "casualty", "capture", "advance", "withdrawal", "incursion", "protest",
                          "evacuation", "election", "coup", "arrest", "abduction", "release", "deployment"})
# date ranks, best first
OWN, CLAUSE, SENTENCE, ANAPHOR, TENSE, CONTEXT, NONE = range(7)


# --------------------------------------------------------------------------- article-wide time

@dataclass
class ArticleTime:
    """Paragraphs and the time expressions met so far (anchors for "at the time", past tense)."""

    published: _dt.date | None
    para_starts: list[int]
    anchors: list[tuple[int, int, DateValue]] = field(default_factory=list)  # (offset, paragraph, date)
    seen: dict = field(default_factory=dict)  # (start, end) of a segment -> its dates
    deployments: list = field(default_factory=list)  # deployment mentions so far

    story: DateValue | None = None  # the day the lead dates its story to
    lead_para: int = 1  # the last paragraph of the lead

    @classmethod
    def of(cls, ctx: ExtractionContext) -> "ArticleTime":
        """Paragraphs, and the story's day: the first day named in the lead (its first two
        paragraphs) at most a week before publication ("on Saturday" in a Monday report)."""
        starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", ctx.body)]
        out = cls(ctx.article.date, starts)
        end = starts[2] if len(starts) > 2 else len(ctx.body)
        pub = ctx.article.date
        for _s, _e, dv in iter_dates(ctx.body[:end], pub):
            if pub is not None and dv.precision == "day" and dv.value and \
                    0 <= (pub - _dt.date.fromisoformat(dv.value)).days <= 7:
                out.story = dv
                break
        return out

    def para(self, off: int) -> int:
        return bisect_right(self.para_starts, off) - 1

    def dates(self, ctx: ExtractionContext, s0: int, s1: int) -> list[tuple[int, int, DateValue]]:
        hit = self.seen.get((s0, s1))
        if hit is None:
            hit = self.seen[(s0, s1)] = list(iter_dates(ctx.body[s0:s1], self.published, offset=s0))
        return hit

    def see(self, ctx: ExtractionContext, s0: int, s1: int) -> None:
        """Remember the resolved, not future, single-time expressions of a segment that set the
        narrative's time as anchors (not those dating a noun phrase or a relative clause: see
        :func:`narrative_time`)."""
        for s, e, dv in self.dates(ctx, s0, s1):
            if dv.value and dv.precision != "interval" and not self.future(dv) and narrative_time(ctx, s, e):
                self.anchors.append((s, self.para(s), dv))

    def anchor(self, before: int, *, same_para: bool) -> DateValue | None:
        para = self.para(before)
        for off, p, dv in reversed(self.anchors):
            if off >= before:
                continue
            if same_para and p != para:
                return None
            return dv
        return None

    def future(self, dv: DateValue) -> bool:
        """A date after the publication day (compared at its own precision)."""
        if self.published is None or not dv.value:
            return False
        pub = self.published.isoformat()[:len(dv.value)]
        return dv.value > pub


def narrative_time(ctx: ExtractionContext, s: int, e: int) -> bool:
    """Whether the time expression at [s, e) sets the time of its sentence's narrative: it hangs
    from a verb of the main clause (or of a clause reporting or joined to it), not from a noun
    phrase ("the 1976 coup", "a ceasefire in 1999": the time of that thing) nor from a relative
    clause or participle describing one ("the rebels, who took the town in 2023"). Only a
    narrative time carries over to later sentences that name none (Reichenbach's reference time;
    TimeML's document-level temporal anchoring: a time inside an NP anchors that NP's event only)."""
    t = _token_at(ctx, s)
    if t.dep_ == "poss" or (t.i + 1 < len(t.doc) and t.doc[t.i + 1].dep_ == "case" and t.doc[t.i + 1].head.dep_ == "poss"):
        return True  # "Thursday's meeting", "Sunday's vote": the news event of that day
    for _ in range(24):
        if t.pos_ in ("NOUN", "PROPN") and not s <= t.idx < e and t.ent_type_ != "DATE":
            return False
        if t.dep_ in _DESCRIBING:
            return False
        if t.head.i == t.i:
            return True
        t = t.head
    return True


# --------------------------------------------------------------------------- mentions

@dataclass
class Mention:
    """One trigger of an event, with its roles (entities and places are the context's objects)."""

    type: str
    rule: EventRule
    lemma: str
    tok_i: int
    start: int
    para: int
    span: Span
    agents: list = field(default_factory=list)
    affected: list = field(default_factory=list)
    others: list = field(default_factory=list)
    agent_country: str | None = None
    place: object = None
    place_level: int = 9
    place_is_target: bool = False  # the place was hit or taken ("an attack on Kyiv"), not only where
    date: DateValue | None = None
    date_rank: int = NONE
    anaphoric: bool = False
    general_aerial: bool = False  # an Airstrike typed only by "air" / "aerial": may be a drone or missile strike
    own_time_unknown: bool = False  # its phrase names a time no rule resolves ("on New Year's Eve")
    definite: bool = False
    subordinate: bool = False  # in a relative or adverbial clause: less salient as an antecedent
    new_marker: bool = False
    speaker: str | None = None
    confidence: float = 0.7
    # deployments
    force: object = None
    country: str | None = None
    size: int | None = None
    confirmed_by: list = field(default_factory=list)
    fallback_place: object = None  # any place of the sentence, outside the actor's phrase
    retyped: bool = False  # a bare "strike" given the aerial type of the article's strikes


def places_in(ctx: ExtractionContext, start: int, end: int) -> list:
    """``(start, end, place)`` of the place mentions within ``[start, end]``, in order."""
    mentions = _sorted_places(ctx)
    out = []
    for (a, b), pid in mentions[bisect_left(mentions, ((start, -1),)):]:
        if a > end:
            break
        if b <= end:
            p = ctx.places.by_id.get(pid)
            if p is not None:
                out.append((a, b, p))
    return out


def _sorted_places(ctx: ExtractionContext) -> list:
    cache = ctx.__dict__.get("_event_places")
    if cache is None or cache[0] != len(ctx.place_mentions):
        cache = (len(ctx.place_mentions), sorted(ctx.place_mentions.items()))
        ctx.__dict__["_event_places"] = cache
    return cache[1]


@dataclass
class Segment:
    """One sentence segment with the triggers found in it."""

    ctx: ExtractionContext
    env: object  # events.Sentence
    art: ArticleTime
    triggers: list
    dates: list
    ents: list  # (start, end, Entity) in the segment, publishers left out

    @classmethod
    def of(cls, ctx: ExtractionContext, env, art: ArticleTime, triggers: list) -> "Segment":
        ents = []
        for (a, b), eid in sorted(ctx.entity_mentions.items()):
            if env.start <= a and b <= env.end:
                e = ctx.entities.by_id.get(eid)
                if e is not None and e.type != "Publisher":
                    ents.append((a, b, e))
        return cls(ctx, env, art, triggers, art.dates(ctx, env.start, env.end), ents)

    @property
    def start(self) -> int:
        return self.env.start

    @property
    def end(self) -> int:
        return self.env.end


def _span(tok) -> tuple[int, int]:
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)


def _np_span(tok) -> tuple[int, int]:
    """The noun phrase of ``tok`` without its clauses ("the forces, which …": only "the forces")."""
    lo, hi = tok.idx, tok.idx + len(tok)
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            pass  # "Russia and Ukraine": one phrase
        elif c.dep_ in _CLAUSAL or c.dep_ == "appos" and any(x.pos_ == "VERB" for x in c.subtree):
            continue
        a, b = _span(c)
        lo, hi = min(lo, a), max(hi, b)
    return lo, hi


def _inside(a: int, b: int, spans) -> bool:
    return any(x <= a and b <= y for x, y in spans)


def _ents_in(seg: Segment, spans, *, states: bool = False, capitals: bool = True) -> list:
    """The actors mentioned inside ``spans``; with ``states``, a country named there without an
    actor mention stands for its state ("talks between Russia and Ukraine": two governments), and
    with ``capitals`` a capital too ("Moscow's invasion"; not where something happened, "talks in
    Vienna")."""
    out = []
    for a, b, e in seg.ents:
        if _inside(a, b, spans) and e not in out:
            out.append(e)
    if states:
        for a, b, p in seg.env.places:
            if _inside(a, b, spans) and not any(x < b and a < y for x, y, _e in seg.ents):
                e = _state(seg.ctx, p, seg.ctx.body[a:b], capital=capitals)
                if e is not None and e not in out:
                    out.append(e)
        for e in _named_states(seg, spans, capitals):
            if e not in out:
                out.append(e)
    return out


# which actors a pronoun of each set of event-lexicon.tsv may stand for
_PRONOUN_TYPES = {"pronoun-person": ("Person",), "pronoun-body": ("Government", "Organisation", "MilitaryForce"),
                  "pronoun-group": ("Group", "MilitaryForce", "Organisation", "Government")}


def _pronoun_actors(seg: Segment, heads) -> list:
    """Actors that pronoun heads of a role stand for: the most recent actor of a fitting type
    named before the pronoun in its sentence or the two before (not inside the role itself)."""
    ctx = seg.ctx
    out = []
    for h in heads:
        if h.lemma_.lower() in words("sides") and any(c.lower_ in ("two", "both", "each") for c in h.children):
            out += [e for e in _last_parties(ctx, h.idx) if e not in out]
            continue
        kind = next((k for k in _PRONOUN_TYPES if h.lower_ in words(k)), None)
        if kind is None:
            continue
        sents = [s for s in ctx.sents if s.start_char <= h.idx][-3:]
        lo = sents[0].start_char if sents else 0
        best = None
        for (a, b), eid in ctx.entity_mentions.items():
            e = ctx.entities.by_id.get(eid)
            if e is not None and lo <= a and b <= h.idx and e.type in _PRONOUN_TYPES[kind] and (best is None or a > best[0]):
                best = (a, e)
        if best is not None and best[1] not in out:
            out.append(best[1])
    return out


def _last_parties(ctx: ExtractionContext, off: int) -> list:
    """The two states, forces or organisations named last before ``off`` (within three sentences):
    what "the two sides" stands for."""
    sents = [s for s in ctx.sents if s.start_char <= off][-3:]
    lo = sents[0].start_char if sents else 0
    named = sorted(((a, eid) for (a, b), eid in ctx.entity_mentions.items() if lo <= a and b <= off), reverse=True)
    out = []
    for _a, eid in named:
        e = ctx.entities.by_id.get(eid)
        if e is not None and e.type in ("Government", "MilitaryForce", "Organisation") and e not in out:
            out.append(e)
        if len(out) == 2:
            break
    return out if len(out) == 2 else []


def _named_states(seg: Segment, spans, capitals: bool = True) -> list:
    """States named in ``spans`` by a name the model tags as a place but no step resolved
    ("Moscow's invasion": the capital standing for its government), when the actors step knows
    that government."""
    from .gazetteer import country_code, metonym_country

    out = []
    for ent in seg.ctx.ents_in(seg.env.sent):
        a, b = ent.start_char, ent.end_char
        if ent.label_ not in ("GPE", "NORP") or not _inside(a, b, spans) or any(
                x < b and a < y for x, y, _e in seg.ents) or any(x < b and a < y for x, y, _p in seg.env.places):
            continue
        text = re.sub(r"[’']s$", "", ent.text)
        try:
            code = country_code(text) or (metonym_country(text) if ent.label_ == "GPE" and capitals else None)
        except Exception:  # a lookup must never break extraction
            code = None
        ent = seg.ctx.entities.get(f"government/{code}") if code else None
        if ent is not None:
            out.append(ent)
    return out


def _state(ctx: ExtractionContext, place, text: str, *, capital: bool):
    """The government of a country place, or with ``capital`` of a capital standing for it
    ("Moscow's invasion"), when the actors step knows that government (events add no actors)."""
    from .event_deployments import country_of_place
    from .gazetteer import metonym_country

    code = country_of_place(ctx, place) if place.type == "Country" else (
        metonym_country(text) if capital and place.type == "Settlement" else None)
    return ctx.entities.get(f"government/{code}") if code else None


def _pobj(prep):
    return next((x for x in prep.children if x.dep_ in ("pobj", "pcomp")), None)


@dataclass
class _Args:
    agent: list = field(default_factory=list)  # tokens heading the actor's phrase
    affected: list = field(default_factory=list)
    party: list = field(default_factory=list)
    where: list = field(default_factory=list)
    origin: list = field(default_factory=list)
    agent_country: str | None = None


def _prep_roles(tok, args: _Args, type_: str) -> None:
    """Complements of the trigger introduced by a preposition."""
    lex = {k: words(k) for k in ("target-prep", "party-prep", "agent-prep", "place-prep", "origin-prep")}
    for c in tok.children:
        if c.dep_ == "agent":
            o = _pobj(c)
            if o is not None:
                args.agent.append(o)
            continue
        if c.dep_ != "prep" or (o := _pobj(c)) is None:
            continue
        p = c.lower_
        if p in lex["agent-prep"]:
            args.agent.append(o)
        elif p == "of" and tok.pos_ in ("NOUN", "PROPN"):
            (args.agent if typology()[type_].of_role == "agent" else args.affected).append(o)
        elif p in lex["origin-prep"]:
            args.origin.append(o)
        elif p in lex["party-prep"]:
            args.party.append(o)
        elif p in lex["target-prep"]:
            args.affected.append(o)
            args.where.append(o)
        elif p in lex["place-prep"]:
            args.where.append(o)


def _acl_roles(acl, args: _Args) -> None:
    """The complements of a participle describing the trigger noun are the noun's: "by" gives its
    actor, "on / against" its target, a locative preposition its place."""
    lex = {k: words(k) for k in ("target-prep", "agent-prep", "place-prep")}
    for c in acl.children:
        o = _pobj(c) if c.dep_ in ("prep", "agent") else None
        if o is None:
            continue
        if c.dep_ == "agent" or c.lower_ in lex["agent-prep"]:
            args.agent.append(o)
        elif c.lower_ in lex["target-prep"]:
            args.affected.append(o)
            args.where.append(o)
        elif c.lower_ in lex["place-prep"]:
            args.where.append(o)


def _container(tok):
    """The noun standing for the trigger in its clause: "one of the largest attacks" -> "one"."""
    cont = words("container")
    t = tok
    for _ in range(2):
        if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in cont:
            t = t.head.head
        else:
            break
    return t


def _verb_args(tok, args: _Args) -> None:
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
    for c in tok.children:
        if c.dep_ == "nsubj" and not passive:
            args.agent.append(c)
        elif c.dep_ in ("nsubjpass", "dobj", "dative"):
            args.affected.append(c)
            args.where.append(c)
    if not args.agent and not passive and tok.dep_ in ("conj", "xcomp") and tok.head.pos_ in ("VERB", "AUX"):
        # "X was elected in 1992 and resigned": the coordinated verb shares the subject
        subj = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        args.agent.extend(subj)
    if tok.dep_ == "relcl" and not any(c.dep_ == "nsubj" and c.lower_ not in ("that", "which", "who")
                                       for c in tok.children):
        (args.affected if passive else args.agent).append(tok.head)
    if tok.dep_ == "acl":
        (args.affected if tok.tag_ == "VBN" else args.agent).append(tok.head)
    if not args.agent and tok.tag_ in ("VBG", "VBN") and tok.dep_ in ("advcl", "pcomp"):
        # "After taking office in 2018, Abiy freed …": the subject of the clause it modifies
        gov = tok.head.head if tok.dep_ == "pcomp" else tok.head
        if gov.pos_ in ("VERB", "AUX") and not (tok.dep_ == "pcomp" and tok.head.lower_ in ("of", "for")):
            args.agent.extend(c for c in gov.children if c.dep_ == "nsubj")
    if not args.agent and tok.dep_ == "pcomp" and tok.head.lower_ in ("of", "for"):
        # "accused Moscow of violating", "blamed Hamas for attacking": the accused did it;
        # "accused each other of violating": the subject, each of them
        gov = tok.head.head
        objs = [c for c in gov.children if c.dep_ == "dobj"]
        reciprocal = any(o.lower_ == "other" and any(d.lower_ in ("each", "one") for d in o.children) for o in objs)
        args.agent.extend(c for c in gov.children if c.dep_ == "nsubj") if reciprocal else args.agent.extend(objs)


def _noun_args(ctx: ExtractionContext, tok, args: _Args) -> None:
    from .gazetteer import demonym_country

    for c in tok.children:
        if c.dep_ == "poss":
            args.agent.append(c)
        elif c.dep_ in ("amod", "compound", "nmod"):
            if c.ent_type_ == "NORP" or (c.pos_ == "ADJ" and c.ent_type_ in ("GPE", "NORP")):
                args.agent_country = args.agent_country or demonym_country(c.text)
                args.agent.append(c)
            elif any(a <= c.idx < b for (a, b) in ctx.place_mentions):
                args.where.append(c)
                args.affected.append(c)
            elif c.ent_type_ in ("ORG", "PERSON", "GPE") or any(a <= c.idx < b for (a, b) in ctx.entity_mentions):
                args.agent.append(c)
        elif c.dep_ == "acl" and c.tag_ == "VBG":
            args.affected.extend(x for x in c.children if x.dep_ == "dobj")
            args.where.extend(x for x in c.children if x.dep_ == "dobj")
        elif c.dep_ == "acl" and c.tag_ == "VBN":
            _acl_roles(c, args)  # "duties imposed by the bloc on steel imports"
    proxy = _container(tok)
    head = proxy.head
    if proxy.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
        lemma = head.lemma_.lower()
        subj = [c for c in head.children if c.dep_ == "nsubj"]
        if lemma in words("undergo-verb"):
            args.affected.extend(subj)
        elif lemma in words("light-verb"):
            if not subj and head.dep_ in ("advcl", "xcomp", "conj", "acl") and head.head.pos_ in ("VERB", "AUX"):
                # "concluded talks, conducting a prisoner swap": the subject of the clause it belongs to
                subj = [c for c in head.head.children if c.dep_ == "nsubj"]
            args.agent.extend(subj)
            # "gave Moscow an ultimatum", "handed Kyiv a deadline": the recipient is the counterpart
            args.party.extend(c for c in head.children if c.dep_ in ("dative", "iobj"))
    elif proxy.dep_ == "nsubjpass" and head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in words("light-verb"):
        for c in head.children:
            if c.dep_ == "agent" and (o := _pobj(c)) is not None:
                args.agent.append(o)


def arguments(ctx: ExtractionContext, tok, type_: str) -> _Args:
    args = _Args()
    if tok.pos_ in ("VERB", "AUX"):
        _verb_args(tok, args)
    else:
        _noun_args(ctx, tok, args)
    _prep_roles(tok, args, type_)
    return args


# --------------------------------------------------------------------------- where

def _best(places: list):
    if not places:
        return None
    return min(places, key=lambda x: (_RANK.get(x[2].type, 9), x[0]))[2]


def place_within(ctx: ExtractionContext, inner, outer) -> bool:
    """``inner`` is ``outer`` or lies inside it (by the places' containers)."""
    p, seen = inner, 0
    while p is not None and seen < 8:
        if p.id == outer.id:
            return True
        p = ctx.places.by_id.get(p.within) if p.within else None
        seen += 1
    return False


def _other_scopes(seg: Segment, tok) -> list[tuple[int, int]]:
    """The phrases of the other triggers of the segment (their clause when they are verbs heading
    a clause of their own) that do not hold ``tok``."""
    out = []
    for t in seg.triggers:
        if t.i == tok.i or tok in t.subtree:
            continue
        out.append(_span(t))
    return out


def _clause_scope(tok, seg: Segment, *, every_clause: bool = False) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """The clause of ``tok`` and the nested clauses of it that do not hold ``tok``: those holding
    another event's trigger, or with ``every_clause`` every one ("said after talks with X that
    Turkey stood by Baku": Baku is no place of the talks)."""

    head = clause_of(tok)
    others = [t for t in seg.triggers if t.i != tok.i]
    holes = [_span(c) for c in head.children if c.dep_ in _CLAUSAL and tok not in c.subtree
             and c.i != tok.i and ((every_clause and _finite(c)) or any(t in c.subtree for t in others))]
    return _span(head), holes


def _finite(verb) -> bool:
    """A clause of its own: with a subject or a finite verb ("that Turkey stood by Baku"), not a
    participle adjunct of the same happening ("…, targeting the capital")."""
    return any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children) or verb.tag_ in ("VBD", "VBZ", "VBP")


def _place(seg: Segment, tok, type_: str, args: _Args, excluded: list) -> tuple[object, int]:
    ctx = seg.ctx
    others = _other_scopes(seg, tok)
    cands = [x for x in seg.env.places if not _inside(x[0], x[1], excluded)
             and not any(x0 <= x[0] < x1 for x0, x1 in _actor_name_spans(ctx, x[0], x[1]))]
    acting = [x for x in cands if _acting(ctx, x)]  # "Russia" as an actor of the sentence
    own_spans = [_np_span(w) for w in args.where]
    if tok.pos_ in ("NOUN", "PROPN"):
        own_spans.append(_span(tok))
    own = [x for x in cands if _inside(x[0], x[1], own_spans)]
    hit = [_np_span(w) for w in args.affected]
    (c0, c1), holes = _clause_scope(tok, seg, every_clause=True)
    clause = [x for x in cands if c0 <= x[0] and x[1] <= c1 and not _inside(x[0], x[1], holes)
              and not _inside(x[0], x[1], others) and x not in acting]
    best = _best(own)
    if best is not None:
        finer = [x for x in clause if place_within(ctx, x[2], best) and x[2].id != best.id] or [
            x for x in cands if x not in acting and place_within(ctx, x[2], best) and x[2].id != best.id
            and not _inside(x[0], x[1], others)]
        at = next(x for x in own if x[2].id == best.id)
        return (_best(finer) or best), (-1 if _inside(at[0], at[1], hit) else 0)
    if clause:
        return _best(clause), 1
    if typology()[type_].family in PLACE_BOUND:
        rest = [x for x in cands if not _inside(x[0], x[1], others) and x not in acting]
        if rest:
            return _best(rest), 2
    return None, 9


def _acting(ctx: ExtractionContext, x) -> bool:
    """A place named as an actor: an actor's mention or a country, as the subject, agent or
    possessor of its clause ("Russia launched …", "backed by Russia", "Russia's forces"), not an
    object or a place ("the capital Kyiv", "an attack on Ukraine")."""
    a, b, p = x
    if (a, b) not in ctx.entity_mentions and p.type != "Country":
        return False
    tok = _token_at(ctx, a)
    t = tok
    for _ in range(3):  # the head of a multi-word name
        if t.dep_ in ("compound", "flat") and t.head.i != t.i:
            t = t.head
    if t.dep_ == "pobj" and t.head.dep_ == "agent":
        return True
    return t.dep_ in ("nsubj", "nsubjpass", "poss")


def _actor_name_spans(ctx: ExtractionContext, a: int, b: int) -> list[tuple[int, int]]:
    """Actor mentions that hold the place mention [a, b) inside a longer name ("the British-based
    Syrian Observatory")."""
    return [(x, y) for (x, y) in ctx.entity_mentions if x <= a and b <= y and (x, y) != (a, b)]


# --------------------------------------------------------------------------- when

@lru_cache(maxsize=1)
def _time_anaphors() -> tuple[re.Pattern, frozenset[str], frozenset[str]]:
    phrases = sorted(words("time-anaphor"), key=len, reverse=True)
    pat = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.I)
    return pat, words("time-shift-next"), words("time-shift-prev")


def _token_at(ctx: ExtractionContext, off: int):
    toks = ctx.tokens_starting_in(off, off + 1)
    if toks:
        return toks[0]
    i = bisect_right(ctx._token_starts, off) - 1
    return ctx.tokens[max(0, i)]


def _attach(seg: Segment, tok, s: int, e: int) -> int:
    """How closely the time expression at [s, e) belongs to the trigger: OWN when it hangs from
    the trigger without crossing a clause ("attacks last year", "attacked on Monday"), CLAUSE when
    it hangs from the trigger's clause ("killed in a drone strike on Wednesday"), else SENTENCE
    (another clause's time: "lifted a blockade set up on Monday" is not dated Monday)."""

    head = clause_of(tok)
    t = _token_at(seg.ctx, s)
    crossed = via_noun = False
    for _ in range(24):
        if t.i == tok.i:
            return SENTENCE if crossed else OWN
        if t.i == head.i:
            return SENTENCE if crossed else CLAUSE
        if t.dep_ in _CLAUSAL and not _describes(t, tok, via_noun):
            crossed = True
        if t.pos_ in ("NOUN", "PROPN") and not s <= t.idx < e:
            via_noun = True
        if t.head.i == t.i:
            break
        t = t.head
    return SENTENCE


def _describes(clause, tok, via_noun: bool) -> bool:
    """A relative clause or participle describing the trigger noun itself, whose verb the time
    hangs from directly: "a vote that opened on March 3rd", "a peace deal signed in
    2022" (not "the attack, which came after talks on Monday": that time is the talks')."""
    noun = tok.head if tok.dep_ == "compound" else tok  # "the drone attack that hit Kyiv on Saturday"
    return clause.dep_ in ("relcl", "acl") and clause.head.i == noun.i and tok.pos_ in ("NOUN", "PROPN") \
        and not via_noun


def _describes_other(seg: Segment, tok, s: int) -> bool:
    """The time at ``s`` is inside a relative clause describing another noun than the trigger
    ("the economy, which slipped into recession last year"): that clause's time."""
    t = _token_at(seg.ctx, s)
    for _ in range(24):
        if t.i == tok.i or tok in t.subtree:
            return False
        if t.dep_ == "relcl" and t.pos_ in ("VERB", "AUX"):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _owned_elsewhere(seg: Segment, tok, s: int, e: int) -> bool:
    return any(t.i != tok.i and _attach(seg, t, s, e) in (OWN, CLAUSE) for t in seg.triggers)


def _shift(dv: DateValue, days: int, text: str) -> DateValue:
    if days and dv.precision == "day" and dv.value:
        d = _dt.date.fromisoformat(dv.value) + _dt.timedelta(days=days)
        return DateValue(value=d.isoformat(), precision="day", text=text,
                         note=f"{text!r}: {'after' if days > 0 else 'before'} {dv.text!r} of an earlier sentence")
    return DateValue(value=dv.value, end=dv.end, precision=dv.precision, text=text,
                     note=f"{text!r}: the time of an earlier sentence ({dv.text!r})")


def _present(tok) -> bool:
    """Present, present perfect or present progressive tense of the trigger verb, or of the
    support verb of a trigger noun ("has launched an attack"); the tense of any other verb says
    nothing of when the noun's event was ("sanctions … have hurt the economy")."""
    if tok.pos_ in ("VERB", "AUX"):
        verb = tok
    else:
        proxy = _container(tok)
        verb = proxy.head
        if proxy.dep_ not in ("dobj", "attr", "nsubjpass") or verb.lemma_.lower() not in words("light-verb"):
            return False
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ in ("VBD", "MD") or a.lower_ in ("had", "was", "were", "did") for a in auxes):
        return False
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return verb.tag_ in ("VBN", "VBG") and any(a.tag_ in ("VBZ", "VBP") for a in auxes)


def _year_modifier(seg: Segment, tok) -> DateValue | None:
    """A year modifying the event noun ("the 2005 killing", "a 2022 drone strike", "Gaddafi's 2011
    overthrow"): its own date, precision year (dates.py reads years after a preposition only)."""
    pub = seg.art.published
    kids = list(tok.children) + (list(tok.head.children) if tok.dep_ == "compound" else [])
    for c in kids:
        if c.dep_ in ("nummod", "compound", "amod", "nmod", "npadvmod") and re.fullmatch(r"(?:19|20)\d\d", c.text):
            if pub is None or int(c.text) <= pub.year:
                return DateValue(value=c.text, precision="year", text=c.text, span=seg.ctx.span(c.idx, c.idx + 4))
    return None


def _deadline(seg: Segment, s: int) -> bool:
    """The time expression at ``s`` is introduced by "by", "before" or "until": a deadline."""
    tok = _token_at(seg.ctx, s)
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return (tok.lower_ in words("deadline-prep")) or (prev is not None and prev.lower_ in words("deadline-prep"))


def _date(seg: Segment, tok, st, type_: str = "") -> tuple[DateValue | None, int]:
    best = None
    for s, e, dv in seg.dates:
        if not dv.value or (type_ == "Ultimatum" and _deadline(seg, s)):
            continue  # an ultimatum is dated when it was given, not by its deadline
        rank = _attach(seg, tok, s, e)
        if rank == SENTENCE and (_owned_elsewhere(seg, tok, s, e) or _describes_other(seg, tok, s)):
            continue
        key = (rank, abs(s - tok.idx))
        if best is None or key < best[0]:
            best = (key, s, e, dv)
    if tok.pos_ in ("NOUN", "PROPN") and (best is None or best[0][0] != OWN):
        year = _year_modifier(seg, tok)
        if year is not None:
            return year, OWN
    if best is not None:
        (rank, _d), s, e, dv = best
        out = dv.model_copy()
        out.span = seg.ctx.span(s, e)
        return out, rank
    return _fallback_date(seg, tok, st)


def _anaphor_date(seg: Segment, tok) -> DateValue | None:
    """A time expression referring back ("at the time", "later that year", "the next day") in the
    trigger's sentence: the time named last before it, at the expression's granularity."""
    pat, nxt, prev = _time_anaphors()
    for m in pat.finditer(seg.ctx.body, seg.start, seg.end):
        before = [dv for s, _e, dv in seg.dates if s < m.start() and dv.value and dv.precision != "interval"
                  and not seg.art.future(dv)]
        anchor = before[-1] if before else seg.art.anchor(seg.start, same_para=False)
        if anchor is None:
            continue
        low = m.group(0).lower()
        out = _shift(anchor, 1 if low in nxt else -1 if low in prev else 0, m.group(0))
        for grain, size in (("year", 4), ("month", 7)):
            if low in words(f"time-anaphor-{grain}") and out.value and len(out.value) > size:
                out.value, out.precision, out.end = out.value[:size], grain, None
        return out
    return None


def _unresolved_name_in(seg: Segment, spans, holes=()) -> bool:
    """A time named by a proper name inside ``spans`` (not in ``holes``) that no rule resolved
    ("New Year's Eve"): another time than any the text resolved."""
    for ent in seg.ctx.ents_in(seg.env.sent):
        a, b = ent.start_char, ent.end_char
        if ent.label_ in ("DATE", "EVENT") and _inside(a, b, spans) and not _inside(a, b, holes) \
                and any(t.pos_ == "PROPN" for t in ent) and not any(s < b and a < e for s, e, _dv in seg.dates):
            return True
    return False


def _own_unresolved_time(seg: Segment, tok) -> bool:
    """A time named in the trigger's own phrase that no rule resolves ("the attack on New Year's
    Eve")."""
    lo, hi = _span(tok) if tok.pos_ in ("NOUN", "PROPN") else (tok.idx, tok.idx + len(tok))
    spans = [(lo, hi)] + ([_span(c) for c in tok.children if c.dep_ not in _CLAUSAL] if tok.pos_ == "VERB" else [])
    return _unresolved_name_in(seg, spans)


def _unresolved_time(seg: Segment, tok) -> bool:
    """The trigger's clause names a time by a name that no rule resolves ("days before the New
    Year's Eve holiday"): its date is unknown, not the context's or the report's. (Durations, "the
    four-year war", name no time.)"""
    clause, holes = _clause_scope(tok, seg)
    return _unresolved_name_in(seg, [clause], holes)


def _fallback_date(seg: Segment, tok, st) -> tuple[DateValue | None, int]:
    art = seg.art
    if _unresolved_time(seg, tok):
        return None, NONE
    anaphor = _anaphor_date(seg, tok)
    if anaphor is not None:
        return anaphor, ANAPHOR
    if _present(tok):
        if st is not None and st.date is not None and st.date.value:
            return DateValue(value=st.date.value, precision=st.date.precision, text=st.date.text,
                             note="present tense in a statement: the day it was made"), TENSE
        if art.published is not None:
            return DateValue(value=art.published.isoformat(), precision="day",
                             note="present or present-perfect tense: the day of the report"), TENSE
    anchor = art.anchor(seg.start, same_para=True)
    if anchor is not None:
        return _shift(anchor, 0, anchor.text or ""), CONTEXT
    if art.para(seg.start) <= art.lead_para:
        if art.story is not None:
            return DateValue(value=art.story.value, precision=art.story.precision, text=art.story.text,
                             note="the lead of the report: the day its story is dated"), CONTEXT
        if art.published is not None:
            return DateValue(value=art.published.isoformat(), precision="day",
                             note="the lead of a news report names no time: the day of the report"), CONTEXT
    anchor = art.anchor(seg.start, same_para=False)
    if anchor is not None:
        return DateValue(value=anchor.value, end=anchor.end, precision=anchor.precision, text=anchor.text,
                         note=f"no time of its own: the narrative's time at that point ({anchor.text!r})"), CONTEXT
    return None, NONE


# --------------------------------------------------------------------------- the mention

def _anaphoric(tok, new: bool) -> bool:
    """A definite event noun with no place, date, number or target of its own ("the attack", "the
    strikes", "that assault"), which may refer back to an event already reported."""
    if tok.pos_ != "NOUN" or new:
        return False
    if not any(c.dep_ in ("det", "poss") and c.lower_ in words("anaphor-det") for c in tok.children):
        return False
    if any(c.dep_ == "prep" and c.lower_ in ("on", "in", "at", "against", "near", "around", "of") for c in tok.children):
        return False  # "the attack on the convoy": a target or place of its own
    return not any(c.ent_type_ in ("DATE", "GPE", "LOC", "FAC", "CARDINAL", "ORDINAL")
                   for c in tok.subtree if c.i != tok.i)


def _aerial_only(tok) -> bool:
    """An air strike word typed only by "air" or "aerial" (no aircraft named near it)."""
    near = {t.lemma_.lower() for t in tok.doc[max(tok.sent.start, tok.i - 4): min(tok.sent.end, tok.i + 5)]}
    near |= {c.lemma_.lower() for c in tok.children}
    head = _container(tok).head  # "an Emirati drone carried out a strike": the aircraft is the subject
    near |= {x.lemma_.lower() for c in head.children if c.dep_ == "nsubj" for x in c.subtree}
    return bool(near & words("aerial-general")) and not near & words("warplane")


def _subordinate(tok) -> bool:
    """The trigger sits in a relative, adverbial or participle clause ("a commander that it blamed
    for a deadly attack"): backgrounded, so a later "the strike" is less likely to mean it."""
    t = tok
    for _ in range(12):
        if t.dep_ in ("relcl", "acl", "advcl", "pcomp"):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _definite(tok, new: bool) -> bool:
    """A definite event noun not marked as another event ("the largest attack on the capital")."""
    return tok.pos_ == "NOUN" and not new and any(
        c.dep_ == "det" and c.lower_ in words("anaphor-det") for c in tok.children)


def _new_marker(tok) -> bool:
    new, adverbs = words("new-event"), words("new-event-adverb")
    kids = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod", "nummod", "det", "predet")]
    advs = [c for c in tok.children if c.dep_ == "advmod"]
    if tok.head.i != tok.i:
        advs += [c for c in tok.head.children if c.dep_ == "advmod"]
    return any(c.lower_ in new for c in kids) or any(c.lower_ in adverbs for c in advs)


def _typing_word(tok, r: EventRule):
    """The word near the trigger that met the row's requirement ("missile" for "attacked … with an
    X-59 guided missile"), so the evidence can show it; None when there is none or it is far."""
    if r.requires is None:
        return None
    need = frozenset().union(*[t.words for alt in r.requires for t in alt])
    best = None
    for t in tok.sent:
        if t.i == tok.i or abs(t.i - tok.i) > 10:
            continue
        if t.lemma_.lower() in need or t.lower_ in need:
            if t.head.i == tok.i or tok.head.i == t.i or t in tok.subtree or abs(t.i - tok.i) <= 4:
                if best is None or abs(t.i - tok.i) < abs(best.i - tok.i):
                    best = t
    return best


def evidence(ctx: ExtractionContext, tok, s0: int, s1: int, *, before: int = 4, after: int = 5, also=None) -> Span:
    """The words around the trigger (at most ``before`` + 1 + ``after`` tokens, inside the
    segment): enough to check the event, never the whole sentence (the article text is not
    republished through event evidence). ``also``: the word that typed the event (at most 10 tokens
    away), which the window is shifted or widened to show."""
    doc = tok.doc
    if also is not None and s0 <= also.idx < s1:
        if also.i > tok.i + after:
            after, before = also.i - tok.i, max(0, before - (also.i - tok.i - after))
        elif also.i < tok.i - before:
            before, after = tok.i - also.i, max(0, after - (tok.i - also.i - before))
    i0 = tok.i
    while i0 > 0 and tok.i - i0 < before and doc[i0 - 1].idx >= s0 and "\n" not in doc[i0 - 1].text:
        i0 -= 1
    i1 = tok.i
    while i1 + 1 < len(doc) and i1 - tok.i < after and doc[i1 + 1].idx + len(doc[i1 + 1].text) <= s1 \
            and "\n" not in doc[i1 + 1].text:
        i1 += 1
    while i1 > tok.i and (doc[i1].is_punct or doc[i1].is_space):
        i1 -= 1
    while i0 < tok.i and (doc[i0].is_punct or doc[i0].is_space):
        i0 += 1
    return ctx.span(doc[i0].idx, doc[i1].idx + len(doc[i1].text))


def _people_roles(seg: Segment, rule: EventRule, args: _Args, st) -> tuple[list, list, list]:
    """``(actors, affected, excluded spans)`` of a mention: the speaker of its statement is neither,
    and where the actors, parties, launch sites and the speaker are named is no place of it."""
    speaker = st.speaker if st is not None else None
    excluded = [(st.speaker_mention.start, st.speaker_mention.end)] if st is not None and st.speaker_mention else []
    agent_spans = [_np_span(t) for t in args.agent]
    party_spans = [_np_span(t) for t in args.party]
    excluded += agent_spans + party_spans + [_np_span(t) for t in args.origin]
    # the speaker is left out where it is named as the speaker, not where the reported text names it
    agents = [e for e in _ents_in(seg, agent_spans, states=True) or _pronoun_actors(seg, args.agent)
              if e.id != speaker or _inside_any_role(seg, e, agent_spans, excluded[:1])]
    if not agents and args.agent_country:
        agents = [e for e in seg.ctx.entities.items if e.key == f"government/{args.agent_country}"]
    target_states = typology()[rule.type].family not in PLACE_BOUND
    target_spans = [_np_span(t) for t in args.affected]
    if target_states:  # a country sanctioned or met is a state, not where it happened; one hit is a place
        excluded += [(a, b) for a, b, p in seg.env.places if p.type == "Country" and _inside(a, b, target_spans)]
    affected = [e for e in _ents_in(seg, party_spans, states=True)
                + _ents_in(seg, target_spans, states=target_states, capitals=False)
                if (e.id != speaker or _inside_any_role(seg, e, party_spans + target_spans, excluded[:1]))
                and e not in agents]
    return agents, affected, excluded


def _inside_any_role(seg: Segment, ent, spans, speaker_spans) -> bool:
    """The entity is named inside a role's phrase other than as the speaker ("Russia said talks
    between Russia and Ukraine were held": Russia is a party too)."""
    return any(_inside(a, b, spans) and not _inside(a, b, speaker_spans) for a, b, e in seg.ents if e is ent) or any(
        _inside(a, b, spans) for a, b, p in seg.env.places if _state(seg.ctx, p, seg.ctx.body[a:b], capital=True) is ent)


def _complete(seg: Segment, m: Mention, tok, st, excluded: list) -> None:
    """What a mention needs besides its roles: the deployment's force and size, a place to fall
    back on, and the speaker of a direct quote as the actor of "we"."""
    ctx = seg.ctx
    if m.type == "Airstrike":
        m.general_aerial = _aerial_only(tok)
    if m.type == "Deployment":
        from .event_deployments import fill

        fill(ctx, m, tok, seg.ents, seg.env.places, seg.art.deployments)
        seg.art.deployments.append(m)
    m.fallback_place = _best([x for x in seg.env.places if not _inside(x[0], x[1], excluded) and not _acting(ctx, x)])
    if m.fallback_place is None and typology()[m.type].family in PLACE_BOUND:
        m.fallback_place = _context_place(seg, tok.idx)  # fighting and casualties happen where the report is
    if m.fallback_place is None and typology()[m.type].family in words("domestic-family"):
        # a state's own act happens at home: "the junta in Myanmar began conscripting" is in Myanmar
        said = [(st.speaker_mention.start, st.speaker_mention.end)] if st is not None and st.speaker_mention else []
        m.fallback_place = _best([x for x in seg.env.places if x[2].type == "Country" and not _inside(x[0], x[1], said)])
    if not m.agents and st is not None and st.direct and st.speaker and any(
            c.dep_ in ("nsubj", "poss") and c.lower_ in words("first-person") for c in tok.children):
        m.agents.append(ctx.entities.by_id[st.speaker])  # "we are pulling back", said by the speaker


def mention(seg: Segment, rule: EventRule, tok) -> Mention | None:
    """The mention of ``rule``'s type triggered by ``tok``, with its roles; None when it is dated
    after publication (a plan or a schedule, not a happening)."""
    ctx = seg.ctx
    st = statement_at(ctx, tok.idx, tok.idx + len(tok.text))
    args = arguments(ctx, tok, rule.type)
    agents, affected, excluded = _people_roles(seg, rule, args, st)
    date, rank = _date(seg, tok, st, rule.type)
    if date is not None and seg.art.future(date) and rule.type not in ("Threat", "Ultimatum"):
        return None
    place, level = _place(seg, tok, rule.type, args, excluded)
    (c0, c1), holes = _clause_scope(tok, seg)
    speaker = st.speaker if st is not None else None
    others = [e for a, b, e in seg.ents if c0 <= a and b <= c1 and not _inside(a, b, holes + excluded)
              and e.id != speaker and e not in agents and e not in affected]
    new = _new_marker(tok)
    m = Mention(
        type=rule.type, rule=rule, lemma=tok.lemma_.lower(), tok_i=tok.i, start=tok.idx, para=seg.art.para(tok.idx),
        span=evidence(ctx, tok, seg.start, seg.end, also=_typing_word(tok, rule)),
        agents=agents, affected=affected, others=others, agent_country=args.agent_country, place=place,
        place_level=max(level, 0), place_is_target=level == -1, subordinate=_subordinate(tok),
        own_time_unknown=_own_unresolved_time(seg, tok), date=date, date_rank=rank,
        anaphoric=_anaphoric(tok, new), definite=_definite(tok, new), new_marker=new, speaker=speaker,
        confidence=0.6 if rule.type in ("CasualtyReport", "Attack") else 0.7)
    _complete(seg, m, tok, st, excluded)
    return m


def _context_place(seg: Segment, off: int):
    """The last place named before ``off`` in its paragraph, else the first place of the article,
    never a place named as an actor in the sentence itself: where the report is when the sentence
    names no place."""
    para = seg.art.para(off)
    mentions = _sorted_places(seg.ctx)
    acting_here = {x[2].id for x in seg.env.places if _acting(seg.ctx, x)}  # "Russia launched …": the attacker's home
    i = bisect_left(mentions, ((off, -1),))
    for (a, b), pid in reversed(mentions[:i]):
        if seg.art.para(a) != para:
            break
        p = seg.ctx.places.by_id.get(pid)
        if p is not None and not _acting(seg.ctx, (a, b, p)) and pid not in acting_here:
            return p
    return next((seg.ctx.places.by_id.get(pid) for _ab, pid in mentions if pid not in acting_here), None)
