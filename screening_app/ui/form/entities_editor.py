"""The editor of a repeatable group: the entities of concern of form version 2.

A list of entries (one line each, read as one item by a screen reader) with Add, Change and
Remove. An entry is made in a dialog: its kind, then that kind's fields; what will be stored
for linking is shown as it is typed ("phone +447700900123"), and a problem is said beside the
fields and keeps the dialog open — nothing is changed silently (domain/entities.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain import entities
from screening_app.domain.entities import KIND_LABELS, summary
from screening_app.domain.forms import Question
from screening_app.ui.dialogs import ErrorLine, ok_cancel, resize_within_screen
from screening_app.ui.form.date_editor import parse_typed_date
from screening_app.ui.form.editors import Editor

FIELD_LABELS = {
    "name": "Name",
    "alias": "Nickname or alias",
    "approx_age": "Approximate age",
    "gender": "Gender",
    "description": "Description",
    "relationship": "Relationship to the child",
    "registration": "Registration (? for an unknown character)",
    "make": "Make",
    "model": "Model",
    "colour": "Colour",
    "address": "Address or description",
    "postcode": "Postcode",
    "place_type": "Type of place",
    "number": "Phone number",
    "platform": "Platform (Snapchat, Instagram…)",
    "handle": "User name or handle",
    "connection": "How the child is connected",
    "last_seen": "Last seen (day/month/year)",
}
CHOICE_LABELS = {
    "female": "Female",
    "male": "Male",
    "other": "Other",
    "not_known": "Not known",
    "adult": "Adult",
    "peer": "Peer",
    "family": "Family",
    "unknown": "Unknown",
    "house": "House or flat",
    "hotel": "Hotel",
    "park": "Park",
    "shop": "Shop",
}


class EntityDialog(QDialog):
    """One entry: its kind, then that kind's fields, with what will be stored shown live."""

    def __init__(self, entity: dict[str, Any] | None, today: dt.date, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Entry of concern")
        self.today = today
        self.inputs: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.kind = QComboBox(self)
        for code, words in KIND_LABELS.items():
            self.kind.addItem(words, code)
        self.kind.setAccessibleName("Kind of entry")
        top.addRow("&Kind", self.kind)
        layout.addLayout(top)
        self.fields = QWidget(self)
        layout.addWidget(self.fields)
        self.stored = QLabel(self)
        self.stored.setWordWrap(True)
        self.stored.setObjectName("noteBox")
        layout.addWidget(self.stored)
        self.error = ErrorLine(self)
        layout.addWidget(self.error)
        buttons = ok_cancel(self, self._check)
        layout.addWidget(buttons)
        given = dict(entity or {"kind": "person"})
        self.kind.setCurrentIndex(max(0, self.kind.findData(given.get("kind"))))
        self._build(given)
        self.kind.currentIndexChanged.connect(lambda _i: self._build(self.value()))
        resize_within_screen(self, 520, 560)

    def _build(self, given: dict[str, Any]) -> None:
        """The fields of the chosen kind (what was typed in a field they share is kept)."""
        old = self.fields.layout()
        if old is not None:
            QWidget().setLayout(old)  # drops the old layout and its widgets
        form = QFormLayout(self.fields)
        self.inputs = {}
        kind = str(self.kind.currentData())
        for name in (*entities.FIELDS[kind], *entities.COMMON):
            widget = self._input(name, given.get(name))
            needed = name in entities.REQUIRED.get(kind, ())
            text = FIELD_LABELS[name] + (" (required)" if needed else "")
            widget.setAccessibleName(text)
            form.addRow(text, widget)
            self.inputs[name] = widget
        self._show_stored()

    def _input(self, name: str, value: Any) -> QWidget:
        if name in entities.CHOICES:
            box = QComboBox(self.fields)
            box.addItem("—", None)
            for code in entities.CHOICES[name]:
                box.addItem(CHOICE_LABELS.get(code, code), code)
            box.setCurrentIndex(max(0, box.findData(value)))
            box.currentIndexChanged.connect(lambda _i: self._show_stored())
            return box
        if name == "approx_age":
            spin = QSpinBox(self.fields)
            spin.setRange(-1, 120)
            spin.setSpecialValueText("not known")
            spin.setValue(value if isinstance(value, int) else -1)
            return spin
        line = QLineEdit("" if value is None else str(value), self.fields)
        line.textChanged.connect(lambda _t: self._show_stored())
        return line

    def value(self) -> dict[str, Any]:
        entity: dict[str, Any] = {"kind": str(self.kind.currentData())}
        for name, widget in self.inputs.items():
            if isinstance(widget, QComboBox):
                data = widget.currentData()
                if data:
                    entity[name] = data
            elif isinstance(widget, QSpinBox):
                if widget.value() >= 0:
                    entity[name] = widget.value()
            elif isinstance(widget, QLineEdit) and widget.text().strip():
                text = widget.text().strip()
                day = parse_typed_date(text) if name == "last_seen" else None
                entity[name] = day.isoformat() if day else text  # as the main form reads dates
        return entity

    def _show_stored(self) -> None:
        self.stored.setText(f"Linked on: {entities.shown(self.value())}")

    def _check(self) -> None:
        problems = entities.check([self.value()], self.today)
        if problems:
            self.error.show_message("\n".join(p.removeprefix("entity 1 ") for p in problems))
            return
        self.accept()


class EntitiesEditor(Editor):
    """The list of entries, with Add, Change and Remove; the value is the list of objects."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.items: list[dict[str, Any]] = []
        self.today = dt.date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(self)
        self.list.setMinimumHeight(90)
        self.list.itemActivated.connect(lambda _i: self.change())
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.add_button = QPushButton("Add an entry…", self)
        self.change_button = QPushButton("Change entry…", self)
        self.remove_button = QPushButton("Remove entry", self)
        for button, slot in (
            (self.add_button, self.add),
            (self.change_button, self.change),
            (self.remove_button, self.remove),
        ):
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self._refresh()

    def name_widgets(self, name: str, description: str) -> None:
        self.list.setAccessibleName(name)
        for button in (self.add_button, self.change_button, self.remove_button):
            button.setAccessibleName(f"{button.text().rstrip('…')}: {name}")
        for widget in (self.list, self.add_button):
            widget.setAccessibleDescription(description)

    def focus_target(self) -> QWidget:
        return self.list if self.items else self.add_button

    def value(self) -> Any:
        return [dict(item) for item in self.items] or None

    def _show(self, value: Any) -> None:
        self.items = [dict(v) for v in value] if isinstance(value, list) else []
        self._refresh()

    def _refresh(self) -> None:
        self.list.clear()
        for entity in self.items:
            item = QListWidgetItem(summary(entity))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, summary(entity))
            self.list.addItem(item)
        if not self.items:
            self.list.addItem(QListWidgetItem("No entries yet"))
        self.change_button.setEnabled(bool(self.items))
        self.remove_button.setEnabled(bool(self.items))
        if self.items:
            self.list.setCurrentRow(len(self.items) - 1)

    def add(self) -> None:
        if len(self.items) >= (self.question.max_repeats or entities.MAX_ENTITIES):
            return
        dialog = EntityDialog(None, self.today, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.items.append(dialog.value())
            self._refresh()
            self._emit()

    def change(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.items):
            return
        dialog = EntityDialog(self.items[row], self.today, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.items[row] = dialog.value()
            self._refresh()
            self._emit()

    def remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            del self.items[row]
            self._refresh()
            self._emit()
