"""Uploads and downloads of end-to-end encrypted screenings, and the team key's sealed copies.

The server checks what it can without reading content: the envelope's shape, the author
device's signature over it, and the clear metadata (form, band codes, month, team). Row-level
security decides what each account may read (schema.py). An upload is idempotent: the same
screening id and version twice is stored once; a different envelope under the same id and version
is a 409 with the current state.
"""

from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass
from typing import Any

from screening_app import crypto
from screening_app.server import devices
from screening_app.server.store import Caller, ServerError, ServerStore
from screening_app.sync.envelope import EnvelopeError, parse

MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
BANDS = {"low", "mild", "moderate", "significant"}
PAGE = 200


@dataclass(frozen=True)
class Stored:
    created: bool
    status: str


def _metadata(body: dict[str, Any], caller: Caller) -> dict[str, Any]:
    meta = body["metadata"]
    try:
        checked = {
            "id": uuid.UUID(str(meta["id"])),
            "version": int(meta["version"]),
            "team": str(meta["team"]),
            "form_id": str(meta["form_id"])[:100],
            "form_version": int(meta["form_version"]),
            "screening_month": str(meta["screening_month"]),
            "operative_band": meta.get("operative_band"),
            "la_area": str(meta.get("la_area") or "")[:100],
            "models": [str(m)[:50] for m in meta.get("models") or []][:20],
            "practitioner_role": str(meta.get("practitioner_role") or "")[:50],
        }
    except (KeyError, TypeError, ValueError):
        raise ServerError(422, "The screening's metadata is incomplete or malformed.") from None
    if checked["version"] < 1 or not MONTH.match(checked["screening_month"]):
        raise ServerError(422, "The screening's version or month is malformed.")
    if checked["operative_band"] is not None and checked["operative_band"] not in BANDS:
        raise ServerError(422, "The screening's band is not one of the form's bands.")
    if checked["team"] != caller.account.team:
        raise ServerError(403, "A screening is sent to its author's own team.")
    return checked


def signed_body(
    store: ServerStore, caller: Caller, envelope: bytes, signature: bytes, what: str
) -> dict[str, Any]:
    """The envelope's body, if the caller's registered device signed it (else 403/422)."""
    if caller.device_id is None:
        raise ServerError(403, f"Register this device before sending a {what}.")
    try:
        body = parse(envelope)
    except EnvelopeError as exc:
        raise ServerError(422, f"The {what} cannot be read: {exc}.") from None
    device_key = devices.device_sign_public(store, caller.device_id)
    if not crypto.verify(device_key, signature, crypto.digest(body)):
        raise ServerError(422, f"The {what}'s signature is not this device's.")
    return body


def upload(store: ServerStore, caller: Caller, envelope: bytes, signature: bytes) -> Stored:
    if caller.account.role not in ("practitioner", "supervisor"):
        raise ServerError(403, "Only practitioners and supervisors send screenings.")
    body = signed_body(store, caller, envelope, signature, "screening")
    meta = _metadata(body, caller)
    with store.acting(caller) as conn:
        if meta["version"] > 1:
            earlier = conn.execute(
                "SELECT status FROM screenings WHERE id = %s AND version = %s AND author_id = %s",
                [meta["id"], meta["version"] - 1, caller.account.id],
            ).fetchone()
            if earlier is None:
                raise ServerError(409, "An amendment follows the version before it, by its author.")
        row = conn.execute(
            "INSERT INTO screenings (id, version, team_id, author_id, device_id, form_id, "
            "form_version, status, screening_month, operative_band, la_area, models, "
            "practitioner_role, envelope, signature) VALUES (%s, %s, %s, %s, %s, %s, %s, "
            "'submitted', %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id, version) DO NOTHING "
            "RETURNING seq",
            [
                meta["id"],
                meta["version"],
                caller.account.team_id,
                caller.account.id,
                caller.device_id,
                meta["form_id"],
                meta["form_version"],
                meta["screening_month"],
                meta["operative_band"],
                meta["la_area"],
                meta["models"],
                meta["practitioner_role"],
                envelope,
                signature,
            ],
        ).fetchone()
        if row is not None:
            store.audit(
                conn, caller.account.id, "screening_received", f"{meta['id']}/v{meta['version']}"
            )
            return Stored(True, "submitted")
        current = conn.execute(
            "SELECT envelope, status FROM screenings WHERE id = %s AND version = %s",
            [meta["id"], meta["version"]],
        ).fetchone()
    if current is None:  # someone else's: RLS hides it, and it is not this caller's to write
        raise ServerError(403, "That screening belongs to someone else.")
    if bytes(current[0]) != envelope:
        raise ServerError(409, f"This version was already sent with other content ({current[1]}).")
    return Stored(False, str(current[1]))


