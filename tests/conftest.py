"""Shared fixtures: the real corpus beside the project, and KBs built from it once per session.
Without the corpus the tests that need it are skipped, and the rest run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import CORPUS, CORPUS_DEV, MISSING, SEED


def _require_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(MISSING)


def _skip_if_it_needed_the_corpus(exc: BaseException) -> None:
    """Without the corpus, a test (or fixture) that fails naming the corpus's path needed it: it
    is skipped, not failed."""
    if not CORPUS.is_dir() and (str(CORPUS) in str(exc) or str(CORPUS_DEV) in str(exc)):
        pytest.skip(MISSING)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    try:
        return (yield)
    except Exception as exc:
        _skip_if_it_needed_the_corpus(exc)
        raise


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    try:
        return (yield)
    except Exception as exc:
        _skip_if_it_needed_the_corpus(exc)
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


@pytest.fixture(scope="session")
def server(corpus_kb):
    """``newskb serve`` of the corpus KB, one subprocess for the session (tests/serving.py)."""
    from serving import server_for

    return server_for(corpus_kb)


@pytest.fixture(scope="session")
def view(corpus_kb):
    """The corpus KB as the server's pages see it."""
    from newskb.web.kbview import KBView

    return KBView(corpus_kb)


@pytest.fixture(scope="session")
def client(server):
    """An HTTP client on the served corpus KB."""
    import httpx

    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c
