"""What every signed-in window has, whatever the role: a stack of pages, the idle lock, the lock
screen, quick-hide, the Help menu and menu actions with shortcuts.

:class:`~screening_app.ui.main_window.MainWindow` (practitioners and supervisors) and
:class:`~screening_app.ui.admin_window.AdminWindow` build on it, so both lock when idle.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from screening_app.services.app_services import AppServices
from screening_app.services.model import ROLE_LABELS
from screening_app.ui.dialogs import resize_within_screen
from screening_app.ui.lock import (
    HiddenScreen,
    IdleWatcher,
    LockScreen,
    SafetyKeys,
    close_dialogs,
)

TITLE = "CSE Screening"
Key = QKeySequence.StandardKey | str


class SafeWindow(QMainWindow):
    """A window that locks after ``idle_minutes`` without use and hides at once on F12."""

    def __init__(self, services: AppServices, *, demo: bool, idle_minutes: int) -> None:
        super().__init__()
        self.services = services
        self.demo = demo
        self.setWindowTitle(self.title())
        resize_within_screen(self, 1280, 820)
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        user = services.user
        self.lock_screen = LockScreen(user.display_name, services.accounts.verify_password)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.sign_out.connect(self.sign_out)
        self.signing_out = False  # closed to let someone else sign in (startup.run)
        self.fresh_demo = False  # closed to start the demo again with fresh data
        self.stack.addWidget(self.lock_screen)
        self.hidden = HiddenScreen()
        self.stack.addWidget(self.hidden)
        self._before_lock: QWidget | None = None
        self.idle = IdleWatcher(idle_minutes, self)
        self.idle.idle.connect(self.lock)
        self.safety_keys = SafetyKeys(self, self.toggle_hidden, self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.safety_keys)  # removed with the window, or on close
        role = ROLE_LABELS.get(user.role, user.role)
        self.statusBar().addPermanentWidget(QLabel(f"Signed in: {user.display_name} ({role})"))

    # -- for subclasses ------------------------------------------------------------------------
    def home(self) -> QWidget:
        """The page to show when there is nothing else to return to."""
        raise NotImplementedError

    def save_now(self) -> None:
        """Write anything typed but not yet saved (called before locking and closing)."""

    def title(self) -> str:
        return TITLE + (" – DEMO (fictional data)" if self.demo else "")

    def action(self, menu: QMenu, text: str, key: Key, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def add_safety_actions(self, menu: QMenu) -> None:
        """Settings, Lock now, Sign out and Quit: the end of every File menu."""
        menu.addSeparator()
        self.action(menu, "S&ettings…", QKeySequence.StandardKey.Preferences, self.settings)
        self.action(menu, "&Lock now", "Ctrl+L", self.lock)
        self.action(menu, "Sign &out / switch user", "Ctrl+Shift+O", self.sign_out)
        if self.demo:
            self.action(menu, "Fresh &demo data…", "", self.start_demo_again)
        # Ctrl+Q itself, as the shortcuts' help says: the platform's standard key for Quit is
        # none on Windows and under some Linux platform themes
        self.action(menu, "&Quit", "Ctrl+Q", self.close)

    def sign_out(self) -> None:
        """Close this session (everything is saved) and show the sign-in window again."""
        self.signing_out = True
        self.close()

    def start_demo_again(self) -> None:
        answer = QMessageBox.question(
            self,
            "Fresh demo data",
            "Throw away every change made in the demo and start again with fresh fictional "
            "data? (The demo keeps your changes, even after you quit, until you do this.)",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.fresh_demo = True
            self.sign_out()

    def add_view_and_help_menus(self, bar: QMenuBar) -> QMenu:
        """The View menu (quick hide) and Help; returns the View menu for more actions."""
        view = bar.addMenu("&View")
        hide = self.action(view, "&Quick hide", "F12", self.toggle_hidden)
        hide.setShortcuts([QKeySequence("F12"), QKeySequence("Ctrl+Shift+H")])
        hide.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        help_menu = bar.addMenu("&Help")
        self.action(
            help_menu,
            "&Keyboard shortcuts",
            QKeySequence.StandardKey.HelpContents,
            self.show_shortcuts,
        )
        self.action(help_menu, "&About CSE Screening", "", self.show_about)
        return view

    def shortcuts_text(self) -> str:
        return (
            "Ctrl+L lock now · Ctrl+Shift+O sign out / switch user · F12 or Ctrl+Shift+H quick "
            "hide: blanks the window at once; press it again to return · Ctrl+Q quit\nTab moves "
            "between fields."
        )

    # -- safety ------------------------------------------------------------------------------
    def lock(self) -> None:
        if self.stack.currentWidget() is self.lock_screen:
            return
        self.save_now()
        close_dialogs()
        current = self.stack.currentWidget()
        self._before_lock = None if current is self.hidden else current
        self.setWindowTitle(TITLE)
        self.menuBar().setEnabled(False)
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.reset()

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_screen

    def unlock(self) -> None:
        self.menuBar().setEnabled(True)
        self.setWindowTitle(self.title())
        self.stack.setCurrentWidget(self._before_lock or self.home())
        self.idle.timer.start()

    def toggle_hidden(self) -> None:
        if self.is_locked():
            return
        if self.stack.currentWidget() is self.hidden:
            self.stack.setCurrentWidget(self._before_lock or self.home())
            self.setWindowTitle(self.title())
            return
        close_dialogs()
        self._before_lock = self.stack.currentWidget()
        self.stack.setCurrentWidget(self.hidden)
        self.setWindowTitle(" ")

    def settings(self) -> None:
        """The idle-lock delay and the area's numbers beside "Call 999": the organisation's
        policy, set by an administrator (signed into the account log), shown to everyone else."""
        from screening_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.services, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.editable:
            return
        minutes = dialog.saved_minutes
        if minutes is not None:
            self.idle.set_minutes(minutes)
        self.statusBar().showMessage(
            "Settings saved."
            + (f" The app now locks after {minutes} minutes without use." if minutes else ""),
            5000,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_now()  # nothing is unsaved after this: every answer autosaves
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.safety_keys)
        event.accept()

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", self.shortcuts_text())

    def show_about(self) -> None:
        from screening_app.ui.about import AboutDialog

        registry = self.services.registry
        forms = [(fid, ver, registry.get(fid, ver).title) for fid, ver, _ in registry.available()]
        AboutDialog(forms, self).exec()
