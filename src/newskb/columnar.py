"""Stage 6b — the columnar replica: the saved queries answered column by column.

The embedded store (:mod:`newskb.store`) evaluates a query one solution at a time: about 1 µs
per row for one triple pattern and 2 µs for each further pattern (docs/benchmarks.md, engine
floor), so a listing query with tens of thousands of rows on a million-triple KB takes hundreds
of milliseconds whatever its plan. The replica is a read-only, in-memory copy of the store's
default graph (the merge of the article graphs and the ontology that every saved query reads)
in maplib, a Rust SPARQL engine over Polars data frames that joins, filters and sorts whole
columns at once. Its answers are written from the columns by Polars, in Rust, as the same W3C
SPARQL JSON, CSV and TSV bytes the store writes.

It answers the saved contract queries only (``queries/*.rq``, by name or by their exact text):
the test suite checks, for each of them, that the replica's bytes equal the store's on the
corpus KB and on a KB of the corpus replicated (``tests/test_columnar.py``). Any other query is
the store's. ``newskb serve`` builds a replica in the background when it starts and answers the
saved queries from it once it is ready (``--no-columnar`` turns it off); the library builds one
with :meth:`ColumnarReplica.from_kb` or :meth:`ColumnarReplica.from_store`.

Exactness: maplib keeps a typed literal as a value (``xsd:integer`` a 64-bit integer,
``xsd:decimal`` a decimal with 12 places, ``xsd:date`` a date), so it can give back the literal's
lexical form only when that form is the canonical one newskb's RDF mapping writes. Before it
loads anything the replica checks that the store holds nothing else: no blank nodes, and
literals only of the datatypes in :data:`EXACT_DATATYPES`, in canonical form. A store that fails
the check raises :class:`ReplicaError`, and its queries stay with the store.

A replica is a snapshot: it does not follow later changes to the store (the server serves a KB
folder that does not change while it runs).
"""

from __future__ import annotations

import io
import json
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .store import QueryError, ResultFormat, open_kb, query_text, saved_queries

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
XSD_DECIMAL = XSD + "decimal"
XSD_BOOLEAN = XSD + "boolean"
XSD_DATE = XSD + "date"
# literal datatypes whose lexical forms the replica gives back exactly, when canonical
EXACT_DATATYPES = (XSD_STRING, RDF_LANG_STRING, XSD_INTEGER, XSD_DECIMAL, XSD_BOOLEAN, XSD_DATE,
                   XSD + "gYear", XSD + "gYearMonth", XSD + "anyURI",
                   "http://www.opengis.net/ont/geosparql#wktLiteral")  # places' bounding boxes
# lexical forms that never hold a character JSON, CSV or TSV would escape
_PLAIN_LEXICAL = {XSD_INTEGER, XSD_DECIMAL, XSD_BOOLEAN, XSD_DATE}

# the first triple the replica could not give back exactly, if any (a full scan of the default
# graph: about 1.5 s per million triples). The store itself keeps numbers and booleans in their
# canonical forms ("7.50" as "7.5", "+007" as "7", "1" as "true"), which the replica writes too.
_EXACTNESS_CHECK = r"""
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?s ?p ?o WHERE {
  ?s ?p ?o
  BIND (IF(isLiteral(?o), datatype(?o), rdf:nil) AS ?d)  # once per triple: IN repeats its argument
  BIND (STR(?o) AS ?v)
  FILTER (isBlank(?s) || isBlank(?o) || (isLiteral(?o) && !(
       ?d IN (xsd:string, rdf:langString, xsd:anyURI, <http://www.opengis.net/ont/geosparql#wktLiteral>)
    || (?d = xsd:gYear && REGEX(?v, "^[1-9][0-9]{3}$"))
    || (?d = xsd:gYearMonth && REGEX(?v, "^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"))
    || (?d = xsd:integer && REGEX(?v, "^-?(0|[1-9][0-9]{0,17})$") && ?v != "-0")
    || (?d = xsd:decimal && REGEX(?v, "^-?(0|[1-9][0-9]{0,25})([.][0-9]{0,11}[1-9])?$") && ?v != "-0")
    || (?d = xsd:boolean && ?v IN ("true", "false"))
    || (?d = xsd:date && REGEX(?v, "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$"))
  )))
} LIMIT 1
"""


