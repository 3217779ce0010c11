"""Paths shared by the tests (importable because pytest puts tests/ on sys.path)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_DEV = ROOT.parent / "shared" / "corpus-dev"
SEED = CORPUS / "2024-10-28-ft-nato-north-korean-troops-kursk.txt"
ANNOTATIONS = ROOT / "tests" / "annotations"
OUTPUT = ROOT / "tests" / "output"  # screenshots, logs: never committed
