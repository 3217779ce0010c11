"""One event per real event: mentions of one happening merged, keyed and labelled (docs/events.md).

Mentions are taken in text order; a mention joins an earlier event when both are of one family
(a general mention, "the attack", joins a specific event, which keeps its type), nothing in them
disagrees (dates the text gives overlap, places contain one another, actors meet) and something
says they are one: the mention refers back ("the attack", "the talks": the latest salient event
of its type or family), shares the sentence or (definite) follows right after, shares a text
date and a place, an actor or a target, or (one type) a place or actors.

A mention marked as another event ("another wave", "separate attacks", "elsewhere") starts a new
one. The event takes the most specific type and place of its mentions and their best date (the
text's own time over references back over tense over context); every mention is its evidence.
Events with the same key (``<type>/<place>/<date>/<actor>``) are one; an event with neither place
nor actor gets a key of its article, as nothing else could identify it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..facts import DateValue, Event
from .claims import entity_country, place_slug, slug
from .context import ExtractionContext
from .event_deployments import key_deployments
from .event_labels import label
from .event_roles import ANAPHOR, PLACE_BOUND, SENTENCE, Mention, place_within
from .event_rules import typology, words

_RANK = {"Settlement": 0, "Area": 1, "Region": 2, "Country": 3}
_AERIAL = ("DroneStrike", "Airstrike", "MissileStrike")
_PRECISION = {"day": 0, "week": 1, "interval": 2, "month": 2, "year": 3, "unknown": 4}


def event_key(type_: str, place: str | None, date: str, actor: str | None) -> str:
    """``<type>/<place>/<date>/<actor>``, every part slugged ('-' for a missing part)."""
    return "/".join([slug(type_), place or "-", date, actor or "-"])


def key_date(date: DateValue | None, keydate: str, published) -> str:
    if date is not None and date.value:
        if keydate == "day" and date.precision == "day":
            return date.value
        return date.value[:7]
    return published.strftime("%Y-%m") if published else "undated"


# --------------------------------------------------------------------------- clusters

@dataclass
class Cluster:
    mentions: list[Mention] = field(default_factory=list)

    @property
    def type(self) -> str:
        """The most specific type of the mentions (a general type yields to it)."""
        types = [m.type for m in self.mentions if not m.general_aerial] or [m.type for m in self.mentions]
        specific = [t for t in types if not any(o in typology()[t].yields for o in types if o != t)]
        return specific[0] if specific else types[0]

    @property
    def family(self) -> str:
        return typology()[self.mentions[0].type].family

    def ids(self, role: str) -> set[str]:
        return {e.id for m in self.mentions for e in getattr(m, role)}

    def countries(self) -> set[str]:
        out = {m.agent_country for m in self.mentions if m.agent_country}
        return out | {c for m in self.mentions for e in m.agents if (c := entity_country(e))}

    def strong_dates(self) -> list[DateValue]:
        return [m.date for m in self.mentions if m.date is not None and m.date_rank <= ANAPHOR]

    def places(self) -> list:
        return [m.place for m in self.mentions if m.place is not None and m.place_level <= 1]


def _overlap(a: DateValue, b: DateValue) -> bool:
    """Two dates that can be one time: one holds the other (2024-07-31 within 2024-07), or the
    intervals meet."""
    av, bv = a.value or "", b.value or ""
    if a.end or b.end:
        a0, a1 = av, a.end or av
        b0, b1 = bv, b.end or bv
        return a0[:len(b1)] <= b1 and b0[:len(a1)] <= a1
    return av.startswith(bv) or bv.startswith(av)


def _general_ok(m: Mention, specific: str | None = None) -> bool:
    """A mention of a family's general type that may name a specific event of it: any talks or
    meeting word; among attacks general attack words ("the attack", "the strikes") and shooting
    down the strike's weapons, and for an ambush its fighting ("the battle"); "the operation"
    joins only attacks."""
    if m.type != "Attack":
        return True
    if m.lemma in words("attack-anaphor"):
        return True
    if m.lemma in words("interception"):
        return specific in ("DroneStrike", "MissileStrike", "Airstrike")
    return specific == "Ambush" and m.lemma in words("battle-anaphor")


def _aerial_join(c: Cluster, m: Mention) -> bool:
    """"the air attack" (typed only by "air") may name the drone or missile strike reported."""
    if m.type == "Airstrike" and m.general_aerial:
        return c.type in ("DroneStrike", "MissileStrike")
    return c.type == "Airstrike" and m.type in ("DroneStrike", "MissileStrike") and all(
        x.general_aerial or (x.type == "Attack" and _general_ok(x, m.type)) for x in c.mentions)


def _types_join(c: Cluster, m: Mention) -> bool:
    """One family, and one type, or the family's general type (which yields to the specific one
    in event-typology.tsv: Attack to DroneStrike, Meeting to PeaceTalks) with a specific one."""
    if typology()[m.type].family != c.family:
        return False
    if m.type == c.type:
        return True
    if c.type in typology()[m.type].yields:
        return _general_ok(m, c.type)
    if m.type in typology()[c.type].yields:
        return all(x.type == m.type or _general_ok(x, m.type) for x in c.mentions)
    return _aerial_join(c, m)


def compatible(ctx: ExtractionContext, c: Cluster, m: Mention) -> bool:
    """Nothing in the mention disagrees with the event: type family, text dates, places, actors."""
    if not _types_join(c, m) or m.new_marker:
        return False
    if m.date is not None and m.date_rank <= ANAPHOR and any(not _overlap(d, m.date) for d in c.strong_dates()):
        return False
    if (m.own_time_unknown and c.strong_dates()) or (any(x.own_time_unknown for x in c.mentions)
                                                    and m.date is not None and m.date_rank <= ANAPHOR):
        return False  # "the attack on New Year's Eve" is not the attack dated Wednesday
    if m.place is not None and m.place_level <= 1 and any(
            not (place_within(ctx, m.place, p) or place_within(ctx, p, m.place)) for p in c.places()):
        return False
    mine = {e.id for e in m.agents}
    if mine and c.ids("agents") and not (mine & c.ids("agents")):
        mc = {m.agent_country} | {entity_country(e) for e in m.agents}
        if not (mc - {None}) & c.countries():
            return False
    return True


def _same_text_date(c: Cluster, m: Mention) -> bool:
    if m.date is None or m.date_rank > SENTENCE:
        return False
    return any(d.value == m.date.value for d in c.strong_dates())


def _shares(c: Cluster, m: Mention) -> bool:
    ids = {e.id for e in m.agents + m.affected}
    if ids & (c.ids("agents") | c.ids("affected")):
        return True
    return m.place is not None and m.place_level <= 1 and any(p.id == m.place.id for p in c.places())


def _bare_definite(c: Cluster, m: Mention) -> bool:
    """"The detention of the sailors", "the election": a definite mention of the event's own type
    that names no time and no place of its own presents the event as known, whatever lies between
    (Prince 1981, discourse-old entities; definite event anaphora as in ECB+)."""
    return m.definite and m.type == c.type and m.date_rank > SENTENCE and (m.place is None or m.place_level > 1)


def same_event(c: Cluster, m: Mention, sentence_of) -> bool:
    """Something says the mention reports the event: it refers back, shares the sentence, is a
    definite mention of the sentence after the event's last one, shares a text date and a place or
    actor (or, for a specific type, the day), or (one type) a place or actors."""
    if m.anaphoric:
        return True
    here = sentence_of(m)
    if any(sentence_of(x) == here for x in c.mentions):
        return True
    gap = here - sentence_of(c.mentions[-1])
    if m.definite and (gap <= 1 or (gap <= 2 and m.type == c.type)) and (
            m.type == c.type or c.type in typology()[m.type].yields):
        return True  # "the attack" right after "a drone strike"; not a drone strike after "attacks"
    if _bare_definite(c, m):
        return True
    specific_or_general = (c.type == m.type and m.type != "Attack") or (
        c.type in typology()[m.type].yields and _general_ok(m, c.type))
    if _same_text_date(c, m) and (_shares(c, m) or m.definite or (
            specific_or_general and m.date.precision == "day")):
        return True  # "Tuesday's strike" after "a drone strike on Tuesday"
    one_type = c.type == m.type
    if one_type and typology()[m.type].family in words("one-per-story"):
        return True  # "the election", "the vote", "the polls": the article's election
    place_bound = m.place is not None and m.place_level <= 1 and m.place.type != "Country" and any(
        p.id == m.place.id for p in c.places())
    if not one_type:
        return False
    agents = bool({e.id for e in m.agents} & c.ids("agents"))
    affected = bool({e.id for e in m.affected} & c.ids("affected"))
    if c.family != "armed":
        return place_bound or agents or affected  # the same actors' deal, talks, sanctions
    # one actor's attacks of one type: the same campaign when the mention names no place or time
    vague = (m.place is None or m.place_level > 1) and (m.date is None or m.date_rank > ANAPHOR)
    return place_bound or (agents and affected) or (agents and vague)


def cluster(ctx: ExtractionContext, mentions: list[Mention]) -> list[Cluster]:
    sents = ctx.sents
    starts = [s.start_char for s in sents]

    def sentence_of(m: Mention) -> int:
        from bisect import bisect_right
        return bisect_right(starts, m.start) - 1

    out: list[Cluster] = []
    for m in mentions:
        if m.anaphoric:
            target = _antecedent(ctx, out, m, sentence_of)
        else:
            target = next((c for c in sorted(out, key=lambda c: c.mentions[-1].start, reverse=True)
                           if compatible(ctx, c, m) and same_event(c, m, sentence_of)), None)
        if target is None:
            out.append(Cluster([m]))
        else:
            target.mentions.append(m)
    return out


def _antecedent(ctx: ExtractionContext, clusters: list[Cluster], m: Mention, sentence_of):
    """The event a definite mention refers back to ("the strike", "the talks"): among the events of
    its family, the latest one mentioned in a main clause within the last three sentences, else
    the latest one; none when that one disagrees with it."""
    cands = sorted((c for c in clusters if _types_join(c, m)), key=lambda c: c.mentions[-1].start, reverse=True)
    same = [c for c in cands if c.type == m.type]
    if same and m.type != "Attack":
        cands = same  # "the drone barrage" means the drone strike, not the attacks told since
    if not cands:
        return None
    here = sentence_of(m)
    salient = [c for c in cands if any(not x.subordinate and here - sentence_of(x) <= 3 for x in c.mentions)]
    best = salient[0] if salient else cands[0]
    return best if compatible(ctx, best, m) else None


def retype_generic_strikes(ctx: ExtractionContext, clusters: list[Cluster]) -> None:
    """A bare "strike" or "raid" (typed Attack) in an article whose specific strikes are all of one
    aerial kind, or whose place has strikes of one aerial kind, is that kind of strike."""
    kinds = {c.type for c in clusters if c.type in _AERIAL}
    if not kinds:
        return
    generic = words("generic-strike")
    for c in clusters:
        if c.type != "Attack" or any(m.lemma not in generic for m in c.mentions):
            continue
        target = next(iter(kinds)) if len(kinds) == 1 else None
        place = _place(ctx, c)
        if target is None and place is not None:
            at = {x.type for x in clusters if x.type in _AERIAL and any(
                m.place is not None and m.place.id == place.id for m in x.mentions)}
            target = next(iter(at)) if len(at) == 1 else None
        if target:
            for m in c.mentions:
                m.type = target
                m.confidence = min(m.confidence, 0.5)
                m.retyped = True


# --------------------------------------------------------------------------- what the event carries

def _place(ctx, c: Cluster):
    """The most specific place named for the event: the best-placed mention's place, or a place
    inside it named by another mention."""
    return _place_and_role(ctx, c)[0]


def _place_and_role(ctx, c: Cluster) -> tuple[object, bool]:
    """The event's place and whether it is what was hit or taken (not only where it happened)."""
    own = sorted((m for m in c.mentions if m.place is not None), key=lambda m: (m.place_level, m.start))
    if not own:
        return None, False
    best, target = own[0].place, own[0].place_is_target
    level = own[0].place_level
    for m in own[1:]:
        p = m.place
        if m.place_level > max(level, 1):
            continue
        if _RANK.get(p.type, 9) < _RANK.get(best.type, 9) and (ctx is None or place_within(ctx, p, best)):
            best, target = p, target or m.place_is_target
    return best, target


