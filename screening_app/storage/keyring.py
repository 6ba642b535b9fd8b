"""The key file ``<db>.keys``: the account log, each account's locked keys, failed sign-ins.

The database is encrypted with a random data key. Nobody's password opens it directly:

- each account has a *vault*: its X25519 and Ed25519 private keys encrypted under its password
  (argon2id + AES-256-GCM), and — only once a supervisor or the recovery key granted access —
  the data key sealed to its X25519 public key. The administrator's vault never gets one;
- the recovery key has a vault too, whose keys always receive the data key;
- who the accounts are (names, roles, teams, public keys, who was granted access) is the signed
  account log (:mod:`screening_app.storage.account_log`), not a table anyone can edit.

The file is parsed, not trusted: :meth:`Keyring.load` reads at most ``MAX_BYTES``, checks every
field's type, size and range (key-derivation cost included, so an edited file cannot make sign-in
hang) and folds the log, checking every signature. Anything wrong is a :class:`KeyFileDamaged`
naming what, never a crash. Failed sign-ins are counted per account (and per made-up name), and
the counters are required fields: deleting one makes the file damaged, it does not lift a delay.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screening_app import crypto
from screening_app.crypto import AccountKeys, KdfParams
from screening_app.domain.capabilities import Verb, can
from screening_app.errors import AuthenticationError, StorageError
from screening_app.storage import account_log
from screening_app.storage.account_log import RECOVERY, Account, Directory
from screening_app.storage.keyring_format import (
    FORMAT,
    MAX_UNKNOWN,
    KeyFileDamaged,
    entry_problem,
    format1_unwrap,
    parse,
    vaults_digest,
)
from screening_app.storage.throttle import failure, next_delay, raise_if_waiting

__all__ = ["KeyFileDamaged", "Keyring", "Unlocked", "key_path", "vaults_digest"]


def key_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".keys")


def log_copy_path(key_file: Path) -> Path:
    """Where a copy of the account log is kept, beside the backups: ``NAME-backups/NAME.db.log``
    for ``NAME.db.keys`` (docs/SECURITY.md, "A leaver")."""
    db_name = key_file.name.removesuffix(".keys")
    return key_file.with_name(f"{Path(db_name).stem}-backups") / f"{db_name}.log"


def new_recovery_key() -> str:
    """25 random base32 characters (125 bits) in groups of five: ``ABCDE-FGHIJ-…``."""
    raw = base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")[:25]
    return "-".join(raw[i : i + 5] for i in range(0, 25, 5))


def normalise_recovery_key(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum())[:64]


@dataclass(frozen=True)
class Unlocked:
    """An account whose password was right: its directory entry and its private keys."""

    account: Account
    keys: AccountKeys


class Keyring:
    """The parsed key file. Change it with the methods below, then :meth:`save`."""

    def __init__(self, path: Path, data: dict[str, Any], directory: Directory) -> None:
        self.path = path
        self.data = data
        self.directory = directory

    # -- creating, reading, writing ----------------------------------------------------------
    @staticmethod
    def create(
        path: Path,
        admin: dict[str, str],
        admin_password: str,
        recovery_key: str,
        kdf: KdfParams,
        at: str,
        *,
        admin_id: int = 1,
        data_key: bytes | None = None,
    ) -> tuple[Keyring, bytes, AccountKeys]:
        """A new key file (not yet saved) for administrator ``admin``; returns it, the data key
        (new unless given; only the recovery key receives it) and the administrator's keys."""
        admin_keys, recovery_keys = AccountKeys.generate(), AccountKeys.generate()
        data_key = data_key or crypto.random_key()
        ring = Keyring(
            path, {"format": FORMAT, "log": [], "vaults": [], "unknown": {}}, Directory()
        )
        ring.data["state"] = None
        genesis = {
            **admin,
            "database_id": secrets.token_hex(16),
            "x25519": admin_keys.box_public.hex(),
            "ed25519": admin_keys.sign_public.hex(),
            "recovery_x25519": recovery_keys.box_public.hex(),
            "recovery_ed25519": recovery_keys.sign_public.hex(),
        }

        def first_vaults() -> None:
            ring.set_password(RECOVERY, normalise_recovery_key(recovery_key), recovery_keys, kdf)
            ring.set_password(admin_id, admin_password, admin_keys, kdf)
            sealed = crypto.seal(data_key, recovery_keys.box_public, _context(RECOVERY))
            ring.set_vault(RECOVERY, data_key=sealed.hex())

        ring.append(admin_id, admin_keys, "database_created", admin_id, genesis, at, first_vaults)
        return ring, data_key, admin_keys

    @staticmethod
    def load(path: Path) -> Keyring:
        """The key file at ``path``, checked field by field (storage.keyring_format)."""
        data, directory = parse(path)
        return Keyring(path, data, directory)

    def save(self, path: Path | None = None) -> None:
        """Atomically: a crash leaves the old file or the new one, never half of one. The live
        key file's account log is also copied beside the backups, so that a key file put back
        from an older copy (before an account was disabled) is refused by the next key holder."""
        target = path or self.path
        self._write(target, json.dumps(self.data, indent=1, sort_keys=True))
        if path is None or path == self.path:
            copy_path = log_copy_path(self.path)
            try:
                copy_path.parent.mkdir(exist_ok=True)
            except OSError as exc:
                raise StorageError(f"Could not write the key file ({exc.strerror}).") from None
            self._write(copy_path, json.dumps(self.data["log"], sort_keys=True))

    @staticmethod
    def _write(target: Path, text: str) -> None:
        handle, tmp = tempfile.mkstemp(prefix=".keys-", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise StorageError(f"Could not write the key file ({exc.strerror}).") from None

    # -- the account log ---------------------------------------------------------------------
    def append(
        self,
        actor: int,
        keys: AccountKeys,
        action: str,
        subject: int | None,
        data: dict[str, Any],
        at: str,
        change: Callable[[], None] | None = None,
    ) -> dict[str, Any]:
        """Make ``change`` to the vaults and sign one entry recording the decision and what the
        vaults now hold. A decision the log's rules refuse (LogError) leaves nothing changed."""
        before = copy.deepcopy(self.data["vaults"])
        try:
            if change is not None:
                change()
            data = {**data, "vaults": vaults_digest(self.data["vaults"])}
            entry = account_log.make_entry(self.directory, actor, keys, action, subject, data, at)
            problem = entry_problem(entry)
            if problem is not None:
                raise account_log.LogError(problem)
            account_log.apply(self.directory, entry)
        except BaseException:
            self.data["vaults"] = before
            raise
        self.data["log"].append(entry)
        return entry

    # -- vaults ------------------------------------------------------------------------------
    def vault(self, account_id: int) -> dict[str, Any]:
        for vault in self.data["vaults"]:
            if vault["id"] == account_id:
                return dict(vault)
        raise KeyError(account_id)

    def set_vault(self, account_id: int, **changes: Any) -> None:
        vaults = [v for v in self.data["vaults"] if v["id"] != account_id]
        try:
            current = self.vault(account_id)
        except KeyError:
            current = {
                "id": account_id,
                "data_key": None,
                "next_data_key": None,
                "failures": 0,
                "not_before": 0.0,
                "failed_at": [],
            }
        vaults.append({**current, **changes})
        self.data["vaults"] = sorted(vaults, key=lambda v: int(v["id"]))

    def set_password(self, account_id: int, secret: str, keys: AccountKeys, kdf: KdfParams) -> None:
        """(Re)lock ``keys`` under ``secret``: a new account, a changed or reset password."""
        wrap = crypto.wrap_secret(secret, keys.to_bytes(), kdf, _context(account_id))
        self.set_vault(account_id, wrap=wrap)

    def seal_data_key(self, account_id: int, data_key: bytes, slot: str = "data_key") -> None:
        """Give ``account_id`` the data key, sealed to its current public key."""
        public = (
            self.directory.recovery_box
            if account_id == RECOVERY
            else self.directory.accounts[account_id].box_public
        )
        sealed = crypto.seal(data_key, public, _context(account_id))
        self.set_vault(account_id, **{slot: sealed.hex()})

    def drop_data_key(self, account_id: int) -> None:
        self.set_vault(account_id, data_key=None, next_data_key=None)

    def data_key(self, unlocked: AccountKeys, account_id: int) -> list[bytes]:
        """The data keys this account can open: the current one, then one being rotated to."""
        vault = self.vault(account_id)
        found = []
        for slot in ("data_key", "next_data_key"):
            if vault[slot]:
                key = crypto.unseal(bytes.fromhex(vault[slot]), unlocked, _context(account_id))
                if key is not None:
                    found.append(key)
        return found

    def promote_next_keys(self) -> None:
        """After a rotation: the key being rotated to becomes everyone's current key."""
        for vault in self.data["vaults"]:
            if vault["next_data_key"]:
                vault["data_key"], vault["next_data_key"] = vault["next_data_key"], None
            else:
                vault["data_key"] = None

    # -- signing in --------------------------------------------------------------------------
    def unlock(
        self, name: str, password: str, now: float, kdf: KdfParams | None = None
    ) -> Unlocked:
        """The account ``name`` with its keys; AuthenticationError (counted) otherwise. An
        account moved from a format-1 key file gets its keys now (under ``kdf``)."""
        account = self.directory.by_name(name)
        if account is None or not account.active:
            self._check_unknown(name, now)
            wrap = self.vault(RECOVERY)["wrap"]
            crypto.derive(password, b"\0" * crypto.SALT_BYTES, _kdf(wrap))
            raise self._unknown_failure(name, now)
        self._check_throttle(account.id, now)
        if account.pending:
            return self._first_keys(account, password, now, kdf or KdfParams())
        keys = self._open_vault(account.id, password)
        if keys is None:
            raise self.record_failure(account.id, now)
        return Unlocked(account, keys)

    def _first_keys(self, account: Account, password: str, now: float, kdf: KdfParams) -> Unlocked:
        """Check the password against the account's format-1 slot; then give the account key
        pairs of its own (self-signed into the log), and the data key that slot held."""
        legacy = self.vault(account.id).get("legacy")
        data_key = format1_unwrap(legacy, password) if legacy else None
        if data_key is None:
            raise self.record_failure(account.id, now)
        keys = AccountKeys.generate()
        access = can(account.role, Verb.READ_SCREENINGS)

        def relock() -> None:
            self.set_password(account.id, password, keys, kdf)
            vault = self.vault(account.id)
            vault.pop("legacy", None)
            if access:
                sealed = crypto.seal(data_key, keys.box_public, _context(account.id))
                vault["data_key"] = sealed.hex()
            others = [v for v in self.data["vaults"] if v["id"] != account.id]
            self.data["vaults"] = sorted([*others, vault], key=lambda v: int(v["id"]))

        data = {
            "x25519": keys.box_public.hex(),
            "ed25519": keys.sign_public.hex(),
            "access": int(access),
        }
        at = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
        self.append(account.id, keys, "keys_set", account.id, data, at, relock)
        self.save()
        return Unlocked(self.directory.accounts[account.id], keys)

    def unlock_recovery(self, recovery_key: str, now: float) -> AccountKeys:
        self._check_throttle(RECOVERY, now)
        keys = self._open_vault(RECOVERY, normalise_recovery_key(recovery_key))
        if keys is None:
            failure = self.record_failure(RECOVERY, now)
            raise AuthenticationError(
                "That is not the recovery key of this database. Type it as printed; dashes "
                "and spaces do not matter.",
                retry_after=failure.retry_after,
            )
        return keys

    def verify_password(self, account_id: int, password: str) -> bool:
        return self._open_vault(account_id, password) is not None

    def _open_vault(self, account_id: int, secret: str) -> AccountKeys | None:
        wrap = self.vault(account_id)["wrap"]
        plain = crypto.unwrap_secret(
            secret,
            bytes.fromhex(wrap["salt"]),
            bytes.fromhex(wrap["nonce"]),
            bytes.fromhex(wrap["sealed"]),
            _kdf(wrap),
            _context(account_id),
        )
        return AccountKeys.from_bytes(plain) if plain is not None else None

    # -- failed attempts ---------------------------------------------------------------------
    def _check_throttle(self, account_id: int, now: float) -> None:
        raise_if_waiting(float(self.vault(account_id)["not_before"]), now)

    def record_failure(self, account_id: int, now: float) -> AuthenticationError:
        vault = self.vault(account_id)
        failures, delay = next_delay(int(vault["failures"]))
        self.set_vault(
            account_id,
            failures=failures,
            not_before=now + delay,
            failed_at=[*vault["failed_at"], now][-50:],
        )
        self.save()
        return failure(failures, delay)

    def take_failures(self, account_id: int) -> list[float]:
        """Failed attempts since the last success (for the audit trail); resets the counter."""
        failed = [float(t) for t in self.vault(account_id)["failed_at"]]
        self.set_vault(account_id, failures=0, not_before=0.0, failed_at=[])
        return failed

    def _unknown_id(self, name: str) -> str:
        salt = self.directory.database_id.encode()
        return hmac.new(salt, name.strip().casefold().encode(), hashlib.sha256).hexdigest()[:32]

    def _check_unknown(self, name: str, now: float) -> None:
        entry = self.data["unknown"].get(self._unknown_id(name))
        if entry:
            raise_if_waiting(float(entry["not_before"]), now)

    def _unknown_failure(self, name: str, now: float) -> AuthenticationError:
        unknown: dict[str, Any] = self.data["unknown"]
        key = self._unknown_id(name)
        failures, delay = next_delay(int(unknown.get(key, {}).get("failures", 0)))
        unknown[key] = {"failures": failures, "not_before": now + delay}
        if len(unknown) > MAX_UNKNOWN:  # forget the oldest made-up names
            for old in sorted(unknown, key=lambda k: unknown[k]["not_before"])[:-MAX_UNKNOWN]:
                del unknown[old]
        self.save()
        return failure(failures, delay)


def _context(account_id: int) -> bytes:
    return f"cse-screening account {account_id}".encode()


def _kdf(wrap: dict[str, Any]) -> KdfParams:
    return KdfParams.from_json(wrap["kdf"])


def now_seconds() -> float:
    return time.time()
