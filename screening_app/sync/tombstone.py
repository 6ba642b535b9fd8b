"""The tombstone a deletion leaves, as it travels between a desktop and the team server
(docs/GOVERNANCE.md, "Deletion"): clear JSON, canonical, signed by the deleting computer's
device key. It says which version of which screening went, and when and by whose decision —
no name of a child, no reason (the reason stays in the deleting computer's audit trail)."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

from screening_app import crypto
from screening_app.crypto import AccountKeys

KIND = "tombstone"
FIELDS = (
    "kind",
    "id",
    "version",
    "reference",
    "screening_month",
    "record_kind",
    "keep_until",
    "decided_by",
    "decided_at",
)
MONTH = re.compile(r"^([0-9]{4}-[0-9]{2})?$")
LIMITS = {"reference": 64, "record_kind": 60, "decided_by": 100}
MAX_BYTES = 4096


class TombstoneError(ValueError):
    """A tombstone that is malformed or not signed by the key it should be."""


def make(
    *,
    remote_id: str,
    version: int,
    reference: str,
    screening_month: str,
    record_kind: str,
    keep_until: dt.date,
    decided_by: str,
    decided_at: str,
) -> dict[str, Any]:
    return check(
        {
            "kind": KIND,
            "id": remote_id,
            "version": version,
            "reference": reference,
            "screening_month": screening_month,
            "record_kind": record_kind,
            "keep_until": keep_until.isoformat(),
            "decided_by": decided_by,
            "decided_at": decided_at,
        }
    )


def check(body: Any) -> dict[str, Any]:
    """``body`` if it is a well-formed tombstone (else TombstoneError naming what is wrong)."""
    if not isinstance(body, dict) or set(body) != set(FIELDS) or body["kind"] != KIND:
        raise TombstoneError("it is not a tombstone")
    try:
        uuid.UUID(str(body["id"]))
        dt.date.fromisoformat(str(body["keep_until"]))
        dt.datetime.fromisoformat(str(body["decided_at"]))
    except ValueError:
        raise TombstoneError("its id or one of its dates is malformed") from None
    if isinstance(body["version"], bool) or not isinstance(body["version"], int):
        raise TombstoneError("its version is not a number")
    if not 1 <= body["version"] <= 100_000:
        raise TombstoneError("its version is out of range")
    if not isinstance(body["screening_month"], str) or not MONTH.match(body["screening_month"]):
        raise TombstoneError("its month is malformed")
    for field, limit in LIMITS.items():
        value = body[field]
        if not isinstance(value, str) or not 0 < len(value) <= limit or "\x00" in value:
            raise TombstoneError(f"its {field.replace('_', ' ')} is malformed")
    return body


def sign(body: dict[str, Any], keys: AccountKeys) -> tuple[bytes, bytes]:
    """The tombstone's bytes and the device's signature over them (Ed25519 is deterministic:
    a retry sends the very same bytes)."""
    return crypto.canonical(body), keys.sign(crypto.digest(body))


def verify(data: bytes, signature: bytes, sign_public: bytes) -> dict[str, Any]:
    """The tombstone in ``data``, if ``sign_public`` signed it."""
    if len(data) > MAX_BYTES:
        raise TombstoneError("it is too large")
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        raise TombstoneError("it is not JSON") from None
    checked = check(body)
    if not crypto.verify(sign_public, signature, crypto.digest(checked)):
        raise TombstoneError("its signature is not the deciding computer's")
    return checked
