"""Stage 2 — extraction: an :class:`~newskb.article.Article` becomes a
:class:`~newskb.facts.FactsDocument`.

Order of steps (each reads what the earlier ones registered in the context):
places → actors → statements (speakers, dates) → numeric claims → events (deployments).

No article is lost to a bug in a rule: a step that raises on a sentence loses what it found
there (``ExtractionContext.isolate``), the facts document records the failure (``failures`` and
``notes``), and the rest of the article is extracted and published.
"""

from __future__ import annotations

from .. import __version__
from ..article import Article
from ..facts import FactsDocument
from . import actors_step, claims, events, places, statements
from .context import ExtractionContext, remember_text
from .nlp import load_nlp, model_version, one_blas_thread


STEPS = (("places", places.extract_places), ("actors", actors_step.extract_actors),
         ("statements", statements.extract_statements), ("claims", claims.extract_claims),
         ("events", events.extract_events))


def extract(article: Article, *, doc=None) -> FactsDocument:
    """Extract every fact from ``article``. ``doc`` may be a spaCy Doc of ``article.body``
    already parsed (batch builds use ``nlp.pipe``)."""
    if doc is None:
        with one_blas_thread():
            doc = load_nlp()(article.body)
    ctx = ExtractionContext(article=article, doc=doc)
    remember_text(doc, article.body)
    for name, step in STEPS:
        # steps isolate their own sentences (ctx.isolate); this is the last resort for the rest
        with ctx.isolate(name, 0, len(article.body)):
            step(ctx)
    document = ctx.to_document(extractor=f"newskb-{__version__}/{model_version()}")
    bad = document.check_spans(article.body)
    if bad:  # a bug in a rule, never the input's fault
        raise AssertionError(f"{article.id}: extraction produced spans off the body: {bad[:3]}")
    return document
