"""The team key (and the link secret) go only to computers a supervisor in post approved by
their code: not to an account the server administrator made for themselves, not to a computer
that signed in with a leaked password, not on an approval the server or a leaver forged."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from screening_app import crypto
from screening_app.crypto import AccountKeys
from screening_app.services.team_key import TEAM_KEY
from screening_app.storage.opened import get_meta
from screening_app.sync import approval
from screening_app.sync.client import ServerClient, SyncError, fetch_certificate
from tests.conftest import open_app
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW, Machine, approve, cli, connect


def _holdings(database_url: str, account: str) -> tuple[int, int]:
    """(team key copies, link secret copies) the server holds for ``account``'s computers."""
    with psycopg.connect(database_url) as conn:
        keys = conn.execute(
            "SELECT count(*) FROM team_keys k JOIN devices d ON d.id = k.device_id "
            "JOIN accounts a ON a.id = d.account_id WHERE a.name = %s",
            [account],
        ).fetchone()
        links = conn.execute(
            "SELECT count(*) FROM link_keys k JOIN devices d ON d.id = k.device_id "
            "JOIN accounts a ON a.id = d.account_id WHERE a.name = %s",
            [account],
        ).fetchone()
    assert keys is not None and links is not None
    return int(keys[0]), int(links[0])


def _one_screening_sent(capsys: pytest.CaptureFixture[str], on: Machine) -> None:
    assert cli(capsys, "import", str(all_examples()[0]), *on("kit", "kit"))[0] == 0
    code, out = cli(capsys, "sync", *on("kit", "kit"))
    assert code == 0 and "Sent 1 screening(s)" in out, out


