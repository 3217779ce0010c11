"""Extraction step: events — typed along the typology of docs/events.md (ACLED / CAMEO aligned).

For each sentence (page furniture skipped), trigger words are matched against
``newskb/data/event-types.tsv`` by spaCy lemma (first matching row wins, so "drone attack" is a
DroneStrike, not an Attack). A trigger that is negated or under a modal ("would", "could") is not
an event. Each event gets

* ``participants``: the actors (entity mentions) of the sentence — inside a statement, only those
  of the quoted or reported text, never the speaker;
* ``place``: the most specific place of the sentence (settlement over region over country);
* ``date``: the sentence's time expression, else the date of the statement it is in;
* ``span``: the sentence; ``key``: ``<type>/<place>/<date>/<main actor>`` slugged, so that sentences
  (and articles) reporting one real-world event share it; sentences of one article with the same key
  merge into one event (``mentions``).

Deployments also carry ``force``, ``country``, ``size`` and ``confirmed_by`` (actors that confirm it
in the sentence, or speakers of a statement with "confirm"); their key is
``deployment/<force country>/<destination country>/<month>``; a deployment sentence naming no
destination joins the article's deployment of the same force.

Public API: :func:`extract_events`, :func:`load_event_rules`, :func:`event_key`.
"""

from __future__ import annotations

from bisect import bisect_left

import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache

from ..facts import DateValue, Event
from ..resources import read_table
from .claims import entity_country, place_slug, slug, statement_at
from .context import ExtractionContext
from .vocabulary import EVENT_TYPES


@dataclass(frozen=True)
class EventRule:
    type: str
    triggers: frozenset[str]
    requires: frozenset[str] | None
    acled: str
    cameo: str
    keydate: str


@lru_cache(maxsize=1)
def load_event_rules() -> tuple[EventRule, ...]:
    """Rows of ``newskb/data/event-types.tsv`` in order (checked against the closed type list)."""
    rules = []
    for r in read_table("event-types.tsv", sourced=False):
        if r["type"] not in EVENT_TYPES:
            raise ValueError(f"event-types.tsv: {r['type']!r} is not in vocabulary.EVENT_TYPES")
        req = None if r["requires"] == "*" else frozenset(r["requires"].split("|"))
        rules.append(EventRule(r["type"], frozenset(r["triggers"].split("|")), req, r["acled"], r["cameo"],
                               r["keydate"]))
    return tuple(rules)


_FORCE_WORDS = {"troop", "soldier", "unit", "force", "forces", "contingent", "army", "military", "servicemen",
                "mercenary", "fighter"}
_MODALS = {"would", "could", "might", "may", "should", "must", "will", "shall", "'ll"}
_VIOLENT = {"DroneStrike", "MissileStrike", "Airstrike", "Bombing", "Shelling", "Ambush", "Attack", "Incursion",
            "Capture", "Advance"}
_TYPE_LABELS = {
    "Deployment": "Deployment", "Capture": "Capture of territory", "Advance": "Advance", "Withdrawal": "Withdrawal",
    "Incursion": "Incursion", "Attack": "Attack", "Shelling": "Shelling", "DroneStrike": "Drone strike",
    "MissileStrike": "Missile strike", "Airstrike": "Airstrike", "Bombing": "Bombing", "Ambush": "Ambush",
    "ArmsTransfer": "Arms transfer", "MilitaryTraining": "Military training", "Meeting": "Meeting",
    "PeaceTalks": "Peace talks", "Agreement": "Agreement", "PrisonerExchange": "Prisoner exchange",
    "CasualtyReport": "Casualties", "SanctionsEvasion": "Sanctions evasion", "Sanctions": "Sanctions",
    "Trial": "Trial", "Protest": "Protest", "Evacuation": "Evacuation",
}


def _near_lemmas(tok) -> set[str]:
    doc = tok.doc
    sent = tok.sent
    out = {t.lemma_.lower() for t in doc[max(sent.start, tok.i - 4): min(sent.end, tok.i + 5)]}
    out |= {t.lower_ for t in doc[max(sent.start, tok.i - 4): min(sent.end, tok.i + 5)]}
    out |= {c.lemma_.lower() for c in tok.children}
    out |= {c.lemma_.lower() for c in tok.head.children} | {tok.head.lemma_.lower()}
    for c in tok.children:
        if c.dep_ in ("dobj", "pobj", "prep", "nsubjpass", "nsubj"):
            out |= {x.lemma_.lower() for x in c.subtree}
    return out


_IRREALIS = {"want", "plan", "prepare", "lift", "pledge", "threaten", "urge", "plead", "vow", "ask", "demand",
             "hope", "seek", "aim", "intend", "propose", "allow", "avoid", "ban", "prohibit", "forbid", "gear", "pave"}


