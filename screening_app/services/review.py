"""Supervisor review (approve with a password signature, or return with a comment) and outcomes.

A lowered professional judgement counts only once a supervisor approves it: approval re-scores
the screening with ``judgement_approved=True`` and stores the band that now applies. Reviews and
outcomes are rows that are added, never changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from screening_app.domain.evaluation import parse_date
from screening_app.domain.scoring import score
from screening_app.errors import AnswersError, AuthenticationError, PermissionDenied, Problem
from screening_app.services.model import ScreeningRow
from screening_app.services.screenings import ScreeningService, to_row
from screening_app.services.session import Session
from screening_app.storage import review_repo, screenings_repo
from screening_app.storage.driver import DatabaseError, storage_error

MIN_COMMENT = 5


@dataclass(frozen=True)
class QueueItem:
    row: ScreeningRow
    lowered_judgement: bool
    final_band: str
    judged_band: str
    submitted_at: dt.datetime


@dataclass(frozen=True)
class ReviewNews:
    screening_id: int
    reference: str
    decision: str
    comment: str
    at: dt.datetime
    reviewer: str


@dataclass(frozen=True)
class OutcomeEntry:
    id: int
    code: str
    label: str
    date: dt.date
    note: str
    recorded_by: str


class ReviewService:
    def __init__(self, session: Session, screenings: ScreeningService) -> None:
        self.s = session
        self.screenings = screenings

    def queue(self) -> list[QueueItem]:
        """Submitted screenings of the supervisor's team, oldest first."""
        self.s.require("supervisor", doing="review screenings")
        items = []
        for r in review_repo.queue(self.s.store.db, self.s.user.team):
            row = to_row(r[:14])
            items.append(
                QueueItem(row, bool(r[14]), r[15], r[16], dt.datetime.fromisoformat(r[17]))
            )
        return items

    def approve(self, screening_id: int, password: str, comment: str = "") -> None:
        """Sign the approval with the supervisor's password; the lowered band then applies."""
        row = self._reviewable(screening_id)
        if not self._password_ok(password):
            raise AuthenticationError(
                "That is not your password; the screening was not approved. Type your own "
                "password to sign the approval."
            )
        form = self.s.registry.get(row["form_id"], row["form_version"])
        answers = screenings_repo.answers(self.s.store.db, screening_id)
        result = score(form, answers, judgement_approved=True)
        at = self.s.now_text()
        db = self.s.store.db
        try:
            with db.atomic():
                review_repo.add_review(
                    db,
                    screening_id,
                    self.s.user.id,
                    "approve",
                    comment.strip(),
                    result.operative_band,
                    at,
                )
                screenings_repo.update(
                    db,
                    screening_id,
                    {
                        "status": "approved",
                        "judgement_approved": 1,
                        "awaiting_approval": 0,
                        "operative_band": result.operative_band,
                        "reassess_by": result.reassess_by,
                        "reviewed_at": at,
                        "updated_at": at,
                    },
                )
                screenings_repo.set_score(db, screening_id, result.snapshot())
                self.s.audit("review_approve", row["reference"], f"band={result.operative_band}")
        except DatabaseError as exc:
            raise storage_error(exc, "approve the screening") from None

    def return_for_changes(self, screening_id: int, comment: str) -> None:
        """Send back to the practitioner with a comment they will see (required)."""
        row = self._reviewable(screening_id)
        if len(comment.strip()) < MIN_COMMENT:
            raise AnswersError(
                "comment needed",
                [Problem("Say what needs changing, so the practitioner can act on it.", "comment")],
            )
        at = self.s.now_text()
        db = self.s.store.db
        try:
            with db.atomic():
                review_repo.add_review(
                    db, screening_id, self.s.user.id, "return", comment.strip(), None, at
                )
                screenings_repo.update(
                    db,
                    screening_id,
                    {
                        "status": "returned",
                        "reviewed_at": at,
                        "updated_at": at,
                    },
                )
                self.s.audit("review_return", row["reference"])
        except DatabaseError as exc:
            raise storage_error(exc, "return the screening") from None

    def news_since_last_sign_in(self) -> list[ReviewNews]:
        """Reviews of the signed-in practitioner's screenings since their previous sign-in."""
        db = self.s.store.db
        since = review_repo.last_sign_in(db, self.s.user.id)
        return [
            ReviewNews(r[0], r[1], r[2], r[3], dt.datetime.fromisoformat(r[4]), r[5])
            for r in review_repo.news_for_owner(db, self.s.user.id, since)
        ]

    # -- outcomes -------------------------------------------------------------------------
    def add_outcome(self, screening_id: int, code: str, day: dt.date, note: str = "") -> None:
        row = self.screenings.visible_row(screening_id)
        if row["status"] in ("draft", "superseded"):
            raise PermissionDenied("Outcomes are recorded on submitted screenings only.")
        form = self.s.registry.get(row["form_id"], row["form_version"])
        codes = {o.code for o in form.outcomes}
        problems = []
        if code not in codes:
            problems.append(Problem(f"Choose one of: {', '.join(sorted(codes))}.", "code"))
        if day > self.s.today():
            problems.append(Problem("The date of an outcome cannot be in the future.", "date"))
        if problems:
            raise AnswersError("The outcome was not recorded.", problems)
        db = self.s.store.db
        try:
            with db.atomic():
                review_repo.add_outcome(
                    db,
                    screening_id,
                    code,
                    day.isoformat(),
                    note.strip(),
                    self.s.user.id,
                    self.s.now_text(),
                )
                self.s.audit("outcome_added", row["reference"], code)
        except DatabaseError as exc:
            raise storage_error(exc, "record the outcome") from None

    def outcomes(self, screening_id: int) -> list[OutcomeEntry]:
        row = self.screenings.visible_row(screening_id)
        form = self.s.registry.get(row["form_id"], row["form_version"])
        labels = {o.code: o.label for o in form.outcomes}
        out = []
        for oid, code, day, note, who, _at in review_repo.outcomes(self.s.store.db, screening_id):
            parsed = parse_date(day) or self.s.today()
            out.append(OutcomeEntry(oid, code, labels.get(code, code), parsed, note, who))
        return out

    # -- helpers --------------------------------------------------------------------------
    def _reviewable(self, screening_id: int) -> dict[str, Any]:
        self.s.require("supervisor", doing="review screenings")
        row = self.screenings.visible_row(screening_id)
        if row["team"] != self.s.user.team:
            raise PermissionDenied("Only a supervisor of the practitioner's team can review it.")
        if row["owner_id"] == self.s.user.id:
            raise PermissionDenied("You cannot review your own screening; ask another supervisor.")
        if row["status"] != "submitted":
            raise PermissionDenied("Only a submitted screening waiting for review can be reviewed.")
        return row

    def _password_ok(self, password: str) -> bool:
        keys = self.s.store.keys
        return keys.unwrap(keys.slot_id(self.s.user.name), password) == self.s.store.key
