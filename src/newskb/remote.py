"""Remote SPARQL 1.1 endpoints: run SELECT queries, send updates and Graph Store Protocol requests.

``select(endpoint, sparql)`` runs a query through SPARQLWrapper and returns the same
:class:`newskb.store.Results` as a local query (pyoxigraph terms), so every output format renders
the same. ``update`` sends a SPARQL Update in one request; ``put_graph`` / ``delete_graph`` speak
the SPARQL 1.1 Graph Store HTTP Protocol (``?graph=IRI``), as the Oxigraph server (``/store``) and
Virtuoso (``/sparql-graph-crud-auth``) do.

Every failure is a :class:`RemoteError` whose message is one line naming the URL and what to do;
its ``kind`` says which: ``auth`` (HTTP 401/403), ``unreachable`` (no connection), ``timeout``,
``query`` (the server refused the request, HTTP 4xx) or ``server`` (HTTP 5xx or a reply that is not
SPARQL results).

Authentication is HTTP ``basic`` or ``digest`` (Virtuoso's ``/sparql-auth`` wants digest). When no
password is given, ``NEWSKB_PASSWORD`` is used.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

from .store import Results
from .vocab import XSD_BOOLEAN, XSD_STRING

DEFAULT_TIMEOUT = 60.0
AUTH_SCHEMES = ("basic", "digest")


class RemoteError(RuntimeError):
    """A remote endpoint could not be used. ``kind`` is one of ``auth``, ``unreachable``,
    ``timeout``, ``query``, ``server``; the message is one line. ``retryable``: the server gave up
    on a transaction that conflicted with another client's (SQLSTATE 40001, a deadlock); the same
    request may succeed when sent again."""

    def __init__(self, message: str, *, kind: str, status: int | None = None, retryable: bool = False):
        super().__init__(" ".join(message.split()))
        self.kind = kind
        self.status = status
        self.retryable = retryable


@dataclass(frozen=True)
class Connection:
    """How to reach one server: credentials, authentication scheme and timeout (seconds)."""

    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self):
        if self.auth not in AUTH_SCHEMES:
            raise ValueError(f"unknown authentication scheme {self.auth!r}; choose basic or digest")
        if self.password is None and self.user is not None:
            object.__setattr__(self, "password", os.environ.get("NEWSKB_PASSWORD"))

    def opener(self, url: str) -> urllib.request.OpenerDirector:
        handlers: list = []
        if self.user is not None:
            pm = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            pm.add_password(None, url, self.user, self.password or "")
            cls = urllib.request.HTTPDigestAuthHandler if self.auth == "digest" else urllib.request.HTTPBasicAuthHandler
            handlers.append(cls(pm))
        return urllib.request.build_opener(*handlers)


# ---- SELECT -----------------------------------------------------------------------------------

def select(endpoint: str, sparql: str, *, timeout: float = DEFAULT_TIMEOUT, user: str | None = None,
           password: str | None = None, auth: str = "basic", default_graph: str | None = None) -> Results:
    """Run a SELECT query at ``endpoint``; rows hold pyoxigraph terms (None when unbound).
    ``default_graph``: the graph the query sees as its default graph (the SPARQL protocol's
    ``default-graph-uri``; the merged graph of ``newskb publish --merged-graph``).

    Raises :class:`RemoteError` (one-line message) when the endpoint cannot answer."""
    return select_with(endpoint, sparql, Connection(user, password, auth, timeout), default_graph=default_graph)


def select_with(endpoint: str, sparql: str, conn: Connection, *, default_graph: str | None = None) -> Results:
    from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper

    sw = SPARQLWrapper(endpoint)
    sw.setQuery(sparql)
    if default_graph is not None:
        sw.addParameter("default-graph-uri", default_graph)
    sw.queryType = SELECT  # its guess reads comments: "described" made a DESCRIBE
    sw.setMethod(POST)  # long queries do not fit in a URL
    sw.setReturnFormat(JSON)
    sw.timeout = conn.timeout  # setTimeout() truncates to whole seconds
    _credentials(sw, conn)
    with _translated(endpoint, conn):
        response = sw.query()
        body = response.response.read()
    try:
        data = json.loads(body)
        variables = list(data["head"].get("vars", []))
        bindings = data["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        raise RemoteError(f"{endpoint}: the reply is not SPARQL JSON results (is this a SPARQL query endpoint?); "
                          f"it starts with {_first_line(body)!r}", kind="server") from None
    rows = [[_term(b[v]) if v in b else None for v in variables] for b in bindings]
    return Results(variables, rows)


def _credentials(sw, conn: Connection) -> None:
    from SPARQLWrapper import BASIC, DIGEST

    if conn.user is not None:
        sw.setHTTPAuth(DIGEST if conn.auth == "digest" else BASIC)
        sw.setCredentials(conn.user, conn.password or "")


_BNODE_SAFE = re.compile(r"[^A-Za-z0-9_]")


def _term(b: dict):
    """One SPARQL JSON binding as a pyoxigraph term, literals in canonical form where servers
    differ only in spelling (Virtuoso writes booleans as 1/0)."""
    kind = b.get("type")
    value = b.get("value", "")
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode("b" + _BNODE_SAFE.sub("_", value))
    lang = b.get("xml:lang")
    if lang:
        return ox.Literal(value, language=lang)
    dt = b.get("datatype")
    if dt == XSD_BOOLEAN:
        value = {"1": "true", "0": "false"}.get(value, value)
    if dt and dt != XSD_STRING:
        return ox.Literal(value, datatype=ox.NamedNode(dt))
    return ox.Literal(value)


# ---- updates and the Graph Store Protocol -----------------------------------------------------

def update(endpoint: str, sparql: str, conn: Connection) -> None:
    """Send one SPARQL Update request (all its operations run as one request)."""
    data = urllib.parse.urlencode({"update": sparql}).encode("utf-8")
    _send(endpoint, "POST", data, "application/x-www-form-urlencoded; charset=utf-8", conn)


def put_graph(graph_store: str, graph: str, turtle: bytes, conn: Connection) -> None:
    """Replace one named graph by Turtle data (Graph Store Protocol PUT)."""
    _send(graph_store_url(graph_store, graph), "PUT", turtle, "text/turtle; charset=utf-8", conn)


def delete_graph(graph_store: str, graph: str, conn: Connection) -> None:
    """Remove one named graph (Graph Store Protocol DELETE); a graph that is not there is fine."""
    try:
        _send(graph_store_url(graph_store, graph), "DELETE", None, None, conn)
    except RemoteError as exc:
        if exc.status != 404:
            raise


def graph_store_url(graph_store: str, graph: str) -> str:
    sep = "&" if "?" in graph_store else "?"
    return f"{graph_store}{sep}{urllib.parse.urlencode({'graph': graph})}"


def _send(url: str, method: str, data: bytes | None, content_type: str | None, conn: Connection) -> None:
    req = urllib.request.Request(url, data=data, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    with _translated(url, conn):
        with conn.opener(url).open(req, timeout=conn.timeout) as resp:
            resp.read()


# ---- errors -----------------------------------------------------------------------------------

class _translated:
    """Turn urllib, socket and SPARQLWrapper exceptions into one-line :class:`RemoteError`s."""

    def __init__(self, url: str, conn: Connection):
        self.url = url
        self.conn = conn

    def __enter__(self):
        return self

    def __exit__(self, etype, exc, tb):
        if exc is None or isinstance(exc, RemoteError):
            return False
        err = _to_remote_error(self.url, exc, self.conn)
        if err is None:
            return False
        raise err from None


def _to_remote_error(url: str, exc: BaseException, conn: Connection) -> RemoteError | None:
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    short = _short_url(url)
    if isinstance(exc, urllib.error.HTTPError):
        return _http_error(short, exc.code, _safe_read(exc), conn, _challenge(exc))
    if isinstance(exc, SPARQLWrapperException):
        status = {"QueryBadFormed": 400, "EndPointNotFound": 404, "Unauthorized": 401,
                  "URITooLong": 414, "EndPointInternalError": 500}.get(type(exc).__name__, 500)
        cause = exc.__context__
        challenge = ""
        if isinstance(cause, urllib.error.HTTPError):
            status, challenge = cause.code, _challenge(cause)
        return _http_error(short, status, _wrapped_body(exc), conn, challenge)
    if isinstance(exc, (TimeoutError, socket.timeout)) or (
            isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, (TimeoutError, socket.timeout))):
        return RemoteError(f"{short}: no answer within {conn.timeout:g} s; raise --timeout or check the server",
                           kind="timeout")
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        why = getattr(reason, "strerror", None) or str(reason)
        return RemoteError(f"{short}: cannot connect ({why}); is the server running and the URL right?",
                           kind="unreachable")
    if isinstance(exc, (ConnectionError, http.client.HTTPException, OSError)):
        return RemoteError(f"{short}: connection failed ({type(exc).__name__}: {exc}); is the server running?",
                           kind="unreachable")
    return None


def _challenge(exc: urllib.error.HTTPError) -> str:
    try:
        return " ".join(exc.headers.get_all("WWW-Authenticate") or [])
    except AttributeError:
        return ""


def _http_error(short: str, status: int, body: bytes, conn: Connection, challenge: str = "") -> RemoteError:
    if status in (401, 403) and (status == 401 or conn.user is not None or b"permission" not in body.lower()):
        who = f"user {conn.user!r}" if conn.user is not None else "no credentials"
        hint = ("check --user and --password (or NEWSKB_PASSWORD)" if conn.user is not None
                else "give --user and --password")
        asked = challenge.split(" ", 1)[0].lower()
        if asked in AUTH_SCHEMES and asked != conn.auth:
            hint += f"; the server asks for {asked} authentication: use --auth {asked}"
        elif not asked and conn.user is not None and conn.auth == "basic":
            hint += "; or --auth digest if the server wants digest (Virtuoso's /sparql-auth does)"
        return RemoteError(f"{short}: authentication failed (HTTP {status}, {who}): {hint}", kind="auth", status=status)
    detail = _first_line(body)
    if status == 404:
        return RemoteError(f"{short}: not found (HTTP 404): is this the SPARQL endpoint's URL?", kind="query", status=404)
    if 400 <= status < 500:
        return RemoteError(f"{short}: the server refused the request (HTTP {status}): {detail}", kind="query", status=status)
    conflict = "40001" in detail or "deadlock" in detail.lower()  # Virtuoso: "40001 Error SR172: Transaction deadlocked"
    return RemoteError(f"{short}: server error (HTTP {status}): {detail}", kind="server", status=status,
                       retryable=conflict)


def _wrapped_body(exc: Exception) -> bytes:
    """The server's reply that SPARQLWrapper put into its exception message (as a bytes repr)."""
    import ast

    text = str(exc)
    _, sep, rest = text.partition("Response:\n")
    if not sep:
        return b""
    try:
        body = ast.literal_eval(rest.strip())
    except (ValueError, SyntaxError):
        return rest.encode("utf-8", "replace")
    return body if isinstance(body, bytes) else str(body).encode("utf-8", "replace")


def _safe_read(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read() or b""
    except Exception:  # the connection may be gone already
        return b""


_TAGS = re.compile(rb"<[^>]*>")


def _first_line(body: bytes, limit: int = 200) -> str:
    """The first meaningful line of an error body (HTML tags and SPARQLWrapper preambles dropped)."""
    text = _TAGS.sub(b" ", body).decode("utf-8", "replace")
    skip = ("the endpoint returned", "response:", "sparql query:", "http/1.1", "error", "")
    for line in text.splitlines():
        line = line.strip()
        if line.lower() in skip or line.lower().startswith(("the endpoint returned", "sparql query:")):
            continue
        return line[:limit] + ("…" if len(line) > limit else "")
    return "(no details)"


def _short_url(url: str) -> str:
    p = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((p.scheme, p.netloc, p.path, "", ""))
