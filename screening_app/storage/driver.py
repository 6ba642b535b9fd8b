"""Open an SQLCipher database through sqlite-utils, and turn driver errors into plain ones.

sqlite-utils imports ``pysqlite3`` when it exists; aliasing it to ``sqlcipher3`` before the first
import makes sqlite-utils' exception classes the driver's own (checked on this machine).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import sqlcipher3
import sqlcipher3.dbapi2

sys.modules.setdefault("pysqlite3", sqlcipher3)
sys.modules.setdefault("pysqlite3.dbapi2", sqlcipher3.dbapi2)
# sqlite-utils converts numpy values when numpy is importable; the app stores none, and numpy
# costs 18 MiB and 60 ms at start (the Links view's layouts import it when they are drawn).
# Hidden while sqlite-utils is first imported, then importable again as usual.
_HIDE_NUMPY = "numpy" not in sys.modules
if _HIDE_NUMPY:
    sys.modules["numpy"] = None  # type: ignore[assignment]

import sqlite_utils  # noqa: E402 - must come after the alias above

if _HIDE_NUMPY and "numpy" in sys.modules and sys.modules["numpy"] is None:
    del sys.modules["numpy"]

from screening_app.errors import StorageError  # noqa: E402

DatabaseError = sqlcipher3.dbapi2.DatabaseError
Connection = sqlcipher3.dbapi2.Connection
Database = sqlite_utils.Database

DISK_FULL_ADVICE = (
    "the disk is full. Free some disk space (empty the bin, move large files), then carry on: "
    "what you entered is still on screen and will be saved"
)


def connect(path: Path, key: bytes) -> Database:
    """An open, keyed database; nothing is read yet (the caller checks the key by reading)."""
    conn = sqlcipher3.dbapi2.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute("PRAGMA busy_timeout = 3000")
    return Database(conn, execute_plugins=False)


def create_private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only; SQLite gives -wal/-shm the same mode."""
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def tune(db: Database) -> None:
    """WAL, full durability (an acknowledged answer survives a power cut), foreign keys."""
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA temp_store = MEMORY")


_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def safe_names(names: Iterable[str]) -> list[str]:
    """Column names for SQL built in code; anything else is a bug, never user input."""
    checked = list(names)
    for name in checked:
        if not _NAME.match(name):
            raise ValueError(f"not a column name: {name!r}")
    return checked


def is_disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "disk is full" in text or "disk i/o error" in text or "no space" in text


def storage_error(exc: BaseException, doing: str) -> StorageError:
    """A plain StorageError for a driver error raised while ``doing`` something."""
    text = str(exc).lower()
    if is_disk_full(exc):
        return StorageError(f"Could not {doing}: {DISK_FULL_ADVICE}.")
    if "locked" in text or "busy" in text:
        return StorageError(
            f"Could not {doing}: the database is busy. Wait a moment and try again."
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StorageError(
            f"Could not {doing}: the database file is damaged. Close the app and run "
            "`screening-app db check`; restore the newest backup with `screening-app db restore`."
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(
            f"Could not {doing}: the database file is read-only. Ask IT to give your account "
            "write access to it."
        )
    return StorageError(f"Could not {doing} ({exc}).")
