"""Event labels that say what happened: "Russian drone attack on Kyiv, 2024-07-31",
"Ukraine and Russia exchange prisoners, 2026-02-05".

The templates are the ``label`` column of ``event-typology.tsv``: alternatives separated by
``" || "``, the first whose placeholders outside ``[brackets]`` are all known is used, and a
``[part]`` is dropped when one of its placeholders is unknown. The date (with its end for an
interval) is appended.
"""

from __future__ import annotations

import re

from .claims import entity_country
from .event_rules import typology

_SLOT = re.compile(r"\{(\w+)\}")
_PART = re.compile(r"\[([^\[\]]*)\]")


def actor_name(ent) -> str:
    """How a label names an actor: a state by its country's name, others by their name."""
    code = entity_country(ent)
    if ent.type == "Government" and code:
        from .actors import country_label

        return country_label(code)
    return ent.name


def adjective(ent=None, country: str | None = None) -> str | None:
    """The national adjective of a state or armed force ("Russian"), else the actor's name."""
    code = country or (entity_country(ent) if ent is not None and ent.type in ("Government", "MilitaryForce") else None)
    if code:
        from .actors import demonym_for

        adj = demonym_for(code)
        if adj:
            return adj
    return actor_name(ent) if ent is not None else None


def _join(names: list[str]) -> str | None:
    names = list(dict.fromkeys(n for n in names if n))
    if not names:
        return None
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def fill(template: str, slots: dict[str, str | None]) -> str | None:
    """One alternative of a template, or None when a placeholder outside brackets is unknown."""
    def part(m: re.Match) -> str:
        names = _SLOT.findall(m.group(1))
        return _SLOT.sub(lambda s: slots[s.group(1)] or "", m.group(1)) if all(slots.get(n) for n in names) else ""

    text = _PART.sub(part, template)
    if not all(slots.get(n) for n in _SLOT.findall(text)):
        return None
    return re.sub(r"\s+", " ", _SLOT.sub(lambda s: slots[s.group(1)] or "", text)).strip()


def _date_text(date) -> str | None:
    if date is None or not date.value:
        return None
    return f"{date.value}/{date.end}" if date.end and date.end != date.value else date.value


def label(type_: str, *, agents: list, affected: list, agent_country: str | None, place, date,
          place_hit: bool = False, others: tuple = ()) -> str:
    """The label of an event of ``type_`` with these roles (``place`` a facts Place or None;
    ``place_hit``: the place is what was hit or taken, the target, not only where it happened)."""
    place_name = place.name if place is not None else None
    target = actor_name(affected[0]) if affected else (place_name if place_hit else None)
    state = agents[0] if agents and agents[0].type in ("Government", "MilitaryForce") and entity_country(agents[0]) else None
    slots = {
        # a state or force by its national adjective ("Russian drone attack"); anyone else after "by"
        "agent_adj": adjective(state) if state is not None else (None if agents else adjective(None, agent_country)),
        "agent_by": actor_name(agents[0]) if agents and state is None else None,
        "agents": _join([actor_name(e) for e in agents]),
        "target": target,
        "parties": _join([actor_name(e) for e in agents + affected]) if len(agents + affected) > 1 else None,
        "party": actor_name((agents + affected)[0]) if len(agents + affected) == 1 else None,
        "place": place_name if place_name and place_name != target else None,
    }
    text = None
    for alt in typology()[type_].label.split(" || "):
        text = fill(alt, slots)
        if text:
            break
    text = text or type_
    everyone = list({e.id: e for e in [*agents, *affected, *others]}.values())
    if not any(v and v in text for v in slots.values()) and (everyone or place_name):
        # the template named nobody and nowhere: say where, or who took part
        text += f" in {place_name}" if place_name else f" involving {_join([actor_name(e) for e in everyone])}"
    text = text[0].upper() + text[1:]
    when = _date_text(date)
    return f"{text}, {when}" if when else text
