"""Screenings: start, autosave, submit, amend, discard, list — with roles and the audit trail.

A draft is written answer by answer (one small transaction each), so an interruption loses
nothing. Submitting validates and scores with the domain, stores the score snapshot and the
columns the list and statistics need, and makes the screening immutable: changing it later means
an amendment, a new version linked to the old with a reason.
"""

from __future__ import annotations

import builtins
import datetime as dt
from pathlib import Path
from typing import Any, Literal

from screening_app.domain.answers import validate
from screening_app.domain.evaluation import parse_date
from screening_app.domain.forms import Form
from screening_app.domain.scoring import ScoreResult, score
from screening_app.errors import AnswersError, PermissionDenied, Problem, StorageError
from screening_app.export.model import ReferralInput, ReviewInfo
from screening_app.services.model import (
    ListQuery,
    ReviewComment,
    Screening,
    ScreeningRow,
    User,
)
from screening_app.services.session import Session
from screening_app.storage import screenings_repo as repo
from screening_app.storage.accounts_repo import users as user_rows
from screening_app.storage.driver import DatabaseError, storage_error

EDIT_AUDIT_SECONDS = 60
DUE_DAYS = 14
# Answers copied into list columns while a draft is written (ids fixed by CHECKLIST.md v1).
NAME_FIELDS = ("child_first_name", "child_last_name")
LIST_FIELDS = frozenset({*NAME_FIELDS, "child_dob", "la_area", "screening_date"})
ExportKind = Literal["referral_preview", "referral_saved", "referral_encrypted", "printed"]


