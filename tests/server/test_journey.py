"""The journey of docs/SERVER.md from the command line, across three desktop databases and a
real server over TLS: a practitioner submits on one computer, a supervisor reviews on another,
the decisions come back, and another team sees nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from screening_app.services import access
from screening_app.services.model import FAST_KDF, ListQuery
from tests.conftest import open_app
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW, Machine, cli, connect


def test_submit_here_review_there_and_the_answer_comes_back(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, fingerprint = server
    code, out = cli(capsys, "connect", url, "--fingerprint", "00" * 32, *on("sol", "sol"))
    assert code == 2 and "not the one you were given" in out  # a wrong pin is refused
    connect(capsys, url, fingerprint, on, "sol", "kit", "lou")
    examples = [str(p) for p in all_examples()]
    code, out = cli(capsys, "import", *examples, *on("kit", "kit"))
    assert code == 0, out
    code, out = cli(capsys, "sync", *on("kit", "kit"))
    assert code == 0 and f"Sent {len(examples)} screening(s)" in out, out
    code, out = cli(capsys, "sync", *on("kit", "kit"))
    assert "Sent 0 screening(s)" in out  # nothing twice

    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert code == 0 and f"received {len(examples)} screening(s)" in out, out
    assert "new screenings to review at a high band" in out and "Significant" in out, out
    code, out = cli(capsys, "list", "--json", *on("sol", "sol"))
    references = [r["reference"] for r in json.loads(out)]
    assert len(references) == len(examples)
    assert cli(capsys, "review", "approve", references[0], *on("sol", "sol"))[0] == 0
    comment = tmp_path / "comment.txt"
    comment.write_text("Please add the date of the last missing episode.")
    code, out = cli(
        capsys, "review", "return", references[1], "--comment-file", str(comment), *on("sol", "sol")
    )
    assert code == 0, out
    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert code == 0 and "2 decision(s)" in out, out

    kit = open_app(tmp_path / "kit.db", "kit", PW)  # the window's way: no password to the server
    try:
        report = kit.sync.sync()
    finally:
        kit.close()
    assert (report.received, report.decisions_received) == (0, 2)
    code, out = cli(capsys, "list", "--json", *on("kit", "kit"))
    assert sorted(r["status"] for r in json.loads(out)) == ["approved", "returned"]
    code, out = cli(capsys, "db", "check", *on("kit", "kit"))
    assert code == 0, out  # decisions from the server were checked on arrival, not "unsigned"

    # returned → amended → resubmitted → approved, across the two computers
    kit = open_app(tmp_path / "kit.db", "kit", PW)
    try:
        returned = next(r for r in kit.listing.list(ListQuery()) if r.status == "returned")
        amended = kit.screenings.amend(returned.id, "Adding the date the school asked for")
        kit.screenings.submit(amended.row.id)
        assert kit.sync.sync().sent == 1
    finally:
        kit.close()
    sol = open_app(tmp_path / "sol.db", "sol", PW)
    try:
        assert sol.sync.sync().received == 1
        waiting = [r for r in sol.listing.list(ListQuery()) if r.status == "submitted"]
        assert len(waiting) == 1  # the amendment; the version it replaces is superseded
        sol.review.approve(waiting[0].id, PW)
        assert sol.sync.sync().decisions_sent == 1
    finally:
        sol.close()
    kit = open_app(tmp_path / "kit.db", "kit", PW)
    try:
        assert kit.sync.sync().decisions_received == 1
        statuses = sorted(r.status for r in kit.listing.list(ListQuery(status=None)))
    finally:
        kit.close()
    assert statuses == ["approved", "approved"]  # (the superseded version is not listed)

    code, out = cli(capsys, "sync", *on("lou", "lou"))
    assert code == 0 and "received 0 screening(s)" in out
    code, out = cli(capsys, "list", "--json", *on("lou", "lou"))
    assert json.loads(out) == []


def test_an_unreachable_server_loses_nothing(
    server: tuple[str, str],
    on: Machine,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, fingerprint = server
    kit = on("kit", "kit")
    connect(capsys, url, fingerprint, on, "sol", "kit")
    assert cli(capsys, "import", str(all_examples()[0]), *kit)[0] == 0
    monkeypatch.setattr(
        "screening_app.sync.client.ServerClient.__init__",
        _pointing_nowhere,
    )
    code, out = cli(capsys, "sync", *kit)
    assert code == 2 and "cannot be reached" in out and "nothing was lost" in out
    monkeypatch.undo()
    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)
    code, out = cli(capsys, "sync", *kit)
    assert code == 0 and "Sent 1 screening(s)" in out


def _pointing_nowhere(
    self: object, url: str, certificate_pem: str, *, transport: object = None
) -> None:
    import httpx

    self.http = httpx.Client(base_url="https://127.0.0.1:1", timeout=2)  # type: ignore[attr-defined]
    self.token = ""  # type: ignore[attr-defined]


def test_the_team_key_comes_back_with_its_recovery_key(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """sol's computer, the only one holding North's key, is lost; with the team recovery key
    printed when the key was made, a new computer of sol's takes it back and reads the team's
    screenings again."""
    url, fingerprint = server
    printed = connect(capsys, url, fingerprint, on, "sol", "kit")
    team_code = printed["sol"].split("Team recovery key: ")[1].split()[0]
    assert cli(capsys, "import", str(all_examples()[0]), *on("kit", "kit"))[0] == 0
    assert cli(capsys, "sync", *on("kit", "kit"))[0] == 0

    code, out = cli(capsys, "connect", url, "--fingerprint", fingerprint, *on("new", "sol"))
    assert code == 0 and "Team recovery key" not in out  # the team already has its key
    code, out = cli(capsys, "sync", *on("new", "sol"))
    assert "received 0 screening(s)" in out and "no copy of the team key yet" in out
    wrong = tmp_path / "wrong.key"
    wrong.write_text("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    recover = ["team", "recover", "--recovery-key-file"]
    code, out = cli(capsys, *recover, str(wrong), *on("new", "sol"))
    assert code == 2 and "not your team's recovery key" in out
    right = tmp_path / "team.key"
    right.write_text(team_code)
    assert cli(capsys, *recover, str(right), *on("new", "sol"))[0] == 0
    code, out = cli(capsys, "sync", *on("new", "sol"))
    assert code == 0 and "received 1 screening(s)" in out  # it waited on the server


def test_an_answer_lost_after_the_server_stored_it_leaves_one_copy(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    """The connection drops after the server stored the screening (and, later, the decision)
    but before the desktop heard so: the retry sends the same bytes and nothing doubles."""
    import psycopg

    from screening_app.sync.client import ServerClient, SyncError

    url, fingerprint = server
    connect(capsys, url, fingerprint, on, "sol", "kit")
    assert cli(capsys, "import", str(all_examples()[0]), *on("kit", "kit"))[0] == 0
    real_call = ServerClient.call

    def answer_lost(self: ServerClient, method: str, path: str, **kwargs: object) -> object:
        result = real_call(self, method, path, **kwargs)
        if method == "POST" and (path.startswith("/v1/screenings") or path.endswith("/review")):
            raise SyncError("The server cannot be reached; nothing was lost.")
        return result

    monkeypatch.setattr(ServerClient, "call", answer_lost)
    code, out = cli(capsys, "sync", *on("kit", "kit"))
    assert code == 0 and "Sent 0 screening(s)" in out and "1 waiting to send" in out
    monkeypatch.setattr(ServerClient, "call", real_call)
    code, out = cli(capsys, "sync", *on("kit", "kit"))
    assert "Sent 1 screening(s)" in out and "0 waiting to send" in out
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM screenings").fetchone() == (1,)

    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0
    code, out = cli(capsys, "list", "--json", *on("sol", "sol"))
    reference = json.loads(out)[0]["reference"]
    assert cli(capsys, "review", "approve", reference, *on("sol", "sol"))[0] == 0
    monkeypatch.setattr(ServerClient, "call", answer_lost)
    cli(capsys, "sync", *on("sol", "sol"))
    monkeypatch.setattr(ServerClient, "call", real_call)
    code, out = cli(capsys, "sync", *on("sol", "sol"))
    assert code == 0 and "1 decision(s)" in out and "Not sent" not in out
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (1,)
