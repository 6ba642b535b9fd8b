"""The team's keys on a desktop (docs/SERVER.md, "The team key"): fetched from the server at each
sync as copies sealed for this computer, opened in memory, never stored here.

- The first supervisor makes the team key, a recovery key (its private half locked under a code
  printed once) and the team's link secret.
- At each sync a supervisor's computer that holds the keys looks after the team: it makes the
  next epoch of the team key when one is due (a supervisor left), and shares the key with new
  supervisors' computers and the link secret with every computer of the team.
- ``team recover`` takes the keys back with the code when every computer holding them is lost.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from screening_app import crypto
from screening_app.crypto import AccountKeys, KdfParams
from screening_app.domain.capabilities import Verb
from screening_app.errors import AuthenticationError, StorageError, WorkflowError
from screening_app.services import approvals
from screening_app.services.session import Session
from screening_app.storage.keyring import new_recovery_key, normalise_recovery_key
from screening_app.storage.opened import get_meta
from screening_app.sync import api
from screening_app.sync.api import SealedSecretApi
from screening_app.sync.client import ServerClient, b64, unb64
from screening_app.sync.wire_keys import (
    TEAM_KEY_GRANTS_PATH,
    TEAM_KEY_PATH,
    TEAM_KEY_RECOVER_PATH,
    TEAM_KEY_ROTATE_PATH,
    TEAM_LINK_PATH,
    DeviceKey,
    EpochKey,
    Grant,
    Recovered,
    Rotation,
    TeamKey,
    TeamRecovery,
    WaitingDevice,
)

TEAM_KEY = b"cse-screening team key"
TEAM_RECOVERY = b"cse-screening team recovery"
LINK_SECRET = b"cse-screening link secret"


@dataclass
class TeamKeys:
    """What this computer can use of its team's keys for one sync."""

    public: bytes  # the current epoch's public key: what new screenings are sealed for
    epoch: int
    held: dict[int, AccountKeys] = field(default_factory=dict)  # epochs this computer opens
    rotation_due: bool = False
    recovery_public: bytes | None = None
    link: bytes | None = None  # the link secret, for child tags
    # computers whose approval verified here at this epoch (services/approvals.py)
    approved: dict[str, dict[str, Any]] = field(default_factory=dict)

    def opener(self, epoch: int) -> AccountKeys | None:
        return self.held.get(epoch)


def fetch(session: Session, client: ServerClient) -> TeamKeys:
    """The team's keys as the server holds them for this computer."""
    info = api.team_key(client)
    if info.public is None:
        raise WorkflowError(
            "Your team has no key yet: a supervisor of the team must connect first."
        )
    mine = session.store.keys
    held = {}
    for copy in info.keys:
        opened = crypto.unseal(unb64(copy.sealed), mine, TEAM_KEY) if copy.sealed else None
        if opened is not None:
            held[copy.epoch] = AccountKeys.from_bytes(opened)
    link = SealedSecretApi(client, TEAM_LINK_PATH).copy().sealed
    recovery = info.recovery_public
    return TeamKeys(
        public=bytes.fromhex(info.public),
        epoch=info.epoch,
        held=held,
        rotation_due=info.rotation_due,
        recovery_public=bytes.fromhex(recovery) if recovery else None,
        link=crypto.unseal(unb64(link), mine, LINK_SECRET) if link else None,
    )


def create_if_none(session: Session, client: ServerClient, device: str) -> str | None:
    """The first supervisor of a team makes its key, and approves its own computer (``device``)
    under it; returns the team's recovery code."""
    if api.team_key(client).public is not None:
        return None
    team, recovery = AccountKeys.generate(), AccountKeys.generate()
    code = new_recovery_key()
    locked = crypto.wrap_secret(
        normalise_recovery_key(code), recovery.to_bytes(), session.store.kdf, TEAM_RECOVERY
    )
    mine = session.store.keys.box_public
    made = TeamKey(
        public=team.box_public.hex(),
        sealed=b64(crypto.seal(team.to_bytes(), mine, TEAM_KEY)),
        recovery=b64(crypto.canonical(locked)),
        recovery_public=recovery.box_public.hex(),
        epoch_recovery=b64(crypto.seal(team.to_bytes(), recovery.box_public, TEAM_KEY)),
    )
    api.send(client, "PUT", TEAM_KEY_PATH, made)
    keys = TeamKeys(public=team.box_public, epoch=1, held={1: team})
    approvals.approve_itself(session, client, keys, device)
    _make_link(session, client)
    return code


def _make_link(session: Session, client: ServerClient) -> None:
    secret = secrets.token_bytes(32)
    sealed = crypto.seal(secret, session.store.keys.box_public, LINK_SECRET)
    SealedSecretApi(client, TEAM_LINK_PATH).create(sealed)


