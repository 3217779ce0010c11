"""HTTP for the server's views: content negotiation, entity tags, request limits and plain-text
answers (nothing here knows the KB)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from .errors import RequestRefused

MAX_BODY = 64 * 1024          # bytes of a request body (a query or a form)
MAX_URL = 16 * 1024           # bytes of path + query string
RETRY_AFTER = "5"             # seconds a client should wait after a 503 (busy, or a query stopped at the time limit)

# what each kind of document is offered as: (media type, extension), the preferred first; the
# first offer of an extension is the type it is served as
RDF_OFFERS = [("text/html", "html"), ("application/xhtml+xml", "html"), ("text/turtle", "ttl"),
              ("application/ld+json", "jsonld"), ("application/n-triples", "nt"), ("application/rdf+xml", "rdf"),
              ("application/x-turtle", "ttl"), ("text/n3", "ttl"), ("application/json", "jsonld"),
              ("application/xml", "rdf"), ("text/plain", "nt")]
DATA_OFFERS = [o for o in RDF_OFFERS if o[1] != "html"]
RESULT_OFFERS = [("application/sparql-results+json", "json"), ("application/json", "json"),
                 ("application/sparql-results+xml", "xml"), ("application/xml", "xml"), ("text/xml", "xml"),
                 ("text/csv", "csv"), ("text/tab-separated-values", "tsv"), ("text/plain", "tsv")]
GRAPH_OFFERS = [("text/turtle", "ttl"), ("application/n-triples", "nt"), ("application/ld+json", "jsonld"),
                ("application/rdf+xml", "rdfxml"), ("application/x-turtle", "ttl"), ("text/n3", "ttl"),
                ("application/json", "jsonld"), ("text/plain", "nt")]


def negotiate(accept: str | None, offers: list[tuple[str, str]], default: str) -> str | None:
    """The key of the best offer for an Accept header (q-values, ``type/*``, ``*/*``); the
    default when the header is absent; None when nothing offered is acceptable.

    ``q=0`` means "not acceptable" (RFC 9110, 12.4.2), also through an alias: a key whose served
    type (its first offer) the client refuses is not chosen by another of its media types
    (``application/ld+json;q=0, application/*`` gets no JSON-LD)."""
    if not accept or not accept.strip():
        return default
    ranges = _ranges(accept)
    refused = set()
    for key in dict.fromkeys(k for _, k in offers):
        spec, q = _quality(ranges, next(o for o, k in offers if k == key))
        if spec >= 0 and q <= 0:
            refused.add(key)
    best, best_q = None, 0.0
    for offer, key in offers:  # earlier offers win ties
        spec, q = _quality(ranges, offer)
        if spec >= 0 and q > best_q and key not in refused:
            best, best_q = key, q
    return best


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values (the parameter name in any case,
    the value clamped to 0..1, unreadable as 0)."""
    ranges = []
    for part in accept.split(","):
        items = [x.strip() for x in part.split(";")]
        q = 1.0
        for it in items[1:]:
            name, _, value = it.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if items[0]:
            ranges.append((items[0].lower(), q))
    return ranges


def _quality(ranges: list[tuple[str, float]], offer: str) -> tuple[int, float]:
    """How specifically (2 exact, 1 ``type/*``, 0 ``*/*``, -1 not at all) and with which q-value
    the most specific matching range accepts ``offer``."""
    spec, q = -1, 0.0
    for mt, mq in ranges:
        s = 2 if mt == offer else 1 if (mt.endswith("/*") and offer.startswith(mt[:-1])) else 0 if mt == "*/*" else -1
        if s > spec:
            spec, q = s, mq
    return spec, q


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (or is ``*``); weak tags compare as
    their strong form (RFC 9110, 13.1.2)."""
    if not if_none_match:
        return False
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)


def text(msg: str, status: int) -> PlainTextResponse:
    """A plain-text answer; a 503 says when to try again (``Retry-After``)."""
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
    return PlainTextResponse(msg.rstrip() + "\n", status, headers=headers)


def not_modified(etag: str, headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=304, headers={**(headers or {}), "ETag": etag})


async def read_body(request: Request) -> bytes:
    """The request body, refused past :data:`MAX_BODY` bytes."""
    chunks, n = [], 0
    async for chunk in request.stream():
        n += len(chunk)
        if n > MAX_BODY:
            raise RequestRefused(f"request body too large; the limit is {MAX_BODY} bytes", 413)
        chunks.append(chunk)
    return b"".join(chunks)


class Limits:
    """ASGI middleware: refuse oversized URLs and bodies before a route sees them, and add
    security headers to every response."""

    HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
               (b"x-frame-options", b"DENY"),
               (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                            b"script-src 'self'; connect-src 'self'; frame-ancestors 'none'")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if len(scope.get("raw_path", b"")) + len(scope.get("query_string", b"")) > MAX_URL:
            return await text(f"request URL too long; the limit is {MAX_URL} bytes", 414)(scope, receive, send)
        cl = dict(scope.get("headers") or []).get(b"content-length")
        if cl is not None:
            try:
                n = int(cl)
            except ValueError:
                return await text("bad Content-Length", 400)(scope, receive, send)
            if n > MAX_BODY:
                return await text(f"request body too large: {n} bytes; the limit is {MAX_BODY}", 413)(scope, receive, send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > MAX_BODY:
                    raise _TooLarge()
            return msg

        async def send_with_headers(msg):
            if msg["type"] == "http.response.start":
                msg = dict(msg, headers=list(msg.get("headers", [])) + self.HEADERS)
            await send(msg)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _TooLarge:
            await text(f"request body too large; the limit is {MAX_BODY} bytes", 413)(scope, receive, send)


class _TooLarge(Exception):
    pass
