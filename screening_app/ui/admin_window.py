"""The administrator's window: accounts, backups and the audit trail — and no children's records.

An administrator has no list of screenings, no form and no review: only the administration page,
with the same idle lock, quick-hide and Help as everyone else's window.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from screening_app.services.app_services import AppServices
from screening_app.ui.admin_view import AdminView
from screening_app.ui.shell import SafeWindow


class AdminWindow(SafeWindow):
    def __init__(self, services: AppServices, *, demo: bool = False, idle_minutes: int = 5):
        super().__init__(services, demo=demo, idle_minutes=idle_minutes)
        self.admin_page = AdminView(services)
        self.stack.addWidget(self.admin_page)
        self.stack.setCurrentWidget(self.admin_page)
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.action(file_menu, "&Refresh", "F5", self.admin_page.refresh)
        self.add_safety_actions(file_menu)
        self.add_view_and_help_menus(bar)

    def home(self) -> QWidget:
        return self.admin_page