def tend(session: Session, client: ServerClient, keys: TeamKeys) -> tuple[TeamKeys, list[str]]:
    """A supervisor's computer looks after the team's keys; what it did, in words. Keys and
    the link secret go only to computers whose approval verifies here (services/approvals.py)."""
    if not session.can(Verb.HOLD_TEAM_KEY) or keys.epoch not in keys.held:
        return keys, []
    said = []
    if keys.link is None and not SealedSecretApi(client, TEAM_LINK_PATH).copy().exists:
        _make_link(session, client)
        said.append("Made the team's link secret.")
    before = None
    if keys.rotation_due:
        before = approvals.verified(api.team_computers(client), keys)
        keys = _rotate(session, client, keys)
        said.append(
            f"A supervisor has left: the team key was changed (epoch {keys.epoch}); "
            "what is sent from now on is sealed with the new key."
        )
    keys.approved, unapproved = approvals.look_after(session, client, keys, before)
    allowed = approvals.may_receive(keys.approved)
    for device in api.team_key_waiting(client):
        if not allowed(device):
            continue
        box = bytes.fromhex(keys.approved[device.device_id]["x25519"])
        copies = [
            EpochKey(epoch=e, sealed=b64(crypto.seal(keys.held[e].to_bytes(), box, TEAM_KEY)))
            for e in device.epochs
            if e in keys.held
        ]
        if copies:
            grant = Grant(device_id=uuid.UUID(device.device_id), keys=copies)
            api.send(client, "POST", TEAM_KEY_GRANTS_PATH, grant)
            said.append(f"Shared the team key with {device.account}'s computer.")
    if keys.link is not None:
        share_secret(SealedSecretApi(client, TEAM_LINK_PATH), keys.link, LINK_SECRET, allowed)
    if unapproved:
        whose = ", ".join(sorted({f"{c.account}'s" for c in unapproved}))
        said.append(
            f"{len(unapproved)} computer(s) of your team wait for a supervisor's approval "
            f"({whose}): they receive no key until one of you checks the code on their screen "
            "and approves it (Review → Team computers…, or `screening-app team approve CODE`)."
        )
    return keys, said


def share_secret(
    resource: SealedSecretApi,
    secret: bytes,
    context: bytes,
    allowed: Callable[[WaitingDevice], bool],
) -> None:
    """Seal ``secret`` for each computer waiting for it that ``allowed`` accepts, and give
    each its copy: the team's and the organisation's link secrets (server/sealed_secrets.py)."""
    for device in resource.waiting():
        if allowed(device):
            sealed = crypto.seal(secret, bytes.fromhex(device.x25519), context)
            resource.grant(device.device_id, sealed)


def _rotate(session: Session, client: ServerClient, keys: TeamKeys) -> TeamKeys:
    """The next epoch, sealed for this computer and the recovery key; the other supervisors'
    computers get it from the grants that follow (they are then waiting for it)."""
    new, epoch = AccountKeys.generate(), keys.epoch + 1
    device = get_meta(session.db, "sync_device")
    mine = crypto.seal(new.to_bytes(), session.store.keys.box_public, TEAM_KEY)
    recovery = (
        b64(crypto.seal(new.to_bytes(), keys.recovery_public, TEAM_KEY))
        if keys.recovery_public is not None
        else None
    )
    rotation = Rotation(
        epoch=epoch,
        public=new.box_public.hex(),
        recovery=recovery,
        keys=[DeviceKey(device_id=uuid.UUID(str(device)), sealed=b64(mine))],
    )
    api.send(client, "POST", TEAM_KEY_ROTATE_PATH, rotation)
    with session.write("record the new team key"):
        session.audit("team_key_rotated", None, f"epoch {epoch}")
    return TeamKeys(
        public=new.box_public,
        epoch=epoch,
        held={**keys.held, epoch: new},
        recovery_public=keys.recovery_public,
        link=keys.link,
    )


def recover(session: Session, code: str, password: str) -> None:
    """A supervisor's computer without the team key takes every epoch from the recovery copy."""
    session.require(Verb.RECOVER_TEAM_KEY)
    db = session.db
    url, pem = get_meta(db, "sync_url"), get_meta(db, "sync_certificate")
    device = get_meta(db, "sync_device")
    if url is None or pem is None:
        raise WorkflowError("This database is not connected to a team server: `connect` first.")
    client = ServerClient(url, pem)
    try:
        client.sign_in(session.user.name, password, device)
        stored = api.team_recovery(client)
        opened = _unlock(normalise_recovery_key(code), stored)
        mine = session.store.keys.box_public
        copies = [
            EpochKey(epoch=epoch, sealed=b64(crypto.seal(plain, mine, TEAM_KEY)))
            for epoch, plain in opened.items()
        ]
        api.send(client, "POST", TEAM_KEY_RECOVER_PATH, Recovered(keys=copies))
    finally:
        client.close()
    with session.write("record the recovery"):
        session.audit("team_key_recovered")


def _unlock(code: str, stored: TeamRecovery) -> dict[int, bytes]:
    """Every epoch's key from the recovery copy (a team made before epochs: its only key)."""
    try:
        locked = json.loads(unb64(stored.recovery))
        plain = crypto.unwrap_secret(
            code,
            bytes.fromhex(locked["salt"]),
            bytes.fromhex(locked["nonce"]),
            bytes.fromhex(locked["sealed"]),
            KdfParams.from_json(locked["kdf"]),
            TEAM_RECOVERY,
        )
        if plain is None:
            raise AuthenticationError("That is not your team's recovery key.")
        if stored.scheme != "epochs":
            return {1: plain}
        recovery = AccountKeys.from_bytes(plain)
        opened = {}
        for epoch in stored.epochs:
            if epoch.sealed:
                key = crypto.unseal(unb64(epoch.sealed), recovery, TEAM_KEY)
                if key is None:
                    raise ValueError("an epoch does not open")
                opened[epoch.epoch] = key
        return opened
    except (KeyError, TypeError, ValueError):
        raise StorageError("The team's recovery copy on the server is damaged.") from None
