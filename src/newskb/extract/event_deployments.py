"""Deployments: the force sent, its country, size, destination and who confirmed it (docs/events.md).

A deployment is keyed ``deployment/<force country>/<destination country>/<month>``: "deployed to the
Kursk region", "sent to Russia" and "a deployment of North Korean troops in Russia" are one event,
whose place is the most specific destination named. A deployment sentence naming no destination
joins the article's deployment of the same force; troops at home are not deployed there.
"""

from __future__ import annotations

from .claims import entity_country, statement_at
from .context import ExtractionContext
from .event_rules import words

_RANK = {"Settlement": 0, "Area": 1, "Region": 2, "Country": 3}


def country_of_place(ctx: ExtractionContext, place) -> str | None:
    seen = 0
    while place is not None and seen < 6:
        seen += 1
        if place.type == "Country":
            return (place.iso_code or place.key.split("/")[-1])[:2].upper()
        if place.key.startswith("region/"):
            return place.key.split("/")[1][:2].upper()
        place = ctx.places.by_id.get(place.within) if place.within else None
    return None


def _deployed_np(tok):
    """The noun phrase naming what is deployed: the passive subject ("soldiers were transported"),
    the object of an active trigger ("sent troops"), else the active subject."""
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    for dep in ("nsubjpass", "dobj", "nsubj"):
        sub = next((c for c in tok.children if c.dep_ == dep), None)
        if sub is not None:
            return sub
    return None


def _country_of_text(text: str) -> str | None:
    from .gazetteer import country_code, metonym_country

    text = text.replace("’s", "").replace("'s", "").strip()
    try:
        return (country_code(text) or metonym_country(text)) if text else None
    except Exception:  # a lookup must never break extraction
        return None


def _force(ctx: ExtractionContext, tok, ents, earlier) -> object:
    forces = [e for _a, _b, e in ents if e.type == "MilitaryForce"]
    np = _deployed_np(tok)
    if np is not None:
        lo, hi = np.left_edge.idx, np.right_edge.idx + len(np.right_edge)
        inside = [e for a, b, e in ents if e.type == "MilitaryForce" and lo <= a and b <= hi]
        if inside:
            return inside[0]
        if earlier and any(t.lower_ in ("those", "these", "the", "they", "them") for t in np.subtree) and any(
                t.lemma_.lower() in words("force") for t in np.subtree) and earlier[-1].force is not None:
            return earlier[-1].force  # "a contingent of those soldiers has been transported …"
    if forces:
        return min(((abs(a - tok.idx), e) for a, b, e in ents if e.type == "MilitaryForce"), key=lambda x: x[0])[1]
    return None


def _armed_forces(ctx: ExtractionContext, country: str):
    """The country's armed forces, as the actors step names them ("sending troops": a deployment
    needs its force)."""
    from .actors import _register, country_label

    return _register(ctx, key=f"force/{country}/armed-forces", type="MilitaryForce",
                     name=f"{country_label(country)} armed forces", rule="events:deployment-force",
                     confidence=0.6, country=country)


def fill(ctx: ExtractionContext, m, tok, ents, places, earlier) -> None:
    """Force, country, destination, size and confirmers of the deployment mention ``m``."""
    force = _force(ctx, tok, ents, earlier)
    country = entity_country(force) if force is not None else None
    if country is None:
        # "North Korea's troop deployment": the possessor or nationality of the trigger
        for c in tok.subtree:
            if c.dep_ in ("poss", "amod", "compound") and c.i < tok.i:
                country = _country_of_text(c.doc[c.left_edge.i: c.i + 1].text)
                if country:
                    break
        if country is None:  # "North Korea sent troops": the sending state's forces
            country = next((entity_country(e) for e in m.agents if e.type == "Government" and entity_country(e)), None)
        if country:
            force = next((e for e in ctx.entities.items if e.type == "MilitaryForce" and entity_country(e) == country),
                         None) or _armed_forces(ctx, country)
    m.force, m.country = force, country
    dest = [(a, p) for a, b, p in places if a > tok.idx and country_of_place(ctx, p) != country
            and not any(x <= a and b <= y and (x, y) != (a, b) for x, y in ctx.entity_mentions)]
    m.place = min(dest, key=lambda x: (_RANK.get(x[1].type, 9), x[0]))[1] if dest else None
    sent = tok.sent
    for c in ctx.claims:  # a troops claim of the sentence (of the force's country when it says one)
        if sent.start_char <= c.span.start < sent.end_char and c.unit == "count" and c.measure == "troops":
            if country is None or f"of-{country}" in c.kind.split("/"):
                m.size = int(c.value)
                break
    if m.size is None and force is not None and force.size:
        m.size = force.size
    m.confirmed_by = list(dict.fromkeys(_confirmers(ctx, sent, ents)))
    if force is not None and force not in m.agents:
        m.agents.insert(0, force)


def _confirmers(ctx: ExtractionContext, sent, ents) -> list[str]:
    """Actors that are the subject of "confirm" in the sentence, or the speaker of "I can confirm"."""
    out: list[str] = []
    for t in sent:
        if t.lemma_.lower() != "confirm":
            continue
        st = statement_at(ctx, t.idx, t.idx + len(t.text))
        if st is not None and st.speaker and st.direct:
            out.append(st.speaker)
            continue
        sub = next((c for c in t.children if c.dep_ == "nsubj"), None)
        if sub is not None:
            lo, hi = sub.left_edge.idx, sub.right_edge.idx + len(sub.right_edge)
            found = next((eid for (a, b), eid in ctx.entity_mentions.items() if lo <= a and b <= hi), None)
            if found is not None:
                out.append(found)
            elif st is not None and st.speaker and sub.lower_ in ("i", "we", "he", "she", "they"):
                out.append(st.speaker)
        elif st is not None and st.speaker:
            out.append(st.speaker)
    return out


def key_deployments(ctx: ExtractionContext, mentions: list, month_of) -> list[tuple[str, list]]:
    """Group deployment mentions by ``deployment/<force country>/<destination country>/<month>``;
    a mention without a destination joins the article's deployment of its force, and is dropped
    when there is none (a deployment needs its force and where it was sent), as are mentions whose
    force has no country. ``month_of(m)`` is the key month of a mention."""
    groups: dict[str, list] = {}
    pending = []
    for m in mentions:
        if m.country is None:
            continue
        dest = country_of_place(ctx, m.place) if m.place is not None else None
        if dest == m.country:
            dest, m.place = None, None  # troops at home are not deployed there
        if dest is None:
            m.confidence = 0.5
            pending.append(m)
            continue
        key = f"deployment/{m.country}/{dest}/{month_of(m)}"
        same = next((k for k in groups if k.startswith(f"deployment/{m.country}/{dest}/")), None)
        groups.setdefault(same or key, []).append(m)
    for m in pending:  # no destination named: the force's deployment told elsewhere, or none
        same = next((k for k in groups if k.startswith(f"deployment/{m.country}/")), None)
        if same is not None:
            groups[same].append(m)
    return list(groups.items())
