"""Composition root: builds the application, the database access, the services and the window.

Nothing else wires objects together, and nothing here touches Qt: the windows are built by
``screening_app.ui.startup`` from what this module passes in. ``--demo`` builds a throwaway
database of fictional data in a temporary folder; ``--smoke-test`` (used by packaging) opens the
demo main window signed in, renders one referral to a temporary file and quits with status 0.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening_app.logs import setup_logging

if TYPE_CHECKING:
    from screening_app.ui.startup import Vault

log = logging.getLogger(__name__)
DEMO_USER = "demo"


def main(args: argparse.Namespace) -> int:
    # Logging is set up just after the first window is painted (or at once by a failure): its
    # imports and file handling would otherwise delay that window.
    from screening_app.ui import startup

    app = startup.application(setup_logging, report_bugs=not args.smoke_test)
    with tempfile.TemporaryDirectory(prefix="cse-demo-") as scratch:
        try:
            path = _database_path(args, Path(scratch))
            if args.smoke_test:
                return _smoke_test(path)
            return startup.run(
                app,
                _vault(path),
                demo=bool(args.demo),
                user_name=DEMO_USER if args.demo else "",
                after_first_paint=setup_logging,
                preload=_preload,
            )
        except Exception as exc:  # reported plainly, logged for IT
            from screening_app.errors import ScreeningError

            if isinstance(exc, ScreeningError):
                startup.show_problem(exc.lines())
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


def _vault(path: Path) -> Vault:
    """Create, unlock and restore ``path``; the services are imported only when used (the
    sign-in window comes first)."""
    from screening_app.services.locations import database_exists
    from screening_app.ui.startup import Vault

    def create(name: str, password: str) -> str:
        from screening_app.services.vault import create_database

        return create_database(path, name, password)

    def unlock(name: str, password: str) -> Any:
        from screening_app.services.vault import sign_in

        return sign_in(path, name, password)

    def restore(backup: Path, name: str, password: str) -> Any:
        from screening_app.services.vault import restore_backup

        return restore_backup(path, backup, name, password)

    def password_hint(password: str) -> str:
        from screening_app.services.screenings import ScreeningService

        return ScreeningService.password_hint(password)

    return Vault(lambda: database_exists(path), create, unlock, restore, password_hint)


def _preload() -> None:
    """Import what comes after sign-in while the user types (imports are thread-safe)."""
    import screening_app.services.vault
    import screening_app.ui.main_window  # noqa: F401


def _smoke_test(path: Path) -> int:
    """Open the main window signed in as the demo user, write one referral, quit."""
    setup_logging()
    from screening_app.services.demo import DEMO_PASSWORD
    from screening_app.services.model import ListQuery
    from screening_app.services.vault import sign_in
    from screening_app.ui.startup import main_window

    services = sign_in(path, DEMO_USER, DEMO_PASSWORD)
    try:
        window = main_window(services, demo=True)
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
