"""What the window does with colleagues and the team server: grant a colleague access,
connect to the server, sync now (docs/SECURITY.md, docs/SERVER.md)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QInputDialog, QMainWindow, QMessageBox

from screening_app.services.app_services import AppServices
from screening_app.services.model import ROLE_LABELS
from screening_app.ui.announce import announce
from screening_app.ui.computers_dialog import TeamComputersDialog, show_this_computers_code
from screening_app.ui.connect_dialog import ConnectDialog, show_team_recovery_key
from screening_app.ui.operations import Changes, Op, guarded
from screening_app.ui.sync_status import SyncControl


class TeamActions(QObject):
    def __init__(self, window: QMainWindow, services: AppServices, changes: Changes) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.changes = changes
        self.sync: SyncControl | None = None
        if services.sync.connected():
            self._start_sync()

    def grant_access(self) -> None:
        """Give a colleague of your team, added by the administrator, access to the records."""
        accounts = self.services.accounts
        with guarded(self.window) as attempt:
            waiting = [u for u in accounts.list_users() if accounts.needs_grant(u)]
        if attempt.failed:
            return
        if not waiting:
            QMessageBox.information(
                self.window, "Grant access", "Nobody in your team is waiting for access to records."
            )
            return
        labels = [f"{u.display_name} ({u.name}, {ROLE_LABELS[u.role]})" for u in waiting]
        chosen, ok = QInputDialog.getItem(
            self.window,
            "Grant access",
            "Give this colleague access to your team's records (signed with your key):",
            labels,
            0,
            False,
        )
        if not ok:
            return
        user = waiting[labels.index(chosen)]
        with guarded(self.window) as attempt:
            accounts.grant(user.id)
        if not attempt.failed:
            self.window.statusBar().showMessage(f"{user.display_name} can now read records.", 8000)

    def team_computers(self) -> None:
        """Review → Team computers…: approve a computer of the team by its code."""
        if not self.services.sync.connected():
            self.sync_now()  # says how to connect
            return
        TeamComputersDialog(self.window, self.services).exec()

    def this_computers_code(self) -> None:
        """File → This computer's code…: for a supervisor in post to approve it by."""
        if not self.services.sync.connected():
            self.sync_now()
            return
        show_this_computers_code(self.window, self.services)

    def _start_sync(self) -> None:
        self.sync = SyncControl(self.window, self.services, self.changes)
        self.window.statusBar().addPermanentWidget(self.sync.label)
        self.changes.changed.connect(self.sync.show_state)

    def sync_now(self) -> None:
        """File → Sync now: a round asked for, whose end is announced (sync_status.py)."""
        if self.sync is None:
            words = "Not connected to a team server: File → Connect to a team server…"
            self.window.statusBar().showMessage(words, 8000)
            announce(self.window.statusBar(), words)
            return
        self.sync.sync_now(asked=True)

    def connect_server(self) -> None:
        dialog = ConnectDialog(self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        url, fingerprint = dialog.url.text().strip(), dialog.fingerprint.text().strip()
        password = dialog.password.text()

        def connected(team_key: str | None) -> None:
            if team_key:
                show_team_recovery_key(self.window, team_key)
            if self.sync is None:
                self._start_sync()
            self.window.statusBar().showMessage(f"Connected to {url}.", 8000)

        connect = self.services.sync.connect
        Op(self.window, lambda: connect(url, fingerprint, password)).success(connected).run()
