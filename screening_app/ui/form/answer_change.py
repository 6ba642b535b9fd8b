"""What the form view is built from: where answers go (``AnswerSink``), one undoable answer
change, and the wording for a blank required answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtGui import QUndoCommand

from screening_app.domain.forms import Question

if TYPE_CHECKING:
    from screening_app.ui.form.view import FormView


def required_message(question: Question) -> str:
    """What to do about a required question left blank, in the GOV.UK manner ("Enter date of
    birth"), rather than the command line's 'is required: answer "Date of birth"'."""
    label = question.label
    if label.endswith("?"):
        return f"Answer “{label}”"
    if question.type in ("text", "long_text", "date", "integer"):
        return f"Enter {label[0].lower() + label[1:] if label[1:2].islower() else label}"
    return f"Choose an answer for “{label}”"


class AnswerSink(Protocol):
    """Where answers go as they are given (the screening service in the app, a fake in tests)."""

    def save_answer(self, question_id: str, value: object | None) -> None: ...

    def save_page(self, page: str) -> None: ...


class AnswerChange(QUndoCommand):
    """One answer changed: undoable with Ctrl+Z (the view applies it, so the editor, the score
    and the stored answer move together)."""

    def __init__(
        self, view: FormView, qid: str, old: Any, new: Any, *, from_editor: bool = True
    ) -> None:
        super().__init__(f"change {qid}")
        self.view, self.qid, self.old, self.new = view, qid, old, new
        self.first = from_editor  # the editor already shows the new value

    def redo(self) -> None:
        self.view._apply(self.qid, self.new, refresh_editor=not self.first)
        self.first = False

    def undo(self) -> None:
        self.view._apply(self.qid, self.old, refresh_editor=True)
