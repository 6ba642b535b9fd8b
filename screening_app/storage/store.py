"""Creating, unlocking and closing the encrypted database, with its lock, key file and checks.

Order on open: read and check the key file (storage.keyring), take the lock (fails at once if
another copy has it), open the account's vault with its password (argon2id, slow on purpose),
and — only if the account was granted access — unseal the data key, read once to prove it
(SQLCipher only fails on the first read), migrate, run the integrity checks after an unclean
close, finish or start a data-key rotation (storage.rotation), and copy the account directory
into the database's ``users`` table. An administrator's store has no database at all.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from screening_app import crypto
from screening_app.crypto import KdfParams
from screening_app.errors import IntegrityProblem, NotADatabase, Problem, StorageError
from screening_app.storage import (
    account_log,
    accounts_repo,
    audit,
    backup,
    migrations,
    rotation,
    signatures_repo,
)
from screening_app.storage.account_log import RECOVERY
from screening_app.storage.driver import (
    Database,
    DatabaseError,
    connect,
    create_private_file,
    is_disk_full,
    storage_error,
    tune,
)
from screening_app.storage.health import integrity_problem
from screening_app.storage.keyring import (
    KeyFileDamaged,
    Keyring,
    Unlocked,
    key_path,
    log_copy_path,
    now_seconds,
)
from screening_app.storage.lock import DatabaseLock
from screening_app.storage.opened import (
    Progress,
    Store,
    audit_record,
    get_meta,
    now_text,
    set_meta,
)


def create(
    path: Path,
    admin_name: str,
    admin_password: str,
    recovery_key: str,
    kdf: KdfParams,
    *,
    display_name: str = "",
) -> None:
    """A new database and key file with its first administrator, who gets no data key: only
    the recovery key does (the caller shows it once)."""
    keys_file = key_path(path)
    if path.exists() or keys_file.exists():
        raise StorageError(
            f"{path.name} already exists; choose another file name or open the existing one."
        )
    if not path.parent.is_dir():
        raise StorageError(f"The folder for {path.name} does not exist; create it first.")
    lock = DatabaseLock(path)
    lock.acquire()
    at = now_text()
    admin = {"name": admin_name, "display_name": display_name or admin_name}
    ring, data_key, admin_keys = Keyring.create(
        keys_file, admin, admin_password, recovery_key, kdf, at
    )
    try:
        create_private_file(path)
        db = connect(path, data_key)
        try:
            tune(db)
            migrations.migrate(db)
            with db.atomic():
                accounts_repo.sync_users(db, ring.directory.accounts.values())
                audit.append(
                    db,
                    at=at,
                    user_id=1,
                    user_name=admin_name,
                    action="database_created",
                    signer=(1, admin_keys.sign),
                )
                set_meta(db, "database_id", ring.directory.database_id)
                set_meta(db, "account_log_count", "1")
                set_meta(db, "account_log_head", account_log.entry_hash(ring.data["log"][0]))
                set_meta(db, "clean_close", "1")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            ring.data["state"] = audit_record(db, 1, admin_keys, at)
        finally:
            db.close()
        ring.save()
    except DatabaseError as exc:
        raise storage_error(exc, f"create {path.name}") from None
    finally:
        lock.release()


def unlock(
    path: Path,
    user_name: str,
    password: str,
    kdf: KdfParams,
    *,
    progress: Progress | None = None,
) -> tuple[Store, Unlocked]:
    """Open ``path`` as ``user_name``. AuthenticationError for a wrong name or password (the key
    file counts failures); the store has no database when the account holds no data key."""
    store, unlocked = unlock_keys(path, user_name, password, kdf)
    try:
        _open_data(store, progress)
    except BaseException:
        store.abandon()
        raise
    return store, unlocked


def unlock_keys(
    path: Path, user_name: str, password: str, kdf: KdfParams
) -> tuple[Store, Unlocked]:
    """The key file opened as ``user_name``, without opening the database (to restore it)."""
    keyring, lock = _load_and_lock(path)
    try:
        unlocked = keyring.unlock(user_name, password, now_seconds(), kdf)
    except BaseException:
        lock.release()
        raise
    return Store(path, keyring, lock, kdf, unlocked.account.id, unlocked.keys), unlocked


def unlock_recovery(path: Path, recovery_key: str, kdf: KdfParams) -> Store:
    """The key file opened with the recovery key (no database: granting access and resetting an
    administrator's password need only the key file)."""
    keyring, lock = _load_and_lock(path)
    try:
        keys = keyring.unlock_recovery(recovery_key, now_seconds())
    except BaseException:
        lock.release()
        raise
    return Store(path, keyring, lock, kdf, RECOVERY, keys)


def _load_and_lock(path: Path) -> tuple[Keyring, DatabaseLock]:
    if not path.exists():
        raise StorageError(
            f"There is no screening database at {path.name}. Check the file name, or create one."
        )
    keyring = Keyring.load(key_path(path))
    lock = DatabaseLock(path)
    lock.acquire()
    backup.clean_partials(path)
    return keyring, lock


def _open_data(store: Store, progress: Progress | None) -> None:
    """Open the database when the account holds a data key; finish or start a rotation."""
    candidates = store.keyring.data_key(store.keys, store.actor)
    if not candidates:
        return
    _refuse_a_key_file_put_back(store)
    for number, key in enumerate(candidates):
        db = try_key(store.path, key)
        if db is None:
            continue
        store.connection, store.data_key = db, key
        check_open(store.path, db)  # on failure the caller closes the store
        if number == 1:  # the database was re-encrypted but the key file not yet told
            rotation.finish(store, now_text())
        if store.keyring.directory.rotation_due:
            rotation.rotate(store, now_text(), progress)
        with store.transaction():
            _check_account_log_anchor(store, db)
            accounts_repo.sync_users(db, store.keyring.directory.accounts.values())
        found = audit_record_problems(store.keyring, db)
        if found:  # kept: rows written from now on must not hide what was found
            with store.transaction():
                first = get_meta(db, "audit_problem")
                if first is None:
                    first = f"first noticed {now_text()}: {found[0]}"
                    set_meta(db, "audit_problem", first)
            store.warnings.append(first)
        return
    raise damaged(
        store.path,
        f"it does not open with the key in {key_path(store.path).name}: it is not a screening "
        "database, or it is damaged, or that key file is an older copy (from before the data "
        "key last changed) and not the one that belongs with it",
    )


def audit_record_problems(keyring: Keyring, db: Database) -> list[str]:
    """How the audit trail differs from what the key file vouches for (empty: it does not)."""
    state = keyring.data["state"]
    directory = keyring.directory
    signer = int(state["signer"])
    keys = (
        (directory.recovery_sign,)
        if signer == RECOVERY
        else (directory.accounts[signer].sign_keys if signer in directory.accounts else ())
    )
    message = crypto.digest({k: v for k, v in state.items() if k != "sig"})
    if not any(crypto.verify(k, bytes.fromhex(state["sig"]), message) for k in keys):
        return ["the key file's record of the audit trail was edited (its signature is wrong)"]
    rows, at = int(state["rows"]), state["at"]
    count, _head = audit.tail(db)
    if count < rows:
        return [
            f"the audit trail has {count} rows, but it had {rows} on {at}: "
            f"{'all of them were' if count == 0 else f'its newest {rows - count} were'} deleted"
        ]
    if audit.hash_at(db, rows) != state["head"]:
        return [
            f"the first {rows} rows of the audit trail are not the ones there on {at}: rows "
            "were changed or deleted (and the chain computed again)"
        ]
    if "screenings" not in state:
        return []  # vouched for by a version before schema 9
    witnessed, now = int(state["screenings"]), signatures_repo.witness(db)
    if now[0] < witnessed or (now[0] == witnessed and now[1] != state["screenings_hash"]):
        gone = sorted(
            signatures_repo.submitted_references_in_audit(db) - signatures_repo.references(db)
        )
        named = f" ({', '.join(gone[:10])}{' …' if len(gone) > 10 else ''})" if gone else ""
        return [
            f"{witnessed} screenings were submitted here on {at}, and {now[0]} are now"
            f"{named}: screenings were deleted, renumbered or turned back into drafts outside "
            "the app"
        ]
    return []


def _refuse_a_key_file_put_back(store: Store) -> None:
    """Refuse, before the database is opened, a key file whose account log is an older copy of
    the one kept beside the backups (every save of the key file writes both): a leaver who puts
    her key file from before she was disabled back would otherwise have the next key holder work
    on under the data key she holds (docs/SECURITY.md, "A leaver")."""
    log = store.keyring.data["log"]
    kept = _log_copy(log_copy_path(store.keyring.path))
    if kept is None or len(kept) <= len(log):
        return
    if [account_log.entry_hash(e) for e in kept[: len(log)]] != [
        account_log.entry_hash(e) for e in log
    ]:
        return  # another branch (the administrator repeated a decision on this file): theirs
    try:
        account_log.fold(kept)
    except account_log.LogError:
        return  # a copy that does not hold together proves nothing
    missing = kept[len(log) :]
    said = ", ".join(f"{e['action'].replace('_', ' ')} on {str(e['at'])[:10]}" for e in missing)
    raise KeyFileDamaged(
        f"The key file {key_path(store.path).name} is older than the copy of its account log "
        f"kept beside the backups: it lacks {len(missing)} later decision(s) ({said}), so it "
        "was put back from an older copy. Nothing was opened or written. Ask your "
        "administrator to make those decisions again on this key file (for example "
        "`screening-app users disable NAME`), then sign in; tell whoever looks after security."
    )


def _log_copy(path: Path) -> list[dict[str, Any]] | None:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode) or os.lstat(path).st_size > 50_000_000:
            return None
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, list) or not all(isinstance(e, dict) for e in kept):
        return None
    return kept