_FACTIVE = {"aid", "help", "enable", "continue", "begin", "start", "manage", "use", "force"}


def _first_to(verb) -> bool:
    """"the first city to fall": an infinitive after first / last / only reports what happened."""
    if verb.dep_ not in ("relcl", "acl"):
        return False
    return any(c.lower_ in ("first", "last", "only") or c.ent_type_ == "ORDINAL" for c in verb.head.subtree
               if c.i < verb.i)


def _hypothetical(tok) -> bool:
    """Negated, modal or future, infinitive-purpose or wished-for triggers are not events that
    happened; nor are "no casualties", "timelines for seizing the town", "rather than attacking"."""
    if tok.dep_ == "pcomp" and tok.head.lower_ == "for" and tok.head.head.pos_ == "NOUN":
        return True  # "timelines for seizing", "the way for storming": a plan
    if tok.head.lower_ in ("than", "of") and tok.head.i > 0 and tok.doc[tok.head.i - 1].lower_ in ("rather", "instead"):
        return True
    t = tok
    for depth in range(4):
        for c in t.children:
            if c.dep_ == "neg" and depth == 0:
                return True
            if c.dep_ == "det" and c.lower_ == "no" and depth <= 2 and t.pos_ == "NOUN":
                return True  # "no casualties", "no immediate reports of casualties"
            if c.dep_ == "aux" and c.lower_ in _MODALS:
                return True
            if (c.dep_ == "aux" and c.lower_ == "to" and t.pos_ in ("VERB", "AUX")
                    and t.head.lemma_.lower() not in _FACTIVE and not _first_to(t)):
                return True
        if depth > 0 and t.lemma_.lower() in _IRREALIS:
            return True
        if t.head is t:
            break
        t = t.head
    return False


def _segments(ctx: ExtractionContext, sent) -> list[tuple[int, int]]:
    """The parts of a spaCy sentence between line breaks that are not page furniture."""
    body = ctx.body
    out = []
    pos = sent.start_char
    for piece in body[sent.start_char:sent.end_char].split("\n"):
        a, b = _trim(body, pos, pos + len(piece))
        pos += len(piece) + 1
        if b > a and not ctx.article.is_furniture(a, b):
            out.append((a, b))
    return out


_STATE_WORDS = {"coalition", "government", "regime", "army", "military", "air", "force", "forces"}


def _state_modifier(tok) -> bool:
    """A nationality, state or armed force modifying the trigger ("Russian bombing", "coalition bombing"
    are air raids; a suicide or car bombing is not done by a state)."""
    return any(c.dep_ in ("amod", "compound", "poss", "nmod") and (
        c.ent_type_ in ("NORP", "GPE") or c.lemma_.lower() in _STATE_WORDS) for c in tok.children)


_TRIGGER_INDEX: dict[int, tuple[tuple, dict[str, tuple[int, ...]]]] = {}


def _by_trigger(rules: tuple) -> dict[str, tuple[int, ...]]:
    """For each trigger word, the positions of the rules it triggers, in order (made once per
    rule table; keyed on the table's identity, which hashing the rules would cost more than)."""
    hit = _TRIGGER_INDEX.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]
    out: dict[str, list[int]] = {}
    for k, r in enumerate(rules):
        for w in r.triggers:
            out.setdefault(w, []).append(k)
    index = {w: tuple(ks) for w, ks in out.items()}
    if len(_TRIGGER_INDEX) >= 8:  # only load_event_rules()' table lives long; tests make others
        _TRIGGER_INDEX.clear()
    _TRIGGER_INDEX[id(rules)] = (rules, index)
    return index


def _rule_for(tok, rules, sent_places: bool, sent_force: bool, known: frozenset = frozenset()):
    lemma = tok.lemma_.lower()
    lower = tok.lower_
    # "Airstrikes" tagged as a proper noun keeps its plural as lemma
    sing = lower[:-1] if lower.endswith("s") and not lower.endswith("ss") else lower
    if isinstance(rules, tuple):  # the whole table: only the rules one of the words triggers, in order
        index = _by_trigger(rules)
        if lemma not in index and lower not in index and sing not in index:
            return None  # most words trigger nothing
        hits = sorted({*index.get(lemma, ()), *index.get(lower, ()), *index.get(sing, ())})
        rules = [rules[k] for k in hits]
    near = None
    for r in rules:
        if lemma not in r.triggers and lower not in r.triggers and sing not in r.triggers:
            continue
        if r.requires is None:
            return r
        ok = False
        if "@place" in r.requires and sent_places:
            ok = True
        if "@force" in r.requires and sent_force:
            ok = True
        if "@actor" in r.requires and _state_modifier(tok):
            ok = True
        if not ok:
            if near is None:
                near = _near_lemmas(tok)
            ok = bool(near & r.requires)
        if not ok and r.type in known and r.type not in _VIOLENT and r.type not in _AERIAL and _definite_ref(tok):
            ok = True  # "the exchange", "such a swap" after a prisoner exchange was reported
        if ok:
            return r
    return None


