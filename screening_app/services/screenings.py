"""A screening's life: start, autosave, submit, amend, discard, open, share — with the audit trail.

A draft is written answer by answer (one small transaction each), so an interruption loses
nothing. Submitting validates and scores with the domain, stores the score snapshot and the
columns the list and statistics need, and makes the screening immutable: changing it later means
an amendment, a new version linked to the old with a reason. Who may do each of these is decided
in ``services.permissions``.

References are "CSE-2026-000012"; once the computer is connected to a team server they carry a
code of the computer ("CSE-2026-K7Q-000012"), and a screening received from a colleague keeps the
reference its author saw, so that everyone names it alike (docs/SERVER.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from screening_app.domain import checklist
from screening_app.domain.answers import apply, validate
from screening_app.domain.capabilities import Verb, can
from screening_app.domain.evaluation import age_on, parse_date
from screening_app.domain.forms import Form, GivenAnswers
from screening_app.domain.scoring import ScoreResult, StoredScore, score
from screening_app.errors import AnswersError, NotFound, Problem, WorkflowError
from screening_app.services import links, outbox, permissions, signing, tombstones
from screening_app.services.model import ReviewComment, Screening, ScreeningRow
from screening_app.services.permissions import Allowed
from screening_app.services.session import Session
from screening_app.storage import references_repo, signatures_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.driver import Database
from screening_app.storage.opened import get_meta, set_meta
from screening_app.storage.screenings_repo import ScreeningRecord

EDIT_AUDIT_SECONDS = 60
MIN_AMEND_REASON = 5


REFERENCE_CODE = "reference_code"  # meta: this computer's part of its references, once connected
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def give_reference_code(db: Database, device: str) -> None:
    """From now on this computer's references carry three characters of its device id
    ("CSE-2026-K7Q-000012"), so that two computers of a team never make the same one (inside
    the caller's transaction; a computer that has its code keeps it)."""
    if get_meta(db, REFERENCE_CODE) is None:
        number = int(device.replace("-", "")[:8], 16)
        code = "".join(CODE_LETTERS[(number >> (5 * i)) % 32] for i in range(3))
        set_meta(db, REFERENCE_CODE, code)


class ScreeningService:
    def __init__(self, session: Session) -> None:
        self.s = session
        self._edit_audited: dict[int, dt.datetime] = {}

    # -- drafts -------------------------------------------------------------------------
    def start(self, form_id: str = checklist.FORM_ID) -> Screening:
        self.s.require(Verb.START_SCREENING)
        form = self.s.registry.latest(form_id)
        answers = self._defaults(form)
        with self.s.write("start the screening"):
            new_id, reference = self._new_draft(form, answers)
            repo.update(self.s.db, self.s.scope(), new_id, self._list_values(form, answers))
            self.s.audit("create", reference)
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
            (checklist.PRACTITIONER_ROLE, user.job_title),
            (checklist.PRACTITIONER_AGENCY, user.agency),
        ):
            if not value or qid not in form.index:
                continue
            question = form.question(qid)
            codes = [code for code, _ in question.option_pairs()] if question.options else None
            if codes is None or value in codes:
                out[qid] = value
        return out

    def already_stored(self, form: Form, answers: GivenAnswers) -> str | None:
        """The reference of a screening this user can see with exactly these answers (the same
        file imported twice), or None."""
        values = self._list_values(form, answers)
        wanted = signatures_repo.digest_of_answers(answers)
        for screening_id, reference in references_repo.same_child_and_day(
            self.s.db, self.s.scope(), str(values["child_name_fold"]), str(values["screening_date"])
        ):
            if signatures_repo.answers_digest(self.s.db, screening_id) == wanted:
                return reference
        return None

    def import_answers(self, form: Form, answers: GivenAnswers) -> Screening:
        """Store a complete, valid answers set as a submitted screening (all or nothing)."""
        self.s.require(Verb.IMPORT_SCREENINGS)
        with self.s.write("import the screening"):
            new_id, reference = self._new_draft(form, answers)
            self.s.audit("import", reference)
            return self.submit(new_id)

    def store_received(
        self, form: Form, answers: GivenAnswers, owner_id: int, status: str, reference: str
    ) -> int:
        """A colleague's screening received from the team server (inside the caller's
        transaction): stored as they submitted it, under their reference (with "-2" … only if
        this computer already has one of that name), scored here from the same answers."""
        self.s.require(Verb.RECEIVE_TEAM_SCREENINGS)
        new_id, reference = self._new_draft(form, answers, owner_id=owner_id, reference=reference)
        result = score(form, answers)
        at = self.s.now_text()
        values = self._scored_values(answers, result)
        values.update(status=status, submitted_at=at, updated_at=at, page=None)
        values["child_id"] = self._child_id(answers, at)
        repo.update(self.s.db, self.s.scope(), new_id, values)
        repo.set_score(self.s.db, self.s.scope(), new_id, result.snapshot())
        models = answers.get(checklist.CSE_MODELS) or []
        repo.set_models(self.s.db, self.s.scope(), new_id, [str(m) for m in models])
        links.index(self.s, new_id, answers)
        self.s.audit("received", reference, f"band={result.operative_band}")
        return new_id

    def _new_draft(
        self,
        form: Form,
        answers: GivenAnswers,
        *,
        owner_id: int | None = None,
        reference: str | None = None,
    ) -> tuple[int, str]:
        """Insert a draft of the user's (or ``owner_id``'s) with ``answers`` (inside the
        caller's transaction), under a new reference or the given one."""
        db, at = self.s.db, self.s.now_text()
        if reference is None:
            code = get_meta(db, REFERENCE_CODE)
            number = f"{references_repo.next_reference_number(db):06d}"
            reference = f"CSE-{self.s.today().year}-{f'{code}-' if code else ''}{number}"
        else:
            reference = references_repo.unused_reference(db, reference)
        new_id = repo.insert_screening(
            db,
            {
                "reference": reference,
                "owner_id": self.s.user.id if owner_id is None else owner_id,
                "team": self.s.user.team,
                "form_id": form.form_id,
                "form_version": form.version,
                "status": "draft",
                "created_at": at,
                "updated_at": at,
            },
        )
        repo.insert_answers(db, new_id, answers, at)
        return new_id, reference

    def save_answer(self, screening_id: int, question_id: str, value: object | None) -> list[str]:
        """Write one answer now (a blank one removes it), and remove in the same transaction
        the answers it hid (domain.answers.apply); their ids. Drafts only, the user's own."""
        record = self._own_draft(screening_id)
        at = self.s.now_text()
        form = self.s.registry.get(record.form_id, record.form_version)
        with self.s.write("save your answer") as db:
            scope = self.s.scope()
            before = repo.answers(db, scope, screening_id)
            answers, cleared = apply(form, before, question_id, value)
            if question_id in answers:
                repo.upsert_answer(db, scope, screening_id, question_id, answers[question_id], at)
            removed = cleared if question_id in answers else [question_id, *cleared]
            for gone in removed:
                repo.delete_answer(db, scope, screening_id, gone)
            values: dict[str, object] = {"updated_at": at}
            names = {*checklist.LIST_FIELDS, *form.name_questions}
            if names.intersection((question_id, *cleared)):
                # (a child's names are list fields; a place's name is its form's name question)
                values.update(self._list_values(form, answers))
            repo.update(db, scope, screening_id, values)
            self._audit_edit(screening_id, record.reference)
        return cleared

    def save_page(self, screening_id: int, page: str) -> None:
        self._own_draft(screening_id)
        with self.s.write("save the page you are on") as db:
            repo.update(db, self.s.scope(), screening_id, {"page": page})

    def discard(self, screening_id: int) -> None:
        record = self._own_draft(screening_id)
        with self.s.write("discard the draft") as db:
            repo.delete_draft(db, self.s.scope(), screening_id)
            self.s.audit("discard", record.reference)

    def submit(self, screening_id: int, *, today: dt.date | None = None) -> Screening:
        record = self._own_draft(screening_id)
        form = self.s.registry.get(record.form_id, record.form_version)
        answers = repo.answers(self.s.db, self.s.scope(), screening_id)
        problems = validate(form, answers, today or self.s.today())
        if problems:
            raise AnswersError(
                f"The screening cannot be submitted yet: {len(problems)} answer(s) need attention.",
                problems,
            )
        result = score(form, answers)
        at = self.s.now_text()
        with self.s.write("submit the screening") as db:
            values = self._scored_values(answers, result)
            values.update(status="submitted", submitted_at=at, updated_at=at, page=None)
            values["child_id"] = self._child_id(answers, at)
            repo.update(db, self.s.scope(), screening_id, values)
            repo.set_score(db, self.s.scope(), screening_id, result.snapshot())
            models = answers.get(checklist.CSE_MODELS) or []
            repo.set_models(db, self.s.scope(), screening_id, [str(m) for m in models])
            links.index(self.s, screening_id, answers)
            if record.previous_id:
                repo.update(db, self.s.scope(), record.previous_id, {"status": "superseded"})
                signing.record(self.s, record.previous_id, "supersede")
            signing.record(self.s, screening_id, "submit")
            outbox.queue_submission(self.s, screening_id)
            self.s.audit("submit", record.reference, f"band={result.operative_band}")
        return self._load(screening_id)

    def earlier_comments(self, screening: Screening) -> list[ReviewComment]:
        """The review comments of the version an amendment replaces (what to act on)."""
        if screening.previous_id is None or not repo.visible(
            self.s.db, self.s.scope(), screening.previous_id
        ):
            return []
        return [
            ReviewComment.from_stored(c)
            for c in repo.review_comments(self.s.db, self.s.scope(), screening.previous_id)
        ]

    def unanswered(self, screening_id: int) -> list[str]:
        """The labels of the indicators and vulnerabilities asked but not answered in a draft
        (each counts as 0: the submit question names them)."""
        record = self._own_draft(screening_id)
        form = self.s.registry.get(record.form_id, record.form_version)
        answers = repo.answers(self.s.db, self.s.scope(), screening_id)
        return [form.question(qid).label for qid in score(form, answers).unanswered]

    def amend(self, screening_id: int, reason: str, *, newest_form: bool = False) -> Screening:
        """A new draft copying a submitted screening; the old one is replaced on submit. It
        stays on the old one's form version unless ``newest_form`` (then the answers to
        questions the newest version still asks are copied, docs/FORMS.md)."""
        old = self.s.visible(screening_id)
        permissions.check(permissions.refusal_to_amend(self.s.user, old))
        if len(reason.strip()) < MIN_AMEND_REASON:
            raise AnswersError(
                "reason needed", [Problem("Say why the screening is being amended.", "reason")]
            )
        at = self.s.now_text()
        version = old.form_version
        if newest_form:
            version = self.s.registry.latest(old.form_id).version
        form = self.s.registry.get(old.form_id, version)
        with self.s.write("start the amendment") as db:
            new_id = repo.insert_screening(
                db,
                {
                    "reference": f"{old.reference}-v{old.version + 1}",
                    "owner_id": old.owner_id,
                    "team": old.team,
                    "form_id": old.form_id,
                    "form_version": version,
                    "status": "draft",
                    "version": old.version + 1,
                    "previous_id": screening_id,
                    "amend_reason": reason.strip(),
                    "created_at": at,
                    "updated_at": at,
                    "child_name": old.child_name,
                    "child_name_fold": old.child_name_fold,
                    "la_area": old.la_area,
                    "screening_date": old.screening_date,
                },
            )
            repo.copy_answers(db, self.s.scope(), screening_id, new_id, at, set(form.index))
            moved = f", form version {version}" if version != old.form_version else ""
            self.s.audit("amend", old.reference, f"new version {old.version + 1}{moved}")
        return self._load(new_id)

    # -- reading --------------------------------------------------------------------------
    def get(self, screening_id: int) -> Screening:
        record = self.s.visible(screening_id)
        with self.s.write("open the screening"):
            self.s.audit("view", record.reference)
        return self._load(screening_id)

    def id_of(self, reference: str) -> int:
        """The id of the screening with ``reference``, if this user may see it."""
        self.s.require_reader()
        found = repo.id_of_reference(self.s.db, reference.strip().upper())
        if found is None:
            raise NotFound(f"There is no screening {reference} that you can see.")
        return self.s.visible(found).id

    def allowed(self, screening_id: int) -> Allowed:
        """What the signed-in user may do with this screening (the window asks, never decides)."""
        return permissions.allowed(self.s.user, self.s.visible(screening_id))

    def share(self, screening_id: int, user_name: str) -> None:
        """Let another practitioner see one of your screenings (read-only; audited)."""
        from screening_app.services.accounts import to_user

        record = self.s.visible(screening_id)
        permissions.check(permissions.refusal_to_share(self.s.user, record))
        found = self.s.store.keyring.directory.by_name(user_name)
        other = to_user(found) if found else None
        if other is None or not other.active or not can(other.role, Verb.READ_SCREENINGS):
            raise NotFound(
                "not shared",
                [
                    Problem(
                        f"There is no active practitioner or supervisor called {user_name}.", "user"
                    )
                ],
            )
        with self.s.write("share the screening") as db:
            repo.add_share(db, self.s.scope(), screening_id, other.id)
            self.s.audit("share", record.reference, f"user:{other.id}")

    # -- helpers --------------------------------------------------------------------------
    def _own_draft(self, screening_id: int) -> ScreeningRecord:
        record = self.s.visible(screening_id)
        permissions.check(permissions.refusal_to_edit(self.s.user, record))
        return record

    def _audit_edit(self, screening_id: int, reference: str) -> None:
        now = self.s.clock()
        last = self._edit_audited.get(screening_id)
        if last is None or (now - last).total_seconds() >= EDIT_AUDIT_SECONDS:
            self.s.audit("edit", reference)
            self._edit_audited[screening_id] = now

    def _list_values(self, form: Form, answers: GivenAnswers) -> dict[str, object]:
        name = form.subject_name(answers)  # the child's name, or the place's or group's
        dob = parse_date(answers.get(checklist.DATE_OF_BIRTH))
        on = parse_date(answers.get(checklist.SCREENING_DATE)) or self.s.today()
        return {
            "child_name": name,
            "child_name_fold": name.casefold(),
            "child_dob": dob.isoformat() if dob else None,
            "child_age": age_on(dob, on) if dob is not None and dob <= on else None,
            "la_area": str(answers.get(checklist.AREA) or ""),
            "screening_date": on.isoformat(),
        }

    def _scored_values(self, answers: GivenAnswers, result: ScoreResult) -> dict[str, object]:
        form = self.s.registry.get(result.form_id, result.form_version)
        values = self._list_values(form, answers)
        values.update(
            child_age=result.age,
            practitioner_role=str(answers.get(checklist.PRACTITIONER_ROLE) or ""),
            total=result.total,
            calculated_band=result.calculated_band,
            final_band=result.final_band,
            judged_band=result.judged_band,
            operative_band=result.operative_band,
            awaiting_approval=int(result.awaiting_approval),
            reassess_by=result.reassess_by,
        )
        return values

    def _child_id(self, answers: GivenAnswers, at: str) -> int | None:
        first = str(answers.get(checklist.FIRST_NAME) or "").strip()
        last = str(answers.get(checklist.LAST_NAME) or "").strip()
        dob = parse_date(answers.get(checklist.DATE_OF_BIRTH))
        if not (first and last and dob):
            return None
        return repo.find_or_create_child(self.s.db, first, last, dob.isoformat(), at)

    def _load(self, screening_id: int) -> Screening:
        db = self.s.db
        record = repo.fetch(db, self.s.scope(), screening_id)
        if record is None:
            raise NotFound("That screening no longer exists.")
        if record.content_removed_at is not None:
            raise WorkflowError(tombstones.removed_words(self.s, record))
        comments = tuple(
            ReviewComment.from_stored(c)
            for c in repo.review_comments(db, self.s.scope(), screening_id)
        )
        return Screening(
            row=ScreeningRow.from_stored(record.as_list_row()),
            form_id=record.form_id,
            form_version=record.form_version,
            answers=repo.answers(db, self.s.scope(), screening_id),
            page=record.page,
            score=StoredScore.kept_as(repo.score_of(db, self.s.scope(), screening_id)),
            previous_id=record.previous_id,
            amend_reason=record.amend_reason,
            judgement_approved=bool(record.judgement_approved),
            comments=comments,
        )
