"""Extraction step: events. (stub: being written)"""

from __future__ import annotations

from .context import ExtractionContext


def extract_events(ctx: ExtractionContext) -> None:
    return None