def _definite_ref(tok) -> bool:
    """A definite or "such" noun ("the exchange had taken place", "the first such swap")."""
    return tok.pos_ == "NOUN" and any(
        (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or (c.lower_ == "such") for c in tok.children)


def _typing_word(tok, r):
    """The word near the trigger that met the rule's requirement ("missile" for "attacked … with an X-59
    guided missile"), so the evidence can show it; None when there is none or it is far."""
    if r.requires is None:
        return None
    sent = tok.sent
    best = None
    for t in sent:
        if t is tok or abs(t.i - tok.i) > 10:
            continue
        if t.lemma_.lower() in r.requires or t.lower_ in r.requires:
            if t.head is tok or tok.head is t or t in tok.subtree or abs(t.i - tok.i) <= 4:
                if best is None or abs(t.i - tok.i) < abs(best.i - tok.i):
                    best = t
    return best


def _drone_fires(tok) -> bool:
    """The drone is the subject of the firing verb ("a drone that fired", "the drone launched")."""
    subj = [c for c in tok.children if c.dep_ == "nsubj"]
    if tok.dep_ == "relcl":
        subj.append(tok.head)
    return any(s.lemma_.lower() in ("drone", "uav") or (s.lemma_.lower() in ("that", "which") and tok.dep_ == "relcl"
               and tok.head.lemma_.lower() in ("drone", "uav")) for s in subj)


def _rules_for(tok, rules, sent_places: bool, sent_force: bool, known: frozenset = frozenset()) -> list:
    """The rule typing ``tok``; an aerial weapon trigger may take several aerial types when the
    weapons named with it differ ("fired … drones and missiles" is a drone and a missile strike)."""
    first = _rule_for(tok, rules, sent_places, sent_force, known)
    if first is None:
        return []
    out = [first]
    if first.type == "DroneStrike" and _drone_fires(tok):
        return out  # "a drone that fired three missiles": the missiles are the drone's munitions
    if first.type in _AERIAL:
        for r in rules:
            if r.type in _AERIAL and all(r.type != x.type for x in out) and _rule_for(tok, [r], sent_places, sent_force):
                out.append(r)
    return out


# Words that name an event only in a concrete use: with a place, a target, a count or a qualifier in
# their own phrase ("fierce battles in the east", "75 attacks around Pokrovsk"), not as an abstract
# noun ("Kyiv's fight against Russia", "we continue to fight").
_GENERIC_ATTACK = {"fight", "fighting"}
_PULL_BACK = {"back", "out", "away"}
_GUNS = {"artillery", "mortar", "howitzer"}
_GUN_EVENTS = {"fire", "strike", "barrage", "attack", "shelling", "shell", "round", "bombardment"}
_VERB_ONLY_ADVANCE = {"edge", "inch", "creep", "press", "push", "storm"}
_CLAUSE_DEPS = {"ROOT", "conj", "ccomp", "advcl", "relcl", "parataxis", "xcomp", "csubj", "acl", "pcomp"}


def _not_eventive(tok, type_: str) -> bool:
    """Uses of a trigger word that name no event: a participle or noun modifying another noun
    ("the occupied region", "a captured soldier", "an attack submarine", "an arms supply route"), a
    noun "station", "pull" without "back"/"out", and the generic "fight" without a place or target."""
    lemma = tok.lemma_.lower()
    if tok.dep_ == "amod" and tok.tag_ in ("VBN", "VBD"):
        return True
    if tok.dep_ == "compound" and type_ in ("Attack", "ArmsTransfer", "Deployment", "Capture", "Advance", "Trial",
                                             "CasualtyReport", "Meeting", "PeaceTalks", "Agreement", "Protest",
                                             "Evacuation", "Sanctions", "Withdrawal", "Incursion", "MilitaryTraining"):
        return True
    if type_ == "Deployment" and tok.pos_ != "VERB" and lemma not in ("deployment", "redeployment", "deploy"):
        return True
    if type_ == "Shelling" and lemma in _GUNS and not (
            tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "pobj" and tok.head.lower_ in ("by", "with"))
            or (tok.dep_ == "compound" and tok.head.lemma_.lower() in _GUN_EVENTS)):
        return True  # "a war of artillery", "ammunition for artillery": the weapon, not its fire
    if type_ == "CasualtyReport" and lemma == "death" and tok.head.lower_ == "to" and tok.head.head.lemma_.lower() in (
            "sentence", "condemn"):
        return True  # "sentenced to death" is a trial's sentence
    if type_ in _AERIAL and (any(c.lower_ == "test" for c in tok.children) or (
            tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].lower_ == "test")):
        return True  # "test-launching new missiles" is a weapons test, not a strike
    if type_ == "Advance" and tok.pos_ == "VERB" and _abstract_object(tok):
        return True  # "advancing efforts", "gained media attention", "pushes for compromise"
    if type_ == "Capture" and tok.pos_ == "VERB" and any(
            c.dep_ == "dobj" and c.lemma_.lower() in _NOT_TERRITORY for c in tok.children):
        return True  # "seizing power"
    if type_ == "Advance" and lemma in _VERB_ONLY_ADVANCE and tok.pos_ != "VERB":
        return True  # "on its eastern edge", "a push for talks"
    if type_ == "Withdrawal" and lemma == "pull" and not any(
            c.dep_ in ("prt", "advmod") and c.lower_ in _PULL_BACK for c in tok.children):
        return True
    if type_ == "Attack" and lemma in _GENERIC_ATTACK:
        sub = list(tok.subtree)
        anchored = any(t.ent_type_ in ("GPE", "LOC", "FAC", "CARDINAL") for t in sub if t is not tok) or any(
            c.dep_ == "amod" for c in tok.children) or tok.head.lemma_.lower() in ("rage", "erupt", "break") or tok.head.lower_.startswith("rag") or any(
            c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "around", "along", "for") for c in tok.children)
        if not anchored:
            return True
    return False


