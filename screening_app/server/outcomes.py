"""Outcomes through the server: what happened after a referral (a charge, a disruption order, no
further action...). The code and date are clear — they are the figures' outcome columns — and
the practitioner's note is sealed like the screening's content. The author of a screening or a
supervisor of its team records one; the same outcome sent twice (its id) is stored once.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from screening_app.domain.capabilities import Verb, can
from screening_app.server import audit, permissions, rows
from screening_app.server.downloads import b64
from screening_app.server.problems import Conflict, Invalid, NotFound, Refused
from screening_app.server.screenings import signed_body
from screening_app.server.store import Caller, ServerStore
from screening_app.sync.wire import OutcomeCopy

CODE = re.compile(r"^[a-z0-9_]{1,50}$")
PAGE = 200
SKEW = dt.timedelta(days=1)  # computers' clocks and time zones differ by up to a day


def record(store: ServerStore, caller: Caller, envelope: bytes, signature: bytes) -> bool:
    """Store an outcome; True when it is new, False when this very outcome was already here."""
    permissions.require(caller, Verb.RECORD_OUTCOMES)
    meta = signed_body(store, caller, envelope, signature, "outcome")["metadata"]
    try:
        outcome_id = uuid.UUID(str(meta["outcome_id"]))
        screening = uuid.UUID(str(meta["id"]))
        version = int(meta["version"])
        code = str(meta["code"])
        day = dt.date.fromisoformat(str(meta["date"]))
    except (KeyError, TypeError, ValueError):
        raise Invalid("The outcome's metadata is incomplete or malformed.") from None
    if not CODE.match(code):
        raise Invalid("The outcome's code is malformed.")
    if day > store.clock().date() + SKEW:
        raise Invalid("The outcome's date is in the future: check this computer's clock.")
    with store.acting(caller) as conn:
        same = conn.execute("SELECT envelope FROM outcomes WHERE id = %s", [outcome_id]).fetchone()
        if same is not None:
            if bytes(same[0]) != envelope:
                raise Conflict("This outcome was already sent with other content.")
            return False
        row = rows.one(
            conn,
            rows.Owner,
            "SELECT author_id, team_id FROM screenings WHERE id = %s AND version = %s "
            "AND envelope IS NOT NULL",
            [screening, version],
        )
        if row is None:
            raise NotFound("There is no such screening that you may see.")
        if row.author_id != caller.account.id and not can(
            caller.account.role, Verb.RECORD_TEAM_OUTCOMES
        ):
            raise Refused("Only its author or a supervisor records an outcome.")
        conn.execute(
            "INSERT INTO outcomes (id, screening_id, version, team_id, author_id, recorder_id, "
            "code, day, envelope, signature, device_id) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                outcome_id,
                screening,
                version,
                row.team_id,
                row.author_id,
                caller.account.id,
                code,
                day,
                envelope,
                signature,
                caller.device_id,
            ],
        )
        store.audit_as(conn, caller, "outcome_received", audit.version_record(screening, version))
    return True


@dataclass(frozen=True)
class _Listed:
    seq: int
    outcome_id: uuid.UUID
    screening_id: uuid.UUID
    version: int
    code: str
    day: dt.date
    envelope: bytes
    signature: bytes
    recorder: str
    recorder_id: int
    recorder_key: bytes

    def copy(self) -> OutcomeCopy:
        return OutcomeCopy(
            seq=self.seq,
            outcome_id=str(self.outcome_id),
            id=str(self.screening_id),
            version=self.version,
            code=self.code,
            date=self.day.isoformat(),
            envelope=b64(bytes(self.envelope)),
            signature=b64(bytes(self.signature)),
            recorder=self.recorder,
            recorder_id=self.recorder_id,
            recorder_device_key=bytes(self.recorder_key).hex(),
        )


def since(store: ServerStore, caller: Caller, after: int) -> list[OutcomeCopy]:
    """Outcomes this caller may see (on its own screenings; a supervisor: the team's)."""
    with store.acting(caller) as conn:
        listed = rows.every(
            conn,
            _Listed,
            "SELECT o.seq, o.id AS outcome_id, o.screening_id, o.version, o.code, o.day, "
            "o.envelope, o.signature, a.name AS recorder, a.id AS recorder_id, "
            "d.sign_public AS recorder_key FROM outcomes o "
            "JOIN accounts a ON a.id = o.recorder_id JOIN devices d ON d.id = o.device_id "
            "WHERE o.seq > %s AND o.envelope IS NOT NULL ORDER BY o.seq LIMIT %s",
            [after, PAGE],
        )
    return [row.copy() for row in listed]


def area_profile(
    store: ServerStore,
    caller: Caller,
    area: str,
    first: str,
    last: str,
    pairs: list[tuple[str, str]],
) -> list[dict[str, Any]]:
    """One area's children across the organisation (supervisors): rows of dimension
    (children, screenings, band, model, measure), code and count, from clear metadata only
    (schema_v9.organisation_area_profile); ``pairs`` of (outcome code, measure) say what each
    code counts for. The desktop suppresses small numbers."""
    permissions.require(caller, Verb.SEE_ORGANISATION_FIGURES)
    with store.acting(caller) as conn:
        listed = rows.every(
            conn,
            _AreaCount,
            "SELECT p_dimension, p_code, p_count "
            "FROM organisation_area_profile(%s, %s, %s, %s, %s)",
            [area, first, last, [c for c, _m in pairs], [m for _c, m in pairs]],
        )
    return [{"dimension": r.p_dimension, "code": r.p_code, "count": r.p_count} for r in listed]


@dataclass(frozen=True)
class _AreaCount:
    p_dimension: str
    p_code: str
    p_count: int
