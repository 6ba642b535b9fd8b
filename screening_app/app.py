"""Composition root: the one place that builds the session, the services and the window.

The window, the CLI, the demo and the tests all get their services from :func:`sign_in` (or
:func:`sign_in_with_recovery`) here; nothing else constructs a ``Session`` or ``AppServices``.
Nothing here touches Qt: the windows are built by ``screening_app.ui.startup`` from the
:class:`~screening_app.ui.startup.Entry` this module passes in. ``--demo`` opens a database of
fictional data of its own (``demo/demo.db`` in the data folder, made the first time and again on
File → Fresh demo data); ``--smoke-test`` (used by packaging) builds one in a temporary folder,
opens the demo main window signed in, renders one referral to a file and quits with status 0.
Services are imported inside functions: the sign-in window comes first, and fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from screening_app.domain.capabilities import Verb, can
from screening_app.logs import setup_logging

if TYPE_CHECKING:
    from screening_app.domain.registry import FormRegistry
    from screening_app.services.app_services import AppServices
    from screening_app.services.model import KdfParams, User
    from screening_app.services.session import Clock
    from screening_app.storage.opened import Progress, Store
    from screening_app.ui.startup import Entry

log = logging.getLogger(__name__)
DEMO_USER = "demo"


# -- building a session ------------------------------------------------------------------------
def sign_in(
    path: Path,
    user_name: str,
    password: str,
    *,
    kdf: KdfParams | None = None,
    clock: Clock | None = None,
    registry: FormRegistry | None = None,
    progress: Progress | None = None,
) -> AppServices:
    """Unlock ``path`` as ``user_name`` and build that session's services (slow: argon2id, and
    a data-key rotation when one is due, reported through ``progress``)."""
    from screening_app.services.access import authenticate, default_kdf

    store, user = authenticate(path, user_name, password, kdf or default_kdf(), progress=progress)
    return _services(store, user, clock, registry)


def sign_in_with_recovery(
    path: Path,
    recovery_key: str,
    admin_name: str,
    new_password: str,
    *,
    kdf: KdfParams | None = None,
    clock: Clock | None = None,
) -> AppServices:
    """With the recovery key, give administrator ``admin_name`` a new password, then sign in."""
    from screening_app.services.access import default_kdf, reset_admin_with_recovery

    kdf = kdf or default_kdf()
    reset_admin_with_recovery(path, recovery_key, admin_name, new_password, kdf)
    return sign_in(path, admin_name, new_password, kdf=kdf, clock=clock)


def _services(
    store: Store,
    user: User,
    clock: Clock | None,
    registry: FormRegistry | None,
    *,
    audit_sign_in: bool = True,
) -> AppServices:
    from screening_app.domain.registry import FormRegistry
    from screening_app.paths import forms_dir
    from screening_app.services.access import record_sign_in
    from screening_app.services.app_services import AppServices
    from screening_app.services.session import Session, system_clock

    try:
        session = Session(store, user, registry or FormRegistry(forms_dir()), clock or system_clock)
        if audit_sign_in:
            record_sign_in(session)
    except BaseException:
        store.close()
        raise
    return AppServices(session)


def build_demo_database(
    path: Path,
    *,
    seed: int = 7,
    screenings: int = 600,
    kdf: KdfParams | None = None,
    today: dt.date | None = None,
) -> None:
    """Create ``path`` filled with fictional users and screenings (deterministic for ``seed``)."""
    from screening_app.demo.database import (
        DEMO_ADMIN,
        DEMO_PASSWORD,
        DEMO_USERS,
        add_screenings,
        add_users,
    )
    from screening_app.services.access import create_database, default_kdf, grant_with_recovery

    name, display = DEMO_ADMIN
    recovery = create_database(path, name, DEMO_PASSWORD, display_name=display, kdf=kdf)
    admin = sign_in(path, name, DEMO_PASSWORD, kdf=kdf)
    try:
        owners, supervisors = add_users(admin)
    finally:
        admin.close()
    readers = [user for user, _d, role, _t, _j in DEMO_USERS if can(role, Verb.READ_SCREENINGS)]
    grant_with_recovery(path, recovery, readers, kdf or default_kdf())
    lead = sign_in(path, "supervisor", DEMO_PASSWORD, kdf=kdf)
    try:
        add_screenings(
            lead,
            owners,
            supervisors,
            seed=seed,
            screenings=screenings,
            today=today or dt.date.today(),
        )
    finally:
        lead.close()


# -- the desktop app ---------------------------------------------------------------------------
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
                _entry(path, demo=bool(args.demo)),
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
    """The smoke test's throwaway database; the demo's, kept between runs (made the first
    time, and again on "Fresh demo data"); or the user's own."""
    from screening_app.services.locations import (
        database_exists,
        default_database_path,
        demo_database_path,
    )

    if args.smoke_test:
        path = scratch / "demo.db"
        build_demo_database(path)
        return path
    if args.demo:
        path = demo_database_path()
        if not database_exists(path):
            fresh_demo(path)
        return path
    return Path(args.db) if args.db else default_database_path()


def fresh_demo(path: Path) -> None:
    """Make the demo database anew: its files are removed first (fictional data only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(path.name + "*"):
        if old.is_file():
            old.unlink()
    build_demo_database(path)


def _entry(path: Path, *, demo: bool = False) -> Entry:
    """The ways into ``path`` before a session exists, for the start-up windows."""
    from screening_app.domain.passwords import account_password_hint
    from screening_app.services.locations import database_exists
    from screening_app.ui.startup import Entry

    def create(name: str, password: str) -> str:
        from screening_app.services.access import create_database

        return create_database(path, name, password)

    def unlock(name: str, password: str, progress: Progress) -> AppServices:
        return sign_in(path, name, password, progress=progress)

    def restore(backup: Path, name: str, password: str) -> Path | None:
        from screening_app.services.access import default_kdf, restore_backup

        return restore_backup(path, backup, name, password, default_kdf())

    return Entry(
        lambda: database_exists(path),
        create,
        unlock,
        restore,
        account_password_hint,
        (lambda: fresh_demo(path)) if demo else None,
    )


def _preload() -> None:
    """Import what comes after sign-in while the user types (imports are thread-safe)."""
    import screening_app.services.app_services
    import screening_app.ui.main_window  # noqa: F401


def _smoke_test(path: Path) -> int:
    """Open the main window signed in as the demo user, write one referral, quit."""
    setup_logging()
    from screening_app.demo.database import DEMO_PASSWORD
    from screening_app.domain import disclosure
    from screening_app.services.model import ListQuery
    from screening_app.ui.startup import main_window, sign_in_check_done

    services = sign_in(path, DEMO_USER, DEMO_PASSWORD)
    try:
        window = main_window(services, demo=True)
        if not sign_in_check_done(window, seconds=60):
            print("smoke test failed: the sign-in check did not finish", file=sys.stderr)
            return 1
        row = services.listing.list(ListQuery(status="approved", limit=1))[0]
        services.referrals.referral_pdf(row.id)  # the preview
        share = disclosure.make(
            "the smoke test", "checking the bundle", "consent_given"
        )  # a share of fictional demo data, recorded like any other
        with tempfile.TemporaryDirectory() as out:
            target = Path(out) / "smoke-referral.pdf"
            services.referrals.save_referral(row.id, target, share)
            size = target.stat().st_size
        window.close()
        print(f"smoke test passed: main window opened, referral of {size} bytes written")
        return 0
    finally:
        services.close()
