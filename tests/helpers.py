"""Paths shared by the tests (importable because pytest puts tests/ on sys.path): the one place
that says where the corpus is.

The corpora are those the library reads by default (``newskb.resources.default_corpus``):
``../shared/corpus`` and ``../shared/corpus-dev`` beside the project, or ``NEWSKB_CORPUS`` and
``NEWSKB_CORPUS_DEV``. Without them the tests that read them are skipped (:data:`needs_corpus`,
the corpus fixtures of conftest.py), and the others run.
"""

from pathlib import Path

import pytest

from newskb.resources import default_corpus

ROOT = Path(__file__).resolve().parents[1]
CORPUS = default_corpus("train")
CORPUS_DEV = default_corpus("dev")
SEED = CORPUS / "2024-10-28-ft-nato-north-korean-troops-kursk.txt"
ANNOTATIONS = ROOT / "tests" / "annotations"
OUTPUT = ROOT / "tests" / "output"  # screenshots, logs: never committed

MISSING = f"the corpus is missing: expected {CORPUS} (../shared/corpus beside the project, or NEWSKB_CORPUS)"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=MISSING)
needs_dev_corpus = pytest.mark.skipif(not CORPUS_DEV.is_dir(), reason=f"the dev corpus is missing: expected {CORPUS_DEV}")


def corpus_articles() -> list[Path]:
    """The corpus's article files, sorted (none when it is missing)."""
    return sorted(p for p in CORPUS.glob("*") if p.is_file() and not p.name.startswith(".")) if CORPUS.is_dir() else []
