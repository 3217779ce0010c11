"""Shared fixtures: the real corpus beside the project, and KBs built from it once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import CORPUS, SEED


def pytest_configure(config):
    if not CORPUS.is_dir():
        raise pytest.UsageError(f"the corpus is missing: expected {CORPUS} (../shared/corpus beside the project)")


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def seed_kb(tmp_path_factory) -> Path:
    """The seed article built into a fresh KB folder."""
    from newskb.build import build

    out = tmp_path_factory.mktemp("seed") / "kb"
    result = build([SEED], out)
    assert result.ok, result.summary()
    return out


@pytest.fixture(scope="session")
def corpus_kb(tmp_path_factory) -> Path:
    """Every article of ../shared/corpus built into a fresh KB folder."""
    from newskb.build import build

    out = tmp_path_factory.mktemp("corpus") / "kb"
    result = build([CORPUS], out)
    assert not result.failed, result.summary()
    return out


@pytest.fixture(scope="session")
def rapper() -> str:
    exe = shutil.which("rapper")
    if exe is None:
        pytest.skip("Debian's rapper (raptor2-utils) is not installed; .ci/run installs it")
    return exe
