"""Computers registered to an account: their public keys, revocation, and signing in with the
computer's own key against a one-time challenge (how a desktop syncs without a password)."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from screening_app import crypto
from screening_app.domain.capabilities import Verb
from screening_app.server import permissions, rows
from screening_app.server.problems import Invalid, NotFound, Refused, Unauthenticated
from screening_app.server.store import Caller, ServerStore, digest, mark_rotation_due


def register_device(
    store: ServerStore, caller: Caller, name: str, token: str, box_public: bytes, sign_public: bytes
) -> uuid.UUID:
    """This desktop as a device of the caller, with the public keys its uploads are signed
    with and team keys are sealed to; the caller's token is bound to it."""
    if len(box_public) != 32 or len(sign_public) != 32:
        raise Invalid("A device's public keys are 32 bytes each.")
    device = uuid.uuid4()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO devices (id, account_id, name, box_public, sign_public) "
            "VALUES (%s, %s, %s, %s, %s)",
            [device, caller.account.id, name[:200], box_public, sign_public],
        )
        conn.execute("UPDATE tokens SET device_id = %s WHERE digest = %s", [device, digest(token)])
        store.audit_as(conn, caller, "device_registered", f"device:{device}")
    return device


def revoke_device(store: ServerStore, caller: Caller, device: uuid.UUID) -> None:
    permissions.require(caller, Verb.REVOKE_DEVICES)
    with store.transaction() as conn:
        done = conn.execute(
            "UPDATE devices SET revoked_at = %s WHERE id = %s AND revoked_at IS NULL "
            "RETURNING account_id",
            [store.clock(), device],
        )
        owner = done.fetchone()
        if owner is None:
            raise NotFound("There is no such active device.")
        mark_rotation_due(conn, int(owner[0]))
        store.audit_as(conn, caller, "device_revoked", f"device:{device}")


def device_sign_public(store: ServerStore, caller: Caller) -> bytes:
    """The Ed25519 public key of the caller's registered device: as read with its token, or
    else from the devices (403 when it has none)."""
    if caller.device_key is not None:
        return caller.device_key
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT sign_public FROM devices WHERE id = %s", [caller.device_id]
        ).fetchone()
    if row is None or row[0] is None:
        raise Refused("Register this device first.")
    return bytes(row[0])


def challenge(store: ServerStore, device: uuid.UUID) -> bytes:
    """A one-time nonce for ``device`` to sign (valid two minutes)."""
    nonce = secrets.token_bytes(32)
    now = store.clock()
    with store.transaction() as conn:
        known = conn.execute(
            "SELECT 1 FROM devices WHERE id = %s AND revoked_at IS NULL", [device]
        ).fetchone()
        if known is None:
            raise Refused("This device is not registered, or was revoked.")
        conn.execute("DELETE FROM challenges WHERE expires_at < %s", [now])
        conn.execute(
            "INSERT INTO challenges (nonce, device_id, expires_at) VALUES (%s, %s, %s)",
            [nonce, device, now + dt.timedelta(minutes=2)],
        )
    return nonce


@dataclass(frozen=True)
class _DeviceOwner:
    account_id: int
    sign_public: bytes | None
    revoked_at: dt.datetime | None
    active: bool


def sign_in_device(store: ServerStore, device: uuid.UUID, nonce: bytes, signature: bytes) -> str:
    """A token for a registered device that signed a fresh nonce with its own key: how the
    desktop syncs in the background without keeping the password."""
    now = store.clock()
    with store.transaction() as conn:
        challenge = conn.execute(
            "DELETE FROM challenges WHERE nonce = %s AND device_id = %s RETURNING expires_at",
            [nonce, device],
        ).fetchone()  # used once, whatever happens next
        owner = rows.one(
            conn,
            _DeviceOwner,
            "SELECT d.account_id, d.sign_public, d.revoked_at, a.active FROM devices d "
            "JOIN accounts a ON a.id = d.account_id WHERE d.id = %s",
            [device],
        )
        valid = (
            challenge is not None
            and challenge[0] > now
            and owner is not None
            and owner.sign_public is not None
            and owner.revoked_at is None
            and owner.active
            and crypto.verify(
                bytes(owner.sign_public), signature, b"cse-screening sign-in " + nonce
            )
        )
        token = store.new_token(conn, owner.account_id, device, now) if valid and owner else ""
    if not token:
        raise Unauthenticated("The device could not prove who it is; sign in again.")
    return token


@dataclass(frozen=True)
class _WitnessRow:
    length: int
    head: str
    at: dt.datetime


def last_witness(store: ServerStore, caller: Caller) -> dict[str, Any] | None:
    """The audit trail head this device reported last (length and hash), if any."""
    if caller.device_id is None:
        raise Refused("Register this device first.")
    with store.transaction() as conn:
        row = rows.one(
            conn,
            _WitnessRow,
            "SELECT length, head, at FROM witnesses WHERE device_id = %s ORDER BY id DESC LIMIT 1",
            [caller.device_id],
        )
    if row is None:
        return None
    return {"length": row.length, "head": row.head, "at": row.at.isoformat()}


def witness(
    store: ServerStore, caller: Caller, length: int, head: str, at_previous: str | None
) -> bool:
    """Keep a desktop's audit trail head. ``at_previous`` is the hash the desktop now has at the
    length witnessed last: a shorter trail, or another hash there, means entries the server
    witnessed were deleted or changed since (audited here; the desktop is told)."""
    before = last_witness(store, caller)
    consistent = before is None or (length >= before["length"] and at_previous == before["head"])
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO witnesses (device_id, length, head, consistent) VALUES (%s, %s, %s, %s)",
            [caller.device_id, length, head, consistent],
        )
        if not consistent:
            store.audit_as(
                conn,
                caller,
                "audit_trail_rewritten",
                f"device:{caller.device_id}",
                f"witnessed {before['length'] if before else 0}, now {length}",
            )
    return consistent
