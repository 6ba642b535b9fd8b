"""The administrator's window: accounts, backups and the account log — never children's records.

The administrator holds no data key (docs/SECURITY.md): an account added here reads nothing
until a supervisor grants it access, or someone types the recovery key into "Grant access with
the recovery key…".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from screening_app.errors import ScreeningError
from screening_app.services.app_services import AppServices
from screening_app.services.model import ROLE_LABELS, BackupInfo, User
from screening_app.ui.dialogs import ErrorLine, fill_form
from screening_app.ui.operations import Op

T = TypeVar("T")


class AddUserDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add an account")
        self.name = QLineEdit(self)
        self.display = QLineEdit(self)
        self.role = QComboBox(self)
        for code, label in ROLE_LABELS.items():
            self.role.addItem(label, code)
        self.team = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        form = fill_form(
            self,
            [
                ("&User name", self.name),
                ("&Full name", self.display),
                ("&Role", self.role),
                ("&Team", self.team),
                ("First &password", self.password),
                ("First password &again", self.repeat),
            ],
        )
        self.error = ErrorLine(self)
        form.insertRow(form.rowCount() - 1, self.error)

    def accept(self) -> None:
        """Only when the first password was typed the same twice (it is not shown)."""
        if self.password.text() != self.repeat.text():
            self.error.show_message("The two passwords are different. Type the same one twice.")
            self.repeat.setFocus()
            return
        super().accept()


class AdminView(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "<h2>Administration</h2>Accounts, backups and the account log. Administrators "
                "hold no key to children's records: a new account can read nothing until a "
                "supervisor of its team grants access.",
                self,
            )
        )
        tabs = QTabWidget(self)
        tabs.setAccessibleName("Administration sections")
        tabs.addTab(self._accounts_tab(), "A&ccounts")
        tabs.addTab(self._audit_tab(), "Audit &trail")
        layout.addWidget(tabs, 1)
        self.refresh()

    def _table(self, headers: list[str], name: str) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(headers)
        table.setAccessibleName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setCornerButtonEnabled(False)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setAccessibleName("Column headings")
        return table

    def _accounts_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.users = self._table(["User name", "Full name", "Role", "Team", "Status"], "Accounts")
        layout.addWidget(self.users, 1)
        row = QHBoxLayout()
        for text, slot in (
            ("&Add account…", self.add_user),
            ("&Disable / enable", self.toggle_user),
            ("&Reset password…", self.reset_password),
            ("&Grant access with the recovery key…", self.grant_with_recovery),
            ("&Back up now", self.backup_now),
        ):
            button = QPushButton(text, page)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _audit_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.chain = QLabel(page)
        self.chain.setWordWrap(True)
        layout.addWidget(self.chain)
        self.audit = self._table(["When", "Who", "Action", "Record", "Detail"], "Audit trail")
        layout.addWidget(self.audit, 1)
        return page

    def refresh(self) -> None:
        users = self.services.accounts.list_users()
        self.user_ids = [u.id for u in users]
        self.users.setRowCount(len(users))
        for r, user in enumerate(users):
            for c, text in enumerate(
                (
                    user.name,
                    user.display_name,
                    ROLE_LABELS.get(user.role, user.role),
                    user.team,
                    self._status(user),
                )
            ):
                self.users.setItem(r, c, QTableWidgetItem(text))
        entries = self.services.audit.entries(limit=500)
        self.audit.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            for c, text in enumerate(
                (
                    entry.at.strftime("%d/%m/%Y %H:%M"),
                    entry.user_name,
                    entry.action,
                    entry.record or "",
                    entry.detail,
                )
            ):
                self.audit.setItem(r, c, QTableWidgetItem(text))
        self.chain.setText(
            "Account log check: every entry is signed by its author and intact. (The trail of "
            "actions on records is checked by supervisors with `screening-app db check`.)"
        )

    def _status(self, user: User) -> str:
        if not user.active:
            return "Disabled"
        if self.services.accounts.needs_grant(user):
            return "Active – waiting for access"
        return "Active"

    def _selected(self) -> int | None:
        rows = self.users.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(
                self, "Choose an account", "Choose an account in the list first."
            )
            return None
        return rows[0].row()

    def add_user(self) -> None:
        dialog = AddUserDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        accounts, name, secret = self.services.accounts, dialog.name.text(), dialog.password.text()
        role, display, team = dialog.role.currentData(), dialog.display.text(), dialog.team.text()
        self._in_background(  # new keys: the key derivation takes a second
            lambda: accounts.add_user(
                name, secret, role=role, display_name=display, team=team.strip()
            ),
            "Account not added",
        )

    def toggle_user(self) -> None:
        index = self._selected()
        if index is None:
            return
        status = self.users.item(index, 4)
        active = status is not None and status.text() != "Disabled"
        try:
            self.services.accounts.set_active(self.user_ids[index], not active)
        except ScreeningError as exc:
            QMessageBox.warning(self, "Not changed", exc.for_people())
            return
        if not active:
            QMessageBox.information(
                self,
                "Account enabled",
                "The account is enabled. To read records again it needs access granted by a "
                "supervisor of its team.",
            )
        self.refresh()

    def reset_password(self) -> None:
        index = self._selected()
        if index is None:
            return
        password, ok = QInputDialog.getText(
            self,
            "Reset the password",
            "New password for this account (at least 10 characters). The account gets new keys, "
            "so a supervisor must grant it access to records again:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        accounts, user_id = self.services.accounts, self.user_ids[index]
        self._in_background(lambda: accounts.reset_password(user_id, password), "Not changed")

    def grant_with_recovery(self) -> None:
        """For the first supervisor of a new database: whoever keeps the recovery key types it."""
        index = self._selected()
        if index is None:
            return
        name = self.users.item(index, 0)
        key, ok = QInputDialog.getText(
            self,
            "Grant access with the recovery key",
            f"Recovery key (printed when the database was created), to give "
            f"{name.text() if name else 'this account'} access to the records:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        accounts, user_id = self.services.accounts, self.user_ids[index]
        self._in_background(
            lambda: accounts.grant_with_recovery(user_id, key), "Access not granted"
        )

    def backup_now(self) -> None:
        def made(backup: BackupInfo) -> None:
            QMessageBox.information(self, "Backup made", f"Encrypted backup written: {backup.path}")

        self._in_background(self.services.backups.backup_now, "Backup failed", made)

    def _in_background(
        self,
        work: Callable[[], T],
        refused_title: str,
        then: Callable[[T], object] = lambda _result: None,
    ) -> None:
        """Key derivation and copying a database take seconds: off the GUI thread (Op); a
        refusal in a box titled ``refused_title``; the lists read again either way."""
        Op(self, work).success(then).refused(
            lambda exc: QMessageBox.warning(self, refused_title, exc.for_people())
        ).after(self.refresh).run()
