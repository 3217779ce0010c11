"""Extraction step: statements. (stub: being written)"""

from __future__ import annotations

from .context import ExtractionContext


def extract_statements(ctx: ExtractionContext) -> None:
    return None
