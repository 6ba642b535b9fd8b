"""Composition root: builds the application, the database access, the services and the window.

Nothing else wires objects together. ``--demo`` builds a throwaway database of fictional data in a
temporary folder; ``--smoke-test`` (used by packaging) opens the demo main window signed in,
renders one referral to a temporary file and quits with status 0.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path
from typing import Any

from screening_app.logs import setup_logging

log = logging.getLogger(__name__)
DEMO_USER = "demo"


def main(args: argparse.Namespace) -> int:
    # Logging is set up just after the first window is painted (or at once by a failure): its
    # imports and file handling would otherwise delay that window.
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from screening_app.paths import resources_dir
    from screening_app.ui.error_handler import ErrorHandler, dialog_shower
    from screening_app.ui.style import apply_style

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("CSE Screening")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "cse-screening-256.png")))
    apply_style(app)
    handler = ErrorHandler(setup_logging, dialog_shower(app.activeWindow))
    if not args.smoke_test:
        handler.install()
    with tempfile.TemporaryDirectory(prefix="cse-demo-") as scratch:
        try:
            path = _database_path(args, Path(scratch))
            if args.smoke_test:
                return _smoke_test(path)
            return _run(app, path, demo=bool(args.demo))
        except Exception as exc:  # reported plainly, logged for IT
            from screening_app.errors import ScreeningError

            if isinstance(exc, ScreeningError):
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.warning(None, "CSE Screening", "\n".join(exc.lines()))
                return 2
            log_file = setup_logging()
            log.exception("start-up failed")
            print(f"screening-app: unexpected error; details in {log_file}", file=sys.stderr)
            return 1


def _database_path(args: argparse.Namespace, scratch: Path) -> Path:
    from screening_app.services.locations import default_database_path

    if args.demo or args.smoke_test:
        from screening_app.services.demo import build_demo_database

        path = scratch / "demo.db"
        build_demo_database(path)
        return path
    return Path(args.db) if args.db else default_database_path()


def _preload() -> None:
    """Import what comes after sign-in while the user types (imports are thread-safe)."""
    import screening_app.services.vault
    import screening_app.ui.main_window  # noqa: F401


def _run(app: Any, path: Path, *, demo: bool) -> int:
    from PySide6.QtCore import QThreadPool, QTimer

    from screening_app.services.locations import database_exists
    from screening_app.ui.sign_in import SignInDialog

    def after_first_paint() -> None:  # so that none of this competes with that window
        setup_logging()
        QThreadPool.globalInstance().start(_preload)

    QTimer.singleShot(300, after_first_paint)
    user_name = DEMO_USER if demo else ""
    if not database_exists(path):
        from screening_app.services.screenings import ScreeningService
        from screening_app.services.vault import create_database
        from screening_app.ui.first_run import FirstRunDialog

        first = FirstRunDialog(
            lambda name, password: create_database(path, name, password),
            ScreeningService.password_hint,
        )
        if not first.exec():
            return 0
        user_name = first.admin_name

    def unlock(name: str, password: str) -> Any:
        from screening_app.services.vault import sign_in

        return sign_in(path, name, password)

    def restore(backup: Path, name: str, password: str) -> Any:
        from screening_app.services.vault import restore_backup

        return restore_backup(path, backup, name, password)

    dialog = SignInDialog(
        unlock,
        restore,
        user_name=user_name,
        demo=demo,
    )
    if not dialog.exec() or dialog.services is None:
        return 0
    services = dialog.services
    from screening_app.ui.main_window import MainWindow

    try:
        minutes = services.settings.get_int("idle_lock_minutes", 5)
        window = MainWindow(services, demo=demo, idle_minutes=minutes)
        app.installEventFilter(window.idle)
        window.show()
        window.activateWindow()  # keyboard focus moves from the closed sign-in window
        return int(app.exec())
    finally:
        services.close()


def _smoke_test(path: Path) -> int:
    """Open the main window signed in as the demo user, write one referral, quit."""
    setup_logging()
    from screening_app.services.demo import DEMO_PASSWORD
    from screening_app.services.model import ListQuery
    from screening_app.services.vault import sign_in
    from screening_app.ui.main_window import MainWindow

    services = sign_in(path, DEMO_USER, DEMO_PASSWORD)
    try:
        window = MainWindow(services, demo=True)
        window.show()
        row = services.screenings.list(ListQuery(status="approved", limit=1))[0]
        pdf = services.screenings.referral_pdf(row.id)
        with tempfile.TemporaryDirectory() as out:
            target = Path(out) / "smoke-referral.pdf"
            services.screenings.save_referral(row.id, pdf, target)
            size = target.stat().st_size
        window.close()
        print(f"smoke test passed: main window opened, referral of {size} bytes written")
        return 0
    finally:
        services.close()
