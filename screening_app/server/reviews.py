"""Review decisions through the server, and sharing the team key with a further supervisor.

A decision is made on a supervisor's desktop and sent as an envelope (the comment sealed for the
team and the author's device, signed by the supervisor's device). The server moves the screening
from ``submitted`` to ``approved`` or ``returned`` in the same transaction, only if it is still
``submitted``: of two supervisors deciding at once, the second gets a 409 with the current state.
"""

from __future__ import annotations

import uuid
from typing import Any

from screening_app.domain.capabilities import Verb
from screening_app.server import permissions
from screening_app.server.problems import Conflict, Invalid, NotFound
from screening_app.server.screenings import b64, signed_body
from screening_app.server.store import Caller, ServerStore

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
        row = conn.execute(
            "SELECT status, author_id, team_id FROM screenings WHERE id = %s AND version = %s "
            "AND envelope IS NOT NULL FOR UPDATE",
            [screening, version],
        ).fetchone()
        if row is None:
            raise NotFound("There is no such screening in your team.")
        status, author_id, team_id = row
        same = conn.execute(
            "SELECT 1 FROM reviews WHERE screening_id = %s AND version = %s AND envelope = %s",
            [screening, version, envelope],
        ).fetchone()
        if same is not None:  # this very decision again (its answer was lost): nothing to do
            return str(status)
        if status != "submitted":
            raise Conflict(f"This screening was already decided: it is {status}.")
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
                team_id,
                author_id,
                caller.account.id,
                decision,
                envelope,
                signature,
                caller.device_id,
                days,
            ],
        )
        store.audit_as(conn, caller, f"review_{decision}", f"{screening}/v{version}")
    return DECISIONS[decision]


def since(store: ServerStore, caller: Caller, after: int) -> list[dict[str, Any]]:
    """Decisions this caller may see (on its own screenings; a supervisor: the team's)."""
    with store.acting(caller) as conn:
        rows = conn.execute(
            "SELECT r.seq, r.screening_id, r.version, r.decision, r.envelope, r.signature, "
            "a.name, d.sign_public, a.id FROM reviews r JOIN accounts a ON a.id = r.reviewer_id "
            "JOIN devices d ON d.id = r.device_id WHERE r.seq > %s AND r.envelope IS NOT NULL "
            "ORDER BY r.seq LIMIT %s",
            [after, PAGE],
        ).fetchall()
    return [_listed(row) for row in rows]


def _listed(row: tuple[Any, ...]) -> dict[str, Any]:
    seq, sid, version, decision, envelope, signature, reviewer, sign_public, reviewer_id = row
    return {
        "seq": int(seq),
        "id": str(sid),
        "version": int(version),
        "decision": decision,
        "reviewer": reviewer,
        "reviewer_id": int(reviewer_id),
        "envelope": b64(bytes(envelope)),
        "signature": b64(bytes(signature)),
        "reviewer_device_key": bytes(sign_public).hex(),
    }
