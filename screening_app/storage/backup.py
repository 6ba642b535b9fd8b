"""Encrypted backups and restoring one, written so that no step can lose data.

A backup is a copy of the encrypted database under the same data key, plus a copy of the key
file. An account holding the data key copies page by page with SQLite's backup API; an
administrator, who holds no key, copies the encrypted file itself while holding the lock (nobody
can write meanwhile). Either way the copy is written to ``*.partial``, flushed to disk and then
renamed, so a backup file either is whole or does not exist; :func:`clean_partials` removes what
a killed backup left. Backups live in ``<db stem>-backups/`` next to the database; the newest
``KEEP`` are kept. When the data key rotates, :func:`reencrypt` moves each onto the new key.

Restoring (:func:`restore_file`) never deletes: the backup is copied next to the database,
flushed, then renamed over it in one step; the replaced database is kept under a unique name.
The key file is not replaced: accounts, passwords and disabled accounts stay as they are now.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from screening_app.errors import StorageError
from screening_app.storage.driver import (
    Database,
    DatabaseError,
    connect,
    create_private_file,
    storage_error,
)
from screening_app.storage.health import integrity_problem
from screening_app.storage.keyring import Keyring, key_path

KEEP = 7
SUFFIX = ".backup.db"
PARTIAL = ".partial"


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


def new_backup_path(db_path: Path) -> Path:
    folder = backup_dir(db_path)
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return folder / f"{db_path.stem}-{stamp}{SUFFIX}"


def make_backup(
    db: Database | None,
    key: bytes | None,
    keyring: Keyring,
    db_path: Path,
    target: Path | None = None,
) -> BackupFile:
    """Copy the database to ``target`` (default: a new file in the backup folder) with its key
    file. ``db`` is the open connection (``key`` its data key), or None to copy the encrypted
    file as it is (the caller holds the lock and no connection is open)."""
    target = target or new_backup_path(db_path)
    partial = target.with_name(target.name + PARTIAL)
    try:
        partial.unlink(missing_ok=True)
        create_private_file(partial)
        if db is None or key is None:
            _copy_file(db_path, partial)
        else:
            dest = connect(partial, key)
            try:
                db.conn.backup(dest.conn)
            finally:
                dest.close()
            _fsync(partial)
        # the key file and any WAL first, the backup's own name last: killed at any step, a
        # backup is whole with its key file or does not exist (clean_partials removes the rest)
        keyring.save(key_path(target))
        wal = db_path.with_name(db_path.name + "-wal")
        if db is None and wal.exists() and wal.stat().st_size:  # an unclean close's last writes
            wal_partial = partial.with_name(partial.name + "-wal-copy")
            _copy_file(wal, wal_partial)
            os.replace(wal_partial, target.with_name(target.name + "-wal"))
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except (DatabaseError, OSError) as exc:
        _remove(partial, partial.with_name(partial.name + "-journal"))
        _remove(partial.with_name(partial.name + "-wal-copy"))
        if not target.exists():
            _remove(key_path(target), target.with_name(target.name + "-wal"))
        raise storage_error(exc, f"write the backup {target.name}") from None
    if target.parent == backup_dir(db_path):
        prune(db_path)
    stat = target.stat()
    return BackupFile(target, dt.datetime.fromtimestamp(stat.st_mtime), stat.st_size)


def reencrypt(path: Path, old_key: bytes, new_key: bytes, keyring: Keyring) -> None:
    """Move the backup ``path`` onto ``new_key`` (copy, rekey, flush, rename) with the current
    key file. A backup that does not open with ``old_key`` is left as it is."""
    partial = path.with_name(path.name + PARTIAL)
    try:
        _remove(partial)
        create_private_file(partial)
        _copy_file(path, partial)
        copy = connect(partial, old_key)
        try:
            copy.execute("SELECT count(*) FROM sqlite_master").fetchone()
            copy.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
        finally:
            copy.close()
        _fsync(partial)
        os.replace(partial, path)
        keyring.save(key_path(path))
    except (DatabaseError, OSError):
        _remove(partial, partial.with_name(partial.name + "-journal"))


def prune(db_path: Path, keep: int = KEEP) -> None:
    for old in list_backups(db_path)[keep:]:
        _remove(old.path, key_path(old.path), old.path.with_name(old.path.name + "-wal"))


def backup_due(db_path: Path, today: dt.date) -> bool:
    """At most one automatic backup a day."""
    newest = list_backups(db_path)
    return not newest or newest[0].created_at.date() < today


def clean_partials(db_path: Path) -> None:
    """Remove what killed backups, restores and key-file writes left behind (call with the lock
    held, so nothing is in the middle of writing one)."""
    folders = [db_path.parent, backup_dir(db_path)]
    for folder in folders:
        if not folder.is_dir():
            continue
        for pattern in (f"*{PARTIAL}", f"*{PARTIAL}-*", ".keys-*"):
            for item in folder.glob(pattern):
                if item.name.startswith(db_path.stem) or item.name.startswith(".keys-"):
                    _remove(item)
    folder = backup_dir(db_path)
    if folder.is_dir():  # the key file (or WAL) of a backup killed before its own rename
        for pattern in (f"*{SUFFIX}.keys", f"*{SUFFIX}-wal"):
            for item in folder.glob(pattern):
                if not item.with_name(item.name.rsplit(SUFFIX, 1)[0] + SUFFIX).exists():
                    _remove(item)


def check_readable(path: Path, key: bytes) -> None:
    """Raise unless ``path`` opens with ``key`` and passes quick_check."""
    db = connect(path, key)
    try:
        problem = integrity_problem(db)
    except DatabaseError as exc:
        problem = str(exc)
    finally:
        db.close()
    if problem:
        raise StorageError(
            f"The backup {path.name} cannot be used ({problem}); pick another backup."
        )


def restore_file(
    db_path: Path,
    source: Path,
    key: bytes | None,
    before_replace: Callable[[], None] = lambda: None,
) -> Path | None:
    """Put a copy of ``source`` in place of the database (one rename); returns where the
    replaced database was kept. ``key`` (when the caller holds it) must open the copy, checked
    before anything is replaced; ``before_replace`` runs just before the rename (the key file
    records the restore first, so a crash in between leaves a consistent pair). The caller
    holds the lock."""
    refuse_live(db_path, source)
    partial = db_path.with_name(f"{db_path.name}.restoring{PARTIAL}")
    try:
        _remove(partial)
        create_private_file(partial)
        _copy_file(source, partial)
    except OSError as exc:
        _remove(partial)
        raise storage_error(exc, f"copy the backup {source.name}") from None
    if key is not None:
        try:
            check_readable(partial, key)
        except StorageError:
            _remove(partial, partial.with_name(partial.name + "-journal"))
            raise
    try:
        before_replace()
    except BaseException:
        _remove(partial)
        raise
    aside = _unique(db_path, "replaced")
    try:
        if db_path.exists():
            _second_name(db_path, aside)
        for suffix in ("-wal", "-shm"):
            stale = db_path.with_name(db_path.name + suffix)
            if stale.exists():
                os.replace(stale, aside.with_name(aside.name + suffix))
        os.replace(partial, db_path)
        _fsync_dir(db_path.parent)
    except OSError as exc:
        _remove(partial)
        raise storage_error(exc, f"restore {source.name}") from None
    return aside if aside.exists() else None


def refuse_live(db_path: Path, source: Path) -> None:
    if not source.is_file():
        raise StorageError(f"{source.name} is not a backup file; pick a .backup.db file.")
    live = [db_path.with_name(db_path.name + s) for s in ("", ".keys", "-wal", "-shm")]
    for path in live:
        with contextlib.suppress(OSError):
            if path.exists() and os.path.samefile(path, source):
                raise StorageError(
                    f"{source.name} is the database itself (or one of its own files), not a "
                    "backup of it. Pick a file from the backups folder."
                )


def _unique(db_path: Path, what: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in itertools.count(1):
        candidate = db_path.with_name(f"{db_path.name}.{what}-{stamp}-{n}")
        if not candidate.exists():
            return candidate
    raise AssertionError("unreachable")


def _second_name(path: Path, other: Path) -> None:
    """``other`` names the same data as ``path`` (a hard link, else a flushed copy)."""
    try:
        os.link(path, other)
    except OSError:
        _copy_file(path, other)


def _copy_file(source: Path, dest: Path) -> None:
    with open(source, "rb") as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out, 1024 * 1024)
        out.flush()
        os.fsync(out.fileno())


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - directories cannot be opened on Windows
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _remove(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
