"""Review decisions through the server, and sharing the team key with a further supervisor.

A decision is made on a supervisor's desktop and sent as an envelope (the comment sealed for the
team and the author's device, signed by the supervisor's device). The server moves the screening
from ``submitted`` to ``approved`` or ``returned`` in the same transaction, only if it is still
``submitted``: of two supervisors deciding at once, the second gets a 409 with the current state.
"""

from __future__ import annotations

import uuid
from typing import Any

from screening_app.server.screenings import b64, signed_body
from screening_app.server.store import Caller, ServerError, ServerStore

DECISIONS = {"approve": "approved", "return": "returned"}
PAGE = 200


def decide(
    store: ServerStore,
    caller: Caller,
    screening: uuid.UUID,
    version: int,
    envelope: bytes,
    signature: bytes,
) -> str:
    """Record a supervisor's decision; the screening's new status."""
    if caller.account.role != "supervisor":
        raise ServerError(403, "Only a supervisor reviews.")
    body = signed_body(store, caller, envelope, signature, "decision")
    meta = body["metadata"]
    decision = meta.get("decision")
    if (
        decision not in DECISIONS
        or meta.get("id") != str(screening)
        or meta.get("version") != version
    ):
        raise ServerError(
            422, "The decision does not name this screening, or is not approve/return."
        )
    with store.acting(caller) as conn:
        row = conn.execute(
            "SELECT status, author_id, team_id FROM screenings WHERE id = %s AND version = %s "
            "FOR UPDATE",
            [screening, version],
        ).fetchone()
        if row is None:
            raise ServerError(404, "There is no such screening in your team.")
        same = conn.execute(
            "SELECT 1 FROM reviews WHERE screening_id = %s AND version = %s AND envelope = %s",
            [screening, version, envelope],
        ).fetchone()
        if same is not None:  # this very decision again (its answer was lost): nothing to do
            return str(row[0])
        if row[0] != "submitted":
            raise ServerError(409, f"This screening was already decided: it is {row[0]}.")
        conn.execute(
            "UPDATE screenings SET status = %s WHERE id = %s AND version = %s",
            [DECISIONS[decision], screening, version],
        )
        conn.execute(
            "INSERT INTO reviews (screening_id, version, team_id, author_id, reviewer_id, "
            "decision, envelope, signature, device_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                screening,
                version,
                row[2],
                row[1],
                caller.account.id,
                decision,
                envelope,
                signature,
                caller.device_id,
            ],
        )
        store.audit(conn, caller.account.id, f"review_{decision}", f"{screening}/v{version}")
    return DECISIONS[decision]


def since(store: ServerStore, caller: Caller, after: int) -> list[dict[str, Any]]:
    """Decisions this caller may see (on its own screenings; a supervisor: the team's)."""
    with store.acting(caller) as conn:
        rows = conn.execute(
            "SELECT r.seq, r.screening_id, r.version, r.decision, r.envelope, r.signature, "
            "a.name, d.sign_public, a.id FROM reviews r JOIN accounts a ON a.id = r.reviewer_id "
            "JOIN devices d ON d.id = r.device_id WHERE r.seq > %s ORDER BY r.seq LIMIT %s",
            [after, PAGE],
        ).fetchall()
    return [_listed(row) for row in rows]


def _listed(row: tuple[Any, ...]) -> dict[str, Any]:
    seq, sid, version, decision, envelope, signature, reviewer, sign_public, reviewer_id = row
    return {
        "seq": int(seq),
        "id": str(sid),
        "version": int(version),
        "decision": decision,
        "reviewer": reviewer,
        "reviewer_id": int(reviewer_id),
        "envelope": b64(bytes(envelope)),
        "signature": b64(bytes(signature)),
        "reviewer_device_key": bytes(sign_public).hex(),
    }


def waiting_for_team_key(store: ServerStore, caller: Caller) -> list[dict[str, str]]:
    """Devices of the team's supervisors that have no copy of the team key yet."""
    if caller.account.role != "supervisor":
        raise ServerError(403, "Only supervisors share the team key.")
    with store.acting(caller) as conn:
        rows = conn.execute(
            "SELECT d.id, a.name, d.box_public FROM devices d "
            "JOIN accounts a ON a.id = d.account_id "
            "WHERE a.team_id = %s AND a.role = 'supervisor' AND a.active AND d.revoked_at IS NULL "
            "AND d.box_public IS NOT NULL AND NOT EXISTS (SELECT 1 FROM team_keys k "
            "WHERE k.device_id = d.id AND k.team_id = a.team_id) ORDER BY a.name",
            [caller.account.team_id],
        ).fetchall()
    return [{"device_id": str(d), "account": n, "x25519": bytes(k).hex()} for d, n, k in rows]


def grant_team_key(store: ServerStore, caller: Caller, device: uuid.UUID, sealed: bytes) -> None:
    """A supervisor who holds the team key seals it for another supervisor's device."""
    waiting = {w["device_id"] for w in waiting_for_team_key(store, caller)}
    if str(device) not in waiting:
        raise ServerError(
            404, "That device is not a supervisor's of your team waiting for the key."
        )
    with store.acting(caller) as conn:
        holds = conn.execute(
            "SELECT 1 FROM team_keys WHERE team_id = %s AND device_id = %s",
            [caller.account.team_id, caller.device_id],
        ).fetchone()
        if holds is None:
            raise ServerError(403, "This device has no copy of the team key to share.")
        conn.execute(
            "INSERT INTO team_keys (team_id, device_id, sealed) VALUES (%s, %s, %s)",
            [caller.account.team_id, device, sealed],
        )
        store.audit(conn, caller.account.id, "team_key_granted", f"device:{device}")
