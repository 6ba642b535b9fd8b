"""One running copy per database: an exclusive OS lock (``flock``/``msvcrt``) on ``<db>.lock``,
never waited for.

The operating system releases the lock when the process ends, however it ends, so a crash never
leaves a stale lock behind. Deleting the lock file under an open session would let a second copy
lock a new file of the same name, so the holder checks :meth:`DatabaseLock.still_held` before
every write and stops writing when its file is gone. (The database file itself is not locked
this way: closing any descriptor of it would drop SQLite's own locks.)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from screening_app.errors import DatabaseLocked


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class DatabaseLock:
    """Held from sign-in to close; ``acquire`` fails at once when another copy holds it."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        handle = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise DatabaseLocked(
                "This screening database is already open in another copy of the app (perhaps "
                "in another window or another user's session on this computer). Close it "
                "there first, then try again."
            ) from None
        self._handle = handle
        if not self.still_held():  # deleted between open() and the lock: try again once
            self.release()
            self.acquire()

    def still_held(self) -> bool:
        """True while ``<db>.lock`` is still the file this lock holds."""
        if self._handle is None:
            return False
        try:
            return os.stat(self.path).st_ino == os.fstat(self._handle.fileno()).st_ino
        except OSError:
            return False

    def check(self) -> None:
        """Raise before a write when another copy may have taken over the database."""
        if not self.still_held():
            raise DatabaseLocked(
                "The lock file of this database was removed while it was open, so another copy "
                "of the app may be using it now. To protect your data nothing more is saved "
                "from this window: close the app and open it again."
            )

    def release(self) -> None:
        if self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None


if os.name == "nt":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
