"""Subject access export… on a child's record (supervisors): the names the export will redact,
each with a box to reveal it (the reviewer's choice per item), then Save PDF… (domain/sar.py).
The names are shown here to the supervisor, who may see them; the PDF shows only the marks of
those left unticked."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from screening_app.domain.sar import Item
from screening_app.services.app_services import AppServices
from screening_app.ui.dialogs import confirm_saved, resize_within_screen, save_path
from screening_app.ui.operations import Op


class SubjectAccessDialog(QDialog):
    def __init__(
        self, parent: QWidget, services: AppServices, reference: str, items: list[Item]
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.reference = reference
        self.setWindowTitle("Subject access export")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Everything held about this child goes into the export. Other people's names are "
            "replaced by marks such as [R1]. Tick a name only if it may be disclosed to the "
            "person asking (for example a name they already know). Read the export before you "
            "send it: a name typed only in free text, and recorded nowhere else, is not found.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        body = QWidget(self)
        inner = QVBoxLayout(body)
        self.boxes: dict[str, QCheckBox] = {}
        for item in items:
            box = QCheckBox(f"{item.id}: {item.name} ({item.kind}) — reveal", body)
            box.setAccessibleName(f"Reveal {item.id}, {item.name}, {item.kind}")
            inner.addWidget(box)
            self.boxes[item.id] = box
        if not items:
            inner.addWidget(QLabel("No other person's name was found: nothing to redact.", body))
        inner.addStretch(1)
        scroller = QScrollArea(self)
        scroller.setWidgetResizable(True)
        scroller.setWidget(body)
        layout.addWidget(scroller, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        save = QPushButton("Save &PDF…", self)
        save.setAccessibleName("Save the subject access export as a PDF")
        save.clicked.connect(self.save)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        resize_within_screen(self, 640, 480)

    def revealed(self) -> list[str]:
        return [item_id for item_id, box in self.boxes.items() if box.isChecked()]

    def save(self) -> None:
        name = f"subject-access-{self.reference}.pdf"  # a reference: no name on the disk
        path = save_path(self, "Save the subject access export", name, "PDF files (*.pdf)")
        if path is None:
            return
        export, reference, reveal = (
            self.services.subject_access.export,
            self.reference,
            self.revealed(),
        )
        Op(self, lambda: export(reference, path, reveal=reveal, force=True)).success(
            lambda _built: confirm_saved(self.status, path)
        ).run()
