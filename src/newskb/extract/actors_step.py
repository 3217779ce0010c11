"""The actors step: every actor of the article registered in ``ctx.entities`` with its mentions.

The order of the parts matters: named persons, forces and governments first (``actors.py``), then
forces described by a country and a force noun (``forces.py``), organisations, roles and
affiliations read from the parse (``roles.py``), described groups, coalitions and prisoners, and
last the countries the text implies. Kept apart from ``actors.py`` because ``forces.py`` and
``roles.py`` build on its helpers (no import circle).
"""

from __future__ import annotations

from . import actors, forces, groups, roles
from .context import ExtractionContext


def extract_actors(ctx: ExtractionContext) -> None:
    """Register every actor of the article in ``ctx.entities`` with its mentions."""
    actors.named_actors(ctx)
    forces.extract_described_forces(ctx)
    actors.organisations(ctx)
    roles.assign_roles(ctx)
    actors.roles_and_groups(ctx)
    groups.acting_groups(ctx)
    groups.group_affiliations(ctx)
    actors.prune_lone_names(ctx)
    roles.fill_countries(ctx)
