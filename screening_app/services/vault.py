"""Creating a database, signing in (password or recovery key), backups before sign-in.

These are the entry points before a session exists. The slow part (argon2id key derivation) is
inside ``create_database`` and ``sign_in*``; the UI runs them off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from screening_app.domain.registry import FormRegistry
from screening_app.errors import AnswersError, AuthenticationError, Problem
from screening_app.paths import forms_dir
from screening_app.services.accounts import password_problems, to_user
from screening_app.services.app_services import AppServices
from screening_app.services.model import BackupInfo, KdfParams
from screening_app.services.session import Clock, Session, system_clock
from screening_app.storage import accounts_repo, audit, backup, store
from screening_app.storage.keyfile import RECOVERY_SLOT, new_recovery_key
from screening_app.storage.lock import DatabaseLock

log = logging.getLogger(__name__)


def create_database(
    path: Path,
    admin_name: str,
    admin_password: str,
    *,
    display_name: str = "",
    kdf: KdfParams | None = None,
) -> str:
    """Create the database and its first administrator; returns the one-time recovery key."""
    problems = password_problems(admin_password)
    if not admin_name.strip():
        problems.append(Problem("Give the administrator a user name.", "name"))
    if problems:
        raise AnswersError("The database was not created.", problems)
    path.parent.mkdir(parents=True, exist_ok=True)
    recovery = new_recovery_key()
    opened = store.create(
        path,
        admin_name.strip(),
        admin_password,
        recovery,
        kdf or KdfParams(),
        display_name=display_name,
    )
    opened.close()
    log.info("created a new screening database")
    return recovery


def sign_in(
    path: Path,
    user_name: str,
    password: str,
    *,
    kdf: KdfParams | None = None,
    clock: Clock | None = None,
    registry: FormRegistry | None = None,
) -> AppServices:
    """Unlock the database as ``user_name``; see storage.store.unlock for the errors."""
    opened = store.unlock(path, (user_name.strip(), password), kdf or KdfParams())
    try:
        row = accounts_repo.user_by_name(opened.db, user_name.strip())
        if row is None or not row[7]:
            raise opened.keys.record_failure()
        session = Session(
            opened, to_user(row), registry or FormRegistry(forms_dir()), clock or system_clock
        )
        _record_sign_in(session)
    except BaseException:
        opened.close()
        raise
    return AppServices(session)


def _record_sign_in(session: Session) -> None:
    failed = session.store.keys.take_failures()
    session.store.keys.save()
    with session.store.db.atomic():
        if failed:
            first = dt.datetime.fromtimestamp(min(failed)).replace(microsecond=0)
            session.audit(
                "failed_sign_ins", None, f"{len(failed)} since {first.isoformat(sep=' ')}"
            )
        session.audit("sign_in")


def sign_in_with_recovery(
    path: Path,
    recovery_key: str,
    admin_name: str,
    new_password: str,
    *,
    kdf: KdfParams | None = None,
    clock: Clock | None = None,
) -> AppServices:
    """Open with the recovery key and give administrator ``admin_name`` a new password."""
    problems = password_problems(new_password)
    if problems:
        raise AnswersError("The password was not changed.", problems)
    params = kdf or KdfParams()
    opened = store.unlock(path, (RECOVERY_SLOT, recovery_key), params)
    try:
        row = accounts_repo.user_by_name(opened.db, admin_name.strip())
        if row is None or row[3] != "admin":
            raise AuthenticationError(
                f"There is no administrator called {admin_name}. Use the administrator's name."
            )
        keys = opened.keys
        keys.add_slot(keys.slot_id(row[1]), new_password, opened.key, params)
        keys.take_failures()
        keys.save()
        session = Session(opened, to_user(row), FormRegistry(forms_dir()), clock or system_clock)
        with opened.db.atomic():
            session.audit("recovery_key_used", f"user:{row[0]}")
    except BaseException:
        opened.close()
        raise
    return AppServices(session)


def list_backups(path: Path) -> list[BackupInfo]:
    return [BackupInfo(b.path, b.created_at, b.size) for b in backup.list_backups(path)]


def restore_backup(path: Path, backup_file: Path, user_name: str, password: str) -> Path | None:
    """Replace a damaged database by ``backup_file`` (which this user must be able to open).

    The damaged files are kept aside, never deleted; returns where they went.
    """
    backup.check_backup(backup_file, user_name.strip(), password)
    lock = DatabaseLock(path)
    lock.acquire()
    try:
        aside = backup.restore(path, backup_file)
    finally:
        lock.release()
    log.info("restored the database from a backup")
    return aside


def audit_verify(services: AppServices) -> str | None:
    return audit.verify(services.session.store.db)
