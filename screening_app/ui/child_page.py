"""A child's record page: the chronology and score chart, and merging a duplicate record."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain import checklist
from screening_app.domain.capabilities import Verb
from screening_app.services.app_services import AppServices
from screening_app.services.children import ChildRecord
from screening_app.ui.child_view import ChildView
from screening_app.ui.dialogs import confirm_saved, save_path
from screening_app.ui.heading import page_top
from screening_app.ui.operations import Changes, Op, guarded
from screening_app.ui.share_dialog import ask_share


class ChildPage(QWidget):
    back_requested = Signal()
    merged = Signal(int)  # the child whose record changed (to show it again)

    def __init__(
        self,
        services: AppServices,
        record: ChildRecord,
        changes: Changes,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.record = record
        self.changes = changes
        form = services.registry.latest(checklist.FORM_ID)
        layout = QVBoxLayout(self)
        top, self.heading = page_top(self, f"Child's record: {record.name}", None)
        layout.addLayout(top)
        row = QHBoxLayout()
        back = QPushButton("Back to the &screening", self)
        back.setAccessibleName("Back to the screening")
        back.clicked.connect(self.back_requested.emit)
        row.addWidget(back)  # first: the way back, then what changes records
        pack = QPushButton("Save the MACE &pack…", self)
        pack.setAccessibleName("Save this child's MACE meeting pack as a PDF")
        pack.clicked.connect(self.save_mace_pack)
        row.addWidget(pack)
        for verb, text, name, slot in (  # what domain/capabilities.py lets this user do
            (
                Verb.SUBJECT_ACCESS,
                "S&ubject access export…",
                "Subject access export of this child's record",
                self.subject_access,
            ),
            (
                Verb.TRANSFER,
                "&Transfer to another setting…",
                "Transfer this child's screenings to another setting",
                self.transfer,
            ),
            (
                Verb.MERGE_CHILDREN,
                "&Merge a duplicate record…",
                "Merge a duplicate record of this child",
                self.merge_duplicate,
            ),
        ):
            if services.can(verb):
                button = QPushButton(text, self)
                button.setAccessibleName(name)
                button.clicked.connect(slot)
                row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.saved = QLabel(self)  # where the pack went, said on screen and to a screen reader
        self.saved.setVisible(False)
        layout.addWidget(self.saved)
        layout.addWidget(ChildView(record, [(b.code, b.label) for b in form.bands]), 1)

    def save_mace_pack(self) -> None:
        """The child's page of a MACE meeting pack (domain/mace.py): with whom, what for and
        on what basis first, then where; written off the GUI thread; audited, with the share,
        against each screening it shows."""
        references = [e.reference for e in self.record.events if e.kind == "screening"]
        if not references:
            return
        share = ask_share(self, "the MACE pack", "the multi-agency child exploitation meeting")
        if share is None:
            return
        name = f"MACE-pack-{references[-1]}.pdf"  # a reference: no child's name on the disk
        path = save_path(self, "Save the MACE pack", name, "PDF files (*.pdf)")
        if path is None:
            return
        mace = self.services.mace
        Op(self, lambda: mace.save(references[:1], path, share, force=True)).success(
            lambda _pack: confirm_saved(self.saved, path)
        ).run()

    def subject_access(self) -> None:
        """Everything held about the child, other people's names redacted unless the
        supervisor reveals them one by one (domain/sar.py)."""
        from screening_app.ui.sar_dialog import SubjectAccessDialog

        references = [e.reference for e in self.record.events if e.kind == "screening"]
        if not references:
            return
        with guarded(self) as attempt:
            items = self.services.subject_access.items(references[-1])
        if not attempt.failed:
            SubjectAccessDialog(self, self.services, references[-1], items).exec()

    def transfer(self) -> None:
        """The child's screenings, sealed for a supervisor at their new setting."""
        from screening_app.ui.transfer_dialog import send_transfer

        references = [e.reference for e in self.record.events if e.kind == "screening"]
        if references:
            send_transfer(self, self.services, references[-1], self.record.name, self.saved)

    def merge_duplicate(self) -> None:
        """Pick a same-name record to fold into this child's (supervisors; audited)."""
        with guarded(self) as attempt:
            candidates = self.services.children.possible_duplicates(self.record.child_id)
        if attempt.failed:
            return
        if not candidates:
            QMessageBox.information(
                self, "No duplicates", "No other record of a child with this name was found."
            )
            return
        labels = [
            f"{c.name}, born {c.dob.strftime('%d/%m/%Y') if c.dob else 'unknown'} "
            f"({c.screenings} screening(s))"
            for c in candidates
        ]
        choice, ok = QInputDialog.getItem(
            self, "Merge a duplicate record", "Which record is the same child?", labels, 0, False
        )
        if not ok:
            return
        duplicate = candidates[labels.index(choice)].child_id
        with guarded(self) as attempt:
            self.services.children.merge(self.record.child_id, duplicate)
        if not attempt.failed:
            self.changes.changed.emit()
            self.merged.emit(self.record.child_id)