class ReplicaError(ValueError):
    """A store the replica cannot copy exactly, or a query result it cannot write exactly."""


class TooManyRows(Exception):
    """A result with more rows than the caller allows (``rows`` of them, ``limit`` allowed)."""

    def __init__(self, rows: int, limit: int):
        super().__init__(f"the result has {rows} rows, more than the limit of {limit}")
        self.rows, self.limit = rows, limit


@dataclass(frozen=True)
class Table:
    """A SELECT result as columns: ``variables`` in the query's order, ``frame`` a Polars data
    frame with maplib's encoding (one column per bound variable), ``types`` maplib's RDF type per
    column."""

    variables: list[str]
    frame: object
    types: dict

    @property
    def rows(self) -> int:
        return self.frame.height


class ColumnarReplica:
    """A read-only columnar copy of a store's default graph that answers the saved queries.

    Thread-safe: queries are run one at a time."""

    def __init__(self, model, triples: int):
        self._model = model
        self.triples = triples
        self._lock = threading.Lock()
        self._texts = {n: query_text(n) for n in saved_queries()}  # the saved queries as they were at the start
        self._names = {text: n for n, text in self._texts.items()}

    # ---- building -----------------------------------------------------------------------------
    @classmethod
    def from_store(cls, store: ox.Store) -> ColumnarReplica:
        """A replica of ``store``'s default graph. Raises :class:`ReplicaError` when the store
        holds a blank node or a literal the replica would not give back exactly."""
        from maplib import Model

        bad = next(iter(store.query(_EXACTNESS_CHECK)), None)
        if bad is not None:
            raise ReplicaError(f"the store holds a triple the columnar replica cannot give back exactly "
                               f"({bad['s']} {bad['p']} {bad['o']}): blank nodes and literals other than "
                               f"canonical {', '.join(t.rsplit('#', 1)[1] for t in EXACT_DATATYPES)} "
                               "are answered by the store only")
        with tempfile.TemporaryDirectory(prefix="newskb-replica-") as tmp:
            nt = Path(tmp) / "default.nt"
            store.dump(str(nt), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
            model = Model()
            model.read(str(nt), format="ntriples")
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        triples, want = int(model.query(count).item()), int(next(iter(store.query(count)))["n"].value)
        if triples != want:  # maplib leaves out what it cannot read (a date such as 2024-02-30)
            raise ReplicaError(f"the columnar replica read {triples} of the store's {want} triples: it cannot "
                               "give back exactly what it left out (an invalid date or number?)")
        return cls(model, triples)

    @classmethod
    def from_kb(cls, kb: Path) -> ColumnarReplica:
        """A replica of a built KB folder's store (brought up to date first, as ``open_kb`` does).
        Raises ``FileNotFoundError`` when ``kb`` is not a KB folder, :class:`ReplicaError` as
        :meth:`from_store`."""
        return cls.from_store(open_kb(Path(kb)))

    # ---- querying -----------------------------------------------------------------------------
    def saved_name(self, query: str) -> str | None:
        """The saved query ``query`` names or whose exact text it is; None for any other query."""
        return query if query in self._texts else self._names.get(query)

    def variables(self, query: str) -> list[str]:
        """The variables of a saved query (its name or its exact text), in its order."""
        name = self.saved_name(query)
        if name is None:
            raise QueryError(f"no saved query {query[:60]!r}")
        return list(_variables(self._texts[name]))

    def select(self, query: str, *, wait: float | None = None) -> Table:
        """Run a saved query (its name or its exact text). Queries run one at a time: ``wait`` is
        the most seconds to wait for the one running (None: as long as it takes). Raises
        :class:`QueryError` for any other query (run it on the store) and :class:`ReplicaError`
        when the engine fails on it or the replica stayed busy."""
        name = self.saved_name(query)
        if name is None:
            raise QueryError("the columnar replica answers the saved queries only "
                             f"({', '.join(self._texts)}); run other queries on the store")
        return self._run(self._texts[name], wait=wait)

    def _run(self, text: str, *, wait: float | None = None) -> Table:
        """Any SELECT query on the replica: for the tests of the writer, which check its bytes
        against the store's; the public methods run the saved queries only."""
        order = _order(text)
        if order is None:
            raise ReplicaError("the query sorts on an expression or inside a group: the replica cannot check its order")
        # sorted by Polars rather than by maplib (several times faster) when that gives the same
        # order: checked below, and there is no LIMIT or OFFSET to apply after the sort
        unsorted = bool(order.keys) and order.body is not None
        if not self._lock.acquire(timeout=-1 if wait is None else wait):
            raise ReplicaError(f"the columnar replica was busy for {wait:g} s")
        try:
            sm = self._model.query(order.body if unsorted else text, solution_mappings=True)
        except Exception as exc:  # maplib's own exception types carry no common base
            raise ReplicaError(f"the columnar replica failed on the query: {exc}") from exc
        finally:
            self._lock.release()
        table = Table(list(_variables(text)), sm.mappings, dict(sm.rdf_types))
        _check_order(table, order)
        if unsorted:
            table = _sorted(table, order)
        return table

    def select_serialized(self, query: str, fmt: ResultFormat, *, max_rows: int | None = None,
                          wait: float | None = None) -> bytes:
        """A saved query's results as W3C SPARQL JSON, CSV or TSV bytes, the bytes
        :func:`newskb.store.run_select_serialized` gives on the store. Raises :class:`TooManyRows`
        when there are more than ``max_rows``, and as :meth:`select`."""
        table = self.select(query, wait=wait)
        if max_rows is not None and table.rows > max_rows:
            raise TooManyRows(table.rows, max_rows)
        return serialize_table(table, fmt)


@lru_cache(maxsize=64)
def _variables(text: str) -> tuple[str, ...]:
    """The projected variables of a SELECT query, in its order (as the store reports them)."""
    try:
        res = ox.Store().query(text)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL: {exc}") from None
    if not isinstance(res, ox.QuerySolutions):
        raise QueryError("only SELECT queries give a result table")
    return tuple(v.value for v in res.variables)


@dataclass(frozen=True)
class _Order:
    """A query's closing ``ORDER BY`` on plain variables: ``keys`` and, per key, ``descending``;
    ``body`` is the query without the clause (None when a LIMIT or OFFSET follows it, which needs
    the order first)."""

    keys: tuple[str, ...]
    descending: tuple[bool, ...]
    body: str | None


@lru_cache(maxsize=64)
def _order(text: str) -> _Order | None:
    """The closing ``ORDER BY`` of a query (no keys when it has none); None when it sorts on
    anything but plain variables, ascending or descending, or sorts inside a group (then the
    order check cannot be made)."""
    from .web.sparql import tokens

    toks = tokens(text)
    words = [(i, t.upper()) for i, (kind, t, _) in enumerate(toks) if kind == "word"]
    starts = [i for (i, w), (_, nxt) in zip(words, words[1:]) if w == "ORDER" and nxt == "BY"]
    if not starts:
        return _Order((), (), text)
    if len(starts) > 1:
        return None
    rest = toks[starts[0] + 2:]
    keys, desc, i, body = [], [], 0, text[:toks[starts[0]][2]]
    while i < len(rest):
        kind, t, _ = rest[i]
        if kind == "var":
            keys.append(t[1:])
            desc.append(False)
            i += 1
        elif kind == "word" and t.upper() in ("ASC", "DESC") and [k for k, _, _ in rest[i + 1:i + 4]] == ["other", "var", "other"]:
            keys.append(rest[i + 2][1][1:])
            desc.append(t.upper() == "DESC")
            i += 4
        elif kind == "word" and t.upper() in ("LIMIT", "OFFSET") and i + 1 < len(rest) and rest[i + 1][1].isdigit():
            body = None
            i += 2
        else:
            return None
    return _Order(tuple(keys), tuple(desc), body)


def _check_order(table: Table, order: _Order) -> None:
    """Raise :class:`ReplicaError` when the order of ``table`` may differ from the store's.

    maplib sorts a column holding terms of several kinds (IRIs and literals, or literals of
    several datatypes or languages) kind by kind, while SPARQL compares numbers of different
    datatypes by value and leaves the order of other kinds to each engine. The two orders agree
    whenever no such comparison is ever made: when, among the rows that tie on the keys before
    it, a key column holds terms of one kind only. Checked key by key with a group-by (a few ms
    on ten thousand rows); the saved queries pass it on newskb KBs, whose dates, values and
    offsets have one datatype per fact."""
    import polars as pl

    frame = table.frame
    present = [k for k in order.keys if k in frame.columns]
    for i, key in enumerate(present):
        terms = _column_terms(frame, key, table.types[key])
        if len(terms) < 2 and not any(lang is not None for _, _, lang in terms):
            continue  # one kind of term: the engines agree
        kind = pl.coalesce([pl.when(value.is_not_null()).then(
            pl.concat_str(pl.lit(k + "@"), lang) if lang is not None else pl.lit(k)) for value, k, lang in terms])
        tagged = frame.select(*present[:i], kind.alias("_kind")).drop_nulls("_kind")
        if present[:i]:
            mixed = tagged.group_by(present[:i]).agg(pl.col("_kind").n_unique()).filter(pl.col("_kind") > 1).height
        else:
            mixed = int(tagged["_kind"].n_unique() > 1)
        if mixed:
            raise ReplicaError(f"rows that tie before ?{key} hold terms of different kinds in it; "
                               "their order is the store's to give")


def _sorted(table: Table, order: _Order) -> Table:
    """``table`` sorted as SPARQL sorts it, given :func:`_check_order` passed: among rows that tie
    on the earlier keys a key column holds one kind of term, and Polars orders each kind as
    SPARQL does (strings and IRIs by code point, numbers, dates and booleans by value, languages
    never mixed); unbound first, last when descending. Rows that tie on every key keep maplib's
    order, which may differ from the store's: the saved queries sort on all their variables."""
    frame = table.frame
    keys = [(k, d) for k, d in zip(order.keys, order.descending) if k in frame.columns]
    if not keys or frame.height < 2:
        return table
    names, desc = [k for k, _ in keys], [d for _, d in keys]
    return Table(table.variables, frame.sort(names, descending=desc, nulls_last=desc, maintain_order=True),
                 table.types)


# ---- writing the columns as W3C results -----------------------------------------------------------
def serialize_table(table: Table, fmt: ResultFormat) -> bytes:
    """``table`` as W3C SPARQL 1.1 JSON (compact, ending with a newline), CSV or TSV bytes, written
    by Polars: byte for byte what pyoxigraph writes for the same solutions in the same order.

    Each variable becomes one text column and Polars' CSV writer joins the columns of a row with
    a one-byte separator as it writes them, so no row is assembled as a string of its own (a
    million-triple KB's ``provenance`` is 40 MB of JSON: each extra pass over it costs tens of
    milliseconds)."""
    import polars as pl

    if fmt is ResultFormat.TABLE:
        raise ValueError("the columnar replica writes json, csv or tsv")
    cells = {}  # per bound variable: its cell text, null where unbound
    for v in table.variables:
        terms = _column_terms(table.frame, v, table.types[v]) if v in table.frame.columns else []
        if terms:  # else never bound
            parts = [_term(fmt, *t) for t in terms]
            cells[v] = parts[0] if len(parts) == 1 else pl.coalesce(parts)
    out = io.BytesIO()
    if fmt is ResultFormat.JSON:
        out.write(b'{"head":{"vars":' + json.dumps(table.variables, separators=(",", ":"), ensure_ascii=False).encode()
                  + b'},"results":{"bindings":[')
        if table.rows:
            names = [json.dumps(v, ensure_ascii=False) + ":" for v in cells]
            if names and all(_always_bound(table.frame, v) for v in cells):
                # one column per variable, each '"name":term', joined by the writer's commas;
                # every row ends with a comma, the last one's overwritten below
                last = len(names) - 1
                columns = [pl.concat_str(pl.lit(("{" if i == 0 else "") + name), cell, pl.lit("}" if i == last else ""))
                           for i, (name, cell) in enumerate(zip(names, cells.values()))]
            else:  # some rows leave a variable unbound: its pair and its comma are left out
                pairs = [pl.concat_str(pl.lit(name), cell) for name, cell in zip(names, cells.values())]
                body = pl.concat_str(pairs, separator=",", ignore_nulls=True) if pairs else pl.lit("")
                columns = [pl.concat_str(pl.lit("{"), body, pl.lit("}"))]
            _write_columns(table.frame, columns, out, ",", ",")
            out.seek(-1, io.SEEK_END)  # the last row's comma
        out.write(b"]}}\n")
        return out.getvalue()
    sep, end = (",", "\r\n") if fmt is ResultFormat.CSV else ("\t", "\n")
    head = [v if fmt is ResultFormat.CSV else "?" + v for v in table.variables]
    out.write((sep.join(head) + end).encode())
    if table.rows:
        _write_columns(table.frame, [cells.get(v, pl.lit(None, pl.String)) for v in table.variables], out, sep, end)
    return out.getvalue()


def _always_bound(frame, var: str) -> bool:
    """Whether every row binds ``var`` to one kind of term (a plain column with no null)."""
    import polars as pl

    return not isinstance(frame.schema[var], pl.Struct) and frame[var].null_count() == 0


def _write_columns(frame, columns: list, out: io.BytesIO, sep: str, line_end: str) -> None:
    """Text columns computed on ``frame``, written as they are: the cells of a row separated by
    ``sep``, an empty cell where null, each row followed by ``line_end``."""
    import polars as pl

    names = [f"_c{i}" for i in range(len(columns))] or ["_c0"]
    # with_columns, not select: a column of literals only (no variable bound) gets one per row
    cells = frame.with_columns([c.alias(n) for n, c in zip(names, columns or [pl.lit("")])]).select(names)
    cells.write_csv(out, include_header=False, separator=sep, quote_style="never", line_terminator=line_end,
                    null_value="")


def _column_terms(frame, var: str, rdf_type) -> list[tuple]:
    """The ways a column holds terms: (value expression, kind, language expression or None), where
    kind is 'I' (IRI), 'B' (blank node) or a literal's datatype IRI; one per RDF type the column
    holds (a column of several types is a struct with a field per type)."""
    import polars as pl

    col = pl.col(var)
    dtype = frame.schema[var]
    kind = repr(rdf_type)
    if kind.startswith("RDFType.None"):
        return []
    if kind.startswith("RDFType.Multi"):
        names = [f.name for f in dtype.fields]
        lang = col.struct.field("l") if "l" in names else None
        return [(col.struct.field(n), n if n in ("I", "B") else n[1:-1],
                 lang if n == f"<{RDF_LANG_STRING}>" else None) for n in names if n != "l"]
    if kind.startswith("RDFType.IRI"):
        return [(col, "I", None)]
    if kind.startswith("RDFType.BlankNode"):
        return [(col, "B", None)]
    if kind.startswith("RDFType.Literal"):
        dt = kind.split('"')[1]
        if dt == RDF_LANG_STRING:
            return [(col.struct.field(f"<{dt}>"), dt, col.struct.field("l"))]
        if dt not in EXACT_DATATYPES:
            raise ReplicaError(f"column ?{var} holds {dt} literals, which the replica does not write")
        return [(col, dt, None)]
    raise ReplicaError(f"column ?{var} has an RDF type the replica does not write: {kind}")


def _lexical(value, datatype: str):
    """The canonical lexical form of a typed value column (what newskb's mapping writes)."""
    import polars as pl

    if datatype == XSD_DECIMAL:  # Decimal(38, 12) prints 12 places: "7.000000000000" -> "7"
        s = value.cast(pl.String)
        return pl.when(s.str.contains(".", literal=True)).then(s.str.replace(r"\.?0+$", "")).otherwise(s)
    if datatype == XSD_BOOLEAN:
        return pl.when(value).then(pl.lit("true")).when(value.not_()).then(pl.lit("false"))  # null stays null
    return value.cast(pl.String)


def _json_string(text):
    """A string column as JSON string literals (escaped by Polars' JSON writer); null stays null."""
    import polars as pl

    encoded = pl.struct(text.alias("v")).struct.json_encode()  # {"v":"…"}
    return pl.when(text.is_not_null()).then(encoded.str.slice(5).str.strip_suffix("}"))


def _nt_string(text):
    """A string column as N-Triples quoted strings, as pyoxigraph's TSV writes them."""
    import polars as pl

    esc = text.str.replace_many(["\\", '"', "\n", "\r", "\t"], ["\\\\", '\\"', "\\n", "\\r", "\\t"])
    return pl.concat_str(pl.lit('"'), esc, pl.lit('"'))


def _csv_field(text):
    """A string column as RFC 4180 fields: quoted when they hold a quote, comma or line break."""
    import polars as pl

    quoted = pl.concat_str(pl.lit('"'), text.str.replace_all('"', '""', literal=True), pl.lit('"'))
    return pl.when(text.str.contains(r'[",\r\n]')).then(quoted).otherwise(text)


def _term(fmt: ResultFormat, value, kind: str, lang):
    """One term per row in ``fmt``'s syntax (null where the column is null). IRIs are written as
    they are: an IRI holds no character that JSON, CSV or TSV escapes (RFC 3987)."""
    import polars as pl

    lit = pl.lit
    if kind == "I":
        if fmt is ResultFormat.JSON:
            return pl.concat_str(lit('{"type":"uri","value":"'), value, lit('"}'))
        return value if fmt is ResultFormat.CSV else pl.concat_str(lit("<"), value, lit(">"))
    if kind == "B":
        if fmt is ResultFormat.JSON:
            return pl.concat_str(lit('{"type":"bnode","value":'), _json_string(value), lit("}"))
        return pl.concat_str(lit("_:"), value)
    lex = value if kind in (XSD_STRING, RDF_LANG_STRING) else _lexical(value, kind)
    if fmt is ResultFormat.CSV:
        return lex if kind in _PLAIN_LEXICAL else _csv_field(lex)
    if fmt is ResultFormat.JSON:
        js = pl.concat_str(lit('"'), lex, lit('"')) if kind in _PLAIN_LEXICAL else _json_string(lex)
        if kind == XSD_STRING:
            tail = lit("}")
        elif kind == RDF_LANG_STRING:
            return pl.concat_str(lit('{"type":"literal","value":'), js, lit(',"xml:lang":'), _json_string(lang), lit("}"))
        else:
            tail = lit(',"datatype":' + json.dumps(kind, ensure_ascii=False) + "}")
        return pl.concat_str(lit('{"type":"literal","value":'), js, tail)
    # TSV: Turtle's short forms for integers, decimals with a dot and booleans, else N-Triples
    if kind in (XSD_INTEGER, XSD_BOOLEAN):
        return lex
    quoted = _nt_string(lex)
    if kind == XSD_STRING:
        return quoted
    if kind == RDF_LANG_STRING:
        return pl.concat_str(quoted, lit("@"), lang)
    typed = pl.concat_str(quoted, lit(f"^^<{kind}>"))
    if kind == XSD_DECIMAL:
        return pl.when(lex.str.contains(".", literal=True)).then(lex).otherwise(typed)
    return typed


class BackgroundReplica:
    """A replica built in a background thread (``newskb serve`` keeps answering from the store
    meanwhile): :attr:`replica` is None until it is ready, and stays None when it cannot be built
    (:attr:`error` says why)."""

    def __init__(self, store: ox.Store, *, report=None):
        self._store = store
        self._report = report  # called with one line when the replica is ready or cannot be built
        self.replica: ColumnarReplica | None = None
        self.error: str | None = None
        self.seconds: float | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._build, name="newskb-columnar-replica", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> ColumnarReplica | None:
        """The replica once built (None if it could not be, or is not ready within ``timeout``)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.replica

    def _build(self) -> None:
        import time

        t = time.perf_counter()
        try:
            replica = ColumnarReplica.from_store(self._store)
        except Exception as exc:  # the store keeps answering: say why, once
            self.error = f"{type(exc).__name__}: {exc}"
            if self._report:
                self._report(f"columnar replica not built ({self.error}); the store answers every query")
            return
        self.seconds = time.perf_counter() - t
        self.replica = replica
        if self._report:
            self._report(f"columnar replica ready: {replica.triples:,} triples in {self.seconds:.1f} s; "
                         "it answers the saved queries")
