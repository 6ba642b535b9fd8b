"""Moving a database from a format-1 key file (one data key, wrapped once per password) to
per-account keys (docs/SECURITY.md). An administrator runs it once, with the recovery key:

- the recovery key's format-1 slot gives the data key; the administrator's password is checked
  against their own slot;
- a new key file is written with the account log started by that administrator, every other
  account carried over (`account_imported`) with its format-1 slot kept in its vault;
- each account gets key pairs of its own at its first sign-in, when its password opens its old
  slot (storage.keyring), and — practitioners and supervisors — access, since they had it.

The format-1 key file is kept beside the new one as ``NAME.db.keys.format1``; the database
itself is only migrated (signed-work tables) and marked with the new log's start.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from screening_app.crypto import AccountKeys, KdfParams
from screening_app.domain.capabilities import Verb, can
from screening_app.errors import AuthenticationError, StorageError
from screening_app.storage import account_log, accounts_repo, audit
from screening_app.storage.driver import DatabaseError, storage_error
from screening_app.storage.keyring import Keyring, key_path, normalise_recovery_key
from screening_app.storage.keyring_format import format1_unwrap, read_format1
from screening_app.storage.lock import DatabaseLock
from screening_app.storage.opened import audit_record, now_text, set_meta
from screening_app.storage.store import check_open, damaged, try_key
from screening_app.storage.throttle import BAD_SIGN_IN


def upgrade_format1(
    path: Path, admin_name: str, admin_password: str, recovery_key: str, kdf: KdfParams
) -> list[str]:
    """Move ``path`` to per-account keys; returns the names of the accounts carried over."""
    keys_file = key_path(path)
    slots = read_format1(keys_file)
    name_salt = bytes.fromhex(slots.pop("name_salt")["hex"])
    lock = DatabaseLock(path)
    lock.acquire()
    try:
        data_key = format1_unwrap(slots["recovery"], normalise_recovery_key(recovery_key))
        if data_key is None:
            raise AuthenticationError(
                "That is not the recovery key of this database. Type it as printed; dashes "
                "and spaces do not matter."
            )

        def slot_of(name: str) -> str:
            digest = hmac.new(name_salt, name.casefold().encode("utf-8"), hashlib.sha256)
            return digest.hexdigest()[:32]

        admin_slot = slots.get(slot_of(admin_name.strip()))
        if admin_slot is None or format1_unwrap(admin_slot, admin_password) != data_key:
            raise AuthenticationError(BAD_SIGN_IN)
        db = try_key(path, data_key)
        if db is None:
            raise damaged(path, "it does not open with the key in its format-1 key file")
        try:
            check_open(path, db)
            users = accounts_repo.users(db)
            admin = next(
                (u for u in users if u.name.casefold() == admin_name.strip().casefold()), None
            )
            if admin is None or not can(admin.role, Verb.ADD_ACCOUNTS) or not admin.active:
                raise AuthenticationError(
                    f"{admin_name} is not an active administrator of this database."
                )
            at = now_text()
            details = {
                "name": admin.name,
                "display_name": admin.display_name,
                "team": admin.team,
                "job_title": admin.job_title,
                "agency": admin.agency,
            }
            ring, _key, admin_keys = Keyring.create(
                keys_file,
                details,
                admin_password,
                recovery_key,
                kdf,
                at,
                admin_id=admin.id,
                data_key=data_key,
            )
            moved = []
            for user in users:
                if user.id == admin.id:
                    continue
                row = {
                    "name": user.name,
                    "display_name": user.display_name,
                    "role": user.role,
                    "team": user.team,
                    "job_title": user.job_title,
                    "agency": user.agency,
                    "active": int(user.active),
                }
                slot = slots.get(slot_of(user.name)) if user.active else None
                _carry_over(ring, admin.id, admin_keys, user.id, row, slot, at)
                moved.append(user.name)
            with db.atomic():
                accounts_repo.sync_users(db, ring.directory.accounts.values())
                set_meta(db, "database_id", ring.directory.database_id)
                set_meta(db, "account_log_count", str(len(ring.data["log"])))
                set_meta(db, "account_log_head", account_log.entry_hash(ring.data["log"][-1]))
                audit.append(
                    db,
                    at=at,
                    user_id=admin.id,
                    user_name=admin.name,
                    action="key_file_upgraded",
                    detail=f"{len(moved)} accounts carried over",
                    signer=(admin.id, admin_keys.sign),
                )
                set_meta(db, "clean_close", "1")
            ring.data["state"] = audit_record(db, admin.id, admin_keys, at)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except DatabaseError as exc:
            raise storage_error(exc, "upgrade the database") from None
        finally:
            db.close()
        _keep_format1(keys_file)
        ring.save()
        return moved
    finally:
        lock.release()


def _carry_over(
    ring: Keyring,
    admin_id: int,
    admin_keys: AccountKeys,
    account_id: int,
    row: dict[str, object],
    slot: dict[str, object] | None,
    at: str,
) -> None:
    def keep_slot() -> None:
        ring.set_vault(account_id, wrap=None)
        if slot is not None:
            ring.set_vault(account_id, legacy=slot)

    ring.append(admin_id, admin_keys, "account_imported", account_id, row, at, keep_slot)


def _keep_format1(keys_file: Path) -> None:
    kept = keys_file.with_name(keys_file.name + ".format1")
    try:
        if not kept.exists():
            os.link(keys_file, kept)
    except OSError as exc:
        raise StorageError(
            f"Could not keep a copy of the format-1 key file ({exc.strerror}); nothing was "
            "changed. Free some disk space and try again."
        ) from None