def _check_account_log_anchor(store: Store, db: Database) -> None:
    """The database remembers how long the account log was and how it ended; a key file whose
    log lost entries since (say, "account_disabled" cut off) or was rewritten is refused."""
    log = store.keyring.data["log"]
    known = int(get_meta(db, "account_log_count") or 0)
    head = get_meta(db, "account_log_head")
    if known > len(log):
        raise KeyFileDamaged(
            f"The key file {key_path(store.path).name} has lost {known - len(log)} entries of "
            "its account log since this database last saw it. Nothing was changed. Restore "
            "the key file from the newest backup, and tell whoever looks after security."
        )
    if known and head != account_log.entry_hash(log[known - 1]):
        raise KeyFileDamaged(
            f"The account log in {key_path(store.path).name} was rewritten since this database "
            "last saw it. Nothing was changed. Restore the key file from the newest backup, and "
            "tell whoever looks after security."
        )
    set_meta(db, "account_log_count", str(len(log)))
    set_meta(db, "account_log_head", account_log.entry_hash(log[-1]))


def try_key(path: Path, key: bytes) -> Database | None:
    db = connect(path, key)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError:
        db.close()
        return None
    return db


def check_open(path: Path, db: Database) -> None:
    try:
        tune(db)
        migrations.migrate(db)
        if get_meta(db, "clean_close") != "1":
            problem = integrity_problem(db)
            if problem:
                raise damaged(path, problem)
        set_meta(db, "clean_close", "0")
    except DatabaseError as exc:
        if is_disk_full(exc) or "locked" in str(exc):
            raise storage_error(exc, "open the database") from None
        raise damaged(path, str(exc)) from None


def damaged(path: Path, detail: str) -> StorageError:
    backups = backup.list_backups(path)
    if not path.stat().st_size or detail.startswith("it does not open"):
        kind: type[StorageError] = IntegrityProblem if backups else NotADatabase
    else:
        kind = IntegrityProblem
    advice = (
        "Restore the newest backup (`screening-app db restore FILE`, or the button in the app)."
        if backups
        else "No backup was found next to it; ask IT whether one exists."
    )
    message = f"{path.name} cannot be opened safely: {detail}. {advice}"
    if kind is IntegrityProblem:
        return IntegrityProblem(message, [Problem(message)], backups=backups)
    return NotADatabase(message, [Problem(message)])