_CASUALTY_WORDS = {"kill", "die", "injure", "wound"}


_NOT_TERRITORY = {"power", "initiative", "opportunity", "attention", "moment", "chance", "headline", "headlines"}
_TERRITORY = {"territory", "ground", "land", "village", "town", "city", "position", "positions", "mile", "kilometre",
              "kilometer", "km", "metre", "meter", "foothold", "area", "line", "settlement"}


def _abstract_object(verb) -> bool:
    """An advance verb whose object or "for" phrase names no territory, distance, force or place."""
    def direct(t) -> bool:  # not inside a clause of its own ("efforts to end the war in Ukraine")
        h = t.head
        while h is not verb and h.head is not h:
            if h.pos_ in ("VERB", "AUX"):
                return False
            h = h.head
        return True

    if any(t.ent_type_ in ("GPE", "LOC", "FAC") and direct(t) for c in verb.children
           if c.dep_ in ("dobj", "prep", "advmod", "npadvmod") for t in c.subtree):
        return False
    for c in verb.children:
        if c.dep_ == "dobj" and c.lemma_.lower() in _FORCE_WORDS | {"troops"}:
            return False
        if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ == "for"):
            sub = [t for t in c.subtree if direct(t)]
            if not any(t.ent_type_ in ("GPE", "LOC", "FAC", "PERCENT", "QUANTITY", "CARDINAL") or
                       t.lemma_.lower() in _TERRITORY for t in sub):
                return True
    return False


def _clause(tok):
    """The head of the clause ``tok`` is in (a noun's clause is that of its verb)."""
    t = tok
    for _ in range(12):
        if t.dep_ in _CLAUSE_DEPS and t.pos_ in ("VERB", "AUX") or t.head is t:
            return t
        t = t.head
    return t


def _select(cands: list[tuple]) -> list[tuple]:
    """One event per type and clause (the first trigger of the clause); a second trigger of a type
    in another clause of the sentence is another event (merging by key then joins repeats). A casualty
    report in the clause of a violent event, or governed by / governing its trigger, belongs to it;
    a general Attack gives way to a specific strike in its clause."""
    seen: dict[tuple, tuple] = {}
    for r, tok in cands:
        k = (r.type, _clause(tok).i)
        if k not in seen:
            seen[k] = (r, tok)
    out = list(seen.values())
    specific = ("DroneStrike", "MissileStrike", "Airstrike", "Shelling", "Bombing", "Ambush")

    def linked(a, b) -> bool:
        return _clause(a).i == _clause(b).i or a in b.subtree or b in a.subtree

    def belongs(cas, t) -> bool:
        # "a drone attack …, killing 24", "bombings that killed 150", "killed in battle"
        return linked(cas, t) or t in cas.ancestors or _clause(t) in cas.ancestors or any(
            a.lemma_.lower() in _CASUALTY_WORDS and t in a.ancestors for a in cas.ancestors)

    keep = []
    for r, tok in out:
        if r.type == "CasualtyReport" and any(x.type in _VIOLENT and belongs(tok, t) for x, t in out):
            continue
        if r.type == "Attack" and any(x.type in specific and linked(tok, t) for x, t in out):
            continue
        if r.type == "ArmsTransfer" and any(x.type == "SanctionsEvasion" and tok in t.subtree for x, t in out):
            continue  # "helping Russia evade sanctions by providing technology": the means of the evasion
        if r.type == "Meeting" and any(x.type == "PeaceTalks" and linked(tok, t) for x, t in out):
            continue
        keep.append((r, tok))
    return sorted(keep, key=lambda x: x[1].i)


