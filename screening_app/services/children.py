"""A child's record across screenings: the chronology, score over time, merging duplicates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from screening_app.domain.evaluation import parse_date
from screening_app.errors import PermissionDenied
from screening_app.services.model import STATUS_LABELS
from screening_app.services.screenings import ScreeningService
from screening_app.services.session import Session
from screening_app.storage import review_repo
from screening_app.storage.driver import DatabaseError, storage_error

EXPORT_WORDS = {
    "referral_saved": "Referral PDF saved",
    "referral_encrypted": "Encrypted referral PDF saved",
    "printed": "Referral printed",
}


@dataclass(frozen=True)
class ChronologyEvent:
    at: dt.datetime
    kind: str  # screening / review / outcome / export
    text: str
    reference: str


@dataclass(frozen=True)
class ScorePoint:
    day: dt.date
    total: int
    band: str
    reference: str


@dataclass(frozen=True)
class ChildRecord:
    child_id: int
    name: str
    dob: dt.date | None
    events: tuple[ChronologyEvent, ...]
    scores: tuple[ScorePoint, ...]


class ChildrenService:
    def __init__(self, session: Session, screenings: ScreeningService) -> None:
        self.s = session
        self.screenings = screenings

    def record(self, child_id: int) -> ChildRecord:
        """Every screening, review, outcome and export for the child, in date order."""
        self.s.require("practitioner", "supervisor", doing="see a child's record")
        db = self.s.store.db
        child = review_repo.child(db, child_id)
        if child is None:
            raise PermissionDenied("There is no such child record.")
        rows = [r for r in review_repo.child_screenings(db, child_id) if self._can_see(int(r[0]))]
        if not rows:
            raise PermissionDenied("None of this child's screenings are shared with you.")
        labels = {b.code: b.label for b in self.s.registry.latest("cse-risk-screening").bands}
        refs = {int(r[0]): str(r[1]) for r in rows}
        events: list[ChronologyEvent] = []
        scores: list[ScorePoint] = []
        for _sid, ref, day, status, total, band, submitted, owner in rows:
            when = dt.datetime.fromisoformat(submitted) if submitted else _day(day)
            events.append(
                ChronologyEvent(
                    when,
                    "screening",
                    f"Screening by {owner}: {labels.get(band, band or '—')} (score {total}); "
                    f"{STATUS_LABELS.get(status, status)}",
                    ref,
                )
            )
            if total is not None and band:
                scores.append(ScorePoint(parse_date(day) or when.date(), int(total), band, ref))
        for sid, decision, comment, band, at, who in review_repo.reviews_of(db, list(refs)):
            verb = "Approved" if decision == "approve" else "Returned for changes"
            extra = f" at {labels.get(band, band)}" if band else ""
            note = f": {comment}" if comment else ""
            events.append(
                ChronologyEvent(
                    dt.datetime.fromisoformat(at),
                    "review",
                    f"{verb}{extra} by {who}{note}",
                    refs[sid],
                )
            )
        outcome_labels = {
            o.code: o.label for o in self.s.registry.latest("cse-risk-screening").outcomes
        }
        for sid, code, day, note in review_repo.outcomes_of(db, list(refs)):
            text = outcome_labels.get(code, code) + (f": {note}" if note else "")
            events.append(ChronologyEvent(_day(day), "outcome", text, refs[sid]))
        for ref, action, at, who in review_repo.exports_of(db, list(refs.values())):
            events.append(
                ChronologyEvent(
                    dt.datetime.fromisoformat(at),
                    "export",
                    f"{EXPORT_WORDS.get(action, action)} by {who}",
                    ref,
                )
            )
        events.sort(key=lambda e: e.at)
        with db.atomic():
            self.s.audit("view_child", f"child:{child_id}")
        return ChildRecord(
            child_id, f"{child[1]} {child[2]}", parse_date(child[3]), tuple(events), tuple(scores)
        )

    def possible_duplicates(self, child_id: int) -> list[tuple[int, str, dt.date | None, int]]:
        """Same-name records in the supervisor's team: (id, name, date of birth, screenings)."""
        self.s.require("supervisor", doing="merge child records")
        return [
            (int(cid), str(name), parse_date(dob), int(count))
            for cid, name, dob, count in review_repo.possible_duplicates(
                self.s.store.db, child_id, self.s.user.team
            )
        ]

    def merge(self, keep_id: int, duplicate_id: int) -> int:
        """Supervisors: the duplicate's screenings move to ``keep_id`` (audited)."""
        self.s.require("supervisor", doing="merge child records")
        db = self.s.store.db
        if keep_id == duplicate_id:
            raise PermissionDenied("Choose two different child records to merge.")
        for cid in (keep_id, duplicate_id):
            if review_repo.child(db, cid) is None:
                raise PermissionDenied("There is no such child record.")
        try:
            with db.atomic():
                moved = review_repo.merge_children(db, keep_id, duplicate_id)
                self.s.audit(
                    "merge_children",
                    f"child:{keep_id}",
                    f"merged child:{duplicate_id}, {moved} screening(s)",
                )
        except DatabaseError as exc:
            raise storage_error(exc, "merge the records") from None
        return moved

    def _can_see(self, screening_id: int) -> bool:
        try:
            self.screenings.visible_row(screening_id)
        except PermissionDenied:
            return False
        return True


def _day(text: str) -> dt.datetime:
    day = parse_date(text) or dt.date.min
    return dt.datetime.combine(day, dt.time())
