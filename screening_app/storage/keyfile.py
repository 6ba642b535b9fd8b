"""Key slots: the random database key, wrapped once per account and once for the recovery key.

Like LUKS: the database is encrypted with one random 256-bit key. Each account has a slot holding
that key encrypted (AES-256-GCM) with a key derived from the account's password by argon2id, so
changing a password rewraps one slot and never re-encrypts the database. The slots live in a side
file ``<db>.keys`` because the key is needed before the database can be read. A slot is found by
a keyed hash of the user name, so the file does not list who has an account.

The file also counts failed sign-ins, so the growing delay survives closing the app.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from screening_app.errors import AuthenticationError, StorageError

FORMAT = 1
KEY_BYTES = 32
RECOVERY_SLOT = "recovery"
FREE_FAILURES = 5
MAX_DELAY = 60.0
BAD_SIGN_IN = (
    "That user name and password do not match an account on this database. Check them "
    "(is Caps Lock on?) and try again."
)


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost. The default (64 MiB, 3 passes) takes about 0.11 s on a 2-core machine."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 2

    def to_json(self) -> dict[str, int]:
        return {"t": self.time_cost, "m": self.memory_kib, "p": self.parallelism}

    @staticmethod
    def from_json(data: dict[str, Any]) -> KdfParams:
        return KdfParams(int(data["t"]), int(data["m"]), int(data["p"]))


FAST_KDF = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)  # tests and benchmarks only


def key_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".keys")


def derive(secret: str, salt: bytes, params: KdfParams) -> bytes:
    """argon2id(secret, salt) → 32 raw bytes."""
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def new_recovery_key() -> str:
    """25 random base32 characters (125 bits) in groups of five: ``ABCDE-FGHIJ-…``."""
    raw = base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")[:25]
    return "-".join(raw[i : i + 5] for i in range(0, 25, 5))


def normalise_recovery_key(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalnum())


class KeyFile:
    """The ``<db>.keys`` file: slots, the name-hash salt and the failed sign-in counter."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    # -- reading and writing -------------------------------------------------------------
    @staticmethod
    def create(path: Path) -> KeyFile:
        data = {
            "format": FORMAT,
            "name_salt": secrets.token_hex(16),
            "slots": {},
            "failures": 0,
            "not_before": 0.0,
            "failed_at": [],
        }
        return KeyFile(path, data)

    @staticmethod
    def load(path: Path) -> KeyFile:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StorageError(
                f"The key file {path.name} next to the database is missing, so the database "
                "cannot be unlocked. Restore it from the same backup as the database "
                "(`screening-app db restore`)."
            ) from None
        except (OSError, ValueError) as exc:
            raise StorageError(
                f"The key file {path.name} cannot be read ({exc.__class__.__name__}). Restore "
                "the newest backup with `screening-app db restore`."
            ) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StorageError(
                f"The key file {path.name} is damaged or from a newer version of the app."
            )
        return KeyFile(path, data)

    def save(self) -> None:
        """Atomically: a crash leaves the old file or the new one, never half of one."""
        text = json.dumps(self.data, indent=1, sort_keys=True)
        handle, tmp = tempfile.mkstemp(prefix=".keys-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise StorageError(f"Could not write the key file ({exc.strerror}).") from None

    # -- slots ---------------------------------------------------------------------------
    def slot_id(self, user_name: str) -> str:
        salt = bytes.fromhex(self.data["name_salt"])
        digest = hmac.new(salt, user_name.casefold().encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:32]

    def add_slot(self, slot: str, secret: str, db_key: bytes, params: KdfParams) -> None:
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(derive(secret, salt, params)).encrypt(nonce, db_key, slot.encode())
        self.data["slots"][slot] = {
            "salt": salt.hex(),
            "nonce": nonce.hex(),
            "wrapped": wrapped.hex(),
            "kdf": params.to_json(),
        }

    def remove_slot(self, slot: str) -> None:
        self.data["slots"].pop(slot, None)

    def has_slot(self, slot: str) -> bool:
        return slot in self.data["slots"]

    def unwrap(self, slot: str, secret: str) -> bytes | None:
        """The database key, or None when the slot is missing or the secret is wrong.

        A missing slot still costs one key derivation, so timing does not tell whether the
        user exists.
        """
        entry = self.data["slots"].get(slot)
        if entry is None:
            derive(secret, b"\0" * 16, _default_params(self.data))
            return None
        key = derive(secret, bytes.fromhex(entry["salt"]), KdfParams.from_json(entry["kdf"]))
        try:
            return AESGCM(key).decrypt(
                bytes.fromhex(entry["nonce"]), bytes.fromhex(entry["wrapped"]), slot.encode()
            )
        except InvalidTag:
            return None

    # -- failed attempts -----------------------------------------------------------------
    def check_not_throttled(self, now: float | None = None) -> None:
        wait = float(self.data.get("not_before", 0.0)) - (now or time.time())
        if wait > 0:
            raise AuthenticationError(
                f"Too many failed sign-ins. Wait {wait:.0f} seconds, then try again.",
                retry_after=wait,
            )

    def record_failure(self, now: float | None = None) -> AuthenticationError:
        moment = now or time.time()
        failures = int(self.data.get("failures", 0)) + 1
        self.data["failures"] = failures
        self.data.setdefault("failed_at", []).append(moment)
        self.data["failed_at"] = self.data["failed_at"][-50:]
        delay = 0.0
        if failures >= FREE_FAILURES:
            delay = min(MAX_DELAY, 2.0 ** (failures - FREE_FAILURES + 1))
        self.data["not_before"] = moment + delay
        self.save()
        message = BAD_SIGN_IN
        if delay:
            message += f" After {failures} failed attempts, wait {delay:.0f} seconds first."
        return AuthenticationError(message, retry_after=delay)

    def take_failures(self) -> list[float]:
        """Failed attempts since the last success (for the audit trail); resets the counter."""
        failed = [float(t) for t in self.data.get("failed_at", [])]
        self.data["failures"] = 0
        self.data["not_before"] = 0.0
        self.data["failed_at"] = []
        return failed


def _default_params(data: dict[str, Any]) -> KdfParams:
    for entry in data["slots"].values():
        return KdfParams.from_json(entry["kdf"])
    return KdfParams()
