"""Extraction step: events — one per real event, typed along docs/events.md (ACLED / CAMEO aligned).

For each sentence (page furniture skipped; each sentence's work isolated with
``ctx.isolate("events", …)``), trigger words are typed by the rows of
``newskb/data/event-types.tsv`` (first matching row wins, so "drone attack" is a DroneStrike, not an
Attack). Triggers that name no happening are dropped: negated, modal, future, conditional, wished
for or planned ones ("would end the war", "did not attack", "calls for talks"), unless the row
types the announcement itself (a Threat, an Ultimatum). Each remaining trigger is a *mention* with
its roles (:mod:`newskb.extract.event_roles`): who acted, who or what was affected, where and when.
Mentions of one happening are then merged into one event (:mod:`newskb.extract.event_merge`), which
gets a key (``<type>/<place>/<date>/<actor>``: articles reporting one event share its IRI) and a
label that says what happened (:mod:`newskb.extract.event_labels`).

Public API: :func:`extract_events`, :func:`load_event_rules`, :func:`event_key`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import event_merge, event_roles
from .context import ExtractionContext
from .event_merge import event_key  # noqa: F401 - public API
from .event_rules import CLAUSE_DEPS, EventRule, Term, clause_of, load_event_rules, trigger_index, typology, words

__all__ = ["extract_events", "load_event_rules", "event_key"]

_CONTENT_POS = frozenset({"VERB", "NOUN", "PROPN", "ADJ"})
_AERIAL = frozenset({"DroneStrike", "Airstrike", "MissileStrike"})
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_ARG_DEPS = frozenset({"dobj", "pobj", "prep", "nsubjpass", "nsubj", "attr", "agent", "dative", "prt"})


# --------------------------------------------------------------------------- sentence environment

@dataclass
class Sentence:
    """What the rules read about one sentence segment."""

    ctx: ExtractionContext
    sent: object
    start: int
    end: int
    places: list  # (start, end, Place) in the segment
    force: bool  # the segment names a force or troops
    known: frozenset[str]  # event types already reported in the article
    near_cache: dict = field(default_factory=dict)
    strict_cache: dict = field(default_factory=dict)


def _lemmas(toks) -> set[str]:
    out = set()
    for t in toks:
        out.add(t.lemma_.lower())
        out.add(t.lower_)
    return out


def near_words(tok, env: Sentence) -> frozenset[str]:
    """Lemmas and forms within 4 words of ``tok`` (in its sentence), of its dependents, its head
    and the head's dependents, and inside its arguments."""
    hit = env.near_cache.get(tok.i)
    if hit is not None:
        return hit
    sent = env.sent
    out = _lemmas(tok.doc[max(sent.start, tok.i - 4): min(sent.end, tok.i + 5)])
    out |= _lemmas(tok.children) | _lemmas(tok.head.children) | _lemmas((tok.head,))
    for c in tok.children:
        if c.dep_ in _ARG_DEPS:
            out |= _lemmas(c.subtree)
    env.near_cache[tok.i] = res = frozenset(out)
    return res


def strict_words(tok, env: Sentence) -> frozenset[str]:
    """Lemmas and forms of the dependents of ``tok`` and inside its complements; its subject
    counts only when it has no object ("the talks collapsed", not "the administration announced")."""
    hit = env.strict_cache.get(tok.i)
    if hit is not None:
        return hit
    transitive = any(c.dep_ in ("dobj", "attr", "dative") for c in tok.children)
    kids = [c for c in tok.children if not (transitive and c.dep_ == "nsubj")]
    out = _lemmas(kids)
    for c in kids:
        if c.dep_ in _ARG_DEPS:
            out |= _lemmas(c.subtree)
    if tok.dep_ in ("relcl", "acl"):  # "the talks, which collapsed": the antecedent is an argument
        out |= _lemmas(tok.head.subtree) - _lemmas(tok.subtree)
    env.strict_cache[tok.i] = res = frozenset(out)
    return res


def _ent_mention_type(ctx: ExtractionContext, tok) -> str | None:
    """The type of the actor whose mention covers ``tok`` (None when none does)."""
    for (a, b), eid in ctx.entity_mentions.items():
        if a <= tok.idx < b:
            e = ctx.entities.by_id.get(eid)
            return e.type if e is not None else None
    return None


def _state_modifier(tok, env: Sentence) -> bool:
    """A nationality, state or armed force modifying the trigger ("Russian bombing", "coalition
    bombing"), or a state or armed force acting as the subject of the trigger verb."""
    state = words("state")
    for c in tok.children:
        if c.dep_ in ("amod", "compound", "poss", "nmod") and (
                c.ent_type_ in ("NORP", "GPE") or c.lemma_.lower() in state
                or _ent_mention_type(env.ctx, c) in ("Government", "MilitaryForce")):
            return True
        if c.dep_ == "nsubj" and tok.pos_ == "VERB" and (
                c.ent_type_ in ("NORP", "GPE") or _ent_mention_type(env.ctx, c) in ("Government", "MilitaryForce")
                or c.lemma_.lower() in state):
            return True
    return False


