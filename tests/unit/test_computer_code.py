"""A computer's code: the same keys give the same code, any other key another; typed codes are
read forgivingly but never guessed into something else; approval statements are strict."""

from __future__ import annotations

import re

from screening_app import crypto
from screening_app.crypto import AccountKeys
from screening_app.sync import approval


def test_a_code_names_both_keys_and_reads_back_as_typed() -> None:
    one, other = AccountKeys.generate(), AccountKeys.generate()
    code = crypto.computer_code(one.box_public, one.sign_public)
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", code)
    assert code == crypto.computer_code(one.box_public, one.sign_public)
    assert code != crypto.computer_code(one.box_public, other.sign_public)
    assert code != crypto.computer_code(other.box_public, one.sign_public)
    spoken = code.lower().replace("-", " ")
    assert crypto.normalise_code(spoken) == code
    assert crypto.normalise_code("ab0d efgh 1jk8") == "ABOD-EFGH-IJKB"  # 0, 1, 8 misread
    for wrong in ("", "ABCD-EFGH-JKL", "ABCD-EFGH-JKLMN", "ABCD-EFGH-JK9M", "ÄBCD-EFGH-JKLM"):
        assert crypto.normalise_code(wrong) is None, wrong


def test_an_approval_statement_is_read_only_whole_and_signed_by_the_key_given() -> None:
    statement = {
        "what": approval.WHAT,
        "team_key": "ab" * 32,
        "epoch": 1,
        "device_id": "d",
        "x25519": "cd" * 32,
        "ed25519": "ef" * 32,
        "account": "sam",
        "approver": "sol",
        "approver_device": "e",
        "at": "2026-11-24",
    }
    raw = approval.encode(statement)
    assert approval.decode(raw) == statement
    for broken in (
        {**statement, "what": "something else"},
        {**statement, "epoch": "1"},
        {**statement, "epoch": True},
        {k: v for k, v in statement.items() if k != "account"},
        {**statement, "extra": 1},
    ):
        assert approval.decode(approval.encode(broken)) is None, broken
    assert approval.decode(b"\xff not json") is None
    signer, other = AccountKeys.generate(), AccountKeys.generate()
    signature = approval.sign(raw, signer)
    assert approval.verify(raw, signature, signer.sign_public)
    assert not approval.verify(raw, signature, other.sign_public)
    assert not approval.verify(raw.replace(b"sam", b"eve"), signature, signer.sign_public)