def _date(c: Cluster) -> DateValue | None:
    dated = [m for m in c.mentions if m.date is not None]
    if not dated:
        return None
    # the text's own dates first, the finest of them ("on Wednesday" over "so far this year"),
    # then references back, tense and context
    m = min(dated, key=lambda m: (m.date_rank > SENTENCE, _PRECISION.get(m.date.precision, 5), m.date_rank, m.start))
    return m.date


def _fallback_date(ctx: ExtractionContext) -> DateValue | None:
    pub = ctx.article.date
    if pub is None:
        return None
    return DateValue(value=str(pub.year), precision="year",
                     note="the text gives no time for it: the year of the report")


def _actor_part(ent) -> str:
    c = entity_country(ent)
    return c if c and ent.type in ("MilitaryForce", "Government") else slug(ent.key.replace("/", "-"))


def _people(c: Cluster) -> tuple[list, list, list]:
    agents, affected, others = [], [], []
    for m in c.mentions:
        agents += [e for e in m.agents if e not in agents]
    for m in c.mentions:
        affected += [e for e in m.affected if e not in agents and e not in affected]
    for m in c.mentions:
        others += [e for e in m.others if e not in agents and e not in affected and e not in others]
    return agents, affected, others


def _event(ctx: ExtractionContext, c: Cluster, type_: str, key: str | None = None) -> Event | None:
    agents, affected, others = _people(c)
    place, place_hit = _place_and_role(ctx, c)
    participants = agents + affected or others
    if place is None and type_ != "Deployment" and (not participants or typology()[type_].family in PLACE_BOUND):
        # where the report is: a place of the sentence, else the paragraph's last one
        place = next((m.fallback_place for m in c.mentions if m.fallback_place is not None), None)
    if place is None and not participants:
        return None  # nothing says where or who: not an event the KB can identify
    date = _date(c) or _fallback_date(ctx)
    first = c.mentions[0]
    ty = typology()[type_]
    country = next((m.agent_country for m in c.mentions if m.agent_country), None)
    if key is None:
        actor = _actor_part(agents[0]) if agents else country
        place_part = place_slug(place) if place is not None else None
        key = event_key(type_, place_part, key_date(date, ty.keydate, ctx.article.date), actor)
        if place_part is None and actor is None:
            key += f"/{slug(ctx.article.meta.id)}-{first.span.start}"
    rule_m = next((m for m in c.mentions if m.type == type_ and not getattr(m, "retyped", False)), first)
    rule = f"events/event-types.tsv:{rule_m.rule.type}:{rule_m.lemma}"
    if getattr(first, "retyped", False):
        rule += f"+article-type:{type_}"
    spans = []
    for m in c.mentions:
        if all((s.start, s.end) != (m.span.start, m.span.end) for s in spans):
            spans.append(m.span)
    ev = Event(id="", key=key, type=type_, participants=[e.id for e in participants],
               actors=[e.id for e in agents], affected=[e.id for e in affected],
               place=place.id if place is not None else None, date=date, span=spans[0], mentions=spans[1:],
               confidence=min(1.0, round(min(m.confidence for m in c.mentions) + 0.1 * (len(spans) - 1), 2)),
               rule=rule)
    ev.label = label(type_, agents=agents, affected=affected or ([] if agents else others), agent_country=country,
                     place=place, date=date, place_hit=place_hit, others=tuple(others))
    return ev


