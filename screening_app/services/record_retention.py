"""Retention by record type and legal holds on this computer (domain/record_retention.py): the
periods an administrator sets, the holds a supervisor places and lifts, and the monthly list of
what is due for review or deletion. Holds live in the signed, hash-chained audit trail — placed
and lifted by whom, when and why — so none can be slipped in or out of the file unseen."""

from __future__ import annotations

import datetime as dt
import json

from screening_app.domain import record_retention as rules
from screening_app.domain.capabilities import Verb
from screening_app.domain.evaluation import parse_date
from screening_app.errors import InputFileError, NotFound, WorkflowError
from screening_app.services import holds, tombstones
from screening_app.services.session import Session
from screening_app.services.tombstones import Deletion
from screening_app.storage import retention_repo

MIN_REASON = 10


class RecordRetentionService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def periods(self) -> dict[str, int]:
        """Every retention setting with its value (the default where none was set)."""
        given = self.s.store.keyring.directory.settings
        found = {setting: given.get(setting, d) for _w, setting, d in rules.KINDS.values()}
        setting, default = rules.DRAFT_DAYS
        found[setting] = given.get(setting, default)
        return found

    def holds(self) -> dict[int, rules.Hold]:
        """The holds standing now, by child record (services/holds.py)."""
        return holds.standing(self.s.db)

    def place_hold(self, reference: str, reason: str) -> rules.Hold:
        """A supervisor's legal hold on the child of ``reference``: nothing of theirs goes
        while it stands."""
        child_id = self._child_of(reference, Verb.PLACE_HOLD)
        held = self.holds().get(child_id)
        if held is not None:
            raise WorkflowError(
                f"This child is already held since {held.placed_at[:10]} by {held.placed_by}: "
                f"{held.reason}"
            )
        why = _reason(reason, "the hold")
        with self.s.write("place the legal hold"):
            self.s.audit("hold_placed", f"child:{child_id}", json.dumps({"reason": why}))
        return self.holds()[child_id]

    def lift_hold(self, reference: str, reason: str) -> None:
        child_id = self._child_of(reference, Verb.LIFT_HOLD)
        if child_id not in self.holds():
            raise WorkflowError("This child has no legal hold to lift.")
        why = _reason(reason, "lifting the hold")
        with self.s.write("lift the legal hold"):
            self.s.audit("hold_lifted", f"child:{child_id}", json.dumps({"reason": why}))

    def due(self, today: dt.date | None = None) -> list[rules.Due]:
        """What is due for review or deletion today (supervisors: the team's records)."""
        self.s.require(Verb.SEE_DUE)
        return rules.due(self._records(), self.holds(), self.periods(), today or self.s.today())

    def delete(self, reference: str, reason: str, today: dt.date | None = None) -> Deletion:
        """Delete a record whose period has ended (a supervisor's decision, with its reason):
        its content goes, a tombstone stays — the reference, its dates, who decided and when,
        signed — and goes to the team server to be witnessed when the server holds the record.
        Refused while the child is under a legal hold, naming the hold."""
        self.s.require(Verb.DELETE_RECORD)
        wanted = self.s.by_reference(reference)
        if wanted.content_removed_at is not None:
            raise WorkflowError(
                f"{wanted.reference} was already deleted or its content removed on "
                f"{wanted.content_removed_at[:10]}."
            )
        day = today or self.s.today()
        record = next(iter(self._records(wanted.reference)), None)
        if record is None:
            raise NotFound(f"There is no screening {reference} that you can see.")
        periods = self.periods()
        found = rules.due([record], self.holds(), periods, day)
        if not found:
            until = rules.keep_until(record, periods)
            raise WorkflowError(
                f"{wanted.reference} is kept until {until:%d/%m/%Y}: it is not due for deletion."
            )
        due = found[0]
        if due.held is not None:
            held = due.held
            raise WorkflowError(
                f"{wanted.reference} cannot be deleted: its child is under a legal hold placed on "
                f"{held.placed_at[:10]} by {held.placed_by} ({held.reason}). Lift the hold first "
                "(retention release)."
            )
        why = _reason(reason, "deleting the record")
        return tombstones.delete(self.s, wanted, due, why)

    def deleted(self) -> list[Deletion]:
        """The tombstones of the records deleted here, newest first (supervisors)."""
        self.s.require(Verb.SEE_DELETED)
        return tombstones.deleted(self.s)

    def _records(self, reference: str | None = None) -> list[rules.Record]:
        return [
            rules.Record(
                reference=reference,
                child_id=child_id,
                status=status,
                role=role,
                dob=parse_date(dob),
                screening_date=parse_date(day),
                last_change=dt.datetime.fromisoformat(changed).date(),
                subject=name,
            )
            for reference, child_id, status, role, dob, day, changed, name in (
                retention_repo.records(self.s.db, self.s.scope(), reference)
            )
        ]

    def _child_of(self, reference: str, verb: Verb) -> int:
        self.s.require(verb)
        record = self.s.by_reference(reference)
        if record.child_id is None:
            raise NotFound(f"Screening {record.reference} names no child record: nothing to hold.")
        return int(record.child_id)


def _reason(text: str, what: str) -> str:
    why = " ".join(str(text).split())
    if len(why) < MIN_REASON:
        raise InputFileError(f"Give the reason for {what} (at least {MIN_REASON} characters).")
    return why[:300]
