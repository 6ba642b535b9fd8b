"""Links across the organisation, from a supervisor's computer (docs/SERVER.md, "Links across
the organisation").

At each sync a supervisor's computer
- looks after the organisation's link secret: opens its sealed copy, makes the secret when the
  organisation has none, and shares it with every supervisor's computer (of any team) waiting;
- sends, for each of its team's screenings the server holds, the **link keys** of its exact
  entity keys — ``HMAC(secret, kind + "|" + key)`` — when they changed since the last time;
- asks which of the team's screenings share a link key with another team's, and keeps the
  answer here (kind and key found again from its own keys), for the Links view and
  ``screening-app links`` to show without a connection.

Names and partial registrations are compared fuzzily, which a keyed hash cannot do: they stay
links within a team. The secret is never stored on this computer.
"""

from __future__ import annotations

import hashlib
import secrets

from screening_app import crypto
from screening_app.domain.capabilities import Verb
from screening_app.services.approvals import may_receive
from screening_app.services.session import Session
from screening_app.services.sync_report import SyncReport
from screening_app.services.team_key import TeamKeys, share_secret
from screening_app.storage import org_links_repo
from screening_app.sync import api
from screening_app.sync.api import SealedSecretApi
from screening_app.sync.client import ServerClient, SyncError, unb64
from screening_app.sync.wire_keys import ORGANISATION_LINK_PATH, WaitingDevice

ORGANISATION_LINK = b"cse-screening organisation link secret"
BATCH = 500  # screenings per request


def link_key(secret: bytes, kind: str, key: str) -> str:
    return crypto.tag(secret, f"{kind}|{key}")


def secret(session: Session, client: ServerClient) -> bytes | None:
    """This computer's copy of the organisation's secret (made here if there is none yet);
    None while it waits for another supervisor's computer to share it."""
    resource = SealedSecretApi(client, ORGANISATION_LINK_PATH)
    info = resource.copy()
    mine = session.store.keys
    if info.sealed:
        return crypto.unseal(unb64(info.sealed), mine, ORGANISATION_LINK)
    if info.exists:
        return None
    made = secrets.token_bytes(32)
    sealed = crypto.seal(made, mine.box_public, ORGANISATION_LINK)
    try:
        resource.create(sealed)
    except SyncError as exc:
        if exc.status == 409:  # another supervisor made it a moment ago: wait for a copy
            return None
        raise
    return made


def exchange(session: Session, client: ServerClient, report: SyncReport, team: TeamKeys) -> None:
    """One round for a supervisor's computer (nothing for anyone else's). The secret goes to
    computers of this team only when their approval verified here; to another team's, when the
    server says that team approved them (docs/SECURITY.md, "Approving a computer")."""
    if not session.can(Verb.HOLD_TEAM_KEY):
        return
    opened = secret(session, client)
    if opened is None:
        return
    ours = may_receive(team.approved)

    def allowed(device: WaitingDevice) -> bool:
        return device.team != session.user.team or ours(device)

    resource = SealedSecretApi(client, ORGANISATION_LINK_PATH)
    share_secret(resource, opened, ORGANISATION_LINK, allowed)
    db, scope = session.db, session.scope()
    remote: dict[int, str] = {}
    keys: dict[int, dict[str, tuple[str, str]]] = {}
    for row in org_links_repo.on_server(db, scope):
        remote[row.screening_id] = row.remote_id
        mine = keys.setdefault(row.screening_id, {})
        if row.kind is not None and row.key is not None:
            mine[link_key(opened, row.kind, row.key)] = (row.kind, row.key)
    _send(session, client, remote, keys)
    answer = api.organisation_links(client)
    by_remote = {remote_id: sid for sid, remote_id in remote.items()}
    found = []
    for item in answer:
        sid = by_remote.get(item.screening_id)
        if sid is None or item.link_key not in keys.get(sid, {}):
            continue  # an older version's, or a screening this computer no longer counts
        kind, key = keys[sid][item.link_key]
        found.append(
            (
                item.link_key,
                sid,
                kind,
                key,
                item.team,
                item.screenings,
                item.supervisors,
            )
        )
    with session.write("keep the links across the organisation") as db:
        before = org_links_repo.count(db)
        org_links_repo.replace_links(db, found)
    screenings = len({row[1] for row in found})
    if found and len(found) != before:
        report.notes.append(
            f"{screenings} of your team's screenings share a phone, vehicle, place or account "
            "with screenings of other teams: see Review → Links."
        )


def _send(
    session: Session,
    client: ServerClient,
    remote: dict[int, str],
    keys: dict[int, dict[str, tuple[str, str]]],
) -> None:
    """The link keys of each screening whose set changed since it was last sent."""
    sent = org_links_repo.sent_digests(session.db)
    digests = {
        sid: hashlib.sha256("\n".join(sorted(mine)).encode()).hexdigest()
        for sid, mine in keys.items()
    }
    changed = [sid for sid, digest in digests.items() if sent.get(sid) != digest]
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        unknown = api.put_link_keys(
            client, [{"screening_id": remote[sid], "keys": sorted(keys[sid])} for sid in batch]
        )
        with session.write("note the link keys sent") as db:
            org_links_repo.mark_sent(
                db, {sid: digests[sid] for sid in batch if remote[sid] not in unknown}
            )
