"""The team server under load, against PostgreSQL itself, measured in the same run.

- 1 000 encrypted screenings uploaded one request each over loopback TLS (sign-in, envelope
  check, signature, row-level security, audit) vs the same rows inserted straight into
  PostgreSQL with one prepared statement;
- 50 clients uploading at once for ``seconds``: requests per second and the 95th percentile
  latency, vs one client's median latency.
Run: ``python -m benchmarks.bench_server [--seconds 30]``. Needs PostgreSQL's server binaries.
"""

from __future__ import annotations

import argparse
import base64
import ssl
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import uvicorn

from benchmarks.common import Measure, print_table
from screening_app.crypto import AccountKeys
from screening_app.server import schema
from screening_app.server.api import create_app
from screening_app.server.store import ServerStore
from screening_app.server.tls import self_signed
from screening_app.sync.envelope import seal
from tests.server.postgres import throwaway_cluster

PW = "bench-password-1"


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
    def __init__(self, store: ServerStore, folder: Path) -> None:
        self_signed(folder, "127.0.0.1")
        config = uvicorn.Config(
            create_app(store),
            host="127.0.0.1",
            port=0,
            ssl_certfile=str(folder / "server.crt"),
            ssl_keyfile=str(folder / "server.key"),
            log_level="warning",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"https://127.0.0.1:{port}"
        self.verify = ssl.create_default_context(cafile=str(folder / "server.crt"))

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _client(served: _Served, name: str, keys: AccountKeys) -> httpx.Client:
    client = httpx.Client(base_url=served.url, verify=served.verify, timeout=30)
    token = client.post("/v1/sessions", json={"name": name, "password": PW}).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    body = {"name": name, "x25519": keys.box_public.hex(), "ed25519": keys.sign_public.hex()}
    client.post("/v1/devices", json=body).raise_for_status()
    return client


def run(seconds: float = 30.0, uploads: int = 1000, clients: int = 50) -> list[Measure]:
    with throwaway_cluster() as cluster, tempfile.TemporaryDirectory() as folder:
        url = cluster.url()
        with psycopg.connect(url, autocommit=True) as conn:
            schema.migrate(conn)
        store = ServerStore(url, pool_size=16)
        for n in range(clients):
            store.add_account(f"p{n}", PW, "practitioner", "North")
        served = _Served(store, Path(folder))
        try:
            team = AccountKeys.generate().box_public
            keys = AccountKeys.generate()
            one = _client(served, "p0", keys)
            bodies = [_sealed(keys, team) for _ in range(uploads)]
            start = time.perf_counter()
            for body in bodies:
                one.post("/v1/screenings", json=body).raise_for_status()
            through_api = time.perf_counter() - start
            raw = _raw_inserts(url, bodies)
            single = statistics.median(_timed(one, keys, team, 50))
            one.close()
            rate, p95 = _concurrent(served, clients, team, seconds)
        finally:
            served.stop()
            store.close()
    return [
        Measure(
            f"Upload {uploads:,} screenings over loopback TLS, one request each",
            through_api,
            raw,
            "s",
            "the API's checks, not PostgreSQL, set the pace",
            "the same rows inserted straight into PostgreSQL",
        ),
        Measure(
            f"{clients} clients uploading for {seconds:.0f} s: p95 latency ({rate:.0f} requests/s)",
            p95,
            single,
            "s",
            "p95 ≤ 0.5 s",
            "one client's median latency",
        ),
    ]


def _raw_inserts(url: str, bodies: list[dict[str, str]]) -> float:
    rows = [
        (uuid.uuid4(), base64.b64decode(b["envelope"]), base64.b64decode(b["signature"]))
        for b in bodies
    ]
    with psycopg.connect(url) as conn:
        team, author = conn.execute("SELECT team_id, id FROM accounts LIMIT 1").fetchone()  # type: ignore[misc]
        start = time.perf_counter()
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO screenings (id, version, team_id, author_id, form_id, form_version, "
                "status, screening_month, envelope, signature) VALUES (%s, 1, %s, %s, "
                "'cse-risk-screening', 1, 'submitted', '2026-11', %s, %s)",
                [(sid, team, author, envelope, signature) for sid, envelope, signature in rows],
            )
        conn.commit()
        return time.perf_counter() - start


def _timed(client: httpx.Client, keys: AccountKeys, team: bytes, count: int) -> list[float]:
    times = []
    for _ in range(count):
        body = _sealed(keys, team)
        start = time.perf_counter()
        client.post("/v1/screenings", json=body).raise_for_status()
        times.append(time.perf_counter() - start)
    return times


def _concurrent(served: _Served, clients: int, team: bytes, seconds: float) -> tuple[float, float]:
    keys = [AccountKeys.generate() for _ in range(clients)]
    sessions = [_client(served, f"p{n}", keys[n]) for n in range(clients)]
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        while time.perf_counter() < deadline:
            body = _sealed(keys[n], team)
            start = time.perf_counter()
            sessions[n].post("/v1/screenings", json=body).raise_for_status()
            with lock:
                latencies.append(time.perf_counter() - start)

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(work, range(clients)))
    for session in sessions:
        session.close()
    latencies.sort()
    return len(latencies) / seconds, latencies[int(len(latencies) * 0.95)]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30.0)
    print_table(run(parser.parse_args().seconds))
