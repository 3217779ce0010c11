"""Stage 8 — the linked-data site: the KB as pages people read and documents machines fetch.

``kbview`` reads a built KB folder (store, manifest, facts files, ontology); ``pages`` renders the
HTML pages with Jinja2 templates (shared by ``newskb serve`` and ``newskb site``); ``rdfdocs``
writes the per-resource RDF documents and the VoID/DCAT record; ``sparql`` runs protocol queries in
worker processes with time and size limits; ``basemap`` draws the offline SVG map.
"""
