"""Extraction step: actors. (stub: being written)"""

from __future__ import annotations

from .context import ExtractionContext


def extract_actors(ctx: ExtractionContext) -> None:
    return None
