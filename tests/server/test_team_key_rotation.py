"""A supervisor leaves: the team key changes before anything more is sent, so the copies the
leaver's computer had open nothing sent after; the recovery key still opens every epoch."""

from __future__ import annotations

from pathlib import Path

import httpx
import psycopg
import pytest

from screening_app import crypto
from screening_app.crypto import AccountKeys
from screening_app.services.team_key import TEAM_KEY
from screening_app.sync.envelope import EnvelopeError, open_content, parse
from tests.conftest import open_app
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW, Machine, approve, cli, connect


def test_a_leavers_key_opens_nothing_sent_after(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    url, fingerprint = server
    code, out = cli(capsys, "connect", url, "--fingerprint", fingerprint, *on("sol", "sol"))
    team_code = out.split("Team recovery key: ")[1].split()[0]
    connect(capsys, url, fingerprint, on, "sam", "kit")
    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert "Shared the team key" not in out and "wait for a supervisor's approval" in out
    assert "Shared the team key with sam's computer" in approve(capsys, on, "sol", "sam")
    first, second = (str(p) for p in all_examples()[:2])
    assert cli(capsys, "import", first, *on("kit", "kit"))[0] == 0
    assert cli(capsys, "sync", *on("kit", "kit"))[0] == 0
    code, out = cli(capsys, "sync", *on("sam", "sam"))
    assert "received 1 screening(s)" in out  # sam reads the team's work while in post

    # what sam's computer holds when sam leaves: its keys and its copy of the team key
    sam = open_app(tmp_path / "sam.db", "sam", PW)
    sam_keys = sam.session.store.keys
    sam.close()
    with psycopg.connect(database_url) as conn:
        copies = conn.execute(
            "SELECT k.sealed FROM team_keys k JOIN devices d ON d.id = k.device_id "
            "JOIN accounts a ON a.id = d.account_id WHERE a.name = 'sam'"
        ).fetchall()
    leaver_keys = [crypto.unseal(bytes(c[0]), sam_keys, TEAM_KEY) for c in copies]
    assert len(leaver_keys) == 1 and leaver_keys[0] is not None

    admin = ["--database", database_url, "--user", "ada", "--password-file", str(tmp_path / "pw")]
    assert cli(capsys, "server", "users", "disable", "sam", *admin)[0] == 0

    assert cli(capsys, "import", second, *on("kit", "kit"))[0] == 0
    code, out = cli(capsys, "sync", *on("kit", "kit"))
    assert "Sent 0 screening(s)" in out and "a supervisor of your team syncs" in out
    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert code == 0 and "the team key was changed (epoch 2)" in out, out
    code, out = cli(capsys, "sync", *on("kit", "kit"))
    assert "Sent 1 screening(s)" in out, out
    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert "received 1 screening(s)" in out  # opened with the new key

    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT team_epoch, envelope FROM screenings ORDER BY seq").fetchall()
    assert [r[0] for r in rows] == [1, 2]
    old_key = AccountKeys.from_bytes(leaver_keys[0])
    assert open_content(parse(bytes(rows[0][1])), "team", old_key)  # before: sam could read
    with pytest.raises(EnvelopeError, match=r"these keys do not open the screening"):
        open_content(parse(bytes(rows[1][1])), "team", old_key)  # after: it opens nothing

    # sol's computer is lost: the recovery key brings back both epochs on a new one
    assert cli(capsys, "connect", url, "--fingerprint", fingerprint, *on("new", "sol"))[0] == 0
    right = tmp_path / "team.key"
    right.write_text(team_code)
    recover = ["team", "recover", "--recovery-key-file", str(right)]
    assert cli(capsys, *recover, *on("new", "sol"))[0] == 0
    code, out = cli(capsys, "sync", *on("new", "sol"))
    assert code == 0 and "received 2 screening(s)" in out, out


def test_a_revoked_supervisor_device_also_changes_the_key(
    server: tuple[str, str], on: Machine, capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    """IT revokes a supervisor's lost laptop through the API: the key changes too."""
    url, fingerprint = server
    connect(capsys, url, fingerprint, on, "sol", "sam")
    with psycopg.connect(database_url) as conn:
        device = conn.execute(
            "SELECT d.id FROM devices d JOIN accounts a ON a.id = d.account_id WHERE a.name = 'sam'"
        ).fetchone()
    assert device is not None
    with httpx.Client(base_url=url, verify=False) as http:
        token = http.post("/v1/sessions", json={"name": "ada", "password": PW}).json()["token"]
        answer = http.delete(
            f"/v1/devices/{device[0]}", headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 204
    with psycopg.connect(database_url) as conn:
        due = conn.execute("SELECT rotation_due FROM teams WHERE name = 'North'").fetchone()
    assert due == (True,)
    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert code == 0 and "the team key was changed (epoch 2)" in out