def _objects(tok):
    """The object-like dependents of ``tok``: direct objects, passive subjects, prepositional
    objects, and for an acl participle the noun it modifies."""
    out = []
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr", "dative", "oprd"):
            out.append(c)
        elif c.dep_ == "prep":
            out.extend(x for x in c.children if x.dep_ == "pobj")
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        out.append(tok.head)
    return out


def _agentive(tok, env: Sentence) -> bool:
    """The subject of the trigger verb is an actor: a person, an organisation, a state, people."""
    for c in tok.children:
        if c.dep_ == "nsubj" and (c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or _is_people(env.ctx, c)
                                  or _ent_mention_type(env.ctx, c) is not None or c.lemma_.lower() in words("state")
                                  or c.lemma_.lower() in words("office")):
            return True
    return tok.dep_ in ("xcomp", "conj") and tok.head.pos_ == "VERB" and _agentive(tok.head, env)


def _is_people(ctx: ExtractionContext, t) -> bool:
    if t.ent_type_ in _PLACE_ENTS or any(a <= t.idx < b for (a, b) in ctx.place_mentions):
        return False  # a place the model took for a person ("captured Goma")
    return (t.lemma_.lower() in words("people") or t.lower_ in words("people") or t.ent_type_ in ("PERSON", "NORP")
            or _ent_mention_type(ctx, t) in ("Person", "Group", "UnnamedPerson"))


