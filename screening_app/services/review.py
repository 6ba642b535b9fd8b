"""Supervisor review (approve with a password signature, or return with a comment) and outcomes.

A lowered professional judgement counts only once a supervisor approves it: approval re-scores
the screening with ``judgement_approved=True`` and stores the band that now applies. Reviews and
outcomes are rows that are added, never changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from screening_app.domain.capabilities import Verb
from screening_app.domain.evaluation import parse_date
from screening_app.domain.scoring import score
from screening_app.errors import AnswersError, AuthenticationError, Problem
from screening_app.services import outbox, permissions, signing
from screening_app.services.model import ScreeningRow
from screening_app.services.session import Session
from screening_app.storage import review_repo, screenings_repo
from screening_app.storage.screenings_repo import ScreeningRecord

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
    child_name: str = ""

    def words(self) -> str:
        """ "CSE-2026-000004 (Robin Example): approved by Sol — “Agreed.”" """
        child = f" ({self.child_name})" if self.child_name else ""
        done = "returned for changes" if self.decision == "return" else "approved"
        said = f" — “{self.comment}”" if self.comment else ""
        return f"{self.reference}{child}: {done} by {self.reviewer}{said}"


@dataclass(frozen=True)
class OutcomeEntry:
    id: int
    code: str
    label: str
    date: dt.date
    note: str
    recorded_by: str


class ReviewService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def queue(self) -> list[QueueItem]:
        """Submitted screenings of the supervisor's team, oldest first."""
        self.s.require(Verb.REVIEW)
        return [
            QueueItem(
                ScreeningRow.from_stored(q.row),
                q.awaiting_approval,
                q.final_band,
                q.judged_band,
                dt.datetime.fromisoformat(q.submitted_at),
            )
            for q in review_repo.queue(self.s.db, self.s.user.team)
        ]

    def approve(self, screening_id: int, password: str, comment: str = "") -> None:
        """Sign the approval with the supervisor's password; the lowered band then applies."""
        record = self._reviewable(screening_id)
        if not self._password_ok(password):
            raise AuthenticationError(
                "That is not your password; the screening was not approved. Type your own "
                "password to sign the approval."
            )
        form = self.s.registry.get(record.form_id, record.form_version)
        answers = screenings_repo.answers(self.s.db, self.s.scope(), screening_id)
        result = score(form, answers, judgement_approved=True)
        at = self.s.now_text()
        with self.s.write("approve the screening") as db:
            review_id = review_repo.add_review(
                db,
                self.s.scope(),
                screening_id,
                self.s.user.id,
                "approve",
                comment.strip(),
                result.operative_band,
                at,
            )
            outbox.queue_decision(self.s, screening_id, review_id)
            screenings_repo.update(
                db,
                self.s.scope(),
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
            screenings_repo.set_score(db, self.s.scope(), screening_id, result.snapshot())
            signing.record(self.s, screening_id, "approve", review_id=review_id)
            self.s.audit("review_approve", record.reference, f"band={result.operative_band}")

    def return_for_changes(self, screening_id: int, comment: str) -> None:
        """Send back to the practitioner with a comment they will see (required)."""
        record = self._reviewable(screening_id)
        if len(comment.strip()) < MIN_COMMENT:
            raise AnswersError(
                "comment needed",
                [Problem("Say what needs changing, so the practitioner can act on it.", "comment")],
            )
        at = self.s.now_text()
        with self.s.write("return the screening") as db:
            review_id = review_repo.add_review(
                db,
                self.s.scope(),
                screening_id,
                self.s.user.id,
                "return",
                comment.strip(),
                None,
                at,
            )
            outbox.queue_decision(self.s, screening_id, review_id)
            screenings_repo.update(
                db,
                self.s.scope(),
                screening_id,
                {"status": "returned", "reviewed_at": at, "updated_at": at},
            )
            signing.record(self.s, screening_id, "return", review_id=review_id)
            self.s.audit("review_return", record.reference)

    def news_since_last_sign_in(self) -> list[ReviewNews]:
        """Reviews of the signed-in practitioner's screenings since their previous sign-in."""
        db = self.s.db
        since = review_repo.last_sign_in(db, self.s.user.id)
        return [
            ReviewNews(
                n.screening_id,
                n.reference,
                n.decision,
                n.comment,
                dt.datetime.fromisoformat(n.at),
                n.reviewer,
                n.child_name,
            )
            for n in review_repo.news_for_owner(db, self.s.user.id, since)
        ]

    # -- outcomes -------------------------------------------------------------------------
    def add_outcome(self, screening_id: int, code: str, day: dt.date, note: str = "") -> None:
        record = self.s.visible(screening_id)
        permissions.check(permissions.refusal_to_add_outcome(self.s.user, record))
        codes = {o.code for o in self.s.registry.outcomes(record.form_id)}
        problems = []
        if code not in codes:
            problems.append(Problem(f"Choose one of: {', '.join(sorted(codes))}.", "code"))
        if day > self.s.today():
            problems.append(Problem("The date of an outcome cannot be in the future.", "date"))
        if problems:
            raise AnswersError("The outcome was not recorded.", problems)
        with self.s.write("record the outcome") as db:
            outcome_id = review_repo.add_outcome(
                db,
                self.s.scope(),
                screening_id,
                code,
                day.isoformat(),
                note.strip(),
                self.s.user.id,
                self.s.now_text(),
            )
            outbox.queue_outcome(self.s, screening_id, outcome_id)
            signing.record(self.s, screening_id, "outcome", outcome_id=outcome_id)
            self.s.audit("outcome_added", record.reference, code)

    def outcomes(self, screening_id: int) -> list[OutcomeEntry]:
        record = self.s.visible(screening_id)
        labels = {o.code: o.label for o in self.s.registry.outcomes(record.form_id)}
        return [
            OutcomeEntry(
                o.id,
                o.code,
                labels.get(o.code, o.code),
                parse_date(o.date) or self.s.today(),
                o.note,
                o.recorded_by,
            )
            for o in review_repo.outcomes(self.s.db, self.s.scope(), screening_id)
        ]

    # -- helpers --------------------------------------------------------------------------
    def _reviewable(self, screening_id: int) -> ScreeningRecord:
        self.s.require(Verb.REVIEW)
        record = self.s.visible(screening_id)
        permissions.check(permissions.refusal_to_review(self.s.user, record))
        return record

    def _password_ok(self, password: str) -> bool:
        return self.s.store.keyring.verify_password(self.s.user.id, password)
