"""One editor per question type, built from the form (the UI knows types, never question ids).

Every editor emits ``edited(value)`` with a value in the domain's format (ISO date strings, ints,
option codes, lists of codes) or ``None`` when cleared, and shows typed text it cannot read as a
problem of its own rather than guessing.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.forms import Question

TEXT_DEBOUNCE_MS = 400
RADIO_LIMIT = 6
DATE_HINT = "for example 27/03/2011"


class Editor(QWidget):
    """Base: ``value()``, ``set_value()``, ``focus_target()``, ``edited`` and ``input_problem``."""

    edited = Signal(object)

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self._loading = False

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self

    def input_problem(self) -> str | None:
        """A problem with what is typed that the domain cannot see (unreadable date, number)."""
        return None

    def _emit(self) -> None:
        if not self._loading:
            self.edited.emit(self.value())

    def name_widgets(self, name: str, description: str) -> None:
        for widget in self.findChildren(QWidget):
            if not widget.accessibleName():
                text = widget.property("text") if widget.property("text") else ""
                widget.setAccessibleName(f"{name}: {text}" if text else name)
            widget.setAccessibleDescription(description)


class _RadioKeys(QObject):
    """One Tab stop per group, as on every platform's radio groups: Tab comes into the group on
    the chosen button; the arrow keys move to the next or previous option and choose it (Qt's
    arrows only moved focus when nothing was chosen yet, so an answer stayed silently blank)."""

    MOVES: ClassVar[dict[Qt.Key, int]] = {
        Qt.Key.Key_Down: 1,
        Qt.Key.Key_Right: 1,
        Qt.Key.Key_Up: -1,
        Qt.Key.Key_Left: -1,
    }

    def __init__(self, group: QButtonGroup) -> None:
        super().__init__(group)
        self.group = group

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        buttons = self.group.buttons()
        if watched not in buttons:
            return False
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = self.MOVES.get(Qt.Key(event.key()))
            if step is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                target = buttons[(buttons.index(watched) + step) % len(buttons)]
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                target.click()
                return True
        if event.type() == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
            chosen = self.group.checkedButton()
            tabbed = event.reason() in (
                Qt.FocusReason.TabFocusReason,
                Qt.FocusReason.BacktabFocusReason,
            )
            if tabbed and chosen is not None and chosen is not watched:
                chosen.setFocus(event.reason())
                return True
        return False


class ChoiceEditor(Editor):
    """Radio buttons (yes/no/not known, timed indicators, short choice lists)."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.codes: list[str] = []
        keys = _RadioKeys(self.group)
        for index, (code, label) in enumerate(question.option_pairs()):
            button = QRadioButton(label, self)
            button.installEventFilter(keys)
            self.group.addButton(button, index)
            self.codes.append(code)
            layout.addWidget(button)
        self.group.idToggled.connect(self._toggled)

    def _toggled(self, _index: int, checked: bool) -> None:
        if checked:
            self._emit()

    def value(self) -> Any:
        index = self.group.checkedId()
        return self.codes[index] if index >= 0 else None

    def _show(self, value: Any) -> None:
        self.group.setExclusive(False)
        for index, button in enumerate(self.group.buttons()):
            button.setChecked(self.codes[index] == value)
        self.group.setExclusive(True)

    def focus_target(self) -> QWidget:
        return self.group.checkedButton() or self.group.buttons()[0]


class ComboEditor(Editor):
    """A drop-down for long choice lists, with an empty first entry."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox(self)
        self.combo.addItem("Choose…", None)
        for code, label in question.option_pairs():
            self.combo.addItem(label, code)
        layout.addWidget(self.combo)
        self.combo.currentIndexChanged.connect(lambda _i: self._emit())

    def value(self) -> Any:
        return self.combo.currentData()

    def _show(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))

    def focus_target(self) -> QWidget:
        return self.combo


class MultiEditor(Editor):
    """Check boxes; the value is the list of ticked codes in the form's order."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[tuple[str, QCheckBox]] = []
        self.definitions: dict[str, str] = {}
        for option in question.options or ():
            box = QCheckBox(option.label, self)
            self.boxes.append((option.code, box))
            layout.addWidget(box)
            if option.help:  # on screen and read aloud, not only in a tooltip
                self.definitions[option.code] = option.help
                definition = QLabel(option.help, self)
                definition.setObjectName("helpText")
                definition.setWordWrap(True)
                definition.setContentsMargins(24, 0, 0, 4)
                layout.addWidget(definition)
            box.toggled.connect(lambda _c: self._emit())

    def name_widgets(self, name: str, description: str) -> None:
        super().name_widgets(name, description)
        for code, box in self.boxes:
            meaning = self.definitions.get(code)
            if meaning:
                box.setAccessibleDescription(f"{meaning} {description}".strip())

    def value(self) -> Any:
        chosen = [code for code, box in self.boxes if box.isChecked()]
        return chosen or None

    def _show(self, value: Any) -> None:
        chosen = set(value or [])
        for code, box in self.boxes:
            box.setChecked(code in chosen)

    def focus_target(self) -> QWidget:
        return self.boxes[0][1]


class _TextBase(Editor):
    """Saves on a short pause in typing and when focus leaves, so no typing is ever lost."""

    def _setup_debounce(self) -> None:
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(TEXT_DEBOUNCE_MS)
        self.timer.timeout.connect(self._emit)

    def _typed(self) -> None:
        if not self._loading:
            self.timer.start()

    def flush(self) -> None:
        """Emit now if a save is pending (focus out, page change, closing)."""
        if self.timer.isActive():
            self.timer.stop()
            self._emit()


class _FlushingLineEdit(QLineEdit):
    def __init__(self, owner: _TextBase) -> None:
        super().__init__(owner)
        self._owner = owner

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Save before Tab moves on: questions the answer reveals are then shown, and Tab goes
        to the first of them rather than past them."""
        self._owner.flush()
        return super().focusNextPrevChild(forward)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._owner.flush()
        super().focusOutEvent(event)


class _FlushingPlainText(QPlainTextEdit):
    def __init__(self, owner: _TextBase) -> None:
        super().__init__(owner)
        self._owner = owner
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._owner.flush()
        super().focusOutEvent(event)


class TextEditor(_TextBase):
    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self._setup_debounce()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = _FlushingLineEdit(self)
        limit = question.text_limit()
        if limit:
            self.edit.setMaxLength(limit)
        layout.addWidget(self.edit)
        self.edit.textEdited.connect(lambda _t: self._typed())

    def value(self) -> Any:
        return self.edit.text().strip() or None

    def _show(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_target(self) -> QWidget:
        return self.edit


class LongTextEditor(_TextBase):
    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self._setup_debounce()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = _FlushingPlainText(self)
        self.edit.setMinimumHeight(90)
        layout.addWidget(self.edit)
        self.edit.textChanged.connect(self._typed)

    def value(self) -> Any:
        return self.edit.toPlainText().strip() or None

    def _show(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def focus_target(self) -> QWidget:
        return self.edit


class IntegerEditor(TextEditor):
    """A whole number, or empty. Text that is not a number is reported, not saved."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.edit.setMaximumWidth(120)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)

    def value(self) -> Any:
        text = self.edit.text().strip()
        return int(text) if re.fullmatch(r"\d{1,6}", text) else None

    def input_problem(self) -> str | None:
        text = self.edit.text().strip()
        if re.fullmatch(r"-\s*\d+", text):
            return "Enter 0 or more: a count cannot be below 0"
        if text and not re.fullmatch(r"\d{1,6}", text):
            return "Enter a whole number, like 0, 1 or 2"
        return None
