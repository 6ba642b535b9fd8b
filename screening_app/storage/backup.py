"""Encrypted backups with SQLite's backup API, and restoring one.

A backup is a page-by-page copy of the encrypted database under the same key, plus a copy of the
key file (without it the backup could not be opened). Backups live in ``<db stem>-backups/``
next to the database; the newest ``KEEP`` are kept.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3.dbapi2

from screening_app.errors import StorageError
from screening_app.storage.driver import (
    Database,
    DatabaseError,
    connect,
    create_private_file,
    storage_error,
)
from screening_app.storage.health import integrity_problem
from screening_app.storage.keyfile import KeyFile, key_path

KEEP = 7
SUFFIX = ".backup.db"


@dataclass(frozen=True)
class BackupFile:
    path: Path
    created_at: dt.datetime
    size: int


def backup_dir(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.stem}-backups")


def list_backups(db_path: Path) -> list[BackupFile]:
    """Backups that have their key file, newest first."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = []
    for item in folder.glob(f"*{SUFFIX}"):
        if not key_path(item).exists():
            continue
        stat = item.stat()
        found.append(BackupFile(item, dt.datetime.fromtimestamp(stat.st_mtime), stat.st_size))
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def make_backup(db: Database, key: bytes, db_path: Path, target: Path | None = None) -> BackupFile:
    """Copy the open database to ``target`` (default: a new timestamped file) and its keys."""
    if target is None:
        folder = backup_dir(db_path)
        folder.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{db_path.stem}-{stamp}{SUFFIX}"
    partial = target.with_name(target.name + ".partial")
    try:
        partial.unlink(missing_ok=True)
        create_private_file(partial)
        dest = connect(partial, key)
        try:
            db.conn.backup(dest.conn)
        finally:
            dest.close()
        os.replace(partial, target)
        shutil.copyfile(key_path(db_path), key_path(target))
        os.chmod(key_path(target), 0o600)
    except (DatabaseError, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise storage_error(exc, f"write the backup {target.name}") from None
    if target.parent == backup_dir(db_path):
        prune(db_path)
    stat = target.stat()
    return BackupFile(target, dt.datetime.fromtimestamp(stat.st_mtime), stat.st_size)


def prune(db_path: Path, keep: int = KEEP) -> None:
    for old in list_backups(db_path)[keep:]:
        old.path.unlink(missing_ok=True)
        key_path(old.path).unlink(missing_ok=True)


def backup_due(db_path: Path, today: dt.date) -> bool:
    """At most one automatic backup a day."""
    newest = list_backups(db_path)
    return not newest or newest[0].created_at.date() < today


def check_backup(backup: Path, user_name: str, password: str) -> None:
    """Raise unless ``user_name``/``password`` open ``backup`` and it passes quick_check."""
    keys = KeyFile.load(key_path(backup))
    key = keys.unwrap(keys.slot_id(user_name), password)
    if key is None:
        raise StorageError(
            f"That user name and password do not open the backup {backup.name}. Use an account "
            "that existed when the backup was made."
        )
    conn = sqlcipher3.dbapi2.connect(str(backup))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA cipher_log_level = NONE")
        problem = integrity_problem(Database(conn, execute_plugins=False))
    except DatabaseError as exc:
        problem = str(exc)
    finally:
        conn.close()
    if problem:
        raise StorageError(f"The backup {backup.name} is damaged too ({problem}); pick another.")


def restore(db_path: Path, backup: Path) -> Path | None:
    """Put ``backup`` (and its key file) in place of the database; returns where the old one went.

    The current files are moved aside (``*.damaged-<time>``), never deleted.
    """
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside: Path | None = None
    try:
        for suffix in ("", ".keys", "-wal", "-shm"):
            current = db_path.with_name(db_path.name + suffix)
            if current.exists():
                moved = current.with_name(f"{current.name}.damaged-{stamp}")
                os.replace(current, moved)
                aside = aside or moved
        for source, dest in ((backup, db_path), (key_path(backup), key_path(db_path))):
            shutil.copyfile(source, dest)
            os.chmod(dest, 0o600)
    except OSError as exc:
        raise storage_error(exc, f"restore {backup.name}") from None
    return aside