def _entities_in(ctx: ExtractionContext, start: int, end: int, exclude: tuple[int, int] | None = None):
    out = []
    for (a, b), eid in sorted(ctx.entity_mentions.items()):
        if start <= a and b <= end:
            if exclude and exclude[0] <= a and b <= exclude[1]:
                continue
            e = ctx.entities.by_id.get(eid)
            if e is not None and e.type != "Publisher":
                out.append((a, b, e))
    return out


def _places_in(ctx: ExtractionContext, start: int, end: int, mentions: list):
    """``(start, end, place)`` of the place mentions within ``[start, end]``, in order;
    ``mentions``: ``sorted(ctx.place_mentions.items())``."""
    out = []
    for (a, b), pid in mentions[bisect_left(mentions, ((start, -1),)):]:
        if a > end:
            break
        if b <= end:
            p = ctx.places.by_id.get(pid)
            if p is not None:
                out.append((a, b, p))
    return out


_RANK = {"Settlement": 0, "Area": 1, "Region": 2, "Country": 3}


def _country_of_place(ctx: ExtractionContext, place) -> str | None:
    seen = 0
    while place is not None and seen < 6:
        seen += 1
        if place.type == "Country":
            return (place.iso_code or place.key.split("/")[-1])[:2].upper()
        if place.key.startswith("region/"):
            return place.key.split("/")[1][:2].upper()
        place = ctx.places.by_id.get(place.within) if place.within else None
    return None


def _key_date(date: DateValue | None, keydate: str, published: _dt.date | None) -> str:
    if date is not None and date.value:
        if keydate == "day" and date.precision == "day":
            return date.value
        return date.value[:7]
    return published.strftime("%Y-%m") if published else "undated"


def event_key(type_: str, place: str | None, date: str, actor: str | None) -> str:
    """``<type>/<place>/<date>/<actor>``, every part slugged ('-' for a missing part)."""
    parts = [slug(type_), place or "-", date, actor or "-"]
    return "/".join(parts)


def _actor_part(ent) -> str:
    c = entity_country(ent)
    return c if c and ent.type in ("MilitaryForce", "Government") else slug(ent.key.replace("/", "-"))


def _subject_entity(ctx: ExtractionContext, tok, ents):
    """The actor that is the subject (or agent) of the trigger, else None."""
    cands = []
    verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
    for c in verb.children:
        if c.dep_ in ("nsubj", "agent"):
            sub = c if c.dep_ == "nsubj" else next((x for x in c.children if x.dep_ == "pobj"), None)
            if sub is not None:
                cands.append(sub)
    for c in tok.children:
        if c.dep_ in ("poss", "amod", "compound"):
            cands.append(c)
    for sub in cands:
        lo = min(t.idx for t in sub.subtree)
        hi = max(t.idx + len(t.text) for t in sub.subtree)
        for a, b, e in ents:
            if lo <= a and b <= hi:
                return e
    return None


