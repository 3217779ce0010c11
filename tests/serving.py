"""One ``newskb serve`` per test session, shared by test_server.py and test_browser.py.

The server runs as a subprocess on a free loopback port and is stopped when the session ends.
It is started with a 3-second query time limit so the time-limit test stays fast.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from helpers import OUTPUT

QUERY_TIMEOUT = 3.0
_servers: dict[str, "Server"] = {}


class Server:
    def __init__(self, kb: Path):
        self.kb = kb
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        OUTPUT.mkdir(parents=True, exist_ok=True)
        self.log = open(OUTPUT / "server.log", "w")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newskb.cli", "serve", "--kb", str(kb), "--host", "127.0.0.1",
             "--port", str(self.port), "--timeout", str(QUERY_TIMEOUT)],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"newskb serve exited with {self.proc.returncode}; see {OUTPUT / 'server.log'}")
            try:
                if httpx.get(self.url + "/.well-known/void", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("newskb serve did not answer within 60 s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def server_for(kb: Path) -> Server:
    key = str(kb)
    if key not in _servers:
        _servers[key] = Server(kb)
    return _servers[key]


@atexit.register
def _stop_all() -> None:
    for s in _servers.values():
        s.stop()


def jsonld_graph(text: str, client, base: str = "https://w3id.org/newskb/"):
    """Parse a served JSON-LD document with rdflib, its ``@context`` references resolved through
    the server (a context IRI under the KB's base is served at that path): the check that the
    context resolves, and the triples the document expands to."""
    import json

    import rdflib

    def resolve(ctx):
        if isinstance(ctx, str):
            assert ctx.startswith(base), f"a context outside the KB: {ctx}"
            r = client.get("/" + ctx[len(base):])
            assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json"), ctx
            return r.json()["@context"]
        if isinstance(ctx, list):
            return [resolve(c) for c in ctx]
        return ctx

    doc = json.loads(text)
    if isinstance(doc, dict) and "@context" in doc:
        doc["@context"] = resolve(doc["@context"])
    return rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
