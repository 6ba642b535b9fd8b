"""Faults across machines: the server killed mid-upload (whole batches stored, the retry
completes, one copy each),
and computers whose clocks disagree with the server's."""

from __future__ import annotations

import datetime as dt
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from screening_app.errors import StorageError
from screening_app.server.store import ServerStore
from screening_app.server.tls import self_signed
from screening_app.services.model import ListQuery
from tests.conftest import open_app
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW, Machine, cli, connect
from tests.server.test_server_cli import _free_port


class Served:
    """``screening-app server run`` as its own process, on a fixed port (desktops pin it)."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.url, self.folder, self.port = database_url, folder, _free_port()
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "screening_app", "server", "run"]
        command += ["--database", self.url, "--listen", f"127.0.0.1:{self.port}"]
        command += [
            "--cert",
            str(self.folder / "server.crt"),
            "--key",
            str(self.folder / "server.key"),
        ]
        self.process = subprocess.Popen(  # its own process group: the workers with it
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        context = ssl.create_default_context(cafile=str(self.folder / "server.crt"))
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"https://127.0.0.1:{self.port}/health", verify=context, timeout=2)
                return
            except httpx.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.1)

    def kill(self) -> None:
        """The server's every process killed at once, as a crash or the OOM killer would."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[Served, str]]:
    store = ServerStore(database_url)
    for name, role in (("sol", "supervisor"), ("kit", "practitioner")):
        store.add_account(name, PW, role, "North")
    store.close()
    folder = tmp_path / "tls"
    fingerprint = self_signed(folder, "127.0.0.1")
    server = Served(database_url, folder)
    server.start()
    yield server, fingerprint
    if server.process is not None and server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=20)


@pytest.mark.slow
def test_the_server_killed_mid_upload_loses_nothing_and_stores_one_copy(
    served: tuple[Served, str],
    on: Machine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    server, fingerprint = served
    url = f"https://127.0.0.1:{server.port}"
    connect(capsys, url, fingerprint, on, "sol", "kit")
    examples = [str(p) for p in all_examples()] * 160  # 320: four batches
    assert cli(capsys, "import", "--allow-duplicate", *examples, *on("kit", "kit"))[0] == 0

    def stored() -> int:
        with psycopg.connect(database_url) as conn:
            row = conn.execute("SELECT count(*) FROM screenings").fetchone()
        return int(row[0]) if row else 0

    kit = open_app(tmp_path / "kit.db", "kit", PW)
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(_sync_or_error(kit)))
    worker.start()
    deadline = time.monotonic() + 30
    while stored() < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()  # mid-upload: some stored, some not, one perhaps in flight
    worker.join(timeout=60)
    kit.close()
    assert isinstance(outcome[0], StorageError) and "nothing was lost" in str(outcome[0])
    before = stored()
    assert 3 <= before < len(examples)
    assert before % 100 == 0  # whole batches of 100 only: nothing of a batch half-stored

    server.start()
    code, out = cli(capsys, "sync", *on("kit", "kit"))
    assert code == 0 and "0 waiting to send" in out, out
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT count(*), count(DISTINCT (id, version)) FROM screenings")
        assert rows.fetchone() == (len(examples), len(examples))


def _sync_or_error(app: object) -> object:
    try:
        return app.sync.sync()  # type: ignore[attr-defined]
    except StorageError as exc:
        return exc


def test_computers_with_wrong_clocks_still_sync_and_a_future_date_is_named(
    server: tuple[str, str], on: Machine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """kit's laptop runs 3 days fast, sol's 10 hours slow: tokens, challenges and uploads do
    not depend on their clocks; an outcome dated by the fast laptop's "today" is refused by
    the server with the reason, and waits on the laptop (nothing lost)."""
    url, fingerprint = server
    connect(capsys, url, fingerprint, on, "sol", "kit")
    real = dt.datetime.now()
    fast, slow = real + dt.timedelta(days=3), real - dt.timedelta(hours=10)
    assert cli(capsys, "import", str(all_examples()[0]), *on("kit", "kit"))[0] == 0
    kit = open_app(tmp_path / "kit.db", "kit", PW, now=fast)
    try:
        assert kit.sync.sync().sent == 1
    finally:
        kit.close()
    sol = open_app(tmp_path / "sol.db", "sol", PW, now=slow)
    try:
        assert sol.sync.sync().received == 1
    finally:
        sol.close()

    kit = open_app(tmp_path / "kit.db", "kit", PW, now=fast)
    try:
        mine = kit.listing.list(ListQuery())[0]
        kit.review.add_outcome(mine.id, "referred_scu", fast.date())
        report = kit.sync.sync()
        assert report.outcomes_sent == 0
        assert any("check this computer's clock" in p for p in report.problems)
        assert "1 waiting to send" in kit.sync.waiting()
    finally:
        kit.close()


def test_a_changed_certificate_is_refused_naming_both_fingerprints(
    served: tuple[Served, str], on: Machine, capsys: pytest.CaptureFixture[str]
) -> None:
    server, old = served
    url = f"https://127.0.0.1:{server.port}"
    assert cli(capsys, "connect", url, "--fingerprint", old, *on("kit", "kit"))[0] == 0
    assert cli(capsys, "import", str(all_examples()[0]), *on("kit", "kit"))[0] == 0
    server.kill()
    new = self_signed(server.folder, "127.0.0.1")  # someone else's certificate on that address
    server.start()
    code, out = cli(capsys, "sync", *on("kit", "kit"))
    assert code == 2 and "certificate has changed" in out
    assert old in out and new in out and new != old
    code, out = cli(capsys, "list", "--json", *on("kit", "kit"))
    assert code == 0 and '"submitted"' in out  # nothing lost; it still waits to be sent