def _confirmers(ctx: ExtractionContext, sent, ents) -> list[str]:
    out: list[str] = []
    for t in sent:
        if t.lemma_.lower() != "confirm":
            continue
        st = statement_at(ctx, t.idx, t.idx + len(t.text))
        if st is not None and st.speaker and st.direct:
            out.append(st.speaker)  # "I can confirm that …"
            continue
        sub = next((c for c in t.children if c.dep_ == "nsubj"), None)
        if sub is not None:
            lo = min(x.idx for x in sub.subtree)
            hi = max(x.idx + len(x.text) for x in sub.subtree)
            for (a, b), eid in ctx.entity_mentions.items():
                if lo <= a and b <= hi:
                    out.append(eid)
                    break
            else:
                if st is not None and st.speaker and sub.lower_ in ("i", "we", "he", "she", "they"):
                    out.append(st.speaker)
        elif st is not None and st.speaker:
            out.append(st.speaker)
    return out


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _evidence(ctx: ExtractionContext, tok, s0: int, s1: int, *, before: int = 4, after: int = 5, also=None):
    """The words around the trigger (at most ``before`` + 1 + ``after`` tokens, inside the
    sentence): enough to check the event, never the whole sentence (the article text is not
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


def extract_events(ctx: ExtractionContext) -> None:
    """Append the events of the article to ``ctx.events`` (ids V1, V2 … in order of first mention)."""
    rules = load_event_rules()
    doc = ctx.doc
    published = ctx.article.date
    try:
        from .dates import find_date
    except ImportError:  # pragma: no cover
        find_date = None  # type: ignore[assignment]
    events: dict[str, Event] = {}
    order: list[str] = []
    pending_deployments: list[tuple[Event, str]] = []  # deployments without a destination
    units = [(sent, a, b) for sent in ctx.sents for a, b in _segments(ctx, sent)]
    mentions = sorted(ctx.place_mentions.items())  # the places step is over: they no longer change
    force_in: dict[int, bool] = {}  # sentence start -> it names a force
    for sent, s0, s1 in units:
        splaces = _places_in(ctx, s0, s1, mentions)
        sforce = force_in.get(sent.start)
        if sforce is None:
            sforce = force_in[sent.start] = any(t.lemma_.lower() in _FORCE_WORDS for t in ctx.tokens[sent.start:sent.end])
        known = frozenset(e.type for e in events.values())
        cands: list[tuple] = []
        for tok in ctx.tokens_starting_in(s0, s1):  # the segment's tokens (it lies within the sentence)
            if tok.pos_ not in ("VERB", "NOUN", "PROPN", "ADJ"):
                continue
            for r in _rules_for(tok, rules, bool(splaces), sforce, known):
                if _not_eventive(tok, r.type) or _hypothetical(tok):
                    continue
                cands.append((r, tok))
        found = _select(cands)
        if not found:
            continue
        date = find_date(ctx, s0, s1) if find_date else None
        for r, tok in found:
            type_ = r.type
            st = statement_at(ctx, tok.idx, tok.idx + len(tok.text))
            if st is not None:
                ents = _entities_in(ctx, max(s0, st.span.start), min(s1, st.span.end),
                                    exclude=(st.speaker_mention.start, st.speaker_mention.end) if st.speaker_mention else None)
                ents = [x for x in ents if x[2].id != st.speaker]
                ev_date = date or st.date
            else:
                ents = _entities_in(ctx, s0, s1)
                ev_date = date
            participants = []
            for _a, _b, e in ents:
                if e.id not in participants:
                    participants.append(e.id)
            lo = min(t.idx for t in tok.subtree)
            hi = max(t.idx + len(t.text) for t in tok.subtree)
            near = [x for x in splaces if lo <= x[0] and x[1] <= hi]
            pool = near or (splaces if type_ in _VIOLENT or type_ in ("CasualtyReport", "Deployment") else [])
            place = min(pool, key=lambda x: (_RANK.get(x[2].type, 9), x[0]))[2] if pool else None
            main = _subject_entity(ctx, tok, ents) or next(
                (e for _a, _b, e in ents if e.type in ("MilitaryForce", "Government", "Group", "Organisation")), None)
            ev = Event(id="", key="", type=type_, label=_TYPE_LABELS.get(type_, type_), participants=participants,
                       place=place.id if place is not None else None, date=ev_date, span=_evidence(ctx, tok, s0, s1, also=_typing_word(tok, r)),
                       confidence=0.6 if type_ in ("CasualtyReport", "Attack") else 0.7,
                       rule=f"events/event-types.tsv:{type_}:{tok.lemma_.lower()}")
            if type_ == "Deployment":
                _fill_deployment(ctx, ev, tok, sent, ents, splaces,
                                 earlier=[events[k] for k in order if events[k].type == "Deployment"]
                                 + [e for e, _c in pending_deployments])
                dest_c = _country_of_place(ctx, ctx.places.by_id.get(ev.place)) if ev.place else None
                month = _key_date(ev_date, "month", published)
                if ev.country and dest_c == ev.country:
                    dest_c = None  # troops at home are not deployed there
                    ev.place = None
                if ev.country is None:
                    continue
                if dest_c is None:
                    ev.confidence = 0.5
                    pending_deployments.append((ev, ev.country))
                    continue
                ev.key = f"deployment/{ev.country}/{dest_c}/{month}"
                same = next((events[k] for k in order if k.startswith(f"deployment/{ev.country}/{dest_c}/")), None)
                if same is not None and ev.key not in events:
                    # one article, one force sent to one country: the same deployment told twice
                    _merge(events, order, ev, into=same, ctx=ctx)
                    continue
            else:
                place_part = place_slug(place) if place is not None else None
                actor = _actor_part(main) if main is not None else None
                ev.key = event_key(type_, place_part, _key_date(ev_date, r.keydate, published), actor)
                if ev.key not in events:
                    prefix = ev.key.rsplit("/", 1)[0] + "/"
                    same = [events[k] for k in order if k.startswith(prefix) and (
                        k.endswith("/-") or ev.key.endswith("/-")) and events[k].type == type_]
                    if len(same) == 1 and place is not None:
                        # same type, place and date, one of them without an actor: one event
                        _merge(events, order, ev, into=same[0], ctx=ctx)
                        continue
                if ev.key not in events and not near and _anaphoric(tok):
                    prior = _antecedent(events, order, type_)
                    if prior is not None:
                        # "the strike", "the attack" with no place of its own: the event told before
                        _merge(events, order, ev, into=prior, ctx=ctx)
                        continue
            _merge(events, order, ev, ctx=ctx)
    for ev, country in pending_deployments:
        target = next((events[k] for k in order if events[k].type == "Deployment" and events[k].country == country), None)
        if target is None:
            ev.key = f"deployment/{country}/-/{_key_date(ev.date, 'month', published)}"
            _merge(events, order, ev, ctx=ctx)
        else:
            _merge(events, order, ev, into=target, ctx=ctx)
    order = _retype_generic_strikes(events, order, ctx)
    for n, k in enumerate(order, 1):
        events[k].id = f"V{n}"
        ctx.events.append(events[k])


_AERIAL = ("DroneStrike", "Airstrike", "MissileStrike")
_GENERIC_STRIKE = {"strike", "raid"}


def _retype_generic_strikes(events: dict, order: list[str], ctx) -> list[str]:
    """A bare "strike" or "raid" (typed Attack) in an article whose specific strikes are all of one
    aerial kind ("a drone strike" … "the strike in Beirut"), or whose place has specific strikes of one
    aerial kind, is that kind of strike; it then merges with an event of that type that has the same key."""
    kinds = {events[k].type for k in order if events[k].type in _AERIAL}
    if not kinds:
        return order
    article_kind = next(iter(kinds)) if len(kinds) == 1 else None
    out: list[str] = []
    merged: dict[str, Event] = {}
    for k in order:
        ev = events[k]
        target = article_kind
        if target is None and ev.place:
            # several aerial kinds in the article: the one reported at the strike's own place
            at = {events[x].type for x in order if events[x].type in _AERIAL and events[x].place == ev.place}
            target = next(iter(at)) if len(at) == 1 else None
        if target and ev.type == "Attack" and ev.rule.rsplit(":", 1)[-1] in _GENERIC_STRIKE:
            ev.type, ev.label = target, _TYPE_LABELS[target]
            ev.rule += f"+article-type:{target}"
            ev.key = slug(target) + ev.key[len(slug("Attack")):]
            ev.confidence = min(ev.confidence, 0.5)
        if ev.key in merged:
            _merge(merged, out, ev, into=merged[ev.key], ctx=ctx)
            continue
        merged[ev.key] = ev
        out.append(ev.key)
    events.clear()
    events.update(merged)
    return out


_NEW_EVENT_MODS = {"latest", "other", "another", "separate", "previous", "last", "new", "first", "second", "next",
                   "earlier", "similar", "further", "more", "recent", "such", "retaliatory", "past", "future"}
_SPECIFIC = ("DroneStrike", "MissileStrike", "Airstrike", "Shelling", "Bombing", "Ambush")


def _anaphoric(tok) -> bool:
    """A definite singular event noun with no modifier marking another event ("the attack", "the
    strike"), which refers back to the event already reported."""
    if tok.pos_ != "NOUN" or (tok.tag_ == "NNS" and tok.lemma_.lower() not in ("talk", "negotiation")):
        return False  # "the talks" is one event
    kids = list(tok.children)
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in kids):
        return False
    if any(c.dep_ in ("amod", "compound", "nummod", "nmod", "poss") and c.lower_ in _NEW_EVENT_MODS for c in kids):
        return False
    if any(c.dep_ == "prep" and c.lower_ in ("on", "in", "at", "against", "near", "around", "of") for c in kids):
        return False  # "the attack on the convoy": a target or place of its own
    if any(c.ent_type_ in ("DATE", "GPE", "LOC", "FAC", "CARDINAL", "ORDINAL") for c in tok.subtree if c is not tok):
        return False
    return True


