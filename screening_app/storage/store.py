"""Creating, unlocking and closing the encrypted database, with its lock, key file and checks.

Order on open: take the lock (fails at once if another copy has it), unwrap the database key from
the user's slot (argon2id, slow on purpose), read once to prove the key (SQLCipher only fails on
the first read), migrate, and — if the last close was not clean — run the integrity checks.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from screening_app.errors import IntegrityProblem, NotADatabase, Problem, StorageError
from screening_app.storage import audit, backup, migrations
from screening_app.storage.driver import (
    Database,
    DatabaseError,
    connect,
    create_private_file,
    storage_error,
    tune,
)
from screening_app.storage.health import integrity_problem
from screening_app.storage.keyfile import (
    KEY_BYTES,
    RECOVERY_SLOT,
    KdfParams,
    KeyFile,
    key_path,
    normalise_recovery_key,
)
from screening_app.storage.lock import DatabaseLock


def now_text() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


@dataclass
class Store:
    """An open database: the connection, its key file, its lock and the key (for backups).

    One connection serves the GUI thread (autosave) and background work (approve, referral
    audit). Writes go through :meth:`transaction`, which lets one thread write at a time: two
    threads' savepoints on one connection would otherwise interleave and commit each other's
    half-done work.
    """

    path: Path
    db: Database
    keys: KeyFile
    lock: DatabaseLock
    key: bytes
    kdf: KdfParams
    _writer: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One all-or-nothing change, with the writer lock held (re-entrant on one thread)."""
        with self._writer, self.db.atomic():
            yield self.db

    def close(self) -> None:
        """Mark the close clean and release everything (idempotent)."""
        with self._writer:
            try:
                set_meta(self.db, "clean_close", "1")
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except DatabaseError:
                pass  # a damaged or full database stays marked unclean: checked on next open
            finally:
                self.db.close()
                self.lock.release()


def set_meta(db: Database, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def get_meta(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None


def create(
    path: Path,
    admin_name: str,
    admin_password: str,
    recovery_key: str,
    kdf: KdfParams,
    *,
    display_name: str = "",
) -> Store:
    """A new database with its first administrator; the caller shows ``recovery_key`` once."""
    keys_file = key_path(path)
    if path.exists() or keys_file.exists():
        raise StorageError(
            f"{path.name} already exists; choose another file name or open the existing one."
        )
    if not path.parent.is_dir():
        raise StorageError(f"The folder for {path.name} does not exist; create it first.")
    lock = DatabaseLock(path)
    lock.acquire()
    key = secrets.token_bytes(KEY_BYTES)
    keys = KeyFile.create(keys_file)
    try:
        keys.add_slot(keys.slot_id(admin_name), admin_password, key, kdf)
        keys.add_slot(RECOVERY_SLOT, normalise_recovery_key(recovery_key), key, kdf)
        create_private_file(path)
        db = connect(path, key)
        tune(db)
        migrations.migrate(db)
        at = now_text()
        with db.atomic():
            db.execute(
                "INSERT INTO users (name, name_fold, display_name, role, created_at) "
                "VALUES (?, ?, ?, 'admin', ?)",
                [admin_name, admin_name.casefold(), display_name or admin_name, at],
            )
            audit.append(db, at=at, user_id=1, user_name=admin_name, action="database_created")
            set_meta(db, "clean_close", "0")
        keys.save()
    except DatabaseError as exc:
        lock.release()
        raise storage_error(exc, f"create {path.name}") from None
    except BaseException:
        lock.release()
        raise
    return Store(path, db, keys, lock, key, kdf)


def unlock(path: Path, slot_secret: tuple[str, str], kdf: KdfParams) -> Store:
    """Open with the key from ``slot_secret`` = (slot id or user name, secret).

    Raises AuthenticationError for a wrong name/secret (the key file counts failures).
    """
    if not path.exists():
        raise StorageError(
            f"There is no screening database at {path.name}. Check the file name, or create one."
        )
    keys = KeyFile.load(key_path(path))
    lock = DatabaseLock(path)
    lock.acquire()
    try:
        keys.check_not_throttled()
        who, secret = slot_secret
        slot = RECOVERY_SLOT if who == RECOVERY_SLOT else keys.slot_id(who)
        if who == RECOVERY_SLOT:
            secret = normalise_recovery_key(secret)
        key = keys.unwrap(slot, secret)
        if key is None:
            raise keys.record_failure()
        db = _open_checked(path, key)
    except BaseException:
        lock.release()
        raise
    return Store(path, db, keys, lock, key, kdf)


def _open_checked(path: Path, key: bytes) -> Database:
    db = connect(path, key)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError:
        db.close()
        raise _damaged(path, "it is not a screening database or it is damaged") from None
    try:
        tune(db)
        migrations.migrate(db)
        if get_meta(db, "clean_close") != "1":
            problem = integrity_problem(db)
            if problem:
                db.close()
                raise _damaged(path, problem)
        set_meta(db, "clean_close", "0")
    except DatabaseError as exc:
        db.close()
        raise _damaged(path, str(exc)) from None
    except BaseException:
        db.close()
        raise
    return db


def _damaged(path: Path, detail: str) -> StorageError:
    backups = backup.list_backups(path)
    if not path.stat().st_size or detail.startswith("it is not"):
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
