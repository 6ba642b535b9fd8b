"""One opened screening: the form (editable for the author's draft, read-only otherwise) and the
actions the services allow this user — submit, discard, amend, share, review, outcome, referral.

The page asks ``services.screenings.allowed`` which actions to offer; it never decides. After an
action that changes the screening it emits ``replaced`` with the screening to show next.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.scoring import unanswered_words
from screening_app.domain.wording import spelt_out
from screening_app.errors import AnswersError
from screening_app.services.app_services import AppServices
from screening_app.services.model import Screening, status_label
from screening_app.services.review import MIN_COMMENT
from screening_app.ui.dialogs import TextDialog
from screening_app.ui.form.view import FormView
from screening_app.ui.operations import Changes, Op, guarded


class DraftSink:
    """Saves each answer of one draft through the screening service as it is given."""

    def __init__(self, services: AppServices, screening_id: int) -> None:
        self.services = services
        self.screening_id = screening_id

    def save_answer(self, question_id: str, value: object | None) -> None:
        self.services.screenings.save_answer(self.screening_id, question_id, value)

    def save_page(self, page: str) -> None:
        self.services.screenings.save_page(self.screening_id, page)


class ScreeningPage(QWidget):
    back_requested = Signal()
    replaced = Signal(object)  # the Screening to show now, or None after a discard
    child_requested = Signal(int)
    referral_requested = Signal()
    message = Signal(str)

    def __init__(
        self,
        services: AppServices,
        screening: Screening,
        changes: Changes,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.screening = screening
        self.changes = changes
        row = screening.row
        self.allowed = services.screenings.allowed(row.id)
        form = services.registry.get(screening.form_id, screening.form_version)
        self.form_view = FormView(
            form,
            DraftSink(services, row.id),
            answers=screening.answers,
            page=screening.page if self.allowed.edit else None,
            today=services.session.today(),
            read_only=not self.allowed.edit,
            contacts=services.settings.contacts(),
        )
        self.form_view.submit_requested.connect(lambda _answers: self.submit())
        self.form_view.discard_requested.connect(self.discard)
        layout = QVBoxLayout(self)
        title_row = QHBoxLayout()
        status = status_label(row.status, row.version)
        title_row.addWidget(QLabel(f"<b>{row.reference}</b> – {status}", self))
        title_row.addStretch(1)
        title_row.addWidget(self._button("Back to the &list", self.back_requested.emit))
        layout.addLayout(title_row)
        actions = self._actions()
        if actions:
            header = QHBoxLayout()  # the actions on a row of their own: room for all of them
            for text, slot in actions:
                header.addWidget(self._button(text, slot))
            header.addStretch(1)
            layout.addLayout(header)
        done = {"approve": "Approved", "return": "Returned for changes", "comment": "Comment"}
        earlier = []
        if screening.row.status == "draft" and screening.previous_id is not None:
            earlier = services.screenings.earlier_comments(screening)
        for comment in [*earlier, *screening.comments]:
            what = f"{done[comment.decision]} by {comment.author_name}, {comment.at:%d/%m/%Y}"
            if comment in earlier:
                what = f"On the version you are amending: {what}"
            note = QLabel(f"{what}: {comment.text}" if comment.text.strip() else f"{what}.")
            note.setObjectName("noteBox")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.form_view, 1)

    def _actions(self) -> list[tuple[str, Callable[[], object]]]:
        allowed = self.allowed
        offered: list[tuple[bool, str, Callable[[], object]]] = [
            # no Alt letter: Alt+R is the Review menu's; File → Referral PDF is Ctrl+P
            (allowed.referral, "Referral PDF…", self.referral_requested.emit),
            (allowed.amend, "&Amend…", self.amend),
            (allowed.share, "Share &with…", self.share),
            (allowed.review, "A&pprove…", self.approve),
            (allowed.review, "R&eturn for changes…", self.return_it),
            (allowed.add_outcome, "Add &outcome…", self.add_outcome),
            (allowed.open_child, "Chil&d record", self.open_child),
        ]
        return [(text, slot) for ok, text, slot in offered if ok]

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(lambda _checked=False: slot())
        return button

    @property
    def screening_id(self) -> int:
        return self.screening.row.id

    # -- the author's actions ---------------------------------------------------------------
    def submit(self) -> None:
        self.form_view.flush()
        with guarded(self) as asked:
            missing = self.services.screenings.unanswered(self.screening_id)
        if asked.failed or (missing and not self._submit_anyway(missing)):
            return
        with guarded(self) as attempt:
            try:
                done = self.services.screenings.submit(self.screening_id)
            except AnswersError as exc:  # shown beside each answer, not in a dialog
                self.form_view.show_problems(exc.problems)
                return
        if attempt.failed:
            return
        # links are looked for off the GUI thread (a team's many screenings); the message
        # waits for the answer, and says nothing of links if looking failed
        self.setEnabled(False)  # submitted already: nothing on the page is to be pressed
        Op(self, lambda: self.services.links.a_supervisor_will_be_told(done.row.id)).success(
            lambda linked: self._submitted(done, linked)
        ).refused(lambda _exc: self._submitted(done, False)).after(
            lambda: self.setEnabled(True)  # (a bug is reported; the page is not left dead)
        ).run()

    def _submit_anyway(self, missing: list[str]) -> bool:
        """Unanswered indicators count as 0: say which before submitting (Go back is the
        default, so Enter never submits by accident)."""
        listed = "\n".join(f"• {label}" for label in missing[:12])
        more = f"\n… and {len(missing) - 12} more" if len(missing) > 12 else ""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Submit with questions not answered?",
            f"{unanswered_words(len(missing))}:\n\n{listed}{more}\n\nAnswer them if you can. "
            "Submit anyway?",
            parent=self,
        )
        submit = box.addButton("&Submit anyway", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("&Go back and answer", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.exec()
        return box.clickedButton() is submit

    def _submitted(self, done: Screening, linked: bool) -> None:
        self.setEnabled(True)
        note = ""
        if done.score and done.score.awaiting_approval:
            note = " Your lower judgement is awaiting a supervisor's approval."
        if linked:
            note += (
                "\n\nSomething you recorded (a phone, vehicle, place, account or name) is also "
                "in another screening of your team: a supervisor will be told of a possible link."
            )
        action = spelt_out(done.score.action if done.score else "")
        next_step = f"\n\nWhat to do now: {action}" if action else ""
        QMessageBox.information(
            self,
            "Submitted",
            f"{done.row.reference} was submitted.{note}{next_step}\n\nThe referral PDF for "
            "the SCU is ready: File → Referral PDF (Ctrl+P).",
        )
        self.changes.changed.emit()
        self.replaced.emit(done)

    def discard(self) -> None:
        answer = QMessageBox.question(
            self,
            "Discard this draft?",
            "Discard this draft and every answer in it? This cannot be undone.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
        with guarded(self) as attempt:
            self.services.screenings.discard(self.screening_id)
        if not attempt.failed:
            self.changes.changed.emit()
            self.replaced.emit(None)

    def amend(self) -> None:
        reason, ok = QInputDialog.getText(
            self, "Amend this screening", "Why does it need changing?"
        )
        if not ok:
            return
        newest = self._offer_newest_form()
        if newest is None:
            return
        with guarded(self) as attempt:
            amended = self.services.screenings.amend(self.screening_id, reason, newest_form=newest)
        if not attempt.failed:
            self.changes.changed.emit()
            self.replaced.emit(amended)

    def _offer_newest_form(self) -> bool | None:
        """For a screening on an older form version: continue in it (the default), or move
        to the newest? None when the person cancels."""
        row = self.screening.row
        latest = self.services.registry.latest(self.screening.form_id).version
        if self.screening.form_version >= latest:
            return False
        box = QMessageBox(self)
        box.setWindowTitle("Which version of the form?")
        box.setText(
            f"{row.reference} was made on version {self.screening.form_version} of the form. "
            f"Continue in version {self.screening.form_version}, as it was, or move to version "
            f"{latest}? Version {latest} also records the people, vehicles, places, phones and "
            "online accounts of concern, and links them across screenings. Every answer is "
            "kept either way."
        )
        stay = box.addButton(
            f"Continue in version {self.screening.form_version}", QMessageBox.ButtonRole.AcceptRole
        )
        move = box.addButton(f"Move to version {latest}", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(stay)
        box.exec()
        if box.clickedButton() is move:
            return True
        return False if box.clickedButton() is stay else None

    def share(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            "Share this screening",
            "User name of the colleague who should be able to see it (read-only):",
        )
        if not ok or not name.strip():
            return
        with guarded(self) as attempt:
            self.services.screenings.share(self.screening_id, name.strip())
        if not attempt.failed:
            self.message.emit(f"Shared with {name.strip()}.")

    def add_outcome(self) -> None:
        from screening_app.ui.outcome_dialog import OutcomeDialog

        outcomes = self.services.registry.outcomes(self.screening.form_id)
        today = self.services.session.today()
        dialog = OutcomeDialog([(o.code, o.label) for o in outcomes], today, self)
        if dialog.exec() != OutcomeDialog.DialogCode.Accepted:
            return
        code, day, note = dialog.values()
        with guarded(self) as attempt:
            self.services.review.add_outcome(self.screening_id, code, day, note)
        if not attempt.failed:
            self.changes.changed.emit()
            self.message.emit("Outcome recorded.")

    def open_child(self) -> None:
        if self.screening.row.child_id is not None:
            self.child_requested.emit(self.screening.row.child_id)

    # -- a supervisor's review ----------------------------------------------------------------
    def approve(self) -> None:
        password, ok = QInputDialog.getText(
            self,
            "Approve and sign",
            "Type your password to sign this approval:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        sid = self.screening_id

        def approved(_none: None) -> None:
            QMessageBox.information(self, "Approved", "The screening was approved.")
            self._reopen()

        Op(self, lambda: self.services.review.approve(sid, password)).changing(
            self.changes
        ).success(approved).run()

    def return_it(self) -> None:
        dialog = TextDialog(
            self,
            "Return for changes",
            "What needs changing? The practitioner will see this.",
            needed="Say what needs changing, so the practitioner can act on it.",
            min_length=MIN_COMMENT,
        )
        if dialog.exec() != TextDialog.DialogCode.Accepted:
            return
        comment = dialog.value()
        with guarded(self) as attempt:
            self.services.review.return_for_changes(self.screening_id, comment)
        if not attempt.failed:
            self.changes.changed.emit()
            self._reopen()

    def _reopen(self) -> None:
        with guarded(self) as attempt:
            screening = self.services.screenings.get(self.screening_id)
        if not attempt.failed:
            self.replaced.emit(screening)