def _people_object(tok, env: Sentence) -> bool:
    """The trigger's object or patient is people: its direct object or passive subject, the
    noun a participle describes, or the "of" complement of a noun ("the release of the sailors")."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "dative", "oprd")]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        objs.append(tok.head)
    if tok.pos_ in ("NOUN", "PROPN"):
        objs += [x for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for x in c.children if x.dep_ == "pobj"]
        objs += [c for c in tok.children if c.dep_ == "poss" and c.lower_ in words("pronoun-group")]  # "their capture"
    return any(_is_people(env.ctx, o) or any(_is_people(env.ctx, x) for x in o.conjuncts) for o in objs)


def _person_role(tok, env: Sentence) -> bool:
    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(t.ent_type_ == "PERSON" or _ent_mention_type(env.ctx, t) == "Person" for t in subj + _objects(tok))


def _territory_object(tok, env: Sentence) -> bool:
    terr = words("territory")
    for o in _objects(tok):
        for t in o.subtree:
            if t.ent_type_ in _PLACE_ENTS or t.lemma_.lower() in terr:
                return True
            if any(a <= t.idx < b for a, b, _p in env.places):
                return True
    return False


def _future(tok) -> bool:
    """Under a future or modal auxiliary within three heads ("will punish", "would be punished")."""
    modal = words("future")
    t = tok
    for _ in range(3):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in modal for c in t.children):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _particles(tok) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("prt", "advmod") and c.i > tok.i}


def _armed_subject(tok, env: Sentence) -> bool:
    """The subject of the trigger verb is a force or armed group ("the rebels fled the town")."""
    force = words("force")
    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj and tok.dep_ in ("conj", "xcomp") and tok.head.pos_ == "VERB":
        subj = [c for c in tok.head.children if c.dep_ == "nsubj"]
    return any(s.lemma_.lower() in force or _ent_mention_type(env.ctx, s) == "MilitaryForce"
               or any(x.lemma_.lower() in force for x in s.children if x.dep_ in ("compound", "amod")) for s in subj)


def _deployed_force(tok, env: Sentence) -> bool:
    """What the verb sends or stations is a force: its passive subject, else its object, else its
    subject ("troops were sent", "sent troops", "the brigade redeployed")."""
    force = words("force")
    for dep in ("nsubjpass", "dobj", "nsubj"):
        np = next((c for c in tok.children if c.dep_ == dep), None)
        if np is not None:
            lo, hi = np.left_edge.idx, np.right_edge.idx + len(np.right_edge)
            return any(t.lemma_.lower() in force for t in np.subtree) or any(
                lo <= a and b <= hi and env.ctx.entities.by_id[eid].type == "MilitaryForce"
                for (a, b), eid in env.ctx.entity_mentions.items() if eid in env.ctx.entities.by_id)
    return False


# the conditions a trigger row may name (event-types.tsv header), by name
_SPECIALS = {
    "@place": lambda tok, env: bool(env.places),
    "@force": lambda tok, env: env.force,
    "@armed": lambda tok, env: _armed_subject(tok, env),
    "@deployed": lambda tok, env: _deployed_force(tok, env),
    "@actor": lambda tok, env: _state_modifier(tok, env),
    "@agentive": lambda tok, env: _agentive(tok, env),
    "@people": lambda tok, env: _people_object(tok, env),
    "@person": lambda tok, env: _person_role(tok, env),
    "@territory": lambda tok, env: _territory_object(tok, env),
    "@future": lambda tok, env: _future(tok),
}


def _holds(term: Term, tok, env: Sentence) -> bool:
    if term.special is not None:
        return _SPECIALS[term.special](tok, env)
    if term.particle:
        return bool(_particles(tok) & term.words)
    if term.head:
        return tok.head.i != tok.i and tok.head.lemma_.lower() in term.words
    return bool((strict_words(tok, env) if term.strict else near_words(tok, env)) & term.words)


def _excluded(rule: EventRule, tok, env: Sentence) -> bool:
    if not rule.excludes:
        return False
    own = {tok.lemma_.lower(), tok.lower_}
    sent = env.sent
    close = _lemmas(tok.doc[max(sent.start, tok.i - 2): min(sent.end, tok.i + 3)]) | _lemmas(tok.children)
    if tok.dep_ in ("relcl", "acl"):  # the noun a relative clause or participle describes is its argument
        close |= _lemmas((tok.head,))
    for c in tok.children:  # the arguments' heads and their own dependents, not their clauses
        if c.dep_ in _ARG_DEPS:
            close |= _lemmas(x for x in c.children if x.dep_ not in CLAUSE_DEPS)
            if c.dep_ == "prep":
                close |= _lemmas(y for x in c.children for y in x.children if y.dep_ not in CLAUSE_DEPS)
    for term in rule.excludes:
        if term.special is not None or term.particle or term.head:
            if _holds(term, tok, env):
                return True
        elif (close & term.words) - own:
            return True
    return False


def _forms(tok) -> tuple[str, str, str]:
    lemma, lower = tok.lemma_.lower(), tok.lower_
    # "Airstrikes" tagged as a proper noun keeps its plural as lemma
    sing = lower[:-1] if lower.endswith("s") and not lower.endswith("ss") else lower
    return lemma, lower, sing


def _pos_ok(rule: EventRule, tok) -> bool:
    if rule.pos is None:
        return True
    pos = "NOUN" if tok.pos_ == "PROPN" else tok.pos_
    return pos in rule.pos


def _definite_ref(tok) -> bool:
    """A definite or "such" noun ("the exchange had taken place", "the first such swap")."""
    return tok.pos_ == "NOUN" and any(
        (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or (c.lower_ == "such") for c in tok.children)


def rule_matches(rule: EventRule, tok, env: Sentence) -> bool:
    """Whether the row types ``tok`` in its sentence (an excluded word must be a dependent of the
    trigger, inside one of its arguments, or within two words of it)."""
    if not _pos_ok(rule, tok) or _excluded(rule, tok, env):
        return False
    if rule.requires is None:
        return True
    if any(all(_holds(t, tok, env) for t in alt) for alt in rule.requires):
        return True
    # "the exchange", "such a swap" after an exchange was reported: the article's event again
    fam = typology()[rule.type].family
    return rule.type in env.known and fam not in ("armed", "capture", "advance") and _definite_ref(tok)


def _drone_fires(tok) -> bool:
    """The drone is the subject of the firing verb ("a drone that fired", "the drone launched")."""
    drone = words("drone")
    subj = [c for c in tok.children if c.dep_ == "nsubj"]
    if tok.dep_ == "relcl":
        subj.append(tok.head)
    return any(s.lemma_.lower() in drone or (s.lemma_.lower() in ("that", "which") and tok.dep_ == "relcl"
               and tok.head.lemma_.lower() in drone) for s in subj)


def rules_for(tok, env: Sentence, rules: tuple[EventRule, ...] | None = None) -> list[EventRule]:
    """The rows typing ``tok`` (first matching row); an aerial weapon trigger may take several aerial
    types when the weapons named with it differ ("fired … drones and missiles")."""
    rules = rules or load_event_rules()
    index = trigger_index()
    hits = sorted({k for w in _forms(tok) for k in index.get(w, ())})
    first = next((rules[k] for k in hits if rule_matches(rules[k], tok, env)), None)
    if first is None:
        return []
    out = [first]
    if first.type in _AERIAL and not (first.type == "DroneStrike" and _drone_fires(tok)):
        for k in hits:
            r = rules[k]
            if r.type in _AERIAL and all(r.type != x.type for x in out) and r.requires is not None \
                    and rule_matches(r, tok, env):
                out.append(r)
    return out


# --------------------------------------------------------------------------- what names no happening

def _abstract_object(verb) -> bool:
    """An advance verb whose object or "for" phrase names no territory, distance, force or place."""
    terr, force = words("territory"), words("force")

    def direct(t) -> bool:  # not inside a clause of its own ("efforts to end the war in Ukraine")
        h = t.head
        while h.i != verb.i and h.head.i != h.i:
            if h.pos_ in ("VERB", "AUX"):
                return False
            h = h.head
        return True

    if any(t.ent_type_ in _PLACE_ENTS and direct(t) for c in verb.children
           if c.dep_ in ("dobj", "prep", "advmod", "npadvmod") for t in c.subtree):
        return False
    for c in verb.children:
        if c.dep_ == "dobj" and c.lemma_.lower() in force:
            return False
        if c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ == "for"):
            sub = [t for t in c.subtree if direct(t)]
            if not any(t.ent_type_ in (*_PLACE_ENTS, "PERCENT", "QUANTITY", "CARDINAL") or t.lemma_.lower() in terr
                       for t in sub):
                return True
    return False


def _anchored_fight(tok) -> bool:
    """A generic fight word names a happening when anchored: a place, count or qualifier in its
    phrase, a verb such as "rage" or "erupt", or a place or target preposition."""
    erupt = words("erupt")
    if any(t.ent_type_ in ("GPE", "LOC", "FAC", "CARDINAL", "DATE") for t in tok.subtree if t.i != tok.i):
        return True
    if any(c.dep_ in ("amod", "nummod") for c in tok.children):
        return True
    if tok.head.lemma_.lower() in erupt or tok.lemma_.lower() in erupt:
        return True
    if any(c.lemma_.lower() in erupt for c in tok.children if c.dep_ in ("nsubj", "dobj", "prt")):
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("in", "at", "near", "around", "along", "for", "between", "with")
               for c in tok.children)


def _generic_plural(tok) -> bool:
    """A bare plural event noun (no determiner, number or modifier naming one) that is the subject
    of "be": a kind of event ("POW exchanges were the only concrete steps")."""
    if tok.tag_ not in ("NNS", "NNPS") or tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if any(c.dep_ in ("det", "nummod", "poss") for c in tok.children):
        return False
    return tok.head.lemma_.lower() in words("generic-verb")


def _list_head(tok):
    """The first item of the coordination ``tok`` is in (``tok`` itself when it is in none)."""
    t = tok
    for _ in range(8):
        if t.dep_ != "conj" or t.head.i == t.i:
            break
        t = t.head
    return t


def _listed_kind(tok) -> bool:
    """A bare event noun (no determiner, number, possessor or complement of its own) in a list of
    kinds: after "including", "like" or "such as" ("abuses including torture and murder"), or one
    of three or more bare nouns ("mass deaths, torture and disappearances"): a category of
    happenings, not one of them."""
    if tok.pos_ != "NOUN" or any(c.dep_ in ("det", "nummod", "poss", "prep", "acl", "relcl") for c in tok.children):
        return False
    first = _list_head(tok)
    if first.dep_ == "pobj" and (first.head.lower_ in words("kind-list") or (
            first.head.lower_ == "as" and first.head.i > 0 and first.doc[first.head.i - 1].lower_ == "such")):
        return True
    if first.dep_ not in ("dobj", "pobj", "attr") or (first.dep_ == "pobj" and first.head.lower_ in words("means-prep")):
        return False  # "strikes, shelling and raids killed …", "killed in strikes, shelling and raids"
    items = [first, *first.conjuncts]
    return len(items) >= 3 and all(x.pos_ == "NOUN" and not any(
        c.dep_ in ("det", "nummod", "poss") or c.ent_type_ in ("NORP", "GPE") for c in x.children) for x in items)


def _habitual(tok) -> bool:
    """A habitual or generic adverb on the trigger or its verb ("frequently", "often"), or in the
    simple present a time quantified over ("are killed during each campaign")."""
    habitual, each = words("habitual"), words("habitual-det")
    verbs = [tok] if tok.pos_ in ("VERB", "AUX") else [tok, tok.head]
    for c in (c for v in verbs for c in v.children):
        if c.dep_ == "advmod" and c.lower_ in habitual:
            return True
        occasions = [x for x in c.children if x.dep_ == "pobj"] if c.dep_ == "prep" else [c] * (c.dep_ == "npadvmod")
        if any(d.dep_ == "det" and d.lower_ in each for o in occasions for d in o.children) and _simple_present(tok):
            return True
    return False


def _simple_present(tok) -> bool:
    """The trigger verb, or the verb of a trigger noun, in the simple present ("are killed",
    "dies"), the tense of characterising statements; not a perfect or progressive ("have been
    marching every week" reports an ongoing happening)."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.dep_ == "aux" for a in auxes):
        return False
    return verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes)


