"""Extraction step: claims. (stub: being written)"""

from __future__ import annotations

from .context import ExtractionContext


def extract_claims(ctx: ExtractionContext) -> None:
    return None
