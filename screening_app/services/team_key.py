"""The team key on a supervisor's computer: made by the team's first supervisor (with a recovery
copy locked under a code only they see), and taken back with that code when every supervisor's
computer holding it is lost (docs/SERVER.md)."""

from __future__ import annotations

import json

from screening_app import crypto
from screening_app.crypto import AccountKeys, KdfParams
from screening_app.errors import AuthenticationError, StorageError, WorkflowError
from screening_app.services.session import Session
from screening_app.storage.keyring import new_recovery_key, normalise_recovery_key
from screening_app.storage.opened import get_meta
from screening_app.sync.client import ServerClient, b64, unb64

TEAM_KEY = b"cse-screening team key"
TEAM_RECOVERY = b"cse-screening team recovery"


def create_if_none(session: Session, client: ServerClient) -> str | None:
    """The first supervisor of a team makes its key; returns the team's recovery code."""
    current = client.call("GET", "/v1/teams/mine/key")
    if current["public"] is not None:
        return None
    team = AccountKeys.generate()
    code = new_recovery_key()
    locked = crypto.wrap_secret(
        normalise_recovery_key(code), team.to_bytes(), session.store.kdf, TEAM_RECOVERY
    )
    body = {
        "public": team.box_public.hex(),
        "sealed": b64(crypto.seal(team.to_bytes(), session.store.keys.box_public, TEAM_KEY)),
        "recovery": b64(crypto.canonical(locked)),
    }
    client.call("PUT", "/v1/teams/mine/key", json=body)
    return code


def recover(session: Session, code: str, password: str) -> None:
    """A supervisor's computer without the team key takes it from the recovery copy."""
    session.require("supervisor", doing="recover the team key")
    db = session.db
    url, pem = get_meta(db, "sync_url"), get_meta(db, "sync_certificate")
    device = get_meta(db, "sync_device")
    if url is None or pem is None:
        raise WorkflowError("This database is not connected to a team server: `connect` first.")
    client = ServerClient(url, pem)
    try:
        client.sign_in(session.user.name, password, device)
        blob = client.call("GET", "/v1/teams/mine/recovery")["recovery"]
        try:
            locked = json.loads(unb64(blob))
            plain = crypto.unwrap_secret(
                normalise_recovery_key(code),
                bytes.fromhex(locked["salt"]),
                bytes.fromhex(locked["nonce"]),
                bytes.fromhex(locked["sealed"]),
                KdfParams.from_json(locked["kdf"]),
                TEAM_RECOVERY,
            )
        except (KeyError, TypeError, ValueError):
            raise StorageError("The team's recovery copy on the server is damaged.") from None
        if plain is None:
            raise AuthenticationError("That is not your team's recovery key.")
        sealed = crypto.seal(plain, session.store.keys.box_public, TEAM_KEY)
        client.call("POST", "/v1/teams/mine/key/recover", json={"sealed": b64(sealed)})
    finally:
        client.close()
    with session.write("record the recovery"):
        session.audit("team_key_recovered")
