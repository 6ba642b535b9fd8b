"""Approving a computer of the team (docs/SECURITY.md, "Approving a computer").

No key or link secret goes to a computer because the server lists it: a computer that holds the
team key shares it only with computers a supervisor in post has approved by their code, and it
checks each approval itself, under the team key the server never holds.

- Each computer has a code (``crypto.computer_code``: its public keys, 60 bits) shown on its own
  screen; the person approving reads it there, or hears it read aloud, and types it on theirs.
- The approving computer signs a statement naming the approved computer's keys with its own key
  (who approved) and with the team key of the current epoch (that the approver holds the key).
- An approval counts only at the epoch it was made under: when the team key changes because a
  supervisor left, the computer making the new key signs again for the computers it had
  verified, so a leaver's old copy of the key cannot approve anyone afterwards.
- A computer that holds the current key (the first supervisor's, or one recovered with the
  team's recovery key) approves itself at its next sync, so the others can verify it.
"""

from __future__ import annotations

import binascii
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from screening_app import crypto
from screening_app.domain.capabilities import ROLE_LABELS, Verb
from screening_app.errors import WorkflowError
from screening_app.services.session import Session
from screening_app.storage.opened import get_meta
from screening_app.sync import api, approval
from screening_app.sync.client import ServerClient, b64, unb64
from screening_app.sync.wire_keys import (
    APPROVALS_PATH,
    Approval,
    ListedComputer,
    TeamComputers,
    WaitingDevice,
)

if TYPE_CHECKING:
    from screening_app.services.team_key import TeamKeys

Statements = dict[str, dict[str, Any]]  # device id -> its verified approval statement


@dataclass(frozen=True)
class Approvee:
    """What an approval names: the computer, its keys, and whose it is."""

    device_id: str
    x25519: str
    ed25519: str
    account: str

    @classmethod
    def of(cls, computer: ListedComputer) -> Approvee:
        return cls(computer.device_id, computer.x25519, computer.ed25519, computer.account)


@dataclass(frozen=True)
class Computer:
    """A computer of the team as a supervisor's computer sees it."""

    device_id: str
    account: str
    role: str
    name: str
    registered_on: str
    code: str
    added_by: str | None  # the server administrator who made the account
    account_added_on: str
    approved_by: str | None  # verified here, at the team key's current epoch
    this_computer: bool

    def words(self) -> str:
        """One line: whose computer, its code, who made the account, whether approved."""
        role = ROLE_LABELS.get(self.role, self.role).lower()
        made = (
            f"account added by the server administrator {self.added_by} on {self.account_added_on}"
            if self.added_by
            else f"account added on {self.account_added_on} (before the server recorded by whom)"
        )
        state = (
            "this computer"
            if self.this_computer
            else f"approved by {self.approved_by}"
            if self.approved_by
            else "WAITING FOR APPROVAL"
        )
        return (
            f"{self.account} ({role}) on {self.name}, registered {self.registered_on}, "
            f"code {self.code}; {made}; {state}"
        )


def this_code(session: Session) -> str:
    keys = session.store.keys
    return crypto.computer_code(keys.box_public, keys.sign_public)


def waiting_words(session: Session) -> str:
    """What a computer without its approval says: its code and who can approve it."""
    return (
        f"This computer is waiting for a supervisor of your team to approve it: its code is "
        f"{this_code(session)}. They approve it with Review → Team computers… (or "
        f"`screening-app team approve {this_code(session)}`) after checking the code here."
    )


def verified(listing: TeamComputers, keys: TeamKeys) -> Statements:
    """The approvals in ``listing`` (the server's ``/v1/teams/mine/computers``) that verify
    under the team key of the current epoch, each also signed by its approving computer, itself
    approved. Anything malformed or signed otherwise is left out: the server's word is not
    enough."""
    team = keys.held.get(keys.epoch)
    if team is None:
        return {}
    signed: dict[str, tuple[dict[str, Any], bytes, bytes]] = {}
    for item in listing.approvals:
        if item.epoch != keys.epoch:
            continue
        try:
            raw = unb64(item.statement)
            team_signature, signature = unb64(item.team_signature), unb64(item.signature)
        except (ValueError, binascii.Error):
            continue
        statement = approval.decode(raw)
        if (
            statement is None
            or statement["epoch"] != keys.epoch
            or statement["team_key"] != team.box_public.hex()
            or statement["device_id"] != item.device_id
            or not approval.verify(raw, team_signature, team.sign_public)
        ):
            continue
        signed[statement["device_id"]] = (statement, raw, signature)
    trusted: Statements = {}
    for device, (statement, raw, signature) in signed.items():
        approver = signed.get(statement["approver_device"])
        if approver is None:
            continue
        try:
            approver_key = bytes.fromhex(approver[0]["ed25519"])
        except ValueError:
            continue
        if approval.verify(raw, signature, approver_key):
            trusted[device] = statement
    return trusted


def may_receive(trusted: Statements) -> Callable[[WaitingDevice], bool]:
    """A test for a device the server says is waiting: approved, with the very keys approved."""

    def approved(device: WaitingDevice) -> bool:
        statement = trusted.get(device.device_id)
        return statement is not None and statement["x25519"] == device.x25519

    return approved


