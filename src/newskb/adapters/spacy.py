"""spaCy's private parts used by the compiled pipes of ``newskb.extract``: the function its
retokenizer and attribute ruler set token attributes with, and the check a rule lemmatizer runs
on its lookup tables before its first document. (``newskb.extract.ruler`` and
``newskb.extract.lemmatizer`` are to import them from here.)"""

from __future__ import annotations

from spacy.tokens._retokenize import set_token_attrs  # noqa: F401 - re-exported
from spacy.errors import Errors


def check_lemmatizer_tables(lemmatizer) -> None:
    """What spaCy's ``Lemmatizer.__call__`` does first: check (once) that the lookup tables its
    mode needs are loaded, raising spaCy's own error when they are not."""
    if not lemmatizer._validated:
        lemmatizer._validate_tables(Errors.E1004)
