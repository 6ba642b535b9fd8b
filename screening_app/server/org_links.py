"""Links across the organisation (docs/SERVER.md): the server compares keyed hashes of the exact
entity keys (phone, registration, postcode and house, handle) that supervisors' computers send
for their team's screenings, and tells each team's supervisors which of their screenings share
one with another team — the team and its supervisors, never the other screening's content, and
never a value (it holds no secret to make or read one).

The organisation's link secret is made by the first supervisor's computer that syncs, sealed
for it, and shared by every supervisor's computer holding it with the supervisors' computers of
every team still waiting (schema_v8).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from screening_app.domain.capabilities import Verb
from screening_app.server import permissions, rows
from screening_app.server.downloads import b64
from screening_app.server.problems import Conflict, NotFound, Refused
from screening_app.server.store import Caller, ServerStore
from screening_app.sync.wire_keys import OrganisationLink, WaitingDevice

SECRET_LOCK = 7302  # advisory lock: one organisation secret, however many make it at once


def secret_copy(store: ServerStore, caller: Caller) -> dict[str, Any]:
    """This device's sealed copy of the organisation's link secret, and whether one exists."""
    permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    with store.acting(caller) as conn:
        mine = conn.execute(
            "SELECT sealed FROM organisation_link WHERE device_id = %s", [caller.device_id]
        ).fetchone()
        made = conn.execute("SELECT organisation_link_state()").fetchone()
    return {"sealed": b64(bytes(mine[0])) if mine else None, "exists": bool(made and made[0])}


def create_secret(store: ServerStore, caller: Caller, sealed: bytes) -> None:
    device = permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    with store.acting(caller) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [SECRET_LOCK])
        made = conn.execute("SELECT organisation_link_state()").fetchone()
        if made and made[0]:
            raise Conflict("The organisation already has a link secret.")
        conn.execute(
            "INSERT INTO organisation_link (device_id, sealed) VALUES (%s, %s)", [device, sealed]
        )
        store.audit_as(conn, caller, "organisation_link_secret_created", None)


def waiting(store: ServerStore, caller: Caller) -> list[WaitingDevice]:
    """The supervisors' devices, of every team, without a copy of the secret."""
    permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    with store.acting(caller) as conn:
        listed = rows.every(
            conn,
            rows.Waiting,
            "SELECT device_id, account, team, x25519 FROM organisation_link_waiting()",
        )
    return [row.device() for row in listed]


def grant(store: ServerStore, caller: Caller, device: uuid.UUID, sealed: bytes) -> None:
    mine = permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    if str(device) not in {w.device_id for w in waiting(store, caller)}:
        raise NotFound("That device is not a supervisor's waiting for the link secret.")
    with store.acting(caller) as conn:
        if not conn.execute(
            "SELECT 1 FROM organisation_link WHERE device_id = %s", [mine]
        ).fetchone():
            raise Refused("This device has no copy of the link secret to share.")
        conn.execute(
            "INSERT INTO organisation_link (device_id, sealed) VALUES (%s, %s)", [device, sealed]
        )
        store.audit_as(conn, caller, "organisation_link_secret_granted", f"device:{device}")


def put_keys(store: ServerStore, caller: Caller, keys: dict[uuid.UUID, list[bytes]]) -> list[str]:
    """Replace the link keys of each given screening of the caller's team; the ids the server
    does not hold (yet) for the team are answered, and nothing is stored for them."""
    permissions.require_device(caller, Verb.HOLD_TEAM_KEY)
    team = caller.account.team_id
    with store.acting(caller) as conn:
        known = {
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT id FROM screenings WHERE id = ANY(%s) AND team_id = %s",
                [list(keys), team],
            ).fetchall()
        }
        for screening_id in known:
            conn.execute(
                "DELETE FROM organisation_link_keys WHERE screening_id = %s", [screening_id]
            )
            for key in set(keys[screening_id]):  # 32 bytes each: checked by the API
                conn.execute(
                    "INSERT INTO organisation_link_keys (screening_id, team_id, link_key) "
                    "VALUES (%s, %s, %s)",
                    [screening_id, team, key],
                )
        store.audit_as(conn, caller, "link_keys_received", None, f"{len(known)} screenings")
    return sorted(str(s) for s in set(keys) - known)


@dataclass(frozen=True)
class _Link:
    link_key: str
    screening_id: uuid.UUID
    team: str
    screenings: int
    supervisors: str | None

    def link(self) -> OrganisationLink:
        return OrganisationLink(
            link_key=self.link_key,
            screening_id=str(self.screening_id),
            team=self.team,
            screenings=self.screenings,
            supervisors=self.supervisors or "",
        )


def links(store: ServerStore, caller: Caller) -> list[OrganisationLink]:
    """Each screening of the caller's team sharing a key with another team's screenings."""
    permissions.require_device(caller, Verb.SEE_LINKS_ACROSS_TEAMS)
    with store.acting(caller) as conn:
        listed = rows.every(
            conn,
            _Link,
            "SELECT link_key, screening_id, team, screenings, supervisors "
            "FROM organisation_links() ORDER BY team, link_key",
        )
        store.audit_as(conn, caller, "organisation_links_viewed", None, f"{len(listed)}")
    return [row.link() for row in listed]