def _generic_passive(tok) -> bool:
    """A simple-present passive with a bare plural subject ("officers are forced out", "civilians
    are killed"): a characterising statement about a kind, not a report of one happening (the
    perfect, "have been killed", and headlines, "Five killed", report one)."""
    if tok.tag_ != "VBN" or any(c.dep_ == "aux" for c in tok.children):
        return False
    if not any(c.dep_ == "auxpass" and c.tag_ in ("VBP", "VBZ") for c in tok.children):
        return False
    return any(s.dep_ == "nsubjpass" and s.tag_ == "NNS" and not s.ent_type_
               and not any(c.dep_ in ("det", "nummod", "poss") for c in s.children) for s in tok.children)


def _name_is_event(tok) -> bool:
    """A name that is the trigger alone ("Strike" tagged as an organisation at a sentence start)."""
    return tok.ent_iob_ == "B" and (tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].ent_iob_ != "I")


def _war_breaks_out(tok) -> bool:
    """A war word names a happening with its outbreak, launch or escalation ("war broke out",
    "launched a war", "violence erupted") or a date of its own ("the 2020 war")."""
    outbreak = words("outbreak-verb")
    head = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj") and head.lemma_.lower() in outbreak:
        return True
    if tok.dep_ == "pobj" and head.head.lemma_.lower() in words("onset"):
        return True  # "the outbreak of war"
    return any(c.ent_type_ == "DATE" and any(ch.isdigit() for ch in c.text) and "-" not in c.text
               for c in tok.children)  # "the 2020 war"; not "the four-year war"


