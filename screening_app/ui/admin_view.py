"""The administrator's window: accounts, backups and the audit trail — never children's records."""

from __future__ import annotations

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
from screening_app.services.model import ROLE_LABELS
from screening_app.ui.dialogs import fill_form


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
        fill_form(
            self,
            [
                ("&User name", self.name),
                ("&Full name", self.display),
                ("&Role", self.role),
                ("&Team", self.team),
                ("First &password", self.password),
            ],
        )


class AdminView(QWidget):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "<h2>Administration</h2>Accounts, backups and the audit trail. Administrators "
                "cannot open children's records.",
                self,
            )
        )
        tabs = QTabWidget(self)
        tabs.setAccessibleName("Administration sections")
        tabs.addTab(self._accounts_tab(), "&Accounts")
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
                    "Active" if user.active else "Disabled",
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
        broken = self.services.audit.verify()
        self.chain.setText(
            "Audit trail check: every row is intact."
            if broken is None
            else f"Audit trail check FAILED: {broken}. Keep this computer as it is and tell IT."
        )

    def add_user(self) -> None:
        dialog = AddUserDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.services.accounts.add_user(
                dialog.name.text(),
                dialog.password.text(),
                role=dialog.role.currentData(),
                display_name=dialog.display.text(),
                team=dialog.team.text().strip(),
            )
        except ScreeningError as exc:
            QMessageBox.warning(self, "Account not added", "\n".join(exc.lines()))
            return
        self.refresh()

    def toggle_user(self) -> None:
        rows = self.users.selectionModel().selectedRows()
        if not rows:
            return
        index = rows[0].row()
        status = self.users.item(index, 4)
        active = status is not None and status.text() == "Active"
        password = ""
        if not active:  # a disabled account's key slot is gone: enabling sets a new password
            password, ok = QInputDialog.getText(
                self,
                "Enable the account",
                "New password for this account:",
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                return
        try:
            self.services.accounts.set_active(self.user_ids[index], not active)
            if password:
                self.services.accounts.reset_password(self.user_ids[index], password)
        except ScreeningError as exc:
            QMessageBox.warning(self, "Not changed", "\n".join(exc.lines()))
            return
        self.refresh()

    def backup_now(self) -> None:
        try:
            made = self.services.backups.backup_now()
        except ScreeningError as exc:
            QMessageBox.warning(self, "Backup failed", "\n".join(exc.lines()))
            return
        QMessageBox.information(self, "Backup made", f"Encrypted backup written: {made.path}")
        self.refresh()
