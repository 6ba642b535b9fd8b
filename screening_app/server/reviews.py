"""Review decisions through the server, and sharing the team key with a further supervisor.

A decision is made on a supervisor's desktop and sent as an envelope (the comment sealed for the
team and the author's device, signed by the supervisor's device). The server moves the screening
from ``submitted`` to ``approved`` or ``returned`` in the same transaction, only if it is still
``submitted``: of two supervisors deciding at once, the second gets a 409 with the current state.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from screening_app.domain.capabilities import Verb
from screening_app.server import audit, permissions, rows
from screening_app.server.downloads import b64
from screening_app.server.problems import Conflict, Invalid, NotFound
from screening_app.server.screenings import signed_body
from screening_app.server.store import Caller, ServerStore
from screening_app.sync.wire import DecisionCopy

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
    permissions.require(caller, Verb.REVIEW)
    body = signed_body(store, caller, envelope, signature, "decision")
    meta = body["metadata"]
    decision = meta.get("decision")
    if (
        decision not in DECISIONS
        or meta.get("id") != str(screening)
        or meta.get("version") != version
    ):
        raise Invalid("The decision does not name this screening, or is not approve/return.")
    days = meta.get("days_to_review")
    if days is not None and (not isinstance(days, int) or not 0 <= days <= 36_500):
        raise Invalid("The decision's days to review is not a number of days.")
    with store.acting(caller) as conn:
        row = rows.one(
            conn,
            rows.Decidable,
            "SELECT status, author_id, team_id FROM screenings WHERE id = %s AND version = %s "
            "AND envelope IS NOT NULL FOR UPDATE",
            [screening, version],
        )
        if row is None:
            raise NotFound("There is no such screening in your team.")
        same = conn.execute(
            "SELECT 1 FROM reviews WHERE screening_id = %s AND version = %s AND envelope = %s",
            [screening, version, envelope],
        ).fetchone()
        if same is not None:  # this very decision again (its answer was lost): nothing to do
            return row.status
        if row.status != "submitted":
            raise Conflict(f"This screening was already decided: it is {row.status}.")
        conn.execute(
            "UPDATE screenings SET status = %s WHERE id = %s AND version = %s",
            [DECISIONS[decision], screening, version],
        )
        conn.execute(
            "INSERT INTO reviews (screening_id, version, team_id, author_id, reviewer_id, "
            "decision, envelope, signature, device_id, days_to_review) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                screening,
                version,
                row.team_id,
                row.author_id,
                caller.account.id,
                decision,
                envelope,
                signature,
                caller.device_id,
                days,
            ],
        )
        store.audit_as(conn, caller, f"review_{decision}", audit.version_record(screening, version))
    return DECISIONS[decision]


@dataclass(frozen=True)
class _Listed:
    seq: int
    screening_id: uuid.UUID
    version: int
    decision: Literal["approve", "return"]
    envelope: bytes
    signature: bytes
    reviewer: str
    reviewer_key: bytes
    reviewer_id: int

    def copy(self) -> DecisionCopy:
        return DecisionCopy(
            seq=self.seq,
            id=str(self.screening_id),
            version=self.version,
            decision=self.decision,
            reviewer=self.reviewer,
            reviewer_id=self.reviewer_id,
            envelope=b64(bytes(self.envelope)),
            signature=b64(bytes(self.signature)),
            reviewer_device_key=bytes(self.reviewer_key).hex(),
        )


def since(store: ServerStore, caller: Caller, after: int) -> list[DecisionCopy]:
    """Decisions this caller may see (on its own screenings; a supervisor: the team's)."""
    with store.acting(caller) as conn:
        listed = rows.every(
            conn,
            _Listed,
            "SELECT r.seq, r.screening_id, r.version, r.decision, r.envelope, r.signature, "
            "a.name AS reviewer, d.sign_public AS reviewer_key, a.id AS reviewer_id "
            "FROM reviews r JOIN accounts a ON a.id = r.reviewer_id "
            "JOIN devices d ON d.id = r.device_id WHERE r.seq > %s AND r.envelope IS NOT NULL "
            "ORDER BY r.seq LIMIT %s",
            [after, PAGE],
        )
    return [row.copy() for row in listed]
