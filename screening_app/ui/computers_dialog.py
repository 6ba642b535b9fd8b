"""Review → Team computers…: the team's computers, and approving one by its code
(docs/SECURITY.md, "Approving a computer"); File → This computer's code… for everyone.

A computer receives the team key (a supervisor's) and the link secret only once a supervisor
whose computer holds the key approves it. The person at the new computer reads its code aloud
or shows their screen; the supervisor checks it is that person's, types it here and approves.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from screening_app.errors import ScreeningError
from screening_app.services.app_services import AppServices
from screening_app.services.approvals import Computer
from screening_app.ui.announce import announce
from screening_app.ui.dialogs import ErrorLine, resize_within_screen
from screening_app.ui.operations import Op
from screening_app.ui.tables import fill_rows, read_only_table

COLUMNS = ("Person", "Role", "Computer", "Registered", "Account added by", "Code", "State")


def state_words(computer: Computer) -> str:
    if computer.this_computer:
        return "This computer"
    if computer.approved_by:
        return f"Approved by {computer.approved_by}"
    return "Waiting for approval"


class TeamComputersDialog(QDialog):
    def __init__(self, parent: QWidget, services: AppServices) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Team computers")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A computer gets your team's key and link secret only when a supervisor whose "
            "computer holds the key approves it. Ask the person at that computer to read you "
            "the code on their screen (File → This computer's code…), check that the computer "
            "is theirs, then type the code below. Every account is made by the server "
            "administrator: approve only people you know to be in your team.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = read_only_table(self, COLUMNS, "Your team's computers")
        layout.addWidget(self.table)
        self.status = QLabel("Asking the team server…", self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        label = QLabel("&Code read from their screen:", self)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("ABCD-EFGH-JKLM")
        self.code.setAccessibleName("Code read from their screen")
        label.setBuddy(self.code)
        self.approve_button = QPushButton("&Approve", self)
        self.approve_button.setAccessibleName("Approve the computer with this code")
        self.approve_button.clicked.connect(self.approve)
        self.code.returnPressed.connect(self.approve)
        for widget in (label, self.code, self.approve_button):
            row.addWidget(widget)
        layout.addLayout(row)
        self.error = ErrorLine(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        resize_within_screen(self, 900, 480)
        self.setMinimumSize(self.size())  # an error shown below keeps the table as wide
        self.reload()

    def reload(self) -> None:
        Op(self, self.services.sync.computers).success(self.show_computers).refused(
            self._failed
        ).run()

    def show_computers(self, computers: list[Computer]) -> None:
        fill_rows(
            self.table,
            [
                (
                    c.account,
                    c.role,
                    c.name,
                    c.registered_on,
                    f"{c.added_by or '(not recorded)'}, {c.account_added_on}",
                    c.code,
                    state_words(c),
                )
                for c in computers
            ],
        )
        waiting = sum(1 for c in computers if not c.this_computer and not c.approved_by)
        self.status.setText(
            f"{len(computers)} computer(s); {waiting} waiting for approval."
            if computers
            else "No computer of your team has connected yet."
        )
        announce(self.status, self.status.text())

    def approve(self) -> None:
        code = self.code.text()
        if not code.strip():
            self.error.show_message("Type the code shown on the computer you are approving.")
            self.code.setFocus()
            return
        self.approve_button.setEnabled(False)
        sync = self.services.sync
        Op(self, lambda: sync.approve(code)).after(
            lambda: self.approve_button.setEnabled(True)
        ).success(self._approved).refused(self._failed).run()

    def _approved(self, result: tuple[Computer, str]) -> None:
        computer, shared = result
        self.error.setVisible(False)
        self.code.clear()
        said = f"Approved {computer.account}'s computer {computer.name}. {shared}".strip()
        self.status.setText(said)
        announce(self.status, said)
        self.reload()

    def _failed(self, exc: ScreeningError) -> None:
        self.error.show_message(exc.message)
        self.code.setFocus()


def show_this_computers_code(parent: QWidget, services: AppServices) -> None:
    """File → This computer's code…: what to read to the supervisor approving it."""
    code = services.sync.computer_code()
    box = QMessageBox(parent)
    box.setWindowTitle("This computer's code")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(
        f"This computer's code is\n\n{code}\n\nRead it to a supervisor of your team whose "
        "computer already holds the team key, or show them this screen. They approve this "
        "computer with it (Review → Team computers…); until then it receives no team key."
    )
    box.exec()