def _modifier_use(tok, type_: str, lemma: str) -> bool:
    """A trigger modifying a noun, part of a name or of a fixed phrase ("the occupied region", "an
    attack submarine", "dead bodies", "Popular Mobilisation Forces", "on fire")."""
    if tok.dep_ == "amod" and (tok.tag_ in ("VBN", "VBD") or tok.pos_ == "ADJ"):
        return True
    if tok.dep_ == "pobj" and f"{lemma}:{tok.head.lower_}" in words("idiom"):
        return True
    if tok.ent_type_ in ("ORG", "WORK_OF_ART", "PERSON", "FAC") and tok.ent_iob_ != "O" and not _name_is_event(tok):
        return True
    if _attempt_compound(tok, type_):
        return False  # "an assassination attempt": an attempted attack, not a kind of attempt
    compound = typology()[type_].compound
    modifier = tok.dep_ == "compound" or (tok.pos_ == "NOUN" and tok.head.i == tok.i + 1 and tok.head.pos_ == "NOUN"
                                          and tok.dep_ not in ("poss", "appos", "conj"))
    return modifier and compound != "yes" and not (
        compound == "head" and tok.head.lemma_.lower() in words("compound-head"))


def _generic_use(tok, lemma: str) -> bool:
    """A count, a state, a kind or a habit, not one happening ("the seventh time Russia has
    targeted Kyiv", "Russia occupies a fifth of Ukraine", "prisoner exchanges are the only step",
    "officials are frequently targeted", "supplying weapons prolongs the war")."""
    if tok.dep_ == "relcl" and tok.head.lemma_.lower() in words("count-noun") and any(
            c.ent_type_ == "ORDINAL" or c.lower_ in words("ordinal") for c in tok.head.children):
        return True
    if (tok.tag_ in ("VBZ", "VBP") and lemma in words("stative-present")) or (
            lemma in words("stative-participle") and _participle_state(tok)):
        return True  # "Russia occupies a fifth", "militias allied with the army": states
    if _generic_plural(tok) or _habitual(tok) or _listed_kind(tok) or _generic_passive(tok):
        return True
    return tok.tag_ == "VBG" and tok.dep_ in ("csubj", "nsubj", "nsubjpass") and any(
        c.dep_ == "dobj" for c in tok.children)


def _participle_state(tok) -> bool:
    """A reduced relative or a passive with "be" ("militias allied with the army", "states that
    are aligned with Moscow"): the participle describes a state."""
    return tok.dep_ == "acl" or any(c.dep_ == "auxpass" for c in tok.children)


def _gun_not_fired(tok) -> bool:
    """A gun noun that is neither the subject nor the means of an action ("a war of artillery")."""
    return not (tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "pobj" and tok.head.lower_ in ("by", "with"))
                or (tok.dep_ == "compound" and tok.head.lemma_.lower() in words("gun-event")))


def _type_misuse(tok, type_: str, lemma: str) -> bool:
    """Uses that name no event of this type: a non-verbal deployment word ("police station"), a
    gun noun not fired, an advance or capture verb with an abstract object ("advancing efforts",
    "seizing power"), advance nouns ("its eastern edge"), and war or fight words with no anchor."""
    if type_ == "Deployment":
        return tok.pos_ != "VERB" and lemma not in words("deployment-noun")
    if type_ == "Shelling":
        return lemma in words("guns") and _gun_not_fired(tok)
    if type_ in ("Advance", "Capture") and tok.pos_ == "VERB" and (
            any(c.dep_ == "dobj" and c.lemma_.lower() in words("not-territory") for c in tok.children)
            or (type_ == "Advance" and _abstract_object(tok))):
        return True
    if type_ == "Advance":
        return lemma in words("verb-only-advance") and tok.pos_ != "VERB"
    if type_ == "Attack" and lemma in words("generic-war"):
        return not _war_breaks_out(tok)
    return type_ == "Attack" and lemma in words("generic-attack") and not _anchored_fight(tok)


def not_eventive(tok, type_: str) -> bool:
    """Uses of a trigger word that name no event: a modifier or a name, a generic use, or a use
    that names no event of the type (docs/events.md "What is not an event")."""
    lemma = tok.lemma_.lower()
    return _modifier_use(tok, type_, lemma) or _generic_use(tok, lemma) or _type_misuse(tok, type_, lemma)


def _first_to(verb) -> bool:
    """"the first city to fall": an infinitive after an ordinal reports what happened."""
    if verb.dep_ not in ("relcl", "acl"):
        return False
    ords = words("ordinal")
    return any(c.lower_ in ords or c.ent_type_ == "ORDINAL" for c in verb.head.subtree if c.i < verb.i)


