"""The server benchmark's load generator counts what it is told: an answer with the expected
status is a latency, any other is a failure named by its status and text, and a connection the
server drops is a failure too, after which the client connects again."""

from __future__ import annotations

import itertools
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from benchmarks import load
from screening_app.server.tls import self_signed


class _Answers(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # kept alive, as uvicorn's

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/drop":
            self.close_connection = True
            self.wfile.write(b"HTTP/1.1 201 Created\r\n")  # headers never finished
            return
        status, text = (201, b'{"stored": true}') if self.path == "/ok" else (409, b"conflict")
        self.send_response(status)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, *_args: object) -> None:
        """Nothing on standard error for each request (http.server's default)."""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, ssl.SSLContext]]:
    self_signed(tmp_path, "127.0.0.1")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "server.crt", tmp_path / "server.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = ssl.create_default_context(cafile=str(tmp_path / "server.crt"))
        yield f"https://127.0.0.1:{server.server_address[1]}", client
    finally:
        server.shutdown()
        server.server_close()


def test_answers_are_latencies_or_named_failures(served: tuple[str, ssl.SSLContext]) -> None:
    paths = itertools.cycle(["/ok", "/conflict", "/drop"])

    def next_request(_n: int) -> load.Request:
        return "POST", next(paths), b"{}"

    seen = load.run(*served, ["t1", "t2"], 0.5, next_request, 201)
    assert seen.latencies and seen.latencies == sorted(seen.latencies)
    assert set(seen.failed) == {"409 conflict", "EOFError"}
    # after a dropped connection the client connects again and goes on
    assert seen.failed["EOFError"] >= 2 and len(seen.latencies) >= seen.failed["EOFError"] - 2
    assert seen.errors().startswith(f"{sum(seen.failed.values())} errors (")
    assert seen.at(0.0) == seen.latencies[0] and seen.at(1.0) == seen.latencies[-1]
    assert seen.cpu > 0


def test_nothing_answered_is_reported_not_a_crash(served: tuple[str, ssl.SSLContext]) -> None:
    url, _context = served
    untrusting = ssl.create_default_context()  # the self-signed certificate is refused
    seen = load.run(url, untrusting, ["t1"], 0.2, lambda _n: ("GET", "/ok", None), 200)
    assert seen.latencies == [] and seen.rate == 0 and seen.at(0.95) == 0.0
    assert "SSLCertVerificationError" in seen.failed