def sign_for(
    session: Session,
    client: ServerClient,
    keys: TeamKeys,
    computer: Approvee,
    approver_device: str | None = None,
) -> dict[str, Any]:
    """Approve ``computer`` (as the server lists it) at the current epoch, from
    this computer (``approver_device``: its id, when not yet stored); the statement made."""
    team = keys.held[keys.epoch]
    statement = {
        "what": approval.WHAT,
        "team_key": team.box_public.hex(),
        "epoch": keys.epoch,
        "device_id": computer.device_id,
        "x25519": computer.x25519,
        "ed25519": computer.ed25519,
        "account": computer.account,
        "approver": session.user.name,
        "approver_device": approver_device or get_meta(session.db, "sync_device") or "",
        "at": session.today().isoformat(),
    }
    raw = approval.encode(statement)
    approved = Approval(
        device_id=uuid.UUID(computer.device_id),
        epoch=keys.epoch,
        statement=b64(raw),
        signature=b64(approval.sign(raw, session.store.keys)),
        team_signature=b64(approval.sign(raw, team)),
    )
    api.send(client, "POST", APPROVALS_PATH, approved)
    return statement


def approve_itself(
    session: Session, client: ServerClient, keys: TeamKeys, device: str
) -> dict[str, Any]:
    """The computer that has just made the team key approves itself, so that the others can
    verify it from the start."""
    own = session.store.keys
    computer = Approvee(device, own.box_public.hex(), own.sign_public.hex(), session.user.name)
    return sign_for(session, client, keys, computer, approver_device=device)


def look_after(
    session: Session, client: ServerClient, keys: TeamKeys, before: Statements | None = None
) -> tuple[Statements, list[ListedComputer]]:
    """On a computer holding the current key: the verified approvals, after approving itself
    when it has no approval yet and, right after a change of key (``before``: what was verified
    under the old one), signing again for the computers approved before; with the team's
    computers still waiting for an approval."""
    listing = api.team_computers(client)
    trusted = verified(listing, keys)
    mine = get_meta(session.db, "sync_device") or ""
    own = session.store.keys
    approved_keys = {d: (st["x25519"], st["ed25519"]) for d, st in (before or {}).items()}
    approved_keys[mine] = (own.box_public.hex(), own.sign_public.hex())
    by_id = {c.device_id: c for c in listing.computers}
    for device, keys_approved in approved_keys.items():
        computer = by_id.get(device)
        if computer is None or device in trusted:
            continue
        if keys_approved != (computer.x25519, computer.ed25519):
            continue  # the server lists other keys for it than the ones approved
        trusted[device] = sign_for(session, client, keys, Approvee.of(computer))
    unapproved = [c for c in by_id.values() if c.device_id not in trusted]
    return trusted, unapproved


def computers(session: Session, client: ServerClient, keys: TeamKeys) -> list[Computer]:
    """The team's computers, each with its code and whether an approval verifies here."""
    session.require(Verb.SEE_COMPUTERS)
    return _listed(session, api.team_computers(client), keys)


def _listed(session: Session, listing: TeamComputers, keys: TeamKeys) -> list[Computer]:
    trusted = verified(listing, keys)
    mine = get_meta(session.db, "sync_device")
    out = []
    for c in listing.computers:
        statement = trusted.get(c.device_id)
        out.append(
            Computer(
                device_id=c.device_id,
                account=c.account,
                role=c.role,
                name=c.name,
                registered_on=c.registered_at[:10],
                code=crypto.computer_code(bytes.fromhex(c.x25519), bytes.fromhex(c.ed25519)),
                added_by=c.added_by,
                account_added_on=(c.account_added_at or "")[:10],
                approved_by=statement["approver"] if statement else None,
                this_computer=c.device_id == mine,
            )
        )
    return out


def approve(
    session: Session, client: ServerClient, keys: TeamKeys, code: str
) -> tuple[Computer, dict[str, Any]]:
    """Approve the one computer of the team, not yet approved, whose code is ``code``."""
    session.require(Verb.APPROVE_COMPUTER)
    typed = crypto.normalise_code(code)
    if typed is None:
        raise WorkflowError(
            f"{code.strip()[:40]!r} is not a computer's code: it is 12 letters and digits, "
            "like ABCD-EFGH-JKLM, shown on the computer being approved."
        )
    if keys.epoch not in keys.held:
        raise WorkflowError(
            "This computer does not hold the team key, so it cannot approve another: a "
            "supervisor whose computer holds it must approve this one first."
        )
    listing = api.team_computers(client)
    matching = [
        c
        for c in _listed(session, listing, keys)
        if c.code == typed and c.approved_by is None and not c.this_computer
    ]
    if not matching:
        raise WorkflowError(
            f"No computer of your team waiting for approval has the code {typed}. Check the "
            "code on their screen, and that they have connected to the team server."
        )
    if len(matching) > 1:
        raise WorkflowError(
            f"More than one waiting computer has the code {typed}: approve neither, and tell "
            "your IT administrator (someone may be imitating a computer)."
        )
    chosen = matching[0]
    entry = next(c for c in listing.computers if c.device_id == chosen.device_id)
    statement = sign_for(session, client, keys, Approvee.of(entry))
    with session.write("record the approval"):
        session.audit(
            "computer_approved", None, f"{chosen.account} {chosen.code} {chosen.device_id}"
        )
    return chosen, statement
