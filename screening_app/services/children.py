"""A child's record across screenings: the chronology, score over time, merging duplicates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from screening_app.domain import checklist
from screening_app.domain.capabilities import Verb
from screening_app.domain.disclosure import SHARE_ACTIONS, from_detail
from screening_app.domain.evaluation import parse_date
from screening_app.errors import NotFound, PermissionDenied
from screening_app.services.model import STATUS_LABELS
from screening_app.services.session import Session
from screening_app.storage import review_repo


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
class Duplicate:
    child_id: int
    name: str
    dob: dt.date | None
    screenings: int


@dataclass(frozen=True)
class ChildRecord:
    child_id: int
    name: str
    dob: dt.date | None
    events: tuple[ChronologyEvent, ...]
    scores: tuple[ScorePoint, ...]


class ChildrenService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def record(self, child_id: int) -> ChildRecord:
        """Every screening, review, outcome and export for the child, in date order; audited as
        a view of the child's record."""
        found = self.gather(child_id)
        with self.s.write("open the child's record"):
            self.s.audit("view_child", f"child:{child_id}")
        return found

    def gather(self, child_id: int) -> ChildRecord:
        """The child's record as :meth:`record` gives it, without auditing the view (for a
        caller that audits what it makes of it: the MACE pack)."""
        self.s.require(Verb.SEE_CHILD)
        db = self.s.db
        child = review_repo.child(db, child_id)
        if child is None:
            raise NotFound("There is no such child record.")
        rows = review_repo.child_screenings(db, self.s.scope(), child_id)
        if not rows:
            raise NotFound("None of this child's screenings are shared with you.")
        form = self.s.registry.latest(checklist.FORM_ID)
        labels = {b.code: b.label for b in form.bands}
        refs = {r.id: r.reference for r in rows}
        events: list[ChronologyEvent] = []
        scores: list[ScorePoint] = []
        for r in rows:
            when = (
                dt.datetime.fromisoformat(r.submitted_at)
                if r.submitted_at
                else _day(r.screening_date)
            )
            band = r.operative_band
            events.append(
                ChronologyEvent(
                    when,
                    "screening",
                    f"Screening by {r.owner_name}: {labels.get(band or '', band or '—')} "
                    f"(score {r.total}); {STATUS_LABELS.get(r.status, r.status)}",
                    r.reference,
                )
            )
            if r.total is not None and band:
                day = parse_date(r.screening_date) or when.date()
                scores.append(ScorePoint(day, int(r.total), band, r.reference))
        for v in review_repo.reviews_of(db, list(refs)):
            verb = "Approved" if v.decision == "approve" else "Returned for changes"
            extra = f" at {labels.get(v.band, v.band)}" if v.band else ""
            note = f": {v.comment}" if v.comment else ""
            events.append(
                ChronologyEvent(
                    dt.datetime.fromisoformat(v.at),
                    "review",
                    f"{verb}{extra} by {v.reviewer}{note}",
                    refs[v.screening_id],
                )
            )
        outcome_labels = {o.code: o.label for o in form.outcomes}
        for o in review_repo.outcomes_of(db, list(refs)):
            text = outcome_labels.get(o.code, o.code) + (f": {o.note}" if o.note else "")
            events.append(ChronologyEvent(_day(o.date), "outcome", text, refs[o.screening_id]))
        for e in review_repo.exports_of(db, list(refs.values()), list(SHARE_ACTIONS)):
            share, _rest = from_detail(e.detail)
            to = f", shared with {share.recipient}" if share else ""
            events.append(
                ChronologyEvent(
                    dt.datetime.fromisoformat(e.at),
                    "export",
                    f"{SHARE_ACTIONS.get(e.action, e.action)} by {e.user_name}{to}",
                    e.reference,
                )
            )
        events.sort(key=lambda e: e.at)
        return ChildRecord(
            child_id,
            f"{child.first_name} {child.last_name}",
            parse_date(child.dob),
            tuple(events),
            tuple(scores),
        )

    def possible_duplicates(self, child_id: int) -> list[Duplicate]:
        """Same-name records with screenings in the supervisor's team."""
        self.s.require(Verb.MERGE_CHILDREN)
        return [
            Duplicate(d.id, d.name, parse_date(d.dob), d.screenings)
            for d in review_repo.possible_duplicates(self.s.db, child_id, self.s.user.team)
        ]

    def merge(self, keep_id: int, duplicate_id: int) -> int:
        """Supervisors: the duplicate's screenings move to ``keep_id`` (audited).

        Both records must be ones the supervisor's team can see: another team's child is never
        merged (it would put that child's name and date of birth in this team's chronology).
        """
        self.s.require(Verb.MERGE_CHILDREN)
        if keep_id == duplicate_id:
            raise PermissionDenied("Choose two different child records to merge.")
        self.record_visible(keep_id)
        self.record_visible(duplicate_id)
        with self.s.write("merge the records") as db:
            moved = review_repo.merge_children(db, keep_id, duplicate_id)
            self.s.audit(
                "merge_children",
                f"child:{keep_id}",
                f"merged child:{duplicate_id}, {moved} screening(s)",
            )
        return moved

    def record_visible(self, child_id: int) -> None:
        """NotFound unless at least one of the child's screenings is visible to this user."""
        if review_repo.child(self.s.db, child_id) is None or not (
            review_repo.child_screenings(self.s.db, self.s.scope(), child_id)
        ):
            raise NotFound("There is no such child record, or none of it is shared with you.")


def _day(text: str | None) -> dt.datetime:
    day = parse_date(text) or dt.date.min
    return dt.datetime.combine(day, dt.time())
