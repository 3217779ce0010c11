"""owlready2's private parts: where ``sync_reasoner`` puts what the reasoner inferred (its
inference ontology) and how its quad store abbreviates IRIs to integers. owlready2 has no public
call that lists only the inferred class memberships."""

from __future__ import annotations

from collections import defaultdict

from owlready2.reasoning import _INFERRENCES_ONTOLOGY

from ..vocab import RDF_TYPE


def inferred_types(world) -> dict[str, set[str]]:
    """The class memberships the reasoner added to ``world`` (an ``owlready2.World`` after
    ``sync_reasoner_*``): individual IRI -> class IRIs."""
    out: dict[str, set[str]] = defaultdict(set)
    inferences = world.get_ontology(_INFERRENCES_ONTOLOGY)
    rdf_type = world._abbreviate(RDF_TYPE)
    for s, _p, o in inferences.get_triples(None, rdf_type, None):
        if isinstance(o, int) and o > 0 and s > 0:  # named individuals and classes (blank nodes are < 0)
            out[world._unabbreviate(s)].add(world._unabbreviate(o))
    return out