def _planned(tok) -> bool:
    """A trigger completing a noun of planning or demand ("timelines for seizing the town"), the
    topic of talks ("talks on a ceasefire"), or an alternative not taken ("rather than attacking")."""
    head = tok.head
    if tok.dep_ in ("pcomp", "pobj") and head.lower_ == "for" and head.head.lemma_.lower() in words("plan-noun"):
        return True
    if tok.dep_ == "pobj" and head.lower_ in words("topic-prep") and head.head.lemma_.lower() in words("talks-topic") \
            and head.head.i != tok.i:
        return True  # "talks on a ceasefire": the topic under discussion
    return head.lower_ in ("than", "of") and head.i > 0 and tok.doc[head.i - 1].lower_ in words("contrast")


def _yet_to_happen(tok) -> bool:
    """A trigger noun described as planned or upcoming ("the planned meeting"), a happening
    qualified by a condition ("an intervention, if it happens") or predicated as possible ("strikes
    are possible")."""
    if tok.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ in ("amod", "compound") and c.lower_ in words("planned")
            and not any(a.lower_ in words("already") for a in c.children) for c in tok.children):
        return True
    cond = words("condition")
    if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in cond for m in c.children) for c in tok.children):
        return True
    head = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() == "be" and any(
        c.dep_ in ("acomp", "attr") and c.lemma_.lower() in words("irrealis") for c in head.children)


def _negated(tok) -> bool:
    """Negated: a "not" on the trigger, on the verb whose argument the trigger noun is ("did not
    launch an attack"), or a negative determiner ("no casualties", "no reports of casualties")."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "nsubjpass", "attr") and any(
            c.dep_ == "neg" for c in tok.head.children):
        return True
    if _negated_predicate_of(tok):
        return True
    neg_det = words("negative-det")
    t = tok
    for depth in range(3):
        if t.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in neg_det for c in t.children):
            return True
        if t.head.i == t.i or depth == 2:
            break
        t = t.head
    return False


def _negated_predicate_of(tok) -> bool:
    """A trigger noun complementing a negated adjective or noun predicate ("was not aware of any
    conversation", "saw no sign of an attack" is the negative determiner above): the predicate's
    negation reaches its "of" complement (FactBank: a negated source-introducing predicate makes
    what it introduces counterfactual or uncertain)."""
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ != "pobj" or tok.head.lower_ != "of":
        return False
    pred = tok.head.head
    if pred.pos_ not in ("ADJ", "NOUN") or pred.dep_ not in ("acomp", "attr", "dobj"):
        return False
    return any(c.dep_ == "neg" for c in pred.children) or any(c.dep_ == "neg" for c in pred.head.children)


def _modal_or_wished(tok, *, modal_ok: bool, licensed: frozenset[str] = frozenset()) -> bool:
    """Under a modal ("would", "could"), a conditional ("if"), an infinitive not governed by a
    factive verb ("to retake"), or governed by a verb or noun of wishing, planning or demanding.
    A modal reaches no further than its own clause ("I can confirm that troops were sent": the
    sending is asserted); a wish or plan reaches its complements, not its subject nor a
    participle adjunct ("pressed into the region, capturing towns": the capture happened), nor a
    finite verb coordinated with it ("cancelled the visit and is pulling its staff"). ``licensed``:
    verbs the trigger's row names as what makes it an event ("lifted sanctions")."""
    modal, factive, cond = words("modal"), words("factive"), words("condition")
    circumstance = words("circumstance-prep")
    t = tok
    outside = False  # above a ccomp: the governing clause's modal does not reach the trigger
    edge = ""  # how the clause below depends on t
    for depth in range(4):
        for c in t.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in modal and not modal_ok and not outside:
                return True
            if c.dep_ == "mark" and c.lower_ in cond and not outside:
                return True
            if (c.dep_ == "aux" and c.lower_ == "to" and t.pos_ in ("VERB", "AUX") and not outside
                    and not _factive_head(t, factive) and not _first_to(t) and not modal_ok
                    and not _perfect(t)):
                return True
        if _demand_for(t):
            return True  # "called for the imposition of sanctions", "pushed for talks"
        if depth > 0 and not modal_ok and _wish_reaches(t, edge, licensed if depth == 1 else frozenset()):
            return True  # "wants a ceasefire", "approved a plan to attack"; not "approved a loan"
        if t.head.i == t.i or _own_scope(t, circumstance):
            break
        edge = _edge(t)
        outside = outside or t.dep_ == "ccomp"
        t = t.head
    return False


def _finite_verb(v) -> bool:
    """An indicative verb: past or present tense, or with a finite auxiliary that is no modal."""
    if v.pos_ not in ("VERB", "AUX"):
        return False
    return v.tag_ in ("VBD", "VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP") for c in v.children)


