"""Real SPARQL servers for the tests, on 127.0.0.1 with free ports and temporary folders.

* the Oxigraph server (``oxigraph serve``, from the PyPI package ``oxigraph``): no auth; query at
  ``/query``, update at ``/update``, Graph Store Protocol at ``/store``;
* Virtuoso 7 (Debian ``virtuoso-opensource-7-bin``) with a config of our own (both ports on
  loopback, a fresh database, ``DirsAllowed``): anonymous read at ``/sparql``; writes with HTTP
  digest auth (dba/dba of a new database) at ``/sparql-auth`` and ``/sparql-graph-crud-auth``.

Servers are started once per session and per ``name`` (``servers.get(kind, name, tmp_path_factory)``)
and stopped at the end of the session. A missing binary skips the test on a developer's machine,
and fails it when ``CI`` is set (``.ci/run`` installs both).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOOPBACK = "127.0.0.1"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def require(exe: str | None, what: str, install: str) -> str:
    """The executable, or skip (developer machine) / fail (CI) with a clear reason."""
    if exe:
        return exe
    msg = f"{what} is not installed ({install}; .ci/run installs it)"
    if in_ci():
        pytest.fail(f"CI must run the server tests: {msg}")
    pytest.skip(msg)


def oxigraph_exe() -> str:
    local = Path(sys.executable).with_name("oxigraph")
    exe = str(local) if local.is_file() else shutil.which("oxigraph")
    return require(exe, "the Oxigraph server (oxigraph)", "pip install -e '.[server]'")


def virtuoso_exe() -> tuple[str, str]:
    exe = require(shutil.which("virtuoso-t"), "Virtuoso 7 (virtuoso-t)", "apt-get install virtuoso-opensource-7-bin")
    isql = require(shutil.which("isql-vt"), "Virtuoso's isql-vt", "apt-get install virtuoso-opensource-7-bin")
    return exe, isql


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running server and the URLs and credentials newskb needs to use it."""

    kind: str
    folder: Path
    query_url: str
    update_url: str
    graph_store_url: str
    user: str | None = None
    password: str | None = None
    auth: str = "basic"
    merge_default_graph: bool = False
    merged_graph: str | None = None  # the named graph publish merges into; queries take it as default graph
    basic_url: str | None = None     # a query endpoint behind HTTP basic auth (Virtuoso only)
    pid: int | None = None
    stopper: list = field(default_factory=list)

    def publish_kwargs(self, *, graph_store: bool = True) -> dict:
        """Keyword arguments of :func:`newskb.publish.publish` for this server."""
        return dict(graph_store=self.graph_store_url if graph_store else None, update_endpoint=self.update_url,
                    user=self.user, password=self.password, auth=self.auth,
                    merge_default_graph=self.merge_default_graph, merged_graph=self.merged_graph)

    def publish_args(self, *, graph_store: bool = True) -> list[str]:
        """The same as ``newskb publish`` options (after ``--endpoint``)."""
        args = ["--endpoint", self.query_url, "--update-endpoint", self.update_url]
        if graph_store:
            args += ["--graph-store", self.graph_store_url]
        if self.user:
            args += ["--user", self.user, "--password", self.password, "--auth", self.auth]
        if self.merge_default_graph:
            args.append("--merge-default-graph")
        if self.merged_graph:
            args += ["--merged-graph", self.merged_graph]
        return args

    def stop(self) -> None:
        while self.stopper:
            self.stopper.pop()()


