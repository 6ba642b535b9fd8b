"""What the form view is built from: where answers go (``AnswerSink``) and one undoable answer
change. Nothing here knows the view: a change is applied through ``Applies``, so the view
depends on this module and never the other way round."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand


class AnswerSink(Protocol):
    """Where answers go as they are given (the screening service in the app, a fake in tests)."""

    def save_answer(self, question_id: str, value: object | None) -> None: ...

    def save_page(self, page: str) -> None: ...


class Applies(Protocol):
    """What an answer change is applied to (the form view)."""

    def _apply(self, question_id: str, value: Any, *, refresh_editor: bool) -> None: ...


class AnswerChange(QUndoCommand):
    """One answer changed: undoable with Ctrl+Z (the view applies it, so the editor, the score
    and the stored answer move together)."""

    def __init__(
        self, view: Applies, qid: str, old: Any, new: Any, *, from_editor: bool = True
    ) -> None:
        super().__init__(f"change {qid}")
        self.view, self.qid, self.old, self.new = view, qid, old, new
        self.first = from_editor  # the editor already shows the new value

    def redo(self) -> None:
        self.view._apply(self.qid, self.new, refresh_editor=not self.first)
        self.first = False

    def undo(self) -> None:
        self.view._apply(self.qid, self.old, refresh_editor=True)