def _perfect(verb) -> bool:
    """A perfect infinitive ("is estimated to have been killed", "is said to have used"): it
    reports an earlier happening, not a purpose or a wish (Quirk et al. 1985, 4.42)."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ == "have" for c in verb.children)


def _edge(t) -> str:
    """How the clause or phrase of ``t`` depends on its head, as the modality scope reads it: an
    infinitive adverbial is a complement; a finite conjunct or complement clause is marked."""
    if t.dep_ == "advcl" and any(c.lower_ == "to" for c in t.children):
        return "xcomp"
    if t.dep_ in ("conj", "ccomp") and _finite_verb(t):
        return f"{t.dep_}-finite"
    return t.dep_


def _wish_reaches(t, edge: str, licensed: frozenset[str]) -> bool:
    """The word ``t`` of wishing, planning or demanding governs the trigger through ``edge``: not
    through a subject or an adjunct clause, not a decision or a licensed verb's object ("approved
    a loan", "lifted sanctions"), and a verb of telling only through an infinitive ("told them to
    leave"; "told reporters that 18 were killed" reports what happened)."""
    lemma = t.lemma_.lower()
    if lemma not in words("irrealis") or edge in _OUT_OF_SCOPE:
        return False
    if edge in ("dobj", "nsubjpass") and (lemma in words("decision-verb") or lemma in licensed):
        return False
    return lemma not in words("report-irrealis") or edge in ("xcomp", "ccomp")


def _factive_head(verb, factive: frozenset[str]) -> bool:
    """The infinitive's governor reports it as real ("began to attack", "went on to win"); "be
    going to" is the periphrastic future, not a factive "go" (Quirk et al. 1985, 4.45)."""
    head = verb.head
    if head.lemma_.lower() == "go" and head.tag_ == "VBG" and any(c.dep_ == "aux" for c in head.children):
        return False
    return head.lemma_.lower() in factive


def _demand_for(t) -> bool:
    """The "for" of a verb of demanding ("called for", "pushed for", "appealed for")."""
    return t.dep_ == "prep" and t.lower_ == "for" and t.head.lemma_.lower() in words("demand-for")


# dependencies through which a governing wish or plan does not reach the trigger
_OUT_OF_SCOPE = frozenset({"nsubj", "nsubjpass", "csubj", "advcl", "parataxis", "conj-finite"})


def _own_scope(t, circumstance: frozenset[str]) -> bool:
    """Where the scope of a governing modality ends: at an adjunct of circumstance ("…, with fierce
    battles in the east") and at a finite verb coordinated under an infinitive ("to capture Kyiv
    and withdrew": a parse that cannot be, the finite verb is a clause of its own)."""
    if t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.lower_ in circumstance:
        return True
    return t.dep_ == "conj" and t.tag_ in ("VBD", "VBZ", "VBP") and t.head.tag_ == "VB"


def hypothetical(tok, rule: EventRule | None = None) -> bool:
    """Negated, modal or future, conditional, infinitive-purpose, wished-for or planned triggers
    are not events that happened. A Threat or Ultimatum is the announcement itself: modals and
    wishes do not undo it (a row requiring @future even needs them)."""
    announce = rule is not None and (rule.type in ("Threat", "Ultimatum") or "@future" in rule.specials)
    if _planned(tok) or _negated(tok) or _yet_to_happen(tok):
        return True
    if rule is not None and typology()[rule.type].family in ("armed", "coup") and _attempted(tok):
        return False  # "an attempt to poison him": an attempted attack is an attack
    if _dated_noun(tok):
        return False  # "could join the 2020 accords": the accords of 2020 are not undone by "could"
    if rule is not None and _names_with_head(tok, rule.type):
        tok = tok.head  # "issued evacuation orders": the orders are the event; what governs them counts
    return _modal_or_wished(tok, modal_ok=announce, licensed=_licensing(rule))


def _names_with_head(tok, type_: str) -> bool:
    """A trigger modifying a head noun with which it names its event ("evacuation orders", "a coup
    attempt"; event-typology.tsv compound = head): that head is no noun governing a planned
    happening, and its own governor decides whether the event is real."""
    return tok.dep_ == "compound" and typology()[type_].compound == "head" \
        and tok.head.lemma_.lower() in words("compound-head")


def _licensing(rule: EventRule | None) -> frozenset[str]:
    """The words a row requires near its trigger ("impose", "lift" for sanctions)."""
    if rule is None or rule.requires is None:
        return frozenset()
    return frozenset().union(*[t.words for alt in rule.requires for t in alt])


def _dated_noun(tok) -> bool:
    """A trigger noun dated by a number of its own ("the 2020 accords", "a deal signed in 2022",
    "the Dec. 3 declaration"): one happening the text identifies, which a modal or a wish above
    it does not undo (a date after publication still makes it a plan: see the mention step)."""
    return tok.pos_ in ("NOUN", "PROPN") and any(
        c.ent_type_ == "DATE" and c.text.isdigit() and not (c.i + 1 < len(c.doc) and c.doc[c.i + 1].text == "-")
        for c in tok.subtree if c.i != tok.i)  # not a duration ("the 18-month siege")


def _attempted(tok) -> bool:
    """An infinitive governed by a noun or verb of attempting ("attempt to poison", "tried to kill"),
    or a noun modifying a noun of attempt ("two assassination attempts")."""
    if tok.dep_ == "compound" and tok.head.lemma_.lower() in words("attempt-noun"):
        return True
    return tok.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
        and tok.head.lemma_.lower() in words("attempt")


