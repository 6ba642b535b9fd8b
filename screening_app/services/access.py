"""Getting into a database before a session exists: create it, authenticate, use the recovery
key, record the sign-in, list and restore backups (docs/SECURITY.md).

The slow part (argon2id key derivation, and a data-key rotation when one is due) is inside
these functions; the window runs them off the GUI thread. Building the session and its services
from what these return is the composition root's job (``screening_app.app``).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from screening_app.domain.capabilities import Verb, can, refusal
from screening_app.domain.passwords import account_password_problems
from screening_app.domain.user_names import name_problem
from screening_app.errors import (
    AnswersError,
    AuthenticationError,
    NoAccess,
    NotFound,
    PermissionDenied,
    Problem,
    StorageError,
)
from screening_app.services.accounts import to_user
from screening_app.services.model import BackupInfo, KdfParams, User
from screening_app.services.session import Session
from screening_app.storage import backup, store
from screening_app.storage.account_log import RECOVERY
from screening_app.storage.keyring import Keyring, key_path, new_recovery_key
from screening_app.storage.opened import Progress, Store, now_text
from screening_app.storage.store import unlock_recovery

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
    wrong = name_problem(admin_name.strip(), "the administrator")
    if wrong:
        problems.append(Problem(wrong, "name"))
    if problems:
        raise AnswersError("The database was not created.", problems)
    path.parent.mkdir(parents=True, exist_ok=True)
    recovery = new_recovery_key()
    store.create(
        path,
        admin_name.strip(),
        admin_password,
        recovery,
        kdf or default_kdf(),
        display_name=display_name,
    )
    log.info("created a new screening database")
    return recovery


def authenticate(
    path: Path,
    user_name: str,
    password: str,
    kdf: KdfParams,
    *,
    progress: Progress | None = None,
) -> tuple[Store, User]:
    """The open store and the account ``user_name``. A practitioner or supervisor who has not
    been granted access gets NoAccess; an administrator's store has no database."""
    opened, unlocked = store.unlock(path, user_name.strip(), password, kdf, progress=progress)
    account = unlocked.account
    if can(account.role, Verb.READ_SCREENINGS) and not opened.has_data:
        granted = [
            a
            for a in opened.keyring.directory.accounts.values()
            if can(a.role, Verb.GRANT_ACCESS) and a.team == account.team and a.granted and a.active
        ]
        opened.close()
        if granted:
            how = (
                f"Ask a supervisor of your team ({', '.join(sorted(a.name for a in granted))}) "
                "to grant it (Review → Grant access…)"
            )
        else:
            how = (
                "No supervisor of your team holds access yet, so the first one is given it with "
                "the recovery key printed when the database was made: whoever keeps it types it "
                "in the administrator's window (Grant access with the recovery key…) or runs "
                f"`screening-app users grant {account.name} --recovery-key-file FILE`"
            )
        raise NoAccess(
            f"Your account {account.name} has not been given access to children's records "
            f"yet. {how}, then sign in again."
        )
    return opened, to_user(account)


def record_sign_in(session: Session) -> None:
    """Audit the sign-in, and the failed attempts since the last one."""
    keyring = session.store.keyring
    failed = keyring.take_failures(session.user.id)
    session.store.save_keyring()
    if not session.store.has_data:
        return
    with session.write("record the sign-in"):
        if failed:
            first = dt.datetime.fromtimestamp(min(failed)).replace(microsecond=0)
            session.audit(
                "failed_sign_ins", None, f"{len(failed)} since {first.isoformat(sep=' ')}"
            )
        session.audit("sign_in")
    from screening_app.services import vouching

    vouching.upgrade(session, session.registry)


def reset_admin_with_recovery(
    path: Path, recovery_key: str, admin_name: str, new_password: str, kdf: KdfParams
) -> None:
    """Give administrator ``admin_name`` new keys under ``new_password`` (the recovery key's
    decision, signed into the account log). Administrators hold no data key, so nothing else
    changes."""
    problems = account_password_problems(new_password)
    if problems:
        raise AnswersError("The password was not changed.", problems)
    opened = unlock_recovery(path, recovery_key, kdf)
    try:
        account = opened.keyring.directory.by_name(admin_name)
        if account is None or not can(account.role, Verb.ADD_ACCOUNTS) or not account.active:
            raise AuthenticationError(
                f"There is no active administrator called {admin_name}. Use the "
                "administrator's user name."
            )
        from screening_app.services.accounts import replace_keys

        replace_keys(opened, account.id, new_password, now_text())
        opened.keyring.take_failures(RECOVERY)
        opened.keyring.take_failures(account.id)
        opened.save_keyring()
    finally:
        opened.close()


