"""The tables of titles, role words and force nouns (``data/roles.tsv``, ``role-words.tsv``,
``force-heads.tsv``), read once; shared by ``actors.py``, ``roles.py`` and ``forces.py``."""

from __future__ import annotations

from functools import lru_cache

from ..resources import read_table


@lru_cache(maxsize=1)
def role_states() -> dict[str, str]:
    """Title head lemma -> what a country before it makes the affiliation (``data/roles.tsv``)."""
    return {row["head"].lower(): row["state"] for row in read_table("roles.tsv")}


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    return {row["head"].lower(): row["full"] for row in read_table("roles.tsv") if row.get("full")}


@lru_cache(maxsize=1)
def role_words() -> frozenset[str]:
    """Words that qualify a title even when capitalised or inside a name (``data/role-words.tsv``)."""
    return frozenset(row["word"].lower() for row in read_table("role-words.tsv"))


@lru_cache(maxsize=1)
def force_heads() -> frozenset[str]:
    """Head nouns of military forces (``data/force-heads.tsv``)."""
    return frozenset(row["head"].lower() for row in read_table("force-heads.tsv"))


@lru_cache(maxsize=1)
def ranks() -> frozenset[str]:
    """Military ranks: honorifics written before a name (``data/honorifics.tsv``) whose title row
    (``data/roles.tsv``) is of a force, with their written-out forms ("col" -> "colonel")."""
    honorifics = {row["word"].lower() for row in read_table("honorifics.tsv")}
    rows = {row["head"].lower(): row for row in read_table("roles.tsv")}
    out = set()
    for word in honorifics:
        row = rows.get(word)
        if row is not None and row["state"] == "force":
            out.add(word)
            if row.get("full"):
                out.add(row["full"].lower())
    return frozenset(out)
