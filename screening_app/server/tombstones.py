"""Deletions witnessed by the server (schema_v11.py, docs/GOVERNANCE.md "Deletion").

A supervisor's computer sends the tombstone of a screening it deleted at the end of its
retention period; the server checks the device's signature and that the screening is of the
supervisor's team, removes the sealed content it holds of that version, keeps the clear
metadata the figures count, and answers with its witness: the time and the hash of its own audit
row. The same tombstone twice is witnessed once; another tombstone for the same version is a
409. Other computers of the team fetch the tombstones to remove their copies.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Query, Response

from screening_app.domain.capabilities import Verb
from screening_app.server import audit, devices, permissions, rows
from screening_app.server.bearer import Bearer, BearerDependency
from screening_app.server.downloads import b64
from screening_app.server.problems import Conflict, Invalid, NotFound, decoded
from screening_app.server.routing import Router
from screening_app.server.store import Caller, ServerStore
from screening_app.sync.tombstone import TombstoneError, verify
from screening_app.sync.wire import (
    TOMBSTONES_PATH,
    TombstoneCopy,
    Tombstones,
    Upload,
    Witnessed,
)

PAGE = 200


def witness(store: ServerStore, caller: Caller, data: bytes, signature: bytes) -> dict[str, Any]:
    """Store a tombstone and remove what it names; the witness, and whether it was new."""
    permissions.require_device(caller, Verb.DELETE_RECORD)
    try:
        body = verify(data, signature, devices.device_sign_public(store, caller))
    except TombstoneError as exc:
        raise Invalid(f"The deletion cannot be taken: {exc}.") from None
    if body["decided_by"] != caller.account.name:
        raise Invalid("The deletion names another supervisor than the one sending it.")
    screening, version = uuid.UUID(body["id"]), int(body["version"])
    with store.acting(caller) as conn:
        same = rows.one(
            conn,
            _Deletion,
            "SELECT body, witnessed_at, witness FROM tombstones "
            "WHERE screening_id = %s AND version = %s",
            [screening, version],
        )
        if same is not None:
            if bytes(same.body) != data:
                raise Conflict("This screening was already deleted by another decision.")
            return _witnessed(same.witnessed_at, same.witness, created=False)
        row = rows.one(
            conn,
            rows.Owner,
            "SELECT author_id, team_id FROM screenings WHERE id = %s AND version = %s FOR UPDATE",
            [screening, version],
        )
        if row is None:
            raise NotFound("There is no such screening in your team.")
        now = store.clock()
        conn.execute(
            "UPDATE screenings SET envelope = NULL, content_removed_at = %s "
            "WHERE id = %s AND version = %s",
            [now, screening, version],
        )
        for statement in (
            "UPDATE reviews SET envelope = NULL WHERE screening_id = %s AND version = %s",
            "UPDATE outcomes SET envelope = NULL WHERE screening_id = %s AND version = %s",
        ):
            conn.execute(statement, [screening, version])
        conn.execute(
            "DELETE FROM organisation_link_keys WHERE screening_id = %s AND NOT EXISTS "
            "(SELECT 1 FROM screenings WHERE id = %s AND envelope IS NOT NULL)",
            [screening, screening],
        )
        seen = store.audit_as(
            conn,
            caller,
            "record_deleted",
            audit.version_record(screening, version),
            body["reference"],
        )
        conn.execute(
            "INSERT INTO tombstones (screening_id, version, team_id, author_id, decider_id, "
            "device_id, body, signature, witnessed_at, witness) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                screening,
                version,
                row.team_id,
                row.author_id,
                caller.account.id,
                caller.device_id,
                data,
                signature,
                now,
                seen,
            ],
        )
    return _witnessed(now, seen, created=True)


@dataclass(frozen=True)
class _Deletion:
    body: bytes
    witnessed_at: dt.datetime
    witness: str


@dataclass(frozen=True)
class _Listed:
    seq: int
    body: bytes
    signature: bytes
    witnessed_at: dt.datetime
    witness: str
    decider: str
    decider_key: bytes

    def copy(self) -> TombstoneCopy:
        return TombstoneCopy(
            seq=self.seq,
            tombstone=b64(bytes(self.body)),
            signature=b64(bytes(self.signature)),
            witnessed_at=self.witnessed_at.isoformat(),
            witness=self.witness,
            decider=self.decider,
            decider_device_key=bytes(self.decider_key).hex(),
        )


def since(store: ServerStore, caller: Caller, after: int) -> list[TombstoneCopy]:
    """The tombstones this caller may see (its own screenings'; a supervisor: the team's)."""
    with store.acting(caller) as conn:
        listed = rows.every(
            conn,
            _Listed,
            "SELECT t.seq, t.body, t.signature, t.witnessed_at, t.witness, a.name AS decider, "
            "d.sign_public AS decider_key FROM tombstones t "
            "JOIN accounts a ON a.id = t.decider_id "
            "JOIN devices d ON d.id = t.device_id WHERE t.seq > %s ORDER BY t.seq LIMIT %s",
            [after, PAGE],
        )
    return [row.copy() for row in listed]


def _witnessed(at: Any, seen: str, *, created: bool) -> dict[str, Any]:
    return {"stored": created, "witnessed_at": at.isoformat(), "witness": seen}


def router(store: ServerStore, bearer: BearerDependency) -> APIRouter:
    """``POST /v1/tombstones`` (201 witnessed, 200 already witnessed) and
    ``GET /v1/tombstones?after=SEQ``; ``bearer`` is the API's signed-in caller dependency
    (server/bearer.py)."""
    routes = Router()
    signed_in = Depends(bearer)

    @routes.post(TOMBSTONES_PATH, response_model=Witnessed)
    def send(body: Upload, response: Response, bearer: Bearer = signed_in) -> dict[str, Any]:
        who = bearer.caller()
        data, signature = decoded(body.envelope, "deletion"), decoded(body.signature, "signature")
        seen = witness(store, who, data, signature)
        response.status_code = 201 if seen["stored"] else 200
        return seen

    @routes.get(TOMBSTONES_PATH, response_model=Tombstones)
    def receive(bearer: Bearer = signed_in, after: int = Query(0, ge=0)) -> Tombstones:
        who = bearer.caller()
        return Tombstones(tombstones=since(store, who, after))

    return routes