def _deployment_events(ctx: ExtractionContext, mentions: list[Mention]) -> list[Event]:
    pub = ctx.article.date
    out = []
    for key, ms in key_deployments(ctx, mentions, lambda m: key_date(m.date, "month", pub)):
        c = Cluster(ms)
        ev = _event(ctx, c, "Deployment", key=key)
        if ev is None:
            continue
        force = next((m.force for m in ms if m.force is not None), None)
        ev.force = force.id if force is not None else None
        ev.country = ms[0].country
        ev.size = next((m.size for m in ms if m.size is not None), None)
        ev.confirmed_by = list(dict.fromkeys(x for m in ms for x in m.confirmed_by))
        out.append(ev)
    return out


def _join_same_keys(events: list[Event]) -> list[Event]:
    """Events with one key are one (their key is their IRI): mentions and roles joined."""
    by_key: dict[str, Event] = {}
    out = []
    for ev in events:
        old = by_key.get(ev.key)
        if old is None:
            by_key[ev.key] = ev
            out.append(ev)
            continue
        for s in [ev.span, *ev.mentions]:
            if all((s.start, s.end) != (x.start, x.end) for x in [old.span, *old.mentions]):
                old.mentions.append(s)
        for field_name in ("participants", "actors", "affected", "confirmed_by"):
            lst = getattr(old, field_name)
            lst += [x for x in getattr(ev, field_name) if x not in lst]
        old.confidence = min(1.0, round(old.confidence + 0.1, 2))
    return out


def build_events(ctx: ExtractionContext, mentions: list[Mention]) -> list[Event]:
    """The article's events, in order of first mention."""
    deployments = [m for m in mentions if m.type == "Deployment"]
    others = [m for m in mentions if m.type != "Deployment"]
    clusters = cluster(ctx, others)
    retype_generic_strikes(ctx, clusters)
    events = _deployment_events(ctx, deployments)
    for c in clusters:
        ev = _event(ctx, c, c.type)
        if ev is not None:
            events.append(ev)
    events.sort(key=lambda e: (e.span.start, e.span.end, e.type))
    return _join_same_keys(events)