def since(store: ServerStore, caller: Caller, after: int) -> list[dict[str, Any]]:
    """The screenings this caller may see, uploaded after ``after`` (oldest first, a page)."""
    with store.acting(caller) as conn:
        rows = conn.execute(
            "SELECT s.seq, s.id, s.version, s.status, s.envelope, s.signature, a.name, "
            "d.sign_public, d.box_public, a.id FROM screenings s "
            "JOIN accounts a ON a.id = s.author_id "
            "LEFT JOIN devices d ON d.id = s.device_id WHERE s.seq > %s ORDER BY s.seq LIMIT %s",
            [after, PAGE],
        ).fetchall()
    return [_listed(row) for row in rows]


def _listed(row: tuple[Any, ...]) -> dict[str, Any]:
    seq, sid, version, status, envelope, signature, author, sign_public, box_public, author_id = row
    return {
        "seq": int(seq),
        "id": str(sid),
        "version": int(version),
        "status": status,
        "author": author,
        "author_id": int(author_id),
        "envelope": b64(bytes(envelope)),
        "signature": b64(bytes(signature)),
        "author_device_key": bytes(sign_public).hex() if sign_public else None,
        "author_device_box": bytes(box_public).hex() if box_public else None,
    }


def set_team_key(
    store: ServerStore, caller: Caller, public: bytes, sealed: bytes, recovery: bytes
) -> None:
    """The first supervisor of a team makes its key pair and keeps a sealed copy, and a
    recovery copy locked under a code the server never sees."""
    if caller.account.role != "supervisor" or caller.device_id is None:
        raise ServerError(403, "The first supervisor of a team creates its key, from a device.")
    if len(public) != 32:
        raise ServerError(422, "A team key is 32 bytes.")
    with store.acting(caller) as conn:
        done = conn.execute(
            "UPDATE teams SET key_public = %s, recovery = %s WHERE id = %s AND key_public IS NULL",
            [public, recovery, caller.account.team_id],
        )
        if not done.rowcount:
            raise ServerError(409, "This team already has a key; ask a supervisor to share it.")
        conn.execute(
            "INSERT INTO team_keys (team_id, device_id, sealed) VALUES (%s, %s, %s)",
            [caller.account.team_id, caller.device_id, sealed],
        )
        store.audit(conn, caller.account.id, "team_key_created", f"team:{caller.account.team_id}")


def team_key(store: ServerStore, caller: Caller) -> dict[str, str | None]:
    """The team's public key, and this device's sealed copy of the private key (supervisors)."""
    with store.acting(caller) as conn:
        row = conn.execute(
            "SELECT key_public FROM teams WHERE id = %s", [caller.account.team_id]
        ).fetchone()
        copy = conn.execute(
            "SELECT sealed FROM team_keys WHERE team_id = %s AND device_id = %s",
            [caller.account.team_id, caller.device_id],
        ).fetchone()
    public = bytes(row[0]).hex() if row and row[0] is not None else None
    return {"public": public, "sealed": b64(bytes(copy[0])) if copy else None}


def team_recovery(store: ServerStore, caller: Caller) -> bytes:
    """The locked recovery copy of the team key (supervisors only)."""
    if caller.account.role != "supervisor":
        raise ServerError(403, "Only supervisors recover the team key.")
    with store.acting(caller) as conn:
        row = conn.execute(
            "SELECT recovery FROM teams WHERE id = %s", [caller.account.team_id]
        ).fetchone()
    if row is None or row[0] is None:
        raise ServerError(404, "Your team has no key yet.")
    return bytes(row[0])


def keep_recovered(store: ServerStore, caller: Caller, sealed: bytes) -> None:
    """A supervisor's device that has no copy keeps the one it recovered with the code."""
    if caller.account.role != "supervisor" or caller.device_id is None:
        raise ServerError(403, "Only a supervisor's registered device keeps a team key.")
    with store.acting(caller) as conn:
        done = conn.execute(
            "INSERT INTO team_keys (team_id, device_id, sealed) VALUES (%s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            [caller.account.team_id, caller.device_id, sealed],
        )
        if not done.rowcount:
            raise ServerError(409, "This device already holds the team key.")
        store.audit(conn, caller.account.id, "team_key_recovered", f"device:{caller.device_id}")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
