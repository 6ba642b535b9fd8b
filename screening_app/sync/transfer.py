"""The file that carries a child's screenings to another setting, and the receipt that comes
back (docs/GOVERNANCE.md, "Transfer to another setting").

A transfer is one end-to-end envelope (sync/envelope.py): the screenings are encrypted with a
fresh key, sealed either for each registered computer of the named receiving supervisor (their
public keys from the team server) or for a one-off key pair whose private half is locked under a
password sent separately (argon2id). The clear part says who sent it, from which setting, to
whom, when, and how many screenings — bound to the content and signed with the sender's account
key. The receipt is the receiving supervisor's signature over the transfer's digest, the time
they imported it and the references it was stored under.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from screening_app import crypto
from screening_app.crypto import AccountKeys, KdfParams
from screening_app.sync.envelope import EnvelopeError, Sealed, open_content, parse, seal, verify

FORMAT = "cse-screening-transfer"
RECEIPT = "cse-screening-transfer-receipt"
MAX_BYTES = 50_000_000
MAX_RECEIPT = 100_000
LOCKED = "password"  # the recipient name of a password-locked transfer
META = ("transfer_id", "sender", "sender_key", "setting", "to", "how", "made_at", "screenings")


class TransferError(ValueError):
    """A transfer or receipt that is malformed, changed, or not for these keys."""


@dataclass(frozen=True)
class Transfer:
    meta: dict[str, Any]  # the clear part (META), signed and bound to the content
    body: dict[str, Any]  # the envelope
    envelope: bytes
    signature: bytes
    password_key: dict[str, Any] | None

    @property
    def transfer_id(self) -> str:
        return str(self.meta["transfer_id"])

    def digest(self) -> str:
        """What a receipt signs: the envelope as it was sent."""
        return digest_of(self.envelope)


def digest_of(envelope: bytes) -> str:
    return crypto.digest({"envelope": _b64(envelope)}).hex()


def recipient(box_public: bytes) -> str:
    return f"key:{box_public.hex()}"


def make(
    meta: dict[str, Any],
    content: dict[str, Any],
    sender: AccountKeys,
    *,
    keys: list[bytes] | None = None,
    password: str | None = None,
    kdf: KdfParams | None = None,
) -> tuple[bytes, str]:
    """The transfer file — sealed for ``keys`` (X25519 public keys), or under ``password`` —
    and its digest (what the receipt will sign)."""
    locked = None
    if password is not None:
        one_off = AccountKeys.generate()
        recipients = {LOCKED: one_off.box_public}
        locked = crypto.wrap_secret(password, one_off.to_bytes(), kdf or KdfParams(), _bound(meta))
    elif keys:
        recipients = {recipient(k): k for k in keys}
    else:
        raise TransferError("a transfer needs the receiver's keys or a password")
    sealed = seal(meta, content, recipients, sender)
    whole = {
        "format": FORMAT,
        "envelope": _b64(sealed.envelope),
        "signature": _b64(sealed.signature),
        "password_key": locked,
    }
    return json.dumps(whole, sort_keys=True).encode(), digest_of(sealed.envelope)


def read(data: bytes) -> Transfer:
    """The transfer in ``data``, checked for shape and for its sender's signature."""
    try:
        whole = json.loads(data)
    except (ValueError, RecursionError):
        raise TransferError("it is not a transfer file (not JSON)") from None
    if not isinstance(whole, dict) or whole.get("format") != FORMAT:
        raise TransferError("it is not a transfer file")
    try:
        envelope = base64.b64decode(str(whole["envelope"]), validate=True)
        signature = base64.b64decode(str(whole["signature"]), validate=True)
        body = parse(envelope)
        meta = body["metadata"]
        if set(meta) != set(META) or not isinstance(meta["screenings"], int):
            raise TransferError("its description is incomplete")
        uuid.UUID(str(meta["transfer_id"]))
        verify(Sealed(envelope, signature), bytes.fromhex(str(meta["sender_key"])))
    except (KeyError, ValueError, EnvelopeError) as exc:
        raise TransferError(f"it is damaged or was changed after it was made ({exc})") from None
    locked = whole.get("password_key")
    if meta["how"] == LOCKED and not isinstance(locked, dict):
        raise TransferError("its password lock is missing")
    return Transfer(meta, body, envelope, signature, locked if isinstance(locked, dict) else None)


def open_with_keys(transfer: Transfer, keys: AccountKeys) -> dict[str, Any]:
    name = recipient(keys.box_public)
    if name not in transfer.body["keys"]:
        raise TransferError(
            f"it was sealed for {transfer.meta['to']}'s computers, and this account's keys are "
            "not among them"
        )
    try:
        return open_content(transfer.body, name, keys)
    except EnvelopeError as exc:
        raise TransferError(str(exc)) from None


def open_with_password(transfer: Transfer, password: str) -> dict[str, Any]:
    locked = transfer.password_key or {}
    try:
        raw = crypto.unwrap_secret(
            password,
            bytes.fromhex(str(locked["salt"])),
            bytes.fromhex(str(locked["nonce"])),
            bytes.fromhex(str(locked["sealed"])),
            KdfParams.from_json(locked["kdf"]),
            _bound(transfer.meta),
        )
        if raw is None:
            raise TransferError("the password is wrong (ask the sender for it again)")
        return open_content(transfer.body, LOCKED, AccountKeys.from_bytes(raw))
    except (KeyError, ValueError, TypeError, EnvelopeError) as exc:
        if isinstance(exc, TransferError):
            raise
        raise TransferError(f"its password lock is damaged ({exc})") from None


def receipt(
    transfer: Transfer, receiver: AccountKeys, received_by: str, at: str, references: list[str]
) -> bytes:
    """The receiving supervisor's signed receipt for ``transfer``."""
    body = {
        "transfer_id": transfer.transfer_id,
        "digest": transfer.digest(),
        "received_by": received_by,
        "received_at": at,
        "references": references,
        "receiver_key": receiver.sign_public.hex(),
    }
    signature = receiver.sign(crypto.digest(body))
    return json.dumps(
        {"format": RECEIPT, "receipt": body, "signature": _b64(signature)}, sort_keys=True
    ).encode()


def read_receipt(data: bytes) -> dict[str, Any]:
    """The receipt in ``data``, if the key it names signed it."""
    try:
        whole = json.loads(data)
        if not isinstance(whole, dict) or whole.get("format") != RECEIPT:
            raise TransferError("it is not a transfer receipt")
        body = whole["receipt"]
        fields = {"transfer_id", "digest", "received_by", "received_at", "references"}
        if not isinstance(body, dict) or set(body) != fields | {"receiver_key"}:
            raise TransferError("the receipt is incomplete")
        signature = base64.b64decode(str(whole["signature"]), validate=True)
        key = bytes.fromhex(str(body["receiver_key"]))
    except (ValueError, KeyError, RecursionError, TypeError) as exc:
        if isinstance(exc, TransferError):
            raise
        raise TransferError("it is not a transfer receipt") from None
    if not crypto.verify(key, signature, crypto.digest(body)):
        raise TransferError("the receipt's signature does not match it: it was changed")
    return body


def _bound(meta: dict[str, Any]) -> bytes:
    return b"cse-screening transfer " + crypto.digest(meta)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