def _attempt_compound(tok, type_: str) -> bool:
    """An armed or coup trigger modifying a noun of attempt ("an assassination attempt", "a coup
    bid"): ACLED codes attempted attacks as attacks (CAMEO 185), docs/events.md attempted coups
    as coups."""
    return tok.dep_ == "compound" and tok.head.lemma_.lower() in words("attempt-noun") \
        and typology()[type_].family in ("armed", "coup")


# --------------------------------------------------------------------------- one type per clause

def _own_time(tok) -> bool:
    """A trigger noun with a time of its own ("a 1994 ceasefire") names an event of its own."""
    return tok.pos_ in ("NOUN", "PROPN") and any(c.ent_type_ == "DATE" for c in tok.subtree if c.i != tok.i)


def _linked(a, b) -> bool:
    return clause_of(a).i == clause_of(b).i or a in b.subtree or b in a.subtree


def _belongs(cas, t) -> bool:
    """A casualty word belongs to a violent trigger: "a drone attack …, killing 24", "bombings that
    killed 150", "killed in battle"."""
    casualty = words("casualty")
    return _linked(cas, t) or t in cas.ancestors or clause_of(t) in cas.ancestors or any(
        a.lemma_.lower() in casualty and t in a.ancestors for a in cas.ancestors)


def select(cands: list[tuple]) -> list[tuple]:
    """One event per type and clause (the first trigger of the clause); a second trigger of a type
    in another clause of the sentence is another mention (merging joins repeats). A casualty report
    belonging to a violent trigger is part of it; a type gives way to the types it yields to in
    event-typology.tsv when both are in one clause ("a drone attack" over "attack")."""
    seen: dict[tuple, tuple] = {}
    for r, tok in cands:
        seen.setdefault((r.type, clause_of(tok).i), (r, tok))
    out = list(seen.values())
    types = typology()
    keep = []
    for r, tok in out:
        if r.type == "CasualtyReport" and any(types[x.type].family == "armed" and _belongs(tok, t) for x, t in out):
            continue
        yields = types[r.type].yields
        if yields and not _own_time(tok) and any(x.type in yields and (clause_of(tok).i == clause_of(t).i or tok in t.subtree)
                                                 for x, t in out if t.i != tok.i):
            continue
        keep.append((r, tok))
    return sorted(keep, key=lambda x: x[1].i)


# --------------------------------------------------------------------------- the step

def _segments(ctx: ExtractionContext, sent) -> list[tuple[int, int]]:
    """The parts of a spaCy sentence between line breaks that are not page furniture."""
    body = ctx.body
    out = []
    pos = sent.start_char
    for piece in body[sent.start_char:sent.end_char].split("\n"):
        a, b = pos, pos + len(piece)
        pos += len(piece) + 1
        while a < b and body[a].isspace():
            a += 1
        while b > a and body[b - 1].isspace():
            b -= 1
        if b > a and not ctx.article.is_furniture(a, b):
            out.append((a, b))
    return out


def candidates(env: Sentence) -> list[tuple]:
    """``(rule, token)`` for every trigger of the segment that names a happening."""
    out = []
    for tok in env.ctx.tokens_starting_in(env.start, env.end):
        if tok.pos_ not in _CONTENT_POS:
            continue
        for r in rules_for(tok, env):
            if not_eventive(tok, r.type) or hypothetical(tok, r):
                continue
            out.append((r, tok))
    return out


def _sentence_mentions(ctx: ExtractionContext, sent, art: event_roles.ArticleTime, known: set[str]) -> list:
    force_words = words("force")
    out = []
    for s0, s1 in _segments(ctx, sent):
        env = Sentence(ctx, sent, s0, s1, event_roles.places_in(ctx, s0, s1),
                       any(t.lemma_.lower() in force_words for t in ctx.tokens[sent.start:sent.end]),
                       frozenset(known))
        found = select(candidates(env))
        if not found:
            art.see(ctx, s0, s1)
            continue
        seg = event_roles.Segment.of(ctx, env, art, [t for _r, t in found])
        for r, tok in found:
            m = event_roles.mention(seg, r, tok)
            if m is not None:
                out.append(m)
                known.add(m.type)
        art.see(ctx, s0, s1)
    return out


def extract_events(ctx: ExtractionContext) -> None:
    """Append the events of the article to ``ctx.events`` (ids V1, V2 … in order of first mention)."""
    art = event_roles.ArticleTime.of(ctx)
    mentions: list = []
    known: set[str] = set()
    for sent in ctx.sents:
        found: list = []
        with ctx.isolate("events", sent.start_char, sent.end_char):
            found = _sentence_mentions(ctx, sent, art, set(known))
        mentions.extend(found)
        known.update(m.type for m in found)
    for n, ev in enumerate(event_merge.build_events(ctx, mentions), 1):
        ev.id = f"V{n}"
        ctx.events.append(ev)
