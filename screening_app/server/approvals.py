"""Computers of a team and their approvals (docs/SECURITY.md, "Approving a computer").

The server lists a team's computers to its supervisors and keeps the approvals their computers
sign; it checks what it can (the approved computer is the team's, its keys are the ones
registered, the approving computer signed the statement and holds the current epoch) but the
decision is the desktops': a computer that holds the team key shares it only with computers
whose approval verifies under that key, which the server never holds.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from screening_app.domain.capabilities import Verb
from screening_app.server import permissions, rows
from screening_app.server.downloads import b64
from screening_app.server.problems import Conflict, Invalid, NotFound, Refused
from screening_app.server.store import Caller, ServerStore
from screening_app.sync import approval
from screening_app.sync.wire_keys import ListedApproval, ListedComputer, TeamComputers


@dataclass(frozen=True)
class _Computer:
    device_id: uuid.UUID
    account: str
    role: str
    name: str
    registered_at: dt.datetime
    box_public: bytes
    sign_public: bytes
    added_by: str | None
    account_added_at: dt.datetime

    def listed(self) -> ListedComputer:
        return ListedComputer(
            device_id=str(self.device_id),
            account=self.account,
            role=self.role,
            name=self.name,
            registered_at=self.registered_at.isoformat(),
            x25519=bytes(self.box_public).hex(),
            ed25519=bytes(self.sign_public).hex(),
            added_by=self.added_by,
            account_added_at=self.account_added_at.isoformat(),
        )


@dataclass(frozen=True)
class _Approval:
    device_id: uuid.UUID
    epoch: int
    statement: bytes
    signature: bytes
    team_signature: bytes

    def listed(self) -> ListedApproval:
        return ListedApproval(
            device_id=str(self.device_id),
            epoch=self.epoch,
            statement=b64(bytes(self.statement)),
            signature=b64(bytes(self.signature)),
            team_signature=b64(bytes(self.team_signature)),
        )


def computers(store: ServerStore, caller: Caller) -> TeamComputers:
    """The team's active computers (who, which role, who made the account) and every
    approval of them, for a supervisor's computer to verify and show."""
    permissions.require_device(caller, Verb.SEE_COMPUTERS)
    with store.acting(caller) as conn:
        epoch = conn.execute(
            "SELECT key_epoch FROM teams WHERE id = %s", [caller.account.team_id]
        ).fetchone()
        listed = rows.every(
            conn,
            _Computer,
            "SELECT d.id AS device_id, a.name AS account, a.role, d.name, d.registered_at, "
            "d.box_public, d.sign_public, a.added_by, a.created_at AS account_added_at "
            "FROM devices d JOIN accounts a ON a.id = d.account_id "
            "WHERE a.team_id = %s AND a.active AND d.revoked_at IS NULL "
            "AND d.box_public IS NOT NULL ORDER BY a.name, d.registered_at",
            [caller.account.team_id],
        )
        approvals = rows.every(
            conn,
            _Approval,
            "SELECT device_id, epoch, statement, signature, team_signature FROM device_approvals "
            "WHERE team_id = %s ORDER BY epoch, made_at",
            [caller.account.team_id],
        )
    return TeamComputers(
        epoch=int(epoch[0]) if epoch else 0,
        computers=[c.listed() for c in listed],
        approvals=[a.listed() for a in approvals],
    )


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
