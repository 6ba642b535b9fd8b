"""Transfer to another setting with a receipt (docs/GOVERNANCE.md): a child's screenings sealed
under a password for a named supervisor elsewhere, received there with their outcomes and a
signed fact naming the transfer, and a receipt that the sender keeps only when it is the
receiver's signature over this very transfer. (Sealed for the receiver's computers with keys
from the team server: tests/server/test_transfer.py.)"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.domain import disclosure
from screening_app.errors import InputFileError, WorkflowError
from screening_app.services import access
from screening_app.services.model import FAST_KDF
from tests.conftest import USER_PW, make_database, open_app, submit_screening

SHARE = disclosure.make("Westbrook Academy DSL", "the child has moved school", "consent_given")
ELSEWHERE = (("lou", "supervisor", "Westbrook"), ("max", "supervisor", "Westbrook"))


def readdressed(data: bytes, to: str) -> bytes:
    """The transfer with its clear "to" rewritten, as someone with the file could."""
    whole = json.loads(data)
    envelope = json.loads(base64.b64decode(whole["envelope"]))
    envelope["metadata"]["to"] = to
    whole["envelope"] = base64.b64encode(json.dumps(envelope).encode()).decode()
    return json.dumps(whole).encode()


def test_a_child_s_screenings_go_to_another_setting_and_the_receipt_comes_back(
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = submit_screening(db_path, v_substance_use="yes")
    submit_screening(db_path)  # the same child again
    submit_screening(db_path, child_first_name="Ash")  # another child: not sent
    sol = open_app(db_path, "sol")
    sol.review.approve(first, USER_PW, "Agreed.")
    sol.review.add_outcome(first, "referred_scu", sol.session.today(), "Sent to the SCU.")
    sent = sol.transfers.send("CSE-2026-000002", "lou", SHARE, password="a long phrase sent apart")
    assert sent.references == ["CSE-2026-000001", "CSE-2026-000002"]
    assert b"Kit" not in sent.data and b"Fictional" not in sent.data  # sealed
    logged = {(d.reference, d.what, d.recipient) for d in sol.disclosures.log()}
    assert logged == {
        (ref, "Transferred to another setting (no receipt yet)", "Westbrook Academy DSL")
        for ref in sent.references
    }
    sol.close()

    other = make_database(tmp_path / "westbrook", ELSEWHERE)
    max_ = open_app(other, "max")
    with pytest.raises(WorkflowError, match="This transfer is for lou, not max"):
        max_.transfers.receive(sent.data, "a long phrase sent apart")
    max_.close()
    lou = open_app(other, "lou")
    with pytest.raises(InputFileError, match="the password is wrong"):
        lou.transfers.receive(sent.data, "a wrong phrase")
    changed = readdressed(sent.data, "max")
    with pytest.raises(InputFileError, match="damaged or was changed"):
        lou.transfers.receive(changed, "a long phrase sent apart")
    got = lou.transfers.receive(sent.data, "a long phrase sent apart")
    assert (got.sender, got.setting, len(got.references)) == ("sol", "North", 2)
    stored = lou.screenings.get(lou.session.by_reference(got.references[0]).id)
    assert stored.answers["child_first_name"] == "Kit"
    [outcome] = lou.review.outcomes(stored.row.id)
    assert outcome.note == "Recorded at sol (North): Sent to the SCU."
    again = lou.transfers.receive(sent.data, "a long phrase sent apart")
    assert again.again and again.receipt == got.receipt  # stored once
    lou.close()
    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)
    password = tmp_path / "lou.pw"
    password.write_text(USER_PW)
    checked = ["db", "check", "--db", str(other), "--user", "lou", "--password-file", str(password)]
    assert run(checked) == 0, capsys.readouterr().err  # the received facts verify

    sol = open_app(db_path, "sol")
    forged = json.loads(got.receipt)
    forged["receipt"]["received_by"] = "someone"
    with pytest.raises(InputFileError, match="was changed"):
        sol.transfers.record_receipt(json.dumps(forged).encode())
    body = sol.transfers.record_receipt(got.receipt)
    assert body["received_by"] == "lou"
    assert sol.transfers.receipts()[sent.transfer_id]["references"] == got.references
    [logged] = [d for d in sol.disclosures.log() if d.reference == "CSE-2026-000001"]
    assert logged.what == "Transferred to another setting (receipt: lou, 2026-11-24)"
    sol.close()


def test_transfers_from_the_command_line_and_what_they_refuse(
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)
    submit_screening(db_path)
    other = make_database(tmp_path / "westbrook", ELSEWHERE)
    pw, phrase = tmp_path / "pw", tmp_path / "phrase"
    pw.write_text(USER_PW)
    phrase.write_text("a long phrase sent apart\n")
    sol = ["--db", str(db_path), "--user", "sol", "--password-file", str(pw)]
    lou = ["--db", str(other), "--user", "lou", "--password-file", str(pw)]
    out, receipt = tmp_path / "kit.cse-transfer", tmp_path / "receipt.json"
    send = ["transfer", "send", "CSE-2026-000001", "--to", "lou", "-o", str(out)]
    assert run([*send, *sol]) == 2  # a share without its basis
    assert "needs its lawful basis" in capsys.readouterr().err
    basis = [
        "--shared-with",
        "Westbrook Academy DSL",
        "--purpose",
        "a move of school",
        "--basis",
        "consent_given",
    ]
    assert run([*send, *basis, *sol]) == 2  # no password, and not connected to a server
    assert "not connected to a team server" in capsys.readouterr().err
    assert not out.exists()
    assert run([*send, *basis, "--transfer-password-file", str(phrase), *sol]) == 0
    assert "1 screening(s), sealed under the password" in capsys.readouterr().out
    receive = ["transfer", "receive", str(out), "--receipt", str(receipt)]
    assert run([*receive, *lou]) == 2
    assert "locked under a password" in capsys.readouterr().err
    assert run(["transfer", "receive", str(pw), "--receipt", str(receipt), *lou]) == 2
    assert "it is not a transfer file" in capsys.readouterr().err
    assert run([*receive, "--transfer-password-file", str(phrase), *lou]) == 0
    said = capsys.readouterr().out
    assert "From sol (North): 1 screening(s) stored as CSE-2026-000001." in said
    assert run(["transfer", "receipt", str(out), *sol]) == 2  # the transfer, not its receipt
    assert "it is not a transfer receipt" in capsys.readouterr().err
    assert run(["transfer", "receipt", str(receipt), *lou]) == 2  # not made on lou's computer
    assert "a transfer not made on this computer" in capsys.readouterr().err
    assert run(["transfer", "receipt", str(receipt), *sol]) == 0
    assert "Receipt kept: lou received transfer" in capsys.readouterr().out
    assert run(["transfer", "list", *sol]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert "\tlou\tCSE-2026-000001\treceived by lou on 20" in listed[0]
    assert listed[-1] == "1 transfer(s) made here, 1 with a receipt."
