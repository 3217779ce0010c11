"""Remote queries (newskb.remote and 'newskb query --endpoint') against real servers: the same
output as local queries, basic and digest auth, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

import servers
from newskb.remote import RemoteError, select
from newskb.store import ResultFormat, open_kb, query_text, run_select

from servers import contract, stop_servers  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _servers_stop_at_end(stop_servers):
    pass


@pytest.fixture(scope="session")
def virtuoso(corpus_kb, tmp_path_factory):
    """The contract Virtuoso server, with the corpus KB published to it (once per session, as the
    contract fixture does): the auth tests count its triples."""
    srv = servers.get("virtuoso", "contract", tmp_path_factory)
    servers.published(srv, corpus_kb, tmp_path_factory)
    return srv


def _lines(text: str) -> list[str]:
    return sorted(text.splitlines())


@pytest.mark.parametrize("name", ["events", "statements", "deployments"])
def test_remote_output_formats_match_local(contract, name):
    """CSV, TSV, JSON and the table render the same rows as the embedded store (Oxigraph exactly;
    Virtuoso up to the spelling of numbers and repeated DISTINCT rows, see test_servers)."""
    srv, kb, _ = contract
    sparql = query_text(name)
    local = run_select(open_kb(kb), sparql)
    remote = select(srv.query_url, sparql, default_graph=srv.merged_graph)
    assert local.rows, f"{name} gives no rows: the comparison would prove nothing"
    if srv.kind != "oxigraph":
        assert servers.solution_set(remote) == servers.solution_set(local)
        return
    for fmt in (ResultFormat.CSV, ResultFormat.TSV, ResultFormat.TABLE):
        assert _lines(remote.render(fmt)) == _lines(local.render(fmt)), fmt
    lj, rj = json.loads(local.render(ResultFormat.JSON)), json.loads(remote.render(ResultFormat.JSON))
    assert lj["head"] == rj["head"]
    key = lambda b: json.dumps(b, sort_keys=True)  # noqa: E731
    assert sorted(map(key, lj["results"]["bindings"])) == sorted(map(key, rj["results"]["bindings"]))


def test_cli_query_endpoint_matches_local_kb(contract):
    srv, kb, _ = contract
    args = ["query", "deployments", "--format", "csv"]
    local = servers.run_cli(*args, "--kb", str(kb))
    remote = servers.run_cli(*args, "--endpoint", srv.query_url, "--timeout", "30")
    assert local.returncode == 0 and remote.returncode == 0, remote.stderr
    if srv.kind == "oxigraph":
        assert _lines(remote.stdout) == _lines(local.stdout)
    else:  # Virtuoso may repeat a row of a SELECT DISTINCT
        assert set(_lines(remote.stdout)) == set(_lines(local.stdout))


def test_digest_auth(virtuoso):
    res = select(virtuoso.update_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", user="dba", password="dba",
                 auth="digest")
    assert int(res.rows[0][0].value) > 20000
    with pytest.raises(RemoteError) as err:
        select(virtuoso.update_url, "ASK {}", user="dba", password="wrong", auth="digest")
    assert err.value.kind == "auth" and "authentication failed" in str(err.value)


def test_basic_auth(virtuoso):
    res = select(virtuoso.basic_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", user="dba", password="dba",
                 auth="basic")
    assert int(res.rows[0][0].value) > 20000
    with pytest.raises(RemoteError) as err:
        select(virtuoso.basic_url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", user="dba", password="wrong")
    assert err.value.kind == "auth"


def test_password_from_environment(virtuoso, monkeypatch):
    monkeypatch.setenv("NEWSKB_PASSWORD", "dba")
    res = select(virtuoso.update_url, "SELECT (1 AS ?one) WHERE {}", user="dba", auth="digest")
    assert res.rows[0][0].value == "1"


def _one_line_exit_2(proc) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


def test_cli_wrong_password(virtuoso):
    line = _one_line_exit_2(servers.run_cli("query", "events", "--endpoint", virtuoso.update_url, "--user", "dba",
                                            "--password", "wrong", "--auth", "digest"))
    assert "authentication failed" in line and "HTTP 401" in line


def test_cli_unreachable_endpoint():
    port = servers.free_port()  # nothing listens there
    line = _one_line_exit_2(servers.run_cli("query", "events", "--endpoint", f"http://127.0.0.1:{port}/sparql"))
    assert "cannot connect" in line


def test_cli_server_error(virtuoso, tmp_path):
    q = tmp_path / "divide.rq"
    q.write_text("SELECT (1/0 AS ?x) WHERE {}\n")
    line = _one_line_exit_2(servers.run_cli("query", str(q), "--endpoint", virtuoso.query_url))
    assert "server error (HTTP 500)" in line and "Division by 0" in line


def test_cli_not_an_endpoint(contract):
    srv, _, _ = contract
    line = _one_line_exit_2(servers.run_cli("query", "events", "--endpoint", srv.query_url.rsplit("/", 1)[0] + "/nothing"))
    assert "HTTP 4" in line


def test_timeout_is_one_line_error():
    """A server that accepts the connection and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(4)
        port = s.getsockname()[1]
        stop = threading.Event()

        def hold():
            conns = []
            s.settimeout(0.2)
            while not stop.is_set():
                try:
                    conns.append(s.accept()[0])
                except OSError:
                    pass
            for c in conns:
                c.close()
        t = threading.Thread(target=hold, daemon=True)
        t.start()
        t0 = time.monotonic()
        try:
            with pytest.raises(RemoteError) as err:
                select(f"http://127.0.0.1:{port}/sparql", "ASK {}", timeout=1.0)
        finally:
            stop.set()
            t.join(5)
    assert err.value.kind == "timeout" and "no answer within 1 s" in str(err.value)
    assert time.monotonic() - t0 < 10


def test_a_transaction_conflict_is_retryable_and_retried(monkeypatch):
    """Virtuoso deadlocks one of two concurrent merges (two shards publishing at once) and says so
    with SQLSTATE 40001; publish sends that request again. The deadlock itself cannot be caused on
    demand, so the request here fails twice by hand."""
    from newskb import publish as P
    from newskb.remote import Connection, _http_error

    conn = Connection(None, None, "basic", 5)
    body = b"Virtuoso 40001 Error SR172: Transaction deadlocked\n\nSPARQL query: ..."
    conflict = _http_error("http://h/sparql-auth", 500, body, conn)
    assert conflict.retryable and conflict.kind == "server" and "deadlocked" in str(conflict)
    assert not _http_error("http://h/sparql-auth", 500, b"Virtuoso 37000 Error SP030: syntax", conn).retryable
    monkeypatch.setattr(P, "RETRY_DELAYS", (0, 0, 0))
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise conflict
    P._retrying(flaky)
    assert len(calls) == 3

    def broken():
        calls.append(1)
        raise _http_error("http://h/sparql-auth", 500, b"out of disk", conn)
    calls.clear()
    with pytest.raises(RemoteError, match="out of disk"):
        P._retrying(broken)
    assert len(calls) == 1  # not retried: only conflicts are
