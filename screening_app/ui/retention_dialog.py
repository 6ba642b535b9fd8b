"""Review → Due for review or deletion…: the team's records whose retention period has ended,
each with its kind, the day it was kept until and any legal hold; a supervisor places or lifts
a hold on the chosen record's child, or deletes the record, with a reason: its tombstone is
listed below, with the team server's witness (services/tombstones.py)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.record_retention import Due
from screening_app.services.app_services import AppServices
from screening_app.services.tombstones import Deletion
from screening_app.ui.announce import announce
from screening_app.ui.dialogs import resize_within_screen
from screening_app.ui.operations import Newest, Op, guarded
from screening_app.ui.tables import fill_rows, read_only_table

COLUMNS = ("Screening", "Child", "Kind of record", "Kept until", "State")
DELETED = ("Screening", "Kind of record", "Kept until", "Deleted by", "On", "Reason", "Witness")


class RetentionDialog(QDialog):
    def __init__(self, parent: QWidget, services: AppServices) -> None:
        super().__init__(parent)
        self.services = services
        self.found: list[Due] = []
        self.readings = Newest()
        self.setWindowTitle("Due for review or deletion")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Records whose retention period has ended. Review each: keep it under a legal hold "
            "while an inquiry, a complaint or litigation needs it, or delete it: its content goes "
            "for good and a tombstone stays (who decided, when and why). The periods are your "
            "organisation's, set by the administrator.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = read_only_table(self, COLUMNS, "Records due for review or deletion")
        layout.addWidget(self.table, 2)
        gone = QLabel("Deleted here (tombstones):", self)
        layout.addWidget(gone)
        self.deleted = read_only_table(self, DELETED, "Records deleted here, with their witness")
        gone.setBuddy(self.deleted)
        layout.addWidget(self.deleted, 1)
        self.status = QLabel("Reading the records…", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        for text, name, slot in (
            ("Place a legal &hold…", "Place a legal hold on the chosen record's child", self.hold),
            ("&Lift the hold…", "Lift the legal hold on the chosen record's child", self.lift),
            ("&Delete the record…", "Delete the chosen record, leaving its tombstone", self.delete),
        ):
            button = QPushButton(text, self)
            button.setAccessibleName(name)
            button.clicked.connect(slot)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        resize_within_screen(self, 900, 520)
        self.reload()

    def reload(self, note: str = "") -> None:
        """Read the lists again (only the newest reading is shown); ``note``: what was just
        done, said before the counts."""
        newest = self.readings.start()
        retention = self.services.retention
        Op(self, retention.due).success(newest(lambda f: self.show_due(f, note))).run()
        Op(self, retention.deleted).success(newest(self.show_deleted)).run()

    def show_deleted(self, found: list[Deletion]) -> None:
        fill_rows(
            self.deleted,
            [
                (
                    d.reference,
                    d.kind,
                    f"{dt.date.fromisoformat(d.keep_until):%d/%m/%Y}",
                    d.decided_by,
                    f"{dt.datetime.fromisoformat(d.decided_at):%d/%m/%Y}",
                    d.reason,
                    d.state(),
                )
                for d in found
            ],
        )

    def show_due(self, found: list[Due], note: str = "") -> None:
        self.found = found
        fill_rows(
            self.table,
            [
                (d.reference, d.subject, d.kind, f"{d.keep_until:%d/%m/%Y}", d.words())
                for d in found
            ],
        )
        held = sum(1 for d in found if d.held is not None)
        counted = f"{len(found)} record(s) due for review or deletion, {held} under a legal hold."
        self.status.setText(f"{note} {counted}".strip())
        announce(self.status, self.status.text())

    def chosen(self) -> Due | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.found):
            return self.found[row]
        self.status.setText("Choose a record in the table first.")
        announce(self.status, self.status.text(), assertive=True)
        return None

    def hold(self) -> None:
        self._decide("Place a legal hold", "Why is the child's record held?", True)

    def lift(self) -> None:
        self._decide("Lift the legal hold", "Why is the hold lifted?", False)

    def _decide(self, title: str, question: str, placing: bool) -> None:
        due = self.chosen()
        if due is None:
            return
        reason, ok = QInputDialog.getText(self, title, f"{question} (no names)")
        if not ok:
            return
        retention = self.services.retention
        with guarded(self) as attempt:
            if placing:
                retention.place_hold(due.reference, reason)
            else:
                retention.lift_hold(due.reference, reason)
        if not attempt.failed:
            self.reload()

    def delete(self) -> None:
        due = self.chosen()
        if due is None:
            return
        if due.held is not None:  # the service refuses too, naming the hold
            self.status.setText(f"{due.reference} cannot be deleted: it is {due.words()}.")
            announce(self.status, self.status.text(), assertive=True)
            return
        reason, ok = QInputDialog.getText(
            self, "Delete the record", "Why is the record deleted now? (no names)"
        )
        if not ok:
            return
        sure = QMessageBox.question(
            self,
            "Delete the record",
            f"Delete {due.reference} ({due.subject})? Its answers, names and notes go from this "
            "computer for good and, at the next sync, from the team server and the team's "
            "other computers. A tombstone stays: the reference, its dates, you, and your reason.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if sure != QMessageBox.StandardButton.Yes:
            return
        deletion = None
        with guarded(self) as attempt:
            deletion = self.services.retention.delete(due.reference, reason)
        if attempt.failed or deletion is None:
            return
        self.reload(f"Deleted {deletion.reference}: its tombstone stays, {deletion.state()}.")
