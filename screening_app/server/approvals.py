"""Computers of a team and their approvals (docs/SECURITY.md, "Approving a computer").

The server lists a team's computers to its supervisors and keeps the approvals their computers
sign; it checks what it can (the approved computer is the team's, its keys are the ones
registered, the approving computer signed the statement and holds the current epoch) but the
decision is the desktops': a computer that holds the team key shares it only with computers
whose approval verifies under that key, which the server never holds.
"""

from __future__ import annotations

import uuid
from typing import Any

from screening_app.domain.capabilities import Verb
from screening_app.server import permissions
from screening_app.server.problems import Conflict, Invalid, NotFound, Refused
from screening_app.server.screenings import b64
from screening_app.server.store import Caller, ServerStore
from screening_app.sync import approval


def computers(store: ServerStore, caller: Caller) -> dict[str, Any]:
    """The team's active computers (who, which role, who made the account) and every
    approval of them, for a supervisor's computer to verify and show."""
    permissions.require_device(caller, Verb.SEE_COMPUTERS)
    with store.acting(caller) as conn:
        epoch = conn.execute(
            "SELECT key_epoch FROM teams WHERE id = %s", [caller.account.team_id]
        ).fetchone()
        rows = conn.execute(
            "SELECT d.id, a.name, a.role, d.name, d.registered_at, d.box_public, d.sign_public, "
            "a.added_by, a.created_at FROM devices d JOIN accounts a ON a.id = d.account_id "
            "WHERE a.team_id = %s AND a.active AND d.revoked_at IS NULL "
            "AND d.box_public IS NOT NULL ORDER BY a.name, d.registered_at",
            [caller.account.team_id],
        ).fetchall()
        approvals = conn.execute(
            "SELECT device_id, epoch, statement, signature, team_signature FROM device_approvals "
            "WHERE team_id = %s ORDER BY epoch, made_at",
            [caller.account.team_id],
        ).fetchall()
    return {
        "epoch": int(epoch[0]) if epoch else 0,
        "computers": [
            {
                "device_id": str(d),
                "account": account,
                "role": role,
                "name": name,
                "registered_at": registered.isoformat(),
                "x25519": bytes(box).hex(),
                "ed25519": bytes(sign).hex(),
                "added_by": added_by,
                "account_added_at": created.isoformat(),
            }
            for d, account, role, name, registered, box, sign, added_by, created in rows
        ],
        "approvals": [
            {
                "device_id": str(d),
                "epoch": int(e),
                "statement": b64(bytes(s)),
                "signature": b64(bytes(sig)),
                "team_signature": b64(bytes(team_sig)),
            }
            for d, e, s, sig, team_sig in approvals
        ],
    }


def record(
    store: ServerStore,
    caller: Caller,
    device: uuid.UUID,
    epoch: int,
    raw: bytes,
    signature: bytes,
    team_signature: bytes,
) -> bool:
    """Keep one approval; False when the same computer was already approved at that epoch."""
    mine = permissions.require_device(caller, Verb.APPROVE_COMPUTER)
    statement = approval.decode(raw)
    if statement is None:
        raise Invalid("The approval is not a statement this server knows.")
    if len(signature) != 64 or len(team_signature) != 64:
        raise Invalid("A signature is 64 bytes.")
    with store.acting(caller) as conn:
        team = conn.execute(
            "SELECT key_epoch FROM teams WHERE id = %s", [caller.account.team_id]
        ).fetchone()
        target = conn.execute(
            "SELECT d.box_public, d.sign_public, a.name FROM devices d "
            "JOIN accounts a ON a.id = d.account_id WHERE d.id = %s AND a.team_id = %s "
            "AND a.active AND d.revoked_at IS NULL",
            [device, caller.account.team_id],
        ).fetchone()
        approver = conn.execute("SELECT sign_public FROM devices WHERE id = %s", [mine]).fetchone()
        holds = conn.execute(
            "SELECT 1 FROM team_keys WHERE team_id = %s AND device_id = %s AND epoch = %s",
            [caller.account.team_id, mine, epoch],
        ).fetchone()
        if target is None:
            raise NotFound("That computer is not an active computer of your team.")
        if team is None or epoch != int(team[0]):
            raise Conflict("The team key has changed since; sync again first.")
        if holds is None:
            raise Refused("This computer does not hold the team key to approve with.")
        expected = {
            "device_id": str(device),
            "x25519": bytes(target[0]).hex(),
            "ed25519": bytes(target[1]).hex(),
            "account": target[2],
            "epoch": epoch,
            "approver_device": str(mine),
            "approver": caller.account.name,
        }
        if any(statement[k] != v for k, v in expected.items()):
            raise Invalid("The approval does not name this computer as registered.")
        if approver is None or not approval.verify(raw, signature, bytes(approver[0])):
            raise Invalid("The approval is not signed by the approving computer.")
        done = conn.execute(
            "INSERT INTO device_approvals (team_id, device_id, epoch, approver_device, "
            "statement, signature, team_signature) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            [caller.account.team_id, device, epoch, mine, raw, signature, team_signature],
        )
        if done.rowcount:
            store.audit_as(conn, caller, "computer_approved", f"device:{device}", f"epoch {epoch}")
    return bool(done.rowcount)
