"""Settings: the idle-lock delay and the area's contact numbers beside "Call 999".

An administrator changes them (each change signed into the account log); everyone else sees
them read-only. A number that is not a phone number is said under the fields and nothing is
saved until it is mended.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain import contacts as area_contacts
from screening_app.domain.capabilities import Verb
from screening_app.errors import ScreeningError
from screening_app.services.administration import IDLE_LOCK_MINUTES
from screening_app.services.app_services import AppServices
from screening_app.ui.dialogs import ErrorLine


class SettingsDialog(QDialog):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.editable = services.can(Verb.CHANGE_SETTINGS)
        self.setWindowTitle("Settings")
        settings = services.settings
        current = settings.contacts()
        layout = QVBoxLayout(self)
        if not self.editable:
            note = QLabel("Your administrator sets these for everyone on this database.", self)
            note.setWordWrap(True)
            layout.addWidget(note)
        form = QFormLayout()
        self.minutes = QSpinBox(self)
        self.minutes.setRange(1, 60)
        self.minutes.setSuffix(" minutes")
        self.minutes.setValue(settings.get_int(IDLE_LOCK_MINUTES, 5))
        self._row(form, "&Lock the app after this long without use", self.minutes)
        self.area = QLineEdit(current.area, self)
        self.area.setMaxLength(area_contacts.MAX_AREA)
        self.area.setPlaceholderText("for example Northvale")
        self._row(form, "&Area's name (shown with the numbers)", self.area)
        given = dict(current.numbers)
        self.numbers: dict[str, QLineEdit] = {}
        for kind, label in area_contacts.KINDS.items():
            field = QLineEdit(given.get(kind, ""), self)
            field.setPlaceholderText("for example 01632 960100")
            self._row(form, f"{label} &number" if kind == "mash" else f"{label} number", field)
            self.numbers[kind] = field
        layout.addLayout(form)
        hint = QLabel(
            "The numbers are shown beside “Call 999” on the score panel, in the immediate-danger "
            "warning and on every referral PDF. Leave a number blank to show none.",
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.error = ErrorLine(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
            if self.editable
            else QDialogButtonBox.StandardButton.Close,
            self,
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for widget in (self.minutes, self.area, *self.numbers.values()):
            widget.setEnabled(self.editable)
        self.saved_minutes: int | None = None

    def _row(self, form: QFormLayout, label: str, widget: QWidget) -> None:
        widget.setAccessibleName(label.replace("&", ""))
        form.addRow(label, widget)

    def _save(self) -> None:
        settings = self.services.settings
        try:
            settings.set_contacts(
                self.area.text(), {kind: f.text() for kind, f in self.numbers.items()}
            )
            minutes = self.minutes.value()
            if minutes != settings.get_int(IDLE_LOCK_MINUTES, 5):
                settings.set_int(IDLE_LOCK_MINUTES, minutes)
                self.saved_minutes = minutes
        except ScreeningError as exc:
            self.error.show_message(str(exc))
            return
        self.accept()
