"""Getting into a database before a session exists: create it, authenticate (password or
recovery key), record the sign-in, list and restore backups.

The slow part (argon2id key derivation) is inside ``create_database`` and ``authenticate*``; the
window runs them off the GUI thread. Building the session and its services from what these
return is the composition root's job (``screening_app.app``).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from screening_app.domain.passwords import account_password_problems
from screening_app.errors import AnswersError, AuthenticationError, Problem
from screening_app.services.accounts import to_user
from screening_app.services.model import BackupInfo, KdfParams, User
from screening_app.services.session import Session
from screening_app.storage import accounts_repo, backup, store
from screening_app.storage.keyfile import RECOVERY_SLOT, new_recovery_key
from screening_app.storage.lock import DatabaseLock
from screening_app.storage.store import Store

log = logging.getLogger(__name__)


def default_kdf() -> KdfParams:
    """The production key-derivation cost (tests of the command line replace this)."""
    return KdfParams()


def create_database(
    path: Path,
    admin_name: str,
    admin_password: str,
    *,
    display_name: str = "",
    kdf: KdfParams | None = None,
) -> str:
    """Create the database and its first administrator; returns the one-time recovery key."""
    problems = account_password_problems(admin_password)
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
        kdf or default_kdf(),
        display_name=display_name,
    )
    opened.close()
    log.info("created a new screening database")
    return recovery


def authenticate(path: Path, user_name: str, password: str, kdf: KdfParams) -> tuple[Store, User]:
    """The open store and the active account ``user_name``; see storage.store.unlock for errors."""
    opened = store.unlock(path, (user_name.strip(), password), kdf)
    try:
        row = accounts_repo.user_by_name(opened.db, user_name.strip())
        if row is None or not row.active:
            raise opened.keys.record_failure()
    except BaseException:
        opened.close()
        raise
    return opened, to_user(row)


def record_sign_in(session: Session) -> None:
    """Audit the sign-in, and the failed attempts since the last one."""
    failed = session.store.keys.take_failures()
    session.store.keys.save()
    with session.write("record the sign-in"):
        if failed:
            first = dt.datetime.fromtimestamp(min(failed)).replace(microsecond=0)
            session.audit(
                "failed_sign_ins", None, f"{len(failed)} since {first.isoformat(sep=' ')}"
            )
        session.audit("sign_in")


def authenticate_recovery(
    path: Path, recovery_key: str, admin_name: str, new_password: str, kdf: KdfParams
) -> tuple[Store, User]:
    """Open with the recovery key and give administrator ``admin_name`` a new password."""
    problems = account_password_problems(new_password)
    if problems:
        raise AnswersError("The password was not changed.", problems)
    opened = store.unlock(path, (RECOVERY_SLOT, recovery_key), kdf)
    try:
        row = accounts_repo.user_by_name(opened.db, admin_name.strip())
        if row is None or row.role != "admin":
            raise AuthenticationError(
                f"There is no administrator called {admin_name}. Use the administrator's name."
            )
        keys = opened.keys
        keys.add_slot(keys.slot_id(row.name), new_password, opened.key, kdf)
        keys.take_failures()
        keys.save()
    except BaseException:
        opened.close()
        raise
    return opened, to_user(row)


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