class ScreeningService:
    def __init__(self, session: Session) -> None:
        self.s = session
        self._drafts: set[int] = set()  # drafts already checked as the user's own
        self._edit_audited: dict[int, dt.datetime] = {}

    # -- drafts -------------------------------------------------------------------------
    def start(self, form_id: str = "cse-risk-screening") -> Screening:
        self.s.require("practitioner", "supervisor", doing="start a screening")
        form = self.s.registry.latest(form_id)
        at = self.s.now_text()
        answers = self._defaults(form)
        db = self.s.store.db
        try:
            with db.atomic():
                new_id, reference = self._new_draft(form, answers, at)
                self._update_list_columns(new_id, form, answers)
                self.s.audit("create", reference)
        except DatabaseError as exc:
            raise storage_error(exc, "start the screening") from None
        self._drafts.add(new_id)
        return self._load(new_id)

    def _defaults(self, form: Form) -> dict[str, Any]:
        user = self.s.user
        out: dict[str, Any] = {}
        for question in form.questions():
            if question.default == "today":
                out[question.id] = self.s.today().isoformat()
            elif question.default == "signed_in_user":
                out[question.id] = user.display_name or user.name
        for qid, value in (
            ("practitioner_role", user.job_title),
            ("practitioner_agency", user.agency),
        ):
            if not value or qid not in form.index:
                continue
            question = form.question(qid)
            codes = [code for code, _ in question.option_pairs()] if question.options else None
            if codes is None or value in codes:
                out[qid] = value
        return out

    def import_answers(self, form: Form, answers: dict[str, Any]) -> Screening:
        """Store a complete, valid answers set as a submitted screening (all or nothing)."""
        self.s.require("practitioner", "supervisor", doing="import screenings")
        at = self.s.now_text()
        db = self.s.store.db
        try:
            with db.atomic():
                new_id, reference = self._new_draft(form, answers, at)
                self.s.audit("import", reference)
                self._drafts.add(new_id)
                return self.submit(new_id)
        except DatabaseError as exc:
            raise storage_error(exc, "import the screening") from None

    def _new_draft(self, form: Form, answers: dict[str, Any], at: str) -> tuple[int, str]:
        """Insert a draft of the user's with ``answers`` (inside the caller's transaction)."""
        db = self.s.store.db
        reference = f"CSE-{self.s.today().year}-{repo.next_reference_number(db):06d}"
        new_id = repo.insert_draft(
            db,
            {
                "reference": reference,
                "owner_id": self.s.user.id,
                "team": self.s.user.team,
                "form_id": form.form_id,
                "form_version": form.version,
                "status": "draft",
                "created_at": at,
                "updated_at": at,
            },
        )
        for qid, value in answers.items():
            repo.upsert_answer(db, new_id, qid, value, at)
        return new_id, reference

    def save_answer(self, screening_id: int, question_id: str, value: object | None) -> None:
        """Write one answer now (None removes it). Drafts only, the user's own."""
        row = self._own_draft(screening_id)
        db = self.s.store.db
        at = self.s.now_text()
        try:
            with db.atomic():
                if value is None or value == "" or value == []:
                    repo.delete_answer(db, screening_id, question_id)
                else:
                    repo.upsert_answer(db, screening_id, question_id, value, at)
                values: dict[str, object] = {"updated_at": at}
                if question_id in LIST_FIELDS:
                    form = self.s.registry.get(row["form_id"], row["form_version"])
                    values.update(self._list_values(form, repo.answers(db, screening_id)))
                repo.update(db, screening_id, values)
                self._audit_edit(screening_id, row["reference"])
        except DatabaseError as exc:
            raise storage_error(exc, "save your answer") from None

    def save_page(self, screening_id: int, page: str) -> None:
        self._own_draft(screening_id)
        try:
            repo.update(self.s.store.db, screening_id, {"page": page})
        except DatabaseError as exc:
            raise storage_error(exc, "save the page you are on") from None

    def discard(self, screening_id: int) -> None:
        row = self._own_draft(screening_id)
        db = self.s.store.db
        try:
            with db.atomic():
                repo.delete_draft(db, screening_id)
                self.s.audit("discard", row["reference"])
        except DatabaseError as exc:
            raise storage_error(exc, "discard the draft") from None
        self._drafts.discard(screening_id)

    def submit(self, screening_id: int, *, today: dt.date | None = None) -> Screening:
        row = self._own_draft(screening_id)
        db = self.s.store.db
        form = self.s.registry.get(row["form_id"], row["form_version"])
        answers = repo.answers(db, screening_id)
        problems = validate(form, answers, today or self.s.today())
        if problems:
            raise AnswersError(
                f"The screening cannot be submitted yet: {len(problems)} answer(s) need attention.",
                problems,
            )
        result = score(form, answers)
        at = self.s.now_text()
        try:
            with db.atomic():
                values = self._scored_values(form, answers, result)
                values.update(status="submitted", submitted_at=at, updated_at=at, page=None)
                values["child_id"] = self._child_id(answers, at)
                repo.update(db, screening_id, values)
                repo.set_score(db, screening_id, result.snapshot())
                models = answers.get("cse_models") or []
                repo.set_models(db, screening_id, [str(m) for m in models])
                if row["previous_id"]:
                    repo.update(db, row["previous_id"], {"status": "superseded"})
                self.s.audit("submit", row["reference"], f"band={result.operative_band}")
        except DatabaseError as exc:
            raise storage_error(exc, "submit the screening") from None
        self._drafts.discard(screening_id)
        return self._load(screening_id)

    def amend(self, screening_id: int, reason: str) -> Screening:
        """A new draft copying a submitted screening; the old one is replaced on submit."""
        old = self.visible_row(screening_id)
        if old["owner_id"] != self.s.user.id:
            raise PermissionDenied("Only the practitioner who wrote a screening can amend it.")
        if old["status"] in ("draft", "superseded"):
            raise StorageError("Only a submitted screening can be amended.")
        if len(reason.strip()) < 5:
            raise AnswersError(
                "reason needed", [Problem("Say why the screening is being amended.", "reason")]
            )
        db = self.s.store.db
        at = self.s.now_text()
        try:
            with db.atomic():
                new_id = repo.insert_draft(
                    db,
                    {
                        "reference": f"{old['reference']}-v{old['version'] + 1}",
                        "owner_id": old["owner_id"],
                        "team": old["team"],
                        "form_id": old["form_id"],
                        "form_version": old["form_version"],
                        "status": "draft",
                        "version": old["version"] + 1,
                        "previous_id": screening_id,
                        "amend_reason": reason.strip(),
                        "created_at": at,
                        "updated_at": at,
                        "child_name": old["child_name"],
                        "child_name_fold": old["child_name_fold"],
                        "la_area": old["la_area"],
                        "screening_date": old["screening_date"],
                    },
                )
                repo.copy_answers(db, screening_id, new_id, at)
                self.s.audit("amend", old["reference"], f"new version {old['version'] + 1}")
        except DatabaseError as exc:
            raise storage_error(exc, "start the amendment") from None
        self._drafts.add(new_id)
        return self._load(new_id)

    # -- reading --------------------------------------------------------------------------
    def get(self, screening_id: int) -> Screening:
        row = self.visible_row(screening_id)
        try:
            with self.s.store.db.atomic():
                self.s.audit("view", row["reference"])
        except DatabaseError as exc:
            raise storage_error(exc, "open the screening") from None
        return self._load(screening_id)

    def list(self, query: ListQuery) -> list[ScreeningRow]:
        self._require_reader()
        rows = repo.list_rows(
            self.s.store.db,
            self.s.scope(),
            self._filters(query),
            sort=query.sort,
            descending=query.descending,
            offset=query.offset,
            limit=query.limit,
        )
        return [to_row(r) for r in rows]

    def count(self, query: ListQuery) -> int:
        self._require_reader()
        return repo.count_rows(self.s.store.db, self.s.scope(), self._filters(query))

    def areas(self) -> builtins.list[tuple[str, str]]:
        """(code, label) of the local authority areas, from the newest form."""
        form = self.s.registry.latest("cse-risk-screening")
        if "la_area" not in form.index:
            return []
        return list(form.question("la_area").option_pairs())

    def owners(self) -> builtins.list[User]:
        from screening_app.services.accounts import to_user

        if self.s.user.role != "supervisor":
            return [self.s.user]
        return [to_user(r) for r in user_rows(self.s.store.db, self.s.user.team)]

    def reassessment_counts(self, today: dt.date | None = None) -> tuple[int, int]:
        """(due within 14 days, overdue) among the screenings this user can see."""
        day = today or self.s.today()
        self._require_reader()
        db, scope = self.s.store.db, self.s.scope()
        due = repo.count_rows(db, scope, self._filters(ListQuery(due="due"), day))
        overdue = repo.count_rows(db, scope, self._filters(ListQuery(due="overdue"), day))
        return due, overdue

    def share(self, screening_id: int, user_name: str) -> None:
        """Let another practitioner see one of your screenings (read-only; audited)."""
        row = self.visible_row(screening_id)
        if row["owner_id"] != self.s.user.id:
            raise PermissionDenied("Only the practitioner who wrote a screening can share it.")
        from screening_app.services.accounts import to_user
        from screening_app.storage.accounts_repo import user_by_name

        found = user_by_name(self.s.store.db, user_name)
        other = to_user(found) if found else None
        if other is None or not other.active or other.role == "admin":
            raise AnswersError(
                "not shared",
                [
                    Problem(
                        f"There is no active practitioner or supervisor called {user_name}.", "user"
                    )
                ],
            )
        try:
            with self.s.store.db.atomic():
                repo.add_share(self.s.store.db, screening_id, other.id)
                self.s.audit("share", row["reference"], f"user:{other.id}")
        except DatabaseError as exc:
            raise storage_error(exc, "share the screening") from None

    def record_export(self, screening_id: int, kind: ExportKind, detail: str = "") -> None:
        row = self.visible_row(screening_id)
        try:
            with self.s.store.db.atomic():
                self.s.audit(kind, row["reference"], detail)
        except DatabaseError as exc:
            raise storage_error(exc, "record the export") from None

    def referral_input(
        self, screening_id: int, *, generated_at: dt.datetime | None = None
    ) -> ReferralInput:
        row = self.visible_row(screening_id)
        if row["status"] == "draft":
            raise StorageError("A draft has no referral yet: submit the screening first.")
        form = self.s.registry.get(row["form_id"], row["form_version"])
        answers = repo.answers(self.s.store.db, screening_id)
        result = score(form, answers, judgement_approved=bool(row["judgement_approved"]))
        return ReferralInput(
            form=form,
            answers=answers,
            result=result,
            reference=row["reference"],
            generated_at=generated_at or self.s.clock(),
            review=self._review_info(screening_id, row["status"]),
        )

    def referral_pdf(self, screening_id: int) -> bytes:
        """The referral PDF in memory (for the preview); audited as a view of the referral."""
        from screening_app.export.referral_pdf import render_referral

        data = self.referral_input(screening_id)
        pdf = render_referral(data)
        self.record_export(screening_id, "referral_preview")
        return pdf

    def save_referral(
        self, screening_id: int, pdf: bytes, path: Path, *, password: str | None = None
    ) -> None:
        """Write the referral (AES-256 when ``password``); audited with the kind of export."""
        from screening_app.export.referral_pdf import write_referral

        write_referral(path, pdf, password=password, force=True)
        kind: ExportKind = "referral_encrypted" if password else "referral_saved"
        self.record_export(screening_id, kind)

    @staticmethod
    def password_hint(password: str) -> str:
        from screening_app.export.referral_pdf import password_strength_hint

        return password_strength_hint(password)

    # -- helpers --------------------------------------------------------------------------
    def _require_reader(self) -> None:
        self.s.require("practitioner", "supervisor", doing="see children's screenings")

    def visible_row(self, screening_id: int) -> dict[str, Any]:
        self._require_reader()
        db = self.s.store.db
        row = repo.fetch(db, screening_id)
        if row is None or not repo.visible(db, self.s.scope(), screening_id):
            raise PermissionDenied("That screening does not exist or is not shared with you.")
        return row

    def _own_draft(self, screening_id: int) -> dict[str, Any]:
        row = self.visible_row(screening_id)
        if row["owner_id"] != self.s.user.id:
            raise PermissionDenied("Only the practitioner who started this draft can change it.")
        if row["status"] != "draft":
            raise StorageError(
                "This screening has been submitted and cannot be changed. Use Amend to make a "
                "new version with a reason."
            )
        return row

    def _audit_edit(self, screening_id: int, reference: str) -> None:
        now = self.s.clock()
        last = self._edit_audited.get(screening_id)
        if last is None or (now - last).total_seconds() >= EDIT_AUDIT_SECONDS:
            self.s.audit("edit", reference)
            self._edit_audited[screening_id] = now

    def _filters(self, query: ListQuery, today: dt.date | None = None) -> repo.Filters:
        day = today or self.s.today()
        before = after = None
        if query.due == "overdue":
            before = day.isoformat()
        elif query.due == "due":
            after, before = day.isoformat(), (day + dt.timedelta(days=DUE_DAYS + 1)).isoformat()
        elif query.due == "due_or_overdue":
            before = (day + dt.timedelta(days=DUE_DAYS + 1)).isoformat()
        return repo.Filters(
            status=query.status,
            band=query.band,
            area=query.area,
            owner_id=query.owner_id,
            search=query.search,
            reassess_before=before,
            reassess_from=after,
        )

    def _list_values(self, form: Form, answers: dict[str, Any]) -> dict[str, object]:
        name = " ".join(str(answers.get(q) or "").strip() for q in NAME_FIELDS).strip()
        dob = parse_date(answers.get("child_dob"))
        on = parse_date(answers.get("screening_date")) or self.s.today()
        age = None
        if dob is not None and dob <= on:
            age = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
        return {
            "child_name": name,
            "child_name_fold": name.casefold(),
            "child_dob": dob.isoformat() if dob else None,
            "child_age": age,
            "la_area": str(answers.get("la_area") or ""),
            "screening_date": (parse_date(answers.get("screening_date")) or on).isoformat(),
        }

    def _update_list_columns(self, screening_id: int, form: Form, answers: dict[str, Any]) -> None:
        repo.update(self.s.store.db, screening_id, self._list_values(form, answers))

    def _scored_values(
        self, form: Form, answers: dict[str, Any], result: ScoreResult
    ) -> dict[str, object]:
        values = self._list_values(form, answers)
        values.update(
            child_age=result.age,
            practitioner_role=str(answers.get("practitioner_role") or ""),
            total=result.total,
            calculated_band=result.calculated_band,
            final_band=result.final_band,
            judged_band=result.judged_band,
            operative_band=result.operative_band,
            awaiting_approval=int(result.awaiting_approval),
            reassess_by=result.reassess_by,
        )
        return values

    def _child_id(self, answers: dict[str, Any], at: str) -> int | None:
        first = str(answers.get("child_first_name") or "").strip()
        last = str(answers.get("child_last_name") or "").strip()
        dob = parse_date(answers.get("child_dob"))
        if not (first and last and dob):
            return None
        return repo.find_or_create_child(self.s.store.db, first, last, dob.isoformat(), at)

    def _review_info(self, screening_id: int, status: str) -> ReviewInfo | None:
        comments = repo.review_comments(self.s.store.db, screening_id)
        decisions = [c for c in comments if c[2] in ("approve", "return")]
        if not decisions:
            return None
        at, who, decision, text, band = decisions[-1]
        return ReviewInfo(
            reviewer=who,
            status="approved" if decision == "approve" else "returned",
            band_approved=band,
            reviewed_at=dt.datetime.fromisoformat(at),
            comment=text,
        )

    def _load(self, screening_id: int) -> Screening:
        db = self.s.store.db
        row = repo.fetch(db, screening_id)
        if row is None:
            raise StorageError("That screening no longer exists.")
        comments = tuple(
            ReviewComment(dt.datetime.fromisoformat(at), who, decision, text, band)
            for at, who, decision, text, band in repo.review_comments(db, screening_id)
        )
        return Screening(
            row=to_row(_row_tuple(row)),
            form_id=row["form_id"],
            form_version=row["form_version"],
            answers=repo.answers(db, screening_id),
            page=row["page"],
            score=repo.score_of(db, screening_id),
            previous_id=row["previous_id"],
            amend_reason=row["amend_reason"],
            judgement_approved=bool(row["judgement_approved"]),
            comments=comments,
        )


def _row_tuple(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["id"],
        row["reference"],
        row["child_id"],
        row["child_name"],
        row["child_age"],
        row["la_area"],
        row["screening_date"],
        row["status"],
        row["operative_band"],
        row["reassess_by"],
        row["owner_id"],
        row["owner_name"],
        row["updated_at"],
        row["version"],
    )


def to_row(r: tuple[Any, ...]) -> ScreeningRow:
    return ScreeningRow(
        id=r[0],
        reference=r[1],
        child_id=r[2],
        child_name=r[3] or "",
        child_age=r[4],
        la_area=r[5] or "",
        screening_date=parse_date(r[6]),
        status=r[7],
        operative_band=r[8],
        reassess_by=parse_date(r[9]),
        owner_id=r[10],
        owner_name=r[11] or "",
        updated_at=dt.datetime.fromisoformat(r[12]),
        version=r[13],
    )
