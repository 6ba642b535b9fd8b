"""A real PostgreSQL for the server tests: one throwaway cluster per test session, a fresh
database per test, migrated by the same code as ``server init``."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import uvicorn
from fastapi.testclient import TestClient

from screening_app.server import schema
from screening_app.server.api import create_app
from screening_app.server.store import ServerStore
from screening_app.server.tls import self_signed
from screening_app.services import access
from screening_app.services.model import FAST_KDF
from tests.server.postgres import Cluster, throwaway_cluster

_NAMES = itertools.count()
PW = "journey-password-1"


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    with throwaway_cluster() as running:
        yield running


@contextmanager
def database_at(cluster: Cluster, target: int = schema.LATEST) -> Iterator[str]:
    """A new database of the cluster at schema ``target`` (an older one: to test an upgrade),
    dropped afterwards; its URL."""
    name = f"t{next(_NAMES)}"
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = cluster.url(name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            schema.migrate(conn, target=target)
        yield url
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def database_url(cluster: Cluster) -> Iterator[str]:
    with database_at(cluster) as url:
        yield url


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(database_url: str, clock: Clock) -> Iterator[ServerStore]:
    opened = ServerStore(database_url, clock=clock, pool_size=2)
    yield opened
    opened.close()


@pytest.fixture
def client(store: ServerStore) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as test_client:
        yield test_client


@pytest.fixture
def server(database_url: str, tmp_path: Path, cluster: Cluster) -> Iterator[tuple[str, str]]:
    """The team server on a loopback port over TLS: (URL, fingerprint)."""
    store = ServerStore(database_url)
    for name, role, team in (
        ("sol", "supervisor", "North"),
        ("kit", "practitioner", "North"),
        ("lou", "supervisor", "South"),
        ("sam", "supervisor", "North"),
        ("ada", "admin", None),
    ):
        store.add_account(name, PW, role, team)
    fingerprint = self_signed(tmp_path / "tls", "127.0.0.1")
    config = uvicorn.Config(
        create_app(store),
        host="127.0.0.1",
        port=0,
        ssl_certfile=str(tmp_path / "tls" / "server.crt"),
        ssl_keyfile=str(tmp_path / "tls" / "server.key"),
        log_level="warning",
    )
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    while not served.started:
        time.sleep(0.05)
    port = served.servers[0].sockets[0].getsockname()[1]
    yield f"https://127.0.0.1:{port}", fingerprint
    served.should_exit = True
    thread.join(timeout=10)
    store.close()


Machine = Callable[[str, str], list[str]]


@pytest.fixture
def on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Machine:
    """``on("kit", "kit")``: the CLI's ``--db``/``--user``/``--password-file`` for one computer
    (each its own database) and one account."""
    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)
    password = tmp_path / "pw"
    password.write_text(PW)

    def arguments(machine: str, user: str) -> list[str]:
        database = str(tmp_path / f"{machine}.db")
        return ["--db", database, "--user", user, "--password-file", str(password)]

    return arguments


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run the command line as a user would; (exit code, what it printed)."""
    from screening_app.cli import run

    code = run(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def connect(
    capsys: pytest.CaptureFixture[str], url: str, fingerprint: str, on: Machine, *names: str
) -> dict[str, str]:
    """``connect`` each named account from its own computer; what each printed."""
    printed = {}
    for name in names:
        code, out = cli(capsys, "connect", url, "--fingerprint", fingerprint, *on(name, name))
        assert code == 0, out
        printed[name] = out
    return printed


def approve(capsys: pytest.CaptureFixture[str], on: Machine, approver: str, approved: str) -> str:
    """``approved`` reads their computer's code to ``approver``, who approves it: the computer
    then receives the team key (a supervisor's) and the link secret. What approving printed."""
    code, out = cli(capsys, "team", "code", *on(approved, approved))
    assert code == 0, out
    computer_code = out.split("code: ")[1].split()[0]
    code, out = cli(capsys, "team", "approve", computer_code, *on(approver, approver))
    assert code == 0, out
    return out
