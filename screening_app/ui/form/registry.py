"""Which editor asks each type of question: one table, keyed by the form's question types
(``domain.forms.QuestionType``), that the pages build editors from. A test checks that every
type has an editor, so a new type can never fall back to a text box unnoticed.

The editors' modules import only ``editors`` (the base and the simple editors); this module
imports them all, and the pages import this module: the widgets point one way
(pyproject.toml's import contracts hold it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from screening_app.domain.forms import Question
from screening_app.ui.form.date_editor import DateEditor
from screening_app.ui.form.editors import (
    RADIO_LIMIT,
    ChoiceEditor,
    ComboEditor,
    Editor,
    IntegerEditor,
    LongTextEditor,
    MultiEditor,
    TextEditor,
)
from screening_app.ui.form.entities_editor import EntitiesEditor

Factory = Callable[[Question, QWidget | None], Editor]


def _choice(question: Question, parent: QWidget | None) -> Editor:
    """Radio buttons for a few answers, a drop-down list for many."""
    many = len(question.option_pairs()) > RADIO_LIMIT
    return ComboEditor(question, parent) if many else ChoiceEditor(question, parent)


EDITORS: dict[str, Factory] = {
    "text": TextEditor,
    "long_text": LongTextEditor,
    "date": DateEditor,
    "integer": IntegerEditor,
    "yes_no": ChoiceEditor,
    "choice": _choice,
    "multi_choice": MultiEditor,
    "timed_indicator": ChoiceEditor,
    "repeatable_group": EntitiesEditor,
}


def make_editor(question: Question, parent: QWidget | None = None) -> Editor:
    return EDITORS[question.type](question, parent)