def _antecedent(events: dict, order: list[str], type_: str):
    """The latest event of the article of the mention's type (a general "the attack" after a drone
    strike may be another attack: it is not joined across types)."""
    for k in reversed(order):
        ev = events[k]
        if ev.type == type_:
            return ev
    return None


def _deployed_np(tok):
    """The noun phrase naming what is deployed: the passive subject ("soldiers were transported"),
    the object of an active trigger ("sent troops"), else the active subject."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else None
    if verb is None:
        return None
    for dep in ("nsubjpass", "dobj", "nsubj"):
        sub = next((c for c in verb.children if c.dep_ == dep), None)
        if sub is not None:
            return sub
    return None


def _fill_deployment(ctx: ExtractionContext, ev: Event, tok, sent, ents, splaces, earlier=()) -> None:
    forces = [e for _a, _b, e in ents if e.type == "MilitaryForce"]
    force = None
    np = _deployed_np(tok)
    if np is not None:
        lo = min(t.idx for t in np.subtree)
        hi = max(t.idx + len(t.text) for t in np.subtree)
        inside = [e for a, b, e in ents if e.type == "MilitaryForce" and lo <= a and b <= hi]
        if inside:
            force = inside[0]
        elif earlier and any(t.lower_ in ("those", "these", "the", "they", "them") for t in np.subtree) and any(
                t.lemma_.lower() in _FORCE_WORDS for t in np.subtree) and earlier[-1].force:
            # "a contingent of those soldiers has been transported …": the force deployed before
            force = ctx.entities.by_id.get(earlier[-1].force)
            forces = []
    # the force nearest to the trigger
    if forces and force is None:
        mentions = [(abs(a - tok.idx), e) for a, b, e in ents if e.type == "MilitaryForce"]
        force = min(mentions, key=lambda x: x[0])[1]
    country = entity_country(force) if force is not None else None
    if country is None:
        # "North Korea's troop deployment": the possessor or nationality of the trigger
        for c in tok.subtree:
            if c.dep_ in ("poss", "amod", "compound") and c.i < tok.i:
                from .claims import _country_of_text
                country = _country_of_text(c.doc[min(x.i for x in c.subtree): c.i + 1].text.replace("’s", "").replace("'s", ""))
                if country:
                    break
        if country:
            force = next((e for e in ctx.entities.items if e.type == "MilitaryForce" and entity_country(e) == country), None)
    ev.force = force.id if force is not None else None
    ev.country = country
    # destination: places of the sentence not in the force's own country, most specific first
    in_actor = [(a, b) for (a, b) in ctx.entity_mentions]
    dest = [(a, p) for a, b, p in splaces if a > tok.idx and _country_of_place(ctx, p) != country
            and not any(x <= a and b <= y and (x, y) != (a, b) for x, y in in_actor)]
    if dest:
        ev.place = min(dest, key=lambda x: (_RANK.get(x[1].type, 9), x[0]))[1].id
    else:
        ev.place = None
    # size: a claim about deployed troops (or a force's strength) in the sentence
    for c in ctx.claims:
        if sent.start_char <= c.span.start < sent.end_char and c.unit == "count" and c.measure == "troops":
            if country is None or f"of-{country}" in c.kind.split("/"):
                ev.size = int(c.value)
                break
    if ev.size is None and force is not None and force.size:
        ev.size = force.size
    ev.confirmed_by = list(dict.fromkeys(_confirmers(ctx, sent, ents)))
    if force is not None and force.id not in ev.participants:
        ev.participants.insert(0, force.id)


def _merge(events: dict[str, Event], order: list[str], ev: Event, into: Event | None = None, ctx=None) -> None:
    old = into if into is not None else events.get(ev.key)
    if old is None:
        events[ev.key] = ev
        order.append(ev.key)
        return
    if (ev.span.start, ev.span.end) != (old.span.start, old.span.end) and all(
            (m.start, m.end) != (ev.span.start, ev.span.end) for m in old.mentions):
        old.mentions.append(ev.span)
    for p in ev.participants:
        if p not in old.participants:
            old.participants.append(p)
    for p in ev.confirmed_by:
        if p not in old.confirmed_by:
            old.confirmed_by.append(p)
    if ctx is not None and ev.place and _place_rank(ctx, ev.place) < _place_rank(ctx, old.place) and not _same_name(
            ctx, ev.place, old.place):
        old.place = ev.place  # the most specific place named for the event ("Kursk" after "the Kursk region"
        # is the region again, not a more specific place)
    if old.size is None and ev.size is not None:
        old.size = ev.size
    if old.force is None and ev.force is not None:
        old.force = ev.force
    if old.date is None and ev.date is not None:
        old.date = ev.date
    old.confidence = min(1.0, round(old.confidence + 0.1, 2))


def _same_name(ctx: ExtractionContext, a: str | None, b: str | None) -> bool:
    pa, pb = ctx.places.by_id.get(a or ""), ctx.places.by_id.get(b or "")
    if pa is None or pb is None:
        return False
    import re as _re
    strip = lambda n: _re.sub(r"(?i)\s+(?:region|oblast|province|governorate|state)$", "", n).strip().lower()  # noqa: E731
    return strip(pa.name) == strip(pb.name)


def _place_rank(ctx: ExtractionContext, pid: str | None) -> int:
    p = ctx.places.by_id.get(pid) if pid else None
    return _RANK.get(p.type, 9) if p is not None else 99
