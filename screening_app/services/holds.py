"""The legal holds standing on this computer (domain/record_retention.py): read from the signed,
hash-chained audit trail, where each was placed or lifted — by whom, when and why — so that none
can be slipped in or out of the file unseen. Whatever removes content asks here first: the
due list's deletion, the team's retention period, and a deletion arriving from the server."""

from __future__ import annotations

import json

from screening_app.domain import record_retention as rules
from screening_app.storage import audit
from screening_app.storage.driver import Database

HOLD_ACTIONS = ("hold_placed", "hold_lifted")


def standing(db: Database) -> dict[int, rules.Hold]:
    """The holds standing now, by child record."""
    events = []
    for row in reversed(audit.rows(db, actions=HOLD_ACTIONS, limit=1_000_000)):
        try:
            child_id = int(str(row.record).removeprefix("child:"))
            reason = str(json.loads(row.detail).get("reason", ""))
        except (TypeError, ValueError, AttributeError):
            continue  # a row the chain's check names anyway
        events.append((row.action, child_id, reason, row.user_name, row.at))
    return rules.fold_holds(events)