def _wait_http(url: str, deadline: float, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    q = urllib.parse.urlencode({"query": "ASK {}"})
    while True:
        try:
            with urllib.request.urlopen(f"{url}?{q}", timeout=2) as r:
                r.read()
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}: {_tail(log)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer in time: {_tail(log)}")
        time.sleep(0.1)


def _tail(log: Path | None) -> str:
    if log is None or not log.is_file():
        return ""
    return " | ".join(log.read_text(errors="replace").strip().splitlines()[-5:])


def start_oxigraph(folder: Path, *, on_disk: bool = True) -> Server:
    """``oxigraph serve`` with its database in ``folder/db`` (or in memory: an on-disk store gets
    slower with every graph replaced, about +0.1 s per PUT per re-publish of the corpus, so the
    tests that re-publish many times use memory)."""
    exe = oxigraph_exe()
    port = free_port()
    db = folder / "db"
    log = folder / "oxigraph.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([exe, "serve", *(["--location", str(db)] if on_disk else []), "--bind", f"{LOOPBACK}:{port}"],
                                stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://{LOOPBACK}:{port}"
    srv = Server("oxigraph", folder, f"{base}/query", f"{base}/update", f"{base}/store",
                 merge_default_graph=True, pid=proc.pid)

    def stop():
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    srv.stopper.append(stop)
    try:
        _wait_http(srv.query_url, time.monotonic() + 20, proc, log)
    except Exception:
        srv.stop()
        raise
    return srv


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = {host}:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = ., {folder}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
CheckpointInterval = 60
ThreadsPerQuery    = 2

[HTTPServer]
ServerPort            = {host}:{http_port}
ServerRoot            = {folder}/www
MaxClientConnections  = 8
ServerThreads         = 8

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 0
"""


# Virtuoso's default dataset is the union of its graphs, a triple once per graph holding it; the
# contract queries read the merge that publish keeps in this graph (default-graph-uri)
VIRTUOSO_MERGED_GRAPH = "https://w3id.org/newskb/graph/merged"


def start_virtuoso(folder: Path) -> Server:
    exe, isql = virtuoso_exe()
    db = folder / "db"
    db.mkdir(parents=True)
    (folder / "www").mkdir()
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, folder=folder, host=LOOPBACK, sql_port=sql_port, http_port=http_port))
    log = db / "virtuoso.log"
    # +wait: the server daemonises once it is ready; this call returns then
    subprocess.run([exe, "+configfile", str(ini), "+wait"], cwd=folder, check=False, timeout=60,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lck = db / "virtuoso.lck"
    pid = None
    if lck.is_file():
        pid = int(lck.read_text().strip().split("=")[1])
    base = f"http://{LOOPBACK}:{http_port}"
    srv = Server("virtuoso", folder, f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
                 user="dba", password="dba", auth="digest", pid=pid, merged_graph=VIRTUOSO_MERGED_GRAPH)

    def stop():
        subprocess.run([isql, f"{LOOPBACK}:{sql_port}", "dba", "dba", "exec=shutdown();"], timeout=30,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        if pid is not None and not _gone(pid, 15):
            os.kill(pid, signal.SIGKILL)
            _gone(pid, 5)
    srv.stopper.append(stop)
    if pid is None:
        raise RuntimeError(f"Virtuoso did not start: {_tail(log)}")
    try:
        _wait_http(srv.query_url, time.monotonic() + 30, None, log)
        # the same SPARQL service behind HTTP basic auth (Virtuoso ships digest only)
        subprocess.run([isql, f"{LOOPBACK}:{sql_port}", "dba", "dba", "exec=" + BASIC_VHOST], timeout=30, check=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        srv.basic_url = f"{base}/sparql-basic"
    except Exception:
        srv.stop()
        raise
    return srv


BASIC_VHOST = ("DB.DBA.VHOST_DEFINE(lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-basic', ppath=>'/!sparql/', "
               "is_dav=>1, auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', realm=>'SPARQL', sec=>'basic', ses_vars=>1, "
               "vsp_user=>'dba', opts=>vector('noinherit', 1));")


def _gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


_running: dict[tuple[str, str], Server] = {}


def get(kind: str, name: str, tmp_path_factory, *, on_disk: bool = True) -> Server:
    """The server of ``kind`` ('oxigraph' or 'virtuoso') called ``name``, started on first use in
    this session (stop them all with :func:`stop_all`). ``on_disk=False``: an in-memory Oxigraph."""
    key = (kind, name)
    if key not in _running:
        folder = tmp_path_factory.mktemp(f"{kind}-{name}")
        if kind == "oxigraph":
            _running[key] = start_oxigraph(folder, on_disk=on_disk)
        else:
            _running[key] = start_virtuoso(folder)
    return _running[key]


def stop_all() -> None:
    while _running:
        _, srv = _running.popitem()
        srv.stop()


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``newskb ARGS`` in a subprocess of this virtual environment."""
    exe = Path(sys.executable).with_name("newskb")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


# ---- published KBs and result comparison ------------------------------------------------------

_published: dict[tuple[str, str], tuple] = {}


def copy_kb(kb: Path, dest: Path) -> Path:
    """A copy of a built KB folder without its store cache (publish writes its state file there)."""
    shutil.copytree(kb, dest, ignore=shutil.ignore_patterns("store", ".publish-*"))
    return dest


def published(srv: Server, kb: Path, tmp_path_factory):
    """Publish (a copy of) ``kb`` to ``srv`` once per session; returns (kb copy, first report)."""
    from newskb.publish import publish

    key = (srv.kind, str(srv.folder))
    if key not in _published:
        copy = copy_kb(kb, tmp_path_factory.mktemp(f"kb-{srv.kind}") / "kb")
        report = publish(copy, srv.query_url, **srv.publish_kwargs())
        _published[key] = (copy, report)
    return _published[key]


XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                             "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                             "unsignedInt", "unsignedLong")}
PLAIN = {None, XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


WKT = ("http://www.opengis.net/ont/geosparql#wktLiteral", "http://www.openlinksw.com/schemas/virtrdf#Geometry")


def _wkt_key(text: str) -> tuple:
    """A WKT literal as its geometry type and coordinates (numbers by value; spacing, case and a
    leading CRS84 IRI, the WKT default, set aside)."""
    import re
    from decimal import Decimal

    body = re.sub(r"^\s*<http://www\.opengis\.net/def/crs/OGC/1\.3/CRS84>\s*", "", text)
    kind = re.match(r"\s*([A-Za-z]+)", body)
    nums = [Decimal(n).normalize() for n in re.findall(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", body)]
    # longitude -180 is the meridian 180 (Virtuoso writes it so)
    nums = [Decimal(180) if i % 2 == 0 and n == -180 else n for i, n in enumerate(nums)]
    return (kind.group(1).upper() if kind else ""), tuple(nums)


def normalise(term):
    """A term as a comparable key: numbers by value, dates by their date, booleans by truth,
    language tags in lower case; servers differ in how they spell these."""
    import pyoxigraph as ox
    from decimal import Decimal, InvalidOperation

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    dt = term.datatype.value if term.datatype is not None else None
    if dt in NUMERIC:
        try:
            return ("number", Decimal(term.value).normalize())
        except InvalidOperation:
            pass
    if dt == XSD + "boolean":
        return ("boolean", term.value in ("true", "1"))
    if dt == XSD + "date":
        return ("date", term.value[:10])
    if dt == XSD + "dateTime":
        return ("dateTime", term.value.replace("Z", "").split(".")[0])
    if dt in WKT:  # Virtuoso reads geo:wktLiteral into its own geometry type and writes it back its way
        return ("wkt", _wkt_key(term.value))
    return ("literal", term.value, (term.language or "").lower(), None if dt in PLAIN else dt)


def solution_set(results) -> set[tuple]:
    """SELECT results as a set of normalised solutions (column order from ``results.variables``)."""
    return {tuple(normalise(t) for t in row) for row in results.rows}


# ---- fixtures shared by the server test modules (import them from there) ----------------------

@pytest.fixture(scope="session", params=["oxigraph", "virtuoso"])
def contract(request, corpus_kb, tmp_path_factory):
    """(server, KB copy, publish report): the corpus published once to each server; read only (a
    test that adds a graph of its own drops it before it ends)."""
    srv = get(request.param, "contract", tmp_path_factory)
    kb, report = published(srv, corpus_kb, tmp_path_factory)
    return srv, kb, report


@pytest.fixture(scope="session")
def stop_servers():
    """Stops every server at the end of the session (use it autouse in each module)."""
    yield
    stop_all()
