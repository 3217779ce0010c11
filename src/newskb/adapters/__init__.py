"""The private parts of other libraries that newskb uses, one module per library, each checked
by ``tests/test_adapters.py`` so that a new version of the library that changes them fails a
test instead of changing newskb's results:

- :mod:`.owlready2`: the reasoner's inferred types, read from owlready2's quad store;
- :mod:`.pyshacl_turbo`: the input record and format name with which its compiled validator
  reads N-Triples text directly (the build validates each graph from its N-Triples);
- :mod:`.spacy`: spaCy's token attribute setter and the lemmatizer's table check, for the
  compiled pipes of ``newskb.extract``.

rdflib and pySHACL are used through their public APIs only.
"""
