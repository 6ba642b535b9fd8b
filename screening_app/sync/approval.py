"""The statement a supervisor's computer signs when a person approves another computer of the
team by its code (docs/SECURITY.md, "Approving a computer"), shared by desktop and server.

The statement names the approved computer by its id and both its public keys, the team key's
epoch and public half it is made under, and who approved it from which computer. It carries two
signatures: the approving computer's own key (who approved) and the team key of that epoch
(that whoever approved holds the team key: the server never does, so it cannot make one).
"""

from __future__ import annotations

import json
from typing import Any

from screening_app import crypto

WHAT = "cse-screening computer approval"
SIGNED_AS = b"cse-screening computer approval "
FIELDS = {
    "what": str,
    "team_key": str,
    "epoch": int,
    "device_id": str,
    "x25519": str,
    "ed25519": str,
    "account": str,
    "approver": str,
    "approver_device": str,
    "at": str,
}


def encode(statement: dict[str, Any]) -> bytes:
    return crypto.canonical(statement)


def decode(raw: bytes) -> dict[str, Any] | None:
    """The statement in ``raw``, or None when it is not one (any field missing or mistyped)."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(value, dict) or set(value) != set(FIELDS) or value["what"] != WHAT:
        return None
    for name, kind in FIELDS.items():
        if not isinstance(value[name], kind) or isinstance(value[name], bool):
            return None
    return value


def sign(raw: bytes, keys: crypto.AccountKeys) -> bytes:
    return keys.sign(SIGNED_AS + raw)


def verify(raw: bytes, signature: bytes, sign_public: bytes) -> bool:
    return crypto.verify(sign_public, signature, SIGNED_AS + raw)