def test_the_administrators_own_supervisor_account_gets_nothing(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    url, fingerprint = server
    connect(capsys, url, fingerprint, on, "sol", "kit")
    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0
    approve(capsys, on, "sol", "kit")
    _one_screening_sent(capsys, on)

    # the server administrator makes a supervisor account for themselves and connects
    pw = str(tmp_path / "pw")
    add = ["server", "users", "add", "eve", "--role", "supervisor", "--team", "North"]
    admin = ["--database", database_url, "--user", "ada", "--password-file", pw]
    assert cli(capsys, *add, *admin, "--new-password-file", pw)[0] == 0
    connect(capsys, url, fingerprint, on, "eve")

    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert code == 0 and "Shared the team key" not in out, out
    assert "1 computer(s) of your team wait for a supervisor's approval (eve's)" in out
    code, out = cli(capsys, "team", "computers", *on("sol", "sol"))
    eve_line = next(line for line in out.splitlines() if line.startswith("eve "))
    assert "account added by the server administrator ada" in eve_line
    assert "WAITING FOR APPROVAL" in eve_line
    assert "kit (practitioner)" in out and "approved by sol" in out

    code, out = cli(capsys, "sync", *on("eve", "eve"))
    assert code == 0 and "received 0 screening(s)" in out, out
    assert "waiting for a supervisor of your team to approve it: its code is" in out
    assert _holdings(database_url, "eve") == (0, 0)
    assert _holdings(database_url, "sol") == (1, 1)

    # eve cannot approve herself: her computer holds no key to sign with
    eve_code = cli(capsys, "team", "code", *on("eve", "eve"))[1].split("code: ")[1].split()[0]
    code, out = cli(capsys, "team", "approve", eve_code, *on("eve", "eve"))
    assert code == 2 and "does not hold the team key" in out, out


def test_a_leaked_password_on_a_new_computer_gets_nothing(
    server: tuple[str, str],
    on: Machine,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    url, fingerprint = server
    connect(capsys, url, fingerprint, on, "sol", "sam", "kit")
    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0
    approve(capsys, on, "sol", "sam")
    approve(capsys, on, "sol", "kit")
    _one_screening_sent(capsys, on)
    code, out = cli(capsys, "sync", *on("sam", "sam"))
    assert "received 1 screening(s)" in out, out  # sam's own, approved computer

    # someone with sam's password connects another computer as sam
    assert cli(capsys, "connect", url, "--fingerprint", fingerprint, *on("thief", "sam"))[0] == 0
    for supervisor in ("sol", "sam"):
        code, out = cli(capsys, "sync", *on(supervisor, supervisor))
        assert code == 0 and "wait for a supervisor's approval (sam's)" in out, out
    code, out = cli(capsys, "sync", *on("thief", "sam"))
    assert code == 0 and "received 0 screening(s)" in out, out
    assert _holdings(database_url, "sam") == (1, 1)  # the first computer's copies only

    # the code of a computer nobody read out approves nothing; nor does a mistyped one
    code, out = cli(capsys, "team", "approve", "AAAA-AAAA-AAAA", *on("sol", "sol"))
    assert code == 2 and "No computer of your team waiting for approval" in out, out
    code, out = cli(capsys, "team", "approve", "not a code", *on("sol", "sol"))
    assert code == 2 and "is not a computer's code" in out, out
    assert _holdings(database_url, "sam") == (1, 1)


def test_an_approved_computer_gets_the_key_at_once_and_reads_the_team(
    server: tuple[str, str], on: Machine, capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    url, fingerprint = server
    connect(capsys, url, fingerprint, on, "sol", "sam", "kit")
    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0
    code, out = cli(capsys, "team", "code", *on("sam", "sam"))
    sam_code = out.split("code: ")[1].split()[0]
    typed = sam_code.lower().replace("-", " ")  # as someone types what they heard
    code, out = cli(capsys, "team", "approve", typed, *on("sol", "sol"))
    assert code == 0, out
    assert "Approved sam's computer" in out and sam_code in out
    assert "Shared the team key with sam's computer." in out
    assert _holdings(database_url, "sam") == (1, 1)
    code, out = cli(capsys, "team", "approve", sam_code, *on("sol", "sol"))
    assert code == 2 and "waiting for approval" in out  # approved once is enough
    approve(capsys, on, "sam", "kit")  # sam, now holding the key, approves kit's computer
    _one_screening_sent(capsys, on)
    code, out = cli(capsys, "sync", *on("sam", "sam"))
    assert "received 1 screening(s)" in out and "waiting" not in out.split("\n")[0], out
    code, out = cli(capsys, "team", "computers", *on("sol", "sol"))
    assert "kit (practitioner)" in out and "approved by sam" in out, out
    assert "0 waiting for approval" in out


def _forge(
    database_url: str, epoch: int, team: AccountKeys, approver: AccountKeys, target: str
) -> None:
    """Write an approval of ``target``'s computer into the server's database directly, signed
    with ``team`` as the team key and ``approver`` as the approving computer (what a server
    administrator, or one with a leaver's keys, could do)."""
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT d.id, d.box_public, d.sign_public, a.team_id FROM devices d "
            "JOIN accounts a ON a.id = d.account_id WHERE a.name = %s "
            "ORDER BY d.registered_at DESC LIMIT 1",
            [target],
        ).fetchone()  # the account's newest computer
        by = conn.execute(
            "SELECT d.id FROM devices d JOIN accounts a ON a.id = d.account_id WHERE a.name = 'sol'"
        ).fetchone()
        assert row is not None and by is not None
        statement = {
            "what": approval.WHAT,
            "team_key": team.box_public.hex(),
            "epoch": epoch,
            "device_id": str(row[0]),
            "x25519": bytes(row[1]).hex(),
            "ed25519": bytes(row[2]).hex(),
            "account": target,
            "approver": "sol",
            "approver_device": str(by[0]),
            "at": "2026-11-24",
        }
        raw = approval.encode(statement)
        signatures = [approval.sign(raw, approver), approval.sign(raw, team)]
        conn.execute(
            "INSERT INTO device_approvals (team_id, device_id, epoch, approver_device, "
            "statement, signature, team_signature) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [row[3], row[0], epoch, by[0], raw, *signatures],
        )


def test_an_approval_the_server_or_a_leaver_forged_shares_nothing(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    url, fingerprint = server
    connect(capsys, url, fingerprint, on, "sol", "sam", "kit")
    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0
    approve(capsys, on, "sol", "sam")
    approve(capsys, on, "sol", "kit")

    # the server writes an approval of a new computer of kit's, signed by a key of its own
    assert cli(capsys, "connect", url, "--fingerprint", fingerprint, *on("kit2", "kit"))[0] == 0
    made_up = AccountKeys.generate()
    _forge(database_url, 1, made_up, made_up, "kit")
    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert "wait for a supervisor's approval (kit's)" in out, out
    assert _holdings(database_url, "kit") == (0, 1)  # the approved computer's link copy only

    # sam leaves; sam's computer kept its copy of epoch 1 and its own keys
    sam = open_app(tmp_path / "sam.db", "sam", PW)
    sam_keys = sam.session.store.keys
    sam.close()
    with psycopg.connect(database_url) as conn:
        sealed = conn.execute(
            "SELECT k.sealed FROM team_keys k JOIN devices d ON d.id = k.device_id "
            "JOIN accounts a ON a.id = d.account_id WHERE a.name = 'sam'"
        ).fetchone()
    assert sealed is not None
    opened = crypto.unseal(bytes(sealed[0]), sam_keys, TEAM_KEY)
    assert opened is not None
    epoch_one = AccountKeys.from_bytes(opened)
    pw = str(tmp_path / "pw")
    admin = ["--database", database_url, "--user", "ada", "--password-file", pw]
    assert cli(capsys, "server", "users", "disable", "sam", *admin)[0] == 0
    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert "the team key was changed (epoch 2)" in out, out
    # sol's computer signed again, under epoch 2, for the computers it had approved
    with psycopg.connect(database_url) as conn:
        again = conn.execute(
            "SELECT a.name FROM device_approvals v JOIN devices d ON d.id = v.device_id "
            "JOIN accounts a ON a.id = d.account_id WHERE v.epoch = 2 ORDER BY a.name"
        ).fetchall()
    assert [r[0] for r in again] == ["kit", "sol"]

    # the leaver and the server together: an epoch-1 approval of a new supervisor, signed
    # with the real (old) team key, counts for nothing now
    add = ["server", "users", "add", "eve", "--role", "supervisor", "--team", "North"]
    assert cli(capsys, *add, *admin, "--new-password-file", pw)[0] == 0
    connect(capsys, url, fingerprint, on, "eve")
    _forge(database_url, 1, epoch_one, sam_keys, "eve")
    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert code == 0 and "Shared the team key" not in out and "(eve's, kit's)" in out, out
    assert _holdings(database_url, "eve") == (0, 0)


def test_the_server_refuses_a_key_for_a_computer_without_an_approval(
    server: tuple[str, str], on: Machine, capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    """Defence in depth: a desktop that skipped the check still could not store a copy."""
    url, fingerprint = server
    connect(capsys, url, fingerprint, on, "sol", "sam")
    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0
    sol = open_app(Path(on("sol", "sol")[1]), "sol", PW)
    device, keys = get_meta(sol.session.db, "sync_device"), sol.session.store.keys
    sol.close()
    assert device is not None
    with psycopg.connect(database_url) as conn:
        sam = conn.execute(
            "SELECT d.id FROM devices d JOIN accounts a ON a.id = d.account_id WHERE a.name = 'sam'"
        ).fetchone()
    assert sam is not None
    client = ServerClient(url, fetch_certificate(url, fingerprint))
    try:
        client.sign_in_device(device, keys.sign)
        body = {"device_id": str(sam[0]), "keys": [{"epoch": 1, "sealed": "AAAA"}]}
        with pytest.raises(SyncError) as refused:
            client.call("POST", "/v1/teams/mine/key/grants", json=body)
        body = {"device_id": str(sam[0]), "sealed": "AAAA"}
        with pytest.raises(SyncError) as refused_link:
            client.call("POST", "/v1/teams/mine/link/grants", json=body)
    finally:
        client.close()
    for exc in (refused.value, refused_link.value):
        assert exc.status == 403
        assert exc.message == "That computer has not been approved by a supervisor of your team."
