"""The window side of start-up: the Qt application, first run, sign-in and the main window.

The composition root (``screening_app.app``) decides which database to open and passes in, as an
:class:`Entry` of plain callables, what creates, unlocks and restores it; nothing here knows how
the services are built, and nothing outside ``ui`` touches Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from screening_app.domain.capabilities import Verb
from screening_app.paths import resources_dir
from screening_app.ui.error_handler import ErrorHandler, dialog_shower
from screening_app.ui.style import apply_style

if TYPE_CHECKING:  # the services are imported after the first window, not before
    from screening_app.services.app_services import AppServices
    from screening_app.ui.shell import SafeWindow

FIRST_PAINT_MS = 300  # what can wait until the first window is on screen waits this long


class Entry(NamedTuple):
    """The ways into one database file before anyone is signed in. (A NamedTuple: dataclasses
    is not imported before the first window.)"""

    exists: Callable[[], bool]
    create: Callable[[str, str], str]  # (administrator, password) -> recovery key
    # (user, password, progress) -> signed-in services; progress(message, fraction) is called
    # from the worker thread during long steps (a data-key rotation)
    unlock: Callable[[str, str, Callable[[str, float], None]], AppServices]
    restore: Callable[[Path, str, str], object]  # (backup, user, password)
    password_hint: Callable[[str], str]
    fresh: Callable[[], None] | None = None  # the demo only: its fictional data made anew


def application(open_log: Callable[[], Path], *, report_bugs: bool) -> QApplication:
    """The Qt application with the app's name, icon and look; with ``report_bugs``, uncaught
    errors go to the one handler (logged, "nothing was lost", the log's path)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("CSE Screening")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "cse-screening-256.png")))
    apply_style(app)
    from screening_app.ui.keys import ReturnPressesButtons

    app.installEventFilter(ReturnPressesButtons(app))
    if report_bugs:
        ErrorHandler(open_log, dialog_shower(app.activeWindow)).install()
    return app


def show_problem(lines: list[str]) -> None:
    """A person's or the environment's error before any window is up."""
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(None, "CSE Screening", "\n".join(lines))


def run(
    app: QApplication,
    entry: Entry,
    *,
    demo: bool,
    user_name: str,
    after_first_paint: Callable[[], object],
    preload: Callable[[], None],
) -> int:
    """First run if the database does not exist yet, then sign-in, then the main window until
    it closes; the exit status."""
    from PySide6.QtCore import QTimer

    from screening_app.ui.background import wait_for_work, warm_up
    from screening_app.ui.sign_in import SignInDialog

    def first_paint_done() -> None:  # so that none of this competes with that window
        after_first_paint()
        warm_up(preload)

    QTimer.singleShot(FIRST_PAINT_MS, first_paint_done)
    if not entry.exists():
        from screening_app.ui.first_run import FirstRunDialog

        first = FirstRunDialog(entry.create, entry.password_hint)
        if not first.exec():
            return 0
        user_name = first.admin_name
    while True:  # until the window is closed other than by "Sign out"
        dialog = SignInDialog(entry.unlock, entry.restore, user_name=user_name, demo=demo)
        if not dialog.exec() or dialog.services is None:
            return 0
        services = dialog.services
        try:
            window = main_window(services, demo=demo)
            app.installEventFilter(window.idle)
            window.activateWindow()  # keyboard focus moves from the closed sign-in window
            status = int(app.exec())
            app.removeEventFilter(window.idle)
        finally:
            # background work (a sync, the sign-in check) finishes first, a few seconds at most:
            # what is still running then stops at its next read of the closed database
            wait_for_work(5_000)
            services.close()
        if not window.signing_out:
            return status
        if window.fresh_demo and entry.fresh is not None:
            from PySide6.QtCore import Qt

            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                entry.fresh()
            finally:
                QApplication.restoreOverrideCursor()
        user_name = ""  # someone else is signing in
        window.deleteLater()


def main_window(services: AppServices, *, demo: bool) -> SafeWindow:
    """The signed-in window for the user's role, shown, with the organisation's idle-lock delay:
    the administration window for administrators, the screenings window otherwise."""
    from screening_app.services.administration import IDLE_LOCK_MINUTES

    minutes = services.settings.get_int(IDLE_LOCK_MINUTES, 5)
    window: SafeWindow
    if not services.can(Verb.READ_SCREENINGS):
        from screening_app.ui.admin_window import AdminWindow

        window = AdminWindow(services, demo=demo, idle_minutes=minutes)
    else:
        from screening_app.ui.main_window import MainWindow

        window = MainWindow(services, demo=demo, idle_minutes=minutes)
    window.show()
    warn_of_changes(window, services)
    return window


MOST_LISTED = 12


def sign_in_check_done(window: SafeWindow, *, seconds: float) -> bool:
    """Wait (handling events) until the window's sign-in check has reported, at most
    ``seconds`` (the smoke test)."""
    import time

    deadline = time.monotonic() + seconds
    while not window.property("signInChecked") and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    return bool(window.property("signInChecked"))


def warn_of_changes(window: SafeWindow, services: AppServices) -> None:
    """The sign-in checks: the key file's record of the trail and the screenings (already done
    when the database opened), then every shown field against what was signed — off the GUI
    thread, as it reads every screening — and one warning naming what was found."""
    from screening_app.ui.operations import Op

    warnings = list(services.session.store.warnings)

    def show(found: list[str]) -> None:
        from PySide6.QtWidgets import QMessageBox

        window.setProperty("signInChecked", True)
        every = warnings + found
        if not every:
            return
        listed = "\n".join(f"• {w}" for w in every[:MOST_LISTED])
        more = f"\n… and {len(every) - MOST_LISTED} more" if len(every) > MOST_LISTED else ""
        text = (
            "The checks at sign-in found that the records were changed outside the app:\n\n"
            f"{listed}{more}\n\nYou can carry on working. Tell your safeguarding lead and IT "
            "today; `screening-app db check` lists everything found."
        )
        box = QMessageBox(QMessageBox.Icon.Warning, "Records changed", text, parent=window)
        box.setAccessibleName("Records changed")
        box.open()

    if services.session.store.has_data:
        Op(window, services.backups.signed_findings).success(show).run()
    else:
        show([])
