"""Shared fixtures: the real corpus beside the project, and KBs built from it once per session.
Without the corpus the tests that need it are skipped, and the rest run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import CORPUS, MISSING, SEED


def _require_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(MISSING)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test that reads the corpus when there is none is skipped, not failed."""
    try:
        return (yield)
    except FileNotFoundError as exc:
        if not CORPUS.is_dir() and str(CORPUS) in str(exc):
            pytest.skip(MISSING)
        raise


@pytest.fixture(scope="session")
def corpus() -> Path:
    _require_corpus()
    return CORPUS


@pytest.fixture(scope="session")
def seed_kb(tmp_path_factory) -> Path:
    """The seed article built into a fresh KB folder."""
    from newskb.build import build

    _require_corpus()
    out = tmp_path_factory.mktemp("seed") / "kb"
    result = build([SEED], out)
    assert result.ok, result.summary()
    return out


@pytest.fixture(scope="session")
def corpus_kb(tmp_path_factory) -> Path:
    """Every article of ../shared/corpus built into a fresh KB folder."""
    from newskb.build import build

    _require_corpus()
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
