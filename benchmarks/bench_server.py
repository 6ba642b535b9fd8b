"""The team server under load, against PostgreSQL itself, measured in the same run.

The server runs as `screening-app server run --workers W` in processes of its own (as in
production: the clients of this benchmark do not share its interpreter):

- 1 000 encrypted screenings sent in batches of 100 over one kept-alive TLS connection (each
  envelope's signature and metadata checked, row-level security, one transaction and one lock
  of the team's audit chain per batch) vs the same rows inserted straight into PostgreSQL in
  batches of 100 (one prepared statement, one transaction each);
- the same 1 000 sent one request each, against the same baseline (what a desktop did before
  batches);
- ``clients`` clients (benchmarks/load.py: one kept-alive TLS connection each) uploading at
  once for ``seconds``: p50, p95 and p99 latency, requests per second and errors (each named),
  the CPU time per upload of the workers and of the clients, vs one client's median latency;
- the server's time per upload at those clients (1 / requests/s) vs the same clients asking
  ``GET /health`` for as long: the lightest request through the same stack.

What set the pace before (cProfile of the server process, py-spy is not installed here): one
request per screening (TLS record and HTTP framing, JSON parsing, the Ed25519 check and a
transaction with its row-level-security context for each), every upload of every team waiting
on one global lock of the audit chain, and one uvicorn worker sharing the bench's interpreter.
Now: batches, a chain per team (server/audit.py), several workers.

What set the pace of the 50 clients (``py-spy record --pid`` on a worker, from the ``profile``
extra, session 14; all 50 are of one team): two things held from a screening's insert until its
transaction commits — the team's audit-chain lock (taken first by the figures' trigger) and the
figures' dirty mark of its month (an upsert on one row) — so one team's uploads commit one at a
time, about one fsync each. With both taken out for a measurement only, the same run went from
264 to 391 requests/s (p50 176 → 115 ms); what remains is the two cores, shared by the 50 client
threads, the two workers and PostgreSQL, each request costing a TLS record, JSON, an Ed25519
check and two transactions (the token's, then the upload's). Tried in session 14 and left out
(branch ``experiment/deferred-audit-links``): audit rows written pending and linked after their
commit by a short transaction of their own (a position and hashes filled in under the chain's
lock, not waiting for the disk), and the figures' marks appended to a log. Nothing waited any
more, yet the 50 clients stayed at 239–265 requests/s and single uploads got slower (5.3 s for 1
000): on two cores shared with the clients, the linking transaction cost what the waiting had.

The batches (py-spy, one worker): the Ed25519 check of each envelope was half the server's time
for a batch; the library releases the GIL while it checks, so a batch is now checked in two
halves on two threads (31 instead of 38 ms a batch; 1 000 uploads 4.0× the raw inserts).

Session 15 (py-spy again, and each phase of a batch timed in the worker): storing a batch took
12.7 ms, half of it psycopg writing the envelopes and signatures as a text array of bytea (each
byte escaped in Python), the rest 100 statements, each firing the figures' statement trigger.
Now one INSERT over one array per column, the bytea arrays sent binary: 12.7 → 5.5 ms. The
signature checks run while the request's thread opens the transaction and reads what is held
(the first half while the second is read), and the common path has no savepoint (a refused value
undoes the transaction, then the batch goes item by item). The first request of a worker builds
FastAPI's routes (about 20 ms), so the measure sends one batch first, and takes the median of
three rounds of the batches and of the baseline, which moved between 62 and 141 ms from run to
run. 1 000 in batches: 198–237 ms, 2.6–3.05× (five runs of six under 3×).

The 50 clients (session 15): writing an audit row in one statement and reading what is held
before taking the chain's lock changed nothing here (305–316 requests/s; they shorten the wait
when the database is across a network); reading each request's caller by one statement outside a
transaction did count: 337–359 requests/s. Tried and left out: a shorter interpreter switch
interval in the workers (no change).

Session 16 (CPU time per process from /proc; py-spy ``--gil``): each worker held the
interpreter's lock only 30 % of the time and ten teams' clients went faster than one team's: the
team's chain was the queue, held over four round trips and the COMMIT, each waiting for its
thread to get the interpreter back among forty. Now a single upload reads what is held, the
epoch and the version before in one round trip, then sends the lock, one statement inserting
only while the key is at that epoch with its audit row (audit.after), and the COMMIT together
(psycopg's pipeline): 379–400 requests/s. The same clients asking ``GET /health`` (one read,
nothing else) reached 986–1 153 requests/s, uploads 2.4–2.9× slower. (Without the pipeline: the
same here; it saves round trips.)

Session 17, the workers' CPU time per request (now reported here: what the server spends,
whoever shares the cores): an upload cost a worker 2.4–2.6 ms with one client, 2.7–3.0 ms with
50, in-process without HTTP 1.0 ms. The rest was the web stack, and with 50 clients the
contention of 40 threads a worker (anyio's default) for the interpreter, though only the pool's
8 connections could work. Measured one at a time (50 clients, 15 s, a script of this module's
parts): threads capped at the pool, 4 (server/api.py ``_running``): 2.6 ms, 414 requests/s;
uvicorn's C parser and loop (httptools, uvloop): 2.4 ms, 437; each request handed to a thread
once instead of three times — its caller read in the endpoint's thread (server/bearer.py), its
answer checked on the loop (server/routing.py) — and FastAPI's telemetry hooks off: 2.2 ms,
434–458 requests/s, p95 164–201 ms (one client: 2.0 ms a request). Three runs of this benchmark:
412–465 requests/s, p95 164–211 ms, 0 errors, uploads 1.9–2.1× ``GET /health``; 1 000 singles
3.3–3.7 s (3.8 before). The machine stays the limit: the workers take one core, the clients (one
Python process with 50 threads) about 0.8 ms a request and PostgreSQL the rest. On a server of
its own, two workers at 2.2 ms an upload would answer about 900 a second. Left: a statement in
the upload's pipelined transaction costs a worker about 33 µs, the transaction itself 240 µs
(psycopg, measured alone), so folding its three reads into one would save 3 %.

Session 18: the clients were half the measure. Fifty httpx clients in fifty threads of this
process cost 0.75 ms of CPU a request on the two cores the server and PostgreSQL use, and each
waited for this process's interpreter lock between its request and its answer, inside the
latency. They are now one asyncio connection each (benchmarks/load.py), 0.14–0.17 ms a request,
as fifty desktops on fifty computers would cost the server's machine nothing. Six 30 s runs
(412–465 requests/s and p95 164–211 ms with the threads): 585–676 requests/s, p95 108–140 ms,
then, with the machine faster (the raw baseline 63–69 ms against 68–76), 794–824 requests/s,
p50 62–65 ms, p95 97–111 ms, 0 errors. ``GET /health`` went from 852–882 to 2 229–3 259
requests/s: the old clients capped the light request too. ``server run`` also writes no line of
log per request unless ``--access-log`` is given (a few per cent of a request). What is left is
the machine: an upload costs the workers 1.42–1.71 ms and PostgreSQL 0.7–0.8 ms (0.1 ms of it
the figures' trigger), so the two cores answer at most 750–870 a second; 1 000 needs 2.0 ms
all told, on a machine of its own. Measured and left out: figures_mark without its own
search_path (within the noise). Not tried: one pool checkout for a request's caller and its
work (about 3 % of a worker, by the profile).

Run: ``python -m benchmarks --only server``. Needs PostgreSQL's server binaries.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg

from benchmarks import load
from benchmarks.common import Measure, cpu_seconds, print_table
from screening_app.crypto import AccountKeys
from screening_app.server import schema
from screening_app.server.store import ServerStore
from screening_app.server.tls import self_signed
from screening_app.sync.envelope import seal
from tests.server.postgres import throwaway_cluster
from tests.server.test_server_cli import _free_port

PW = "bench-password-1"
BATCH = 100
ROUNDS = 3  # the batches and their baseline: the median of three runs each


def _sealed(keys: AccountKeys, team: bytes) -> dict[str, str]:
    metadata = {
        "id": str(uuid.uuid4()),
        "version": 1,
        "team": "North",
        "form_id": "cse-risk-screening",
        "form_version": 1,
        "screening_month": "2026-11",
        "operative_band": "mild",
        "la_area": "bristol",
        "models": [],
        "practitioner_role": "teacher",
    }
    content = {"answers": {f"q{n}": "yes" for n in range(60)}}
    sealed = seal(metadata, content, {"team": team, "author": keys.box_public}, keys)
    return {
        "envelope": base64.b64encode(sealed.envelope).decode(),
        "signature": base64.b64encode(sealed.signature).decode(),
    }


class _Served:
    """``server run`` in its own processes, on a free port."""

    def __init__(self, url: str, folder: Path, workers: int) -> None:
        self_signed(folder, "127.0.0.1")
        port = _free_port()
        command = [sys.executable, "-m", "screening_app", "server", "run", "--database", url]
        command += ["--listen", f"127.0.0.1:{port}", "--workers", str(workers)]
        command += ["--cert", str(folder / "server.crt"), "--key", str(folder / "server.key")]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.url = f"https://127.0.0.1:{port}"
        self.cpu_per_request = (0.0, 0.0)  # uploads, GET /health (the 50 clients)
        self.verify = ssl.create_default_context(cafile=str(folder / "server.crt"))
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{self.url}/health", verify=self.verify, timeout=2)
                return
            except httpx.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def _client(served: _Served, name: str, keys: AccountKeys) -> httpx.Client:
    client = httpx.Client(base_url=served.url, verify=served.verify, timeout=60)
    token = client.post("/v1/sessions", json={"name": name, "password": PW}).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    body = {"name": name, "x25519": keys.box_public.hex(), "ed25519": keys.sign_public.hex()}
    client.post("/v1/devices", json=body).raise_for_status()
    return client


def run(
    seconds: float = 30.0, uploads: int = 1000, clients: int = 50, workers: int | None = None
) -> list[Measure]:
    workers = workers or min(4, os.cpu_count() or 1)
    with throwaway_cluster() as cluster, tempfile.TemporaryDirectory() as folder:
        url = cluster.url()
        with psycopg.connect(url, autocommit=True) as conn:
            schema.migrate(conn)
        store = ServerStore(url, pool_size=1)
        for n in range(clients):
            store.add_account(f"p{n}", PW, "practitioner", "North")
        store.close()
        served = _Served(url, Path(folder), workers)
        try:
            team = AccountKeys.generate().box_public
            keys = AccountKeys.generate()
            one = _client(served, "p0", keys)
            # one batch first: a worker's first request builds FastAPI's routes (about 20 ms)
            warm = {"items": [_sealed(keys, team) for _ in range(BATCH)]}
            one.post("/v1/screenings/batch", json=warm).raise_for_status()
            through_batches = statistics.median(
                _in_batches(one, [_sealed(keys, team) for _ in range(uploads)])
                for _round in range(ROUNDS)
            )
            singly = [_sealed(keys, team) for _ in range(uploads)]
            start = time.perf_counter()
            for body in singly:
                one.post("/v1/screenings", json=body).raise_for_status()
            through_singles = time.perf_counter() - start
            raw = statistics.median(
                _raw_inserts(url, [_sealed(keys, team) for _ in range(uploads)])
                for _round in range(ROUNDS)
            )
            one.close()
            single, crowd, lightest = _concurrent(served, clients, team, seconds)
        finally:
            served.stop()
    rate = crowd.rate
    return [
        Measure(
            f"Upload {uploads:,} screenings in batches of {BATCH} over one TLS connection "
            f"({workers} workers)",
            through_batches,
            raw,
            "s",
            "≤ 3×",
            "the same rows inserted straight into PostgreSQL, in batches",
        ),
        Measure(
            f"Upload {uploads:,} screenings one request each (before batches)",
            through_singles,
            raw,
            "s",
            "for comparison",
            "the same rows inserted straight into PostgreSQL, in batches",
        ),
        Measure(
            f"{clients} clients uploading for {seconds:.0f} s ({workers} workers): p95 latency; "
            f"p50 {crowd.at(0.5) * 1000:.0f} ms, p99 {crowd.at(0.99) * 1000:.0f} ms, "
            f"{rate:.0f} requests/s, {crowd.errors()}; CPU time per upload: the workers "
            f"{served.cpu_per_request[0] * 1000:.2f} ms (GET /health "
            f"{served.cpu_per_request[1] * 1000:.2f} ms), the clients "
            f"{crowd.cpu / max(1, len(crowd.latencies)) * 1000:.2f} ms",
            crowd.at(0.95),
            single.at(0.5),
            "s",
            "p95 ≤ 100 ms, 0 errors, ≥ 1 000 requests/s",
            "one client's median latency",
        ),
        Measure(
            f"{clients} clients: the server's time per upload (1 / requests/s); the same "
            f"clients asking GET /health: {lightest.rate:.0f} requests/s",
            1 / rate if rate else float("inf"),
            1 / lightest.rate if lightest.rate else float("inf"),
            "s",
            "report: 1 000 uploads/s needs uploads as light as the lightest request",
            "the same clients asking GET /health, one read (1 / requests/s)",
        ),
    ]


def _in_batches(client: httpx.Client, bodies: list[dict[str, str]]) -> float:
    """Seconds to send ``bodies`` in batches of BATCH, each item stored (201)."""
    start = time.perf_counter()
    for at in range(0, len(bodies), BATCH):
        answer = client.post("/v1/screenings/batch", json={"items": bodies[at : at + BATCH]})
        answer.raise_for_status()
        assert all(r["status"] == 201 for r in answer.json()["results"])
    return time.perf_counter() - start


def _raw_inserts(url: str, bodies: list[dict[str, str]]) -> float:
    rows = [
        (uuid.uuid4(), base64.b64decode(b["envelope"]), base64.b64decode(b["signature"]))
        for b in bodies
    ]
    with psycopg.connect(url) as conn:
        team, author = conn.execute("SELECT team_id, id FROM accounts LIMIT 1").fetchone()  # type: ignore[misc]
        conn.commit()
        start = time.perf_counter()
        for at in range(0, len(rows), BATCH):
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO screenings (id, version, team_id, author_id, form_id, "
                    "form_version, status, screening_month, envelope, signature) VALUES (%s, 1, "
                    "%s, %s, 'cse-risk-screening', 1, 'submitted', '2026-11', %s, %s)",
                    [
                        (sid, team, author, envelope, signature)
                        for sid, envelope, signature in rows[at : at + BATCH]
                    ],
                )
            conn.commit()
        return time.perf_counter() - start


def _concurrent(
    served: _Served, clients: int, team: bytes, seconds: float
) -> tuple[load.Load, load.Load, load.Load]:
    """One client uploading for a few seconds (its latencies are the baseline), then
    ``clients`` uploading for ``seconds``, then the same clients asking ``GET /health`` (one
    read of the database) for as long: the most this machine answers through the same stack,
    with TLS, HTTP and a pooled connection. The clients are benchmarks/load.py's."""
    keys = [AccountKeys.generate() for _ in range(clients)]
    # enough sealed screenings made beforehand for 25 uploads a second a client: sealing one
    # takes this process 0.26 ms, which would otherwise be taken from the server's cores
    ready = [
        [json.dumps(_sealed(keys[n], team)).encode() for _ in range(int(seconds * 25))]
        for n in range(clients)
    ]
    tokens = []
    for n in range(clients):
        session = _client(served, f"p{n}", keys[n])
        tokens.append(session.headers["Authorization"].removeprefix("Bearer "))
        session.close()

    def upload(n: int) -> load.Request:
        body = ready[n].pop() if ready[n] else json.dumps(_sealed(keys[n], team)).encode()
        return "POST", "/v1/screenings", body

    def health(_n: int) -> load.Request:
        return "GET", "/health", None

    one = load.run(served.url, served.verify, tokens[:1], 3, upload, 201)
    spent = cpu_seconds(served.process.pid)
    uploads = load.run(served.url, served.verify, tokens, seconds, upload, 201)
    middle = cpu_seconds(served.process.pid)
    lightest = load.run(served.url, served.verify, tokens, seconds, health, 200)
    done = cpu_seconds(served.process.pid)
    served.cpu_per_request = (
        (middle - spent) / max(1, len(uploads.latencies)),
        (done - middle) / max(1, len(lightest.latencies)),
    )
    return one, uploads, lightest


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=None)
    arguments = parser.parse_args()
    print_table(run(arguments.seconds, workers=arguments.workers))
