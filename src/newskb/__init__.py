"""newskb: news articles to a validated, provenance-keeping RDF knowledge base."""

__version__ = "0.1.0"