def grant_with_recovery(
    path: Path, recovery_key: str, user_names: list[str], kdf: KdfParams
) -> list[User]:
    """Give ``user_names`` access to the records with the recovery key (how the first
    supervisor of a new database gets access). Nothing is granted unless all can be."""
    from screening_app.services.accounts import grant_by_recovery

    opened = unlock_recovery(path, recovery_key, kdf)
    try:
        directory, ids = opened.keyring.directory, []
        for name in user_names:
            account = directory.by_name(name)
            if account is None:
                raise NotFound(f"There is no account called {name}; nothing was granted.")
            ids.append(account.id)
        grant_by_recovery(opened.keyring, opened.keys, ids, now_text())
        opened.save_keyring()
        return [to_user(directory.accounts[i]) for i in ids]
    finally:
        opened.close()


def upgrade_key_file(
    path: Path, admin_name: str, password: str, recovery_key: str, kdf: KdfParams
) -> list[str]:
    """Move a database from a format-1 key file to per-account keys (storage.upgrade); the
    names of the accounts carried over, each of which gets its keys at its next sign-in."""
    from screening_app.storage.upgrade import upgrade_format1

    moved = upgrade_format1(path, admin_name, password, recovery_key, kdf)
    log.info("moved a database to per-account keys")
    return moved


def list_backups(path: Path) -> list[BackupInfo]:
    return [BackupInfo(b.path, b.created_at, b.size) for b in backup.list_backups(path)]


def restore_backup(
    path: Path, backup_file: Path, user_name: str, password: str, kdf: KdfParams
) -> Path | None:
    """Replace the database by ``backup_file``: an administrator's or supervisor's decision,
    throttled like a sign-in and signed into the account log. Accounts and passwords stay as
    they are now (the key file is not replaced). Returns where the replaced database was kept.
    """
    backup.refuse_live(path, backup_file)
    opened, _unlocked = store.unlock_keys(path, user_name.strip(), password, kdf)
    try:
        ring = opened.keyring
        role = ring.directory.accounts[opened.actor].role
        refused = refusal(role, Verb.RESTORE_BACKUP)
        if refused is not None:
            raise PermissionDenied(refused)
        theirs = _check_same_generation(path, backup_file, ring)
        keys = ring.data_key(opened.keys, opened.actor)

        def record() -> None:  # in the key file before the database is replaced
            data = {"backup": backup_file.name[-200:], "epoch": ring.directory.key_epoch}
            ring.append(opened.actor, opened.keys, "restored", None, data, now_text())
            ring.data["state"] = theirs.data["state"]  # the audit trail as in the backup
            ring.take_failures(opened.actor)
            opened.save_keyring()

        aside = backup.restore_file(path, backup_file, keys[0] if keys else None, record)
    finally:
        opened.close()
    log.info("restored the database from a backup")
    return aside


def _check_same_generation(path: Path, backup_file: Path, ring: Keyring) -> Keyring:
    """The backup's key file; the backup must be of this database and encrypted under today's
    data key."""
    try:
        their_ring = Keyring.load(key_path(backup_file))
        theirs = their_ring.directory
    except StorageError:
        raise StorageError(
            f"The key file that belongs with {backup_file.name} ({backup_file.name}.keys) is "
            "missing or damaged, so the backup cannot be checked. Pick another backup."
        ) from None
    if theirs.database_id != ring.directory.database_id:
        raise StorageError(f"{backup_file.name} is a backup of another database.")
    if theirs.key_epoch != ring.directory.key_epoch:
        raise StorageError(
            f"{backup_file.name} was made before the data key last changed (after an account "
            "was disabled), so it does not open under today's key. Pick a newer backup: the "
            "backups in the backups folder are always kept under today's key."
        )
    return their_ring
