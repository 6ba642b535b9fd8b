"""``server cert|init|users add|run`` against a real PostgreSQL, the server over real TLS."""

from __future__ import annotations

import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from screening_app.cli import run
from screening_app.server.tls import fingerprint
from tests.server.postgres import Cluster


def pw(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text + "\n")
    return str(path)


def test_cert_prints_the_fingerprint_of_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["server", "cert", "--out", str(tmp_path / "tls"), "--host", "localhost"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(last) == 64 and int(last, 16) >= 0
    assert last == fingerprint((tmp_path / "tls" / "server.crt").read_bytes())
    assert (tmp_path / "tls" / "server.key").stat().st_mode & 0o077 == 0


def test_init_twice_and_add_users(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = pw(tmp_path, "a.pw", "server-admin-pw-1")
    kit = pw(tmp_path, "k.pw", "server-kit-pw-1")
    init = [
        "server",
        "init",
        "--database",
        database_url,
        "--admin",
        "ada",
        "--password-file",
        admin,
    ]
    assert run(init) == 0
    assert "Created the server administrator ada" in capsys.readouterr().out
    assert run(init) == 0  # safe to run twice
    assert "Created" not in capsys.readouterr().out
    signed_in = ["--database", database_url, "--user", "ada", "--password-file", admin]
    add = ["server", "users", "add", "kit", "--role", "practitioner", "--team", "North"]
    assert run([*add, *signed_in, "--new-password-file", kit]) == 0
    assert "Added kit (practitioner, team North)" in capsys.readouterr().out
    assert run([*add, *signed_in, "--new-password-file", kit]) == 2
    assert "already an account" in capsys.readouterr().err
    wrong = ["--database", database_url, "--user", "ada", "--password-file", kit]
    assert (
        run(["server", "users", "add", "x", "--role", "admin", *wrong, "--new-password-file", kit])
        == 2
    )


def test_an_unreachable_database_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql://nobody@127.0.0.1:1/none"
    admin = pw(tmp_path, "a.pw", "server-admin-pw-1")
    assert (
        run(["server", "init", "--database", url, "--admin", "ada", "--password-file", admin]) == 2
    )
    assert "Cannot reach the server's PostgreSQL database" in capsys.readouterr().err


def test_an_administrator_s_command_on_a_database_not_set_up_says_so_at_once(
    cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # its pool would wait 30 s for a connection it cannot make (the API role is missing), then
    # end in a traceback; it is exit 2 with what to do, unreachable or not set up alike
    admin, kit = pw(tmp_path, "a.pw", "server-admin-pw-1"), pw(tmp_path, "k.pw", "kit-pw-00001")
    add = ["server", "users", "add", "kit", "--role", "practitioner", "--team", "North"]
    signed_in = ["--user", "ada", "--password-file", admin, "--new-password-file", kit]
    with psycopg.connect(cluster.url(), autocommit=True) as owner:
        owner.execute("CREATE DATABASE never_set_up")
    try:
        started = time.monotonic()
        assert run([*add, "--database", cluster.url("never_set_up"), *signed_in]) == 2
        assert time.monotonic() - started < 10
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as owner:
            owner.execute("DROP DATABASE never_set_up WITH (FORCE)")
    assert "not set up for this version: run `screening-app server init`" in (
        capsys.readouterr().err
    )
    assert run([*add, "--database", "postgresql://nobody@127.0.0.1:1/none", *signed_in]) == 2
    assert "Cannot reach the server's PostgreSQL database" in capsys.readouterr().err


def test_a_database_not_in_utf8_is_refused_with_the_fix(
    cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cluster made under the C locale gives SQL_ASCII databases, whose text comes back as
    bytes: init says so and how to create the database instead of failing later."""
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS plain_ascii")
        admin.execute(
            "CREATE DATABASE plain_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' "
            "TEMPLATE template0"
        )
    admin_pw = pw(tmp_path, "a.pw", "server-admin-pw-1")
    init = ["server", "init", "--database", cluster.url("plain_ascii"), "--admin", "ada"]
    assert run([*init, "--password-file", admin_pw]) == 2
    assert "not UTF8" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
@pytest.mark.parametrize("access_log", [False, True])
def test_the_server_runs_over_tls_and_stops_on_sigterm(
    database_url: str, tmp_path: Path, access_log: bool
) -> None:
    """A line per request in the server's log only with --access-log (who asked, from what
    address, for what: personal data the audit trail does not need)."""
    assert run(["server", "cert", "--out", str(tmp_path), "--host", "127.0.0.1"]) == 0
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "screening_app",
            "server",
            "run",
            "--database",
            database_url,
            "--listen",
            f"127.0.0.1:{port}",
            "--cert",
            str(tmp_path / "server.crt"),
            "--key",
            str(tmp_path / "server.key"),
            *(["--access-log"] if access_log else []),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        context = ssl.create_default_context(cafile=str(tmp_path / "server.crt"))
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = httpx.get(f"https://127.0.0.1:{port}/health", verify=context, timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert answer.json() == {"status": "ok"}
        with pytest.raises(httpx.TransportError):  # plain HTTP is not served
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=20)
    # uvicorn finishes the requests in flight, then ends with the signal it was sent
    assert server.returncode in (0, -signal.SIGTERM)
    assert "Finished server process" in output
    assert ('"GET /health HTTP/1.1" 200' in output) is access_log


@pytest.mark.parametrize("may_create_roles", [False, True])
def test_init_as_an_ordinary_owner_role(
    cluster: Cluster,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    may_create_roles: bool,
) -> None:
    """As in a real deployment, the schema's owner is not a superuser: without CREATEROLE the
    API role cannot be made (a clear exit 2); with it, init works and the owner itself is bound
    by row-level security too (FORCE)."""
    import psycopg

    owner, database = f"owner{int(may_create_roles)}", f"owned{int(may_create_roles)}"
    with psycopg.connect(cluster.url(), autocommit=True) as root:
        root.execute("DROP ROLE IF EXISTS screening_api")  # as on a fresh cluster
        root.execute(f"CREATE ROLE {owner} LOGIN {'CREATEROLE' if may_create_roles else ''}")
        root.execute(f"CREATE DATABASE {database} OWNER {owner}")
    url = f"postgresql://{owner}@127.0.0.1:{cluster.port}/{database}"
    admin = pw(tmp_path, "a.pw", "server-admin-pw-1")
    try:
        _check_init(url, admin, capsys, may_create_roles)
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as root:
            root.execute(f"DROP DATABASE {database} WITH (FORCE)")


def _check_init(
    url: str, admin: str, capsys: pytest.CaptureFixture[str], may_create_roles: bool
) -> None:
    import psycopg

    code = run(["server", "init", "--database", url, "--admin", "ada", "--password-file", admin])
    if not may_create_roles:
        assert code == 2
        assert "createrole" in capsys.readouterr().err
        return
    assert code == 0
    with psycopg.connect(url, autocommit=True) as conn:  # the owner, not the API role
        assert conn.execute("SELECT count(*) FROM screenings").fetchone() == (0,)
        with pytest.raises(
            psycopg.errors.InsufficientPrivilege,
            match=r"new row violates row\-level security policy for table",
        ):
            conn.execute(
                "INSERT INTO screenings (id, version, team_id, author_id, form_id, "
                "form_version, status, screening_month, envelope, signature) VALUES "
                "(gen_random_uuid(), 1, 1, 1, 'f', 1, 'submitted', '2026-11', 'x', 'y')"
            )


def test_disabling_an_account_ends_its_sessions_and_devices(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fastapi.testclient import TestClient

    from screening_app.server.api import create_app
    from screening_app.server.store import ServerStore

    admin = pw(tmp_path, "a.pw", "server-admin-pw-1")
    kit_pw = "server-kit-pw-1"
    init = ["server", "init", "--database", database_url, "--admin", "ada"]
    assert run([*init, "--password-file", admin]) == 0
    store = ServerStore(database_url, pool_size=2)
    try:
        store.add_account("kit", kit_pw, "practitioner", "North")
        with TestClient(create_app(store)) as client:
            token = client.post("/v1/sessions", json={"name": "kit", "password": kit_pw})
            headers = {"Authorization": f"Bearer {token.json()['token']}"}
            keys = {"name": "laptop", "x25519": "ab" * 32, "ed25519": "cd" * 32}
            assert client.post("/v1/devices", json=keys, headers=headers).status_code == 201
            signed_in = ["--database", database_url, "--user", "ada", "--password-file", admin]
            assert run(["server", "users", "disable", "kit", *signed_in]) == 0
            assert "sessions ended" in capsys.readouterr().out
            assert client.get("/v1/me", headers=headers).status_code == 401
            again = client.post("/v1/sessions", json={"name": "kit", "password": kit_pw})
            assert again.status_code == 401
            assert run(["server", "users", "disable", "ada", *signed_in]) == 2  # not oneself
    finally:
        store.close()
