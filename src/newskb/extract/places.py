"""Extraction step: places. (stub: being written)"""

from __future__ import annotations

from .context import ExtractionContext


def extract_places(ctx: ExtractionContext) -> None:
    return None
