"""An open database for one signed-in account: :class:`Store` (see storage.store for opening)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from screening_app import crypto
from screening_app.crypto import AccountKeys, KdfParams
from screening_app.errors import NoAccess
from screening_app.storage import audit, signatures_repo
from screening_app.storage.driver import Database, DatabaseError
from screening_app.storage.keyring import Keyring
from screening_app.storage.lock import DatabaseLock

Progress = Callable[[str, float], None]


def now_text() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


@dataclass
class Store:
    """An open database for one account: its key file, its lock, the account's keys and — when
    the account holds it — the data key and the connection.

    One connection serves the GUI thread (autosave) and background work (approve, referral
    audit). Writes go through :meth:`transaction`, which lets one thread write at a time: two
    threads' savepoints on one connection would otherwise interleave and commit each other's
    half-done work.
    """

    path: Path
    keyring: Keyring
    lock: DatabaseLock
    kdf: KdfParams
    actor: int  # the account id (RECOVERY for the recovery key)
    keys: AccountKeys
    connection: Database | None = None
    data_key: bytes | None = None
    # What the sign-in checks found wrong with the audit trail (shown to the person, reported
    # by `db check`); while there is any, the key file's record of the trail is not renewed.
    warnings: list[str] = field(default_factory=list)
    _writer: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _depth: int = field(default=0, repr=False)

    @property
    def db(self) -> Database:
        if self.connection is None:
            raise NoAccess(
                "Your account holds no key to children's records. An administrator manages "
                "accounts and backups only; a practitioner or supervisor needs a supervisor "
                "(or the recovery key) to grant access first."
            )
        return self.connection

    @property
    def has_data(self) -> bool:
        return self.connection is not None

    @contextmanager
    def writer(self) -> Iterator[None]:
        """The writer lock alone (for work that is not a database transaction)."""
        with self._writer:
            self.lock.check()
            yield

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One all-or-nothing change, with the writer lock held (re-entrant on one thread)."""
        with self._writer:
            self.lock.check()
            self._depth += 1
            try:
                with self.db.atomic():
                    yield self.db
            finally:
                self._depth -= 1

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt every page under ``new_key`` (SQLCipher; outside any transaction)."""
        with self._writer:
            self.lock.check()
            self.db.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.data_key = new_key

    def vouch_for_audit(self, at: str) -> None:
        """Sign the audit trail's length and newest hash into the key file (docs/SECURITY.md):
        deleting the newest rows, or all of them, then shows at the next sign-in."""
        if self.connection is None or self.warnings:
            return
        with self._writer:
            if self._depth:  # inside an outer transaction that may yet roll back
                return
            self.keyring.data["state"] = audit_record(self.connection, self.actor, self.keys, at)
            self.save_keyring()

    def save_keyring(self) -> None:
        """Write the key file, unless another copy may have taken over the database."""
        with self._writer:
            self.lock.check()
            self.keyring.save()

    def abandon(self) -> None:
        """Release everything without writing (an open that failed part-way)."""
        with self._writer:
            if self.connection is not None:
                self.connection.close()
                self.connection = None
            self.lock.release()

    def close(self) -> None:
        """Mark the close clean and release everything (idempotent)."""
        with self._writer:
            if self.connection is None:
                self.lock.release()
                return
            try:
                if self.lock.still_held():
                    set_meta(self.connection, "clean_close", "1")
                    self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except DatabaseError:
                pass  # a damaged or full database stays marked unclean: checked on next open
            finally:
                self.connection.close()
                self.connection = None
                self.lock.release()


def audit_record(db: Database, actor: int, keys: AccountKeys, at: str) -> dict[str, object]:
    """The audit trail's length and newest hash, and how many screenings are not drafts with a
    digest of their ids (``signatures_repo.witness``), signed by ``actor``."""
    rows, head = audit.tail(db)
    count, digest = signatures_repo.witness(db)
    state: dict[str, object] = {
        "rows": rows,
        "head": head,
        "screenings": count,
        "screenings_hash": digest,
        "signer": actor,
        "at": at,
    }
    state["sig"] = keys.sign(crypto.digest(state)).hex()
    return state


def set_meta(db: Database, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def get_meta(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None
