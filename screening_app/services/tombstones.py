"""Deletion at the end of a retention period, and its tombstone (docs/GOVERNANCE.md,
"Deletion").

A supervisor deletes a record whose period has ended (services/record_retention.py decides
that it may go). Its content is removed as the team's retention period removes it; what stays is
the tombstone: the reference, the record's dates and kind, who decided, when and why, in a signed
fact over the screening's shown columns and in the signed, hash-chained audit trail
(``record_deleted``). When the team server holds the record, the tombstone (without the reason)
is signed by this computer's device key and sent at the next sync; the server removes its sealed
copy and answers with its witness, kept here as a ``tombstone_witnessed`` audit row. The other
computers of the team take the server's tombstones at their sync and remove their copies too,
unless a legal hold stands there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from screening_app.domain import record_retention as rules
from screening_app.domain.record_retention import Hold
from screening_app.services import holds, signing
from screening_app.services.session import Session
from screening_app.storage import audit, retention_repo, sync_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.opened import get_meta, set_meta
from screening_app.sync import api, tombstone
from screening_app.sync.client import ServerClient, SyncError, unb64
from screening_app.sync.wire import TombstoneCopy

DELETED, WITNESSED, RECEIVED = "record_deleted", "tombstone_witnessed", "tombstone_received"


@dataclass(frozen=True)
class Deletion:
    """A tombstone as this computer keeps it."""

    reference: str
    kind: str
    keep_until: str
    decided_by: str
    decided_at: str
    reason: str
    tombstone: dict[str, Any] | None  # what goes to the server; None: the server never had it
    witnessed_at: str | None = None
    witness: str | None = None

    def state(self) -> str:
        if self.tombstone is None:
            return "deleted here (the team server never held it)"
        if self.witnessed_at is None:
            return "waiting to be witnessed by the team server"
        return f"witnessed by the team server on {self.witnessed_at[:10]}"


def delete(session: Session, record: repo.ScreeningRecord, due: rules.Due, reason: str) -> Deletion:
    """Remove the content of ``record`` (due, not held: the caller checked) and keep its
    tombstone."""
    item = sync_repo.of_screening(session.db, record.id)
    at = session.now_text()
    body = None
    if item is not None and item.state != "queued":
        body = tombstone.make(
            remote_id=item.remote_id,
            version=item.version,
            reference=record.reference,
            screening_month=(record.screening_date or "")[:7],
            record_kind=due.kind,
            keep_until=due.keep_until,
            decided_by=session.user.name,
            decided_at=at,
        )
    detail: dict[str, Any] = {
        "kind": due.kind,
        "keep_until": due.keep_until.isoformat(),
        "reason": reason,
        "tombstone": body,
    }
    with session.write("delete the record") as db:
        if item is not None and item.state == "queued":
            sync_repo.forget(db, record.id)  # never sent: nothing for the server to witness
        retention_repo.remove_content(db, record.id, at)
        signing.record(session, record.id, "remove", {"deleted": detail})
        session.audit(DELETED, record.reference, json.dumps(detail, sort_keys=True))
    return Deletion(
        record.reference, due.kind, due.keep_until.isoformat(), session.user.name, at, reason, body
    )


def deleted(session: Session) -> list[Deletion]:
    """The deletions decided on this computer, newest first, each with its witness if any."""
    seen: dict[str, tuple[str, str]] = {}
    for row in audit.rows(session.db, actions=(WITNESSED,), limit=1_000_000):
        try:
            detail = json.loads(row.detail)
            seen.setdefault(str(row.record), (str(detail["witnessed_at"]), str(detail["witness"])))
        except (ValueError, KeyError, TypeError):
            continue  # a row the chain's check names anyway
    found = []
    for row in audit.rows(session.db, actions=(DELETED,), limit=1_000_000):
        try:
            detail = json.loads(row.detail)
            body = detail.get("tombstone")
            witnessed = seen.get(str(row.record))
            found.append(
                Deletion(
                    str(row.record),
                    str(detail["kind"]),
                    str(detail["keep_until"]),
                    row.user_name,
                    row.at,
                    str(detail["reason"]),
                    tombstone.check(body) if body is not None else None,
                    *(witnessed or (None, None)),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return found


def removed_words(session: Session, record: repo.ScreeningRecord) -> str:
    """Why a screening's content is not here, for whoever tries to open it."""
    on = (record.content_removed_at or "")[:10]
    found = audit.rows(session.db, record=record.reference, actions=(DELETED, RECEIVED), limit=1)
    if found:
        return (
            f"{record.reference} was deleted on {on} at the end of its retention period; only "
            "its tombstone remains (who decided, and when, is in Review → Due for review or "
            "deletion)."
        )
    return (
        f"The content of {record.reference} was removed from this computer on {on} under your "
        "organisation's retention period, after it was approved. Your supervisors keep it: ask "
        "them if you need it."
    )


def send(session: Session, client: ServerClient, problems: list[str]) -> int:
    """Send the tombstones waiting for the server's witness; how many it witnessed."""
    witnessed = 0
    for deletion in deleted(session):
        if deletion.tombstone is None or deletion.witnessed_at is not None:
            continue
        data, signature = tombstone.sign(deletion.tombstone, session.store.keys)
        try:
            answer = api.send_tombstone(client, data, signature)
        except SyncError as exc:
            problems.append(
                f"The deletion of {deletion.reference} was not witnessed: {exc.message}"
            )
            if exc.status in (0, 401, 403, 500, 502, 503):
                return witnessed
            continue
        detail = {"witnessed_at": answer.witnessed_at, "witness": answer.witness}
        with session.write("record the server's witness"):
            session.audit(WITNESSED, deletion.reference, json.dumps(detail, sort_keys=True))
        witnessed += 1
    return witnessed


def receive(session: Session, client: ServerClient, problems: list[str]) -> int:
    """Remove the content of what other computers of the team deleted; how many here."""
    after = int(get_meta(session.db, "sync_after_tombstones") or 0)
    removed = 0
    entries = api.tombstones_since(client, after)
    held = holds.standing(session.db) if entries else {}
    for entry in entries:
        with session.write("remove what the team deleted") as db:
            removed += _take(session, entry, held, problems)
            set_meta(db, "sync_after_tombstones", str(entry.seq))
    return removed


def _take(
    session: Session, entry: TombstoneCopy, held: dict[int, Hold], problems: list[str]
) -> int:
    try:
        body = tombstone.verify(
            unb64(entry.tombstone),
            unb64(entry.signature),
            bytes.fromhex(entry.decider_device_key),
        )
    except (tombstone.TombstoneError, ValueError) as exc:
        problems.append(f"A deletion from {entry.decider} was not taken: {exc}.")
        return 0
    local = sync_repo.by_remote(session.db, body["id"], int(body["version"]))
    if local is None:
        return 0  # never here
    record = repo.fetch(session.db, repo.ALL, local.screening_id)
    if record is None or record.content_removed_at is not None:
        return 0
    hold = held.get(int(record.child_id)) if record.child_id is not None else None
    if hold is not None:
        problems.append(
            f"{record.reference} was deleted by {body['decided_by']} on the team server, "
            f"but is kept here: its child is under a legal hold ({hold.reason})."
        )
        return 0
    retention_repo.remove_content(session.db, local.screening_id, session.now_text())
    sender = signing.sender(entry.decider_device_key, entry.signature)
    signing.record(session, local.screening_id, "remove", {"tombstone": body, "from": sender})
    detail = {**body, "witnessed_at": entry.witnessed_at, "witness": entry.witness}
    session.audit(RECEIVED, record.reference, json.dumps(detail, sort_keys=True))
    return 1
