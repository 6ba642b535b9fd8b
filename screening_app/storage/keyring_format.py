"""Reading the key file: every field checked for type, size and range before anything trusts it
(storage.keyring explains the file). Damage of any kind is a :class:`KeyFileDamaged` naming what
is wrong — never a crash, never a hang (a FIFO, a huge file or an absurd key-derivation cost
are refused before use).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from screening_app import crypto
from screening_app.crypto import KdfParams
from screening_app.errors import StorageError
from screening_app.storage import account_log
from screening_app.storage.account_log import RECOVERY, Directory, LogError

FORMAT = 2
MAX_BYTES = 8 * 1024 * 1024
MAX_UNKNOWN = 256
_EPOCH_MAX = 10**11  # seconds: year 5138


class KeyFileDamaged(StorageError):
    """The key file is missing a field, has one out of range, or its log does not verify."""


def parse(path: Path) -> tuple[dict[str, Any], Directory]:
    """The checked contents of the key file at ``path`` and the directory its log adds up to."""
    raw = _read_bounded(path)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged(path, "it is not valid JSON") from None
    if isinstance(data, dict) and data.get("format") == 1:
        raise KeyFileDamaged(
            f"The key file {path.name} is from an earlier version of the app (format 1). An "
            "administrator moves it to the new format once, with the recovery key: "
            "`screening-app db upgrade --db PATH --user ADMIN --recovery-key-file R`. "
            "Nothing was changed."
        )
    try:
        _check_file(data)
        directory = account_log.fold(data["log"])
        _check_vaults(data, directory)
    except (LogError, _Bad) as exc:
        raise _damaged(path, str(exc)) from None
    return data, directory


def vaults_digest(vaults: list[dict[str, Any]]) -> str:
    """What the account log vouches for in the vaults: each account's locked keys and sealed
    data key (not the sign-in counters, which change without anyone's key)."""
    held = sorted((int(v["id"]), v["wrap"], v["data_key"], v.get("legacy")) for v in vaults)
    return hashlib.sha256(crypto.canonical(held)).hexdigest()


class _Bad(ValueError):
    pass


def _read_bounded(path: Path) -> bytes:
    """At most MAX_BYTES of a regular file; a FIFO or device is refused before it is opened
    (opening a FIFO would wait for a writer for ever)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise _damaged(path, "it is not a regular file")
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as opened:
            if not stat.S_ISREG(os.fstat(opened.fileno()).st_mode):
                raise _damaged(path, "it is not a regular file")
            raw = opened.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise StorageError(
            f"The key file {path.name} next to the database is missing, so the database "
            "cannot be unlocked. Restore it from the same backup as the database "
            "(`screening-app db restore`)."
        ) from None
    except OSError as exc:
        raise StorageError(f"The key file {path.name} cannot be read ({exc.strerror}).") from None
    if len(raw) > MAX_BYTES:
        raise _damaged(path, f"it is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return raw


def _damaged(path: Path, detail: str) -> KeyFileDamaged:
    return KeyFileDamaged(
        f"The key file {path.name} is damaged ({detail}). Nothing was changed. Restore the key "
        "file and the database from the newest backup (`screening-app db restore`)."
    )


def _check_file(data: Any) -> None:
    _dict(data, "the file", {"format", "log", "vaults", "unknown", "state"})
    if data["format"] != FORMAT:
        raise _Bad("unknown format")
    log = _list(data["log"], "log", 1_000_000)
    for n, entry in enumerate(log):
        _check_entry(entry, n)
    for vault in _list(data["vaults"], "vaults", 100_000):
        _check_vault(vault)
    unknown = _dict(data["unknown"], "unknown", None)
    if len(unknown) > MAX_UNKNOWN:
        raise _Bad("too many failed names")
    for key, entry in unknown.items():
        _hex(key, "unknown name", 16)
        _dict(entry, "unknown name", {"failures", "not_before"})
        _int(entry["failures"], "failures", 0, 10**9)
        _number(entry["not_before"], "not_before", 0, _EPOCH_MAX)
    fields = {"rows", "head", "signer", "at", "sig"}
    if isinstance(data["state"], dict) and "screenings" in data["state"]:
        fields |= {"screenings", "screenings_hash"}  # written since schema 9
    state = _dict(data["state"], "audit record", fields)
    if "screenings" in fields:
        _int(state["screenings"], "audit record", 0, 10**12)
        _hex(state["screenings_hash"], "audit record", 32)
    _int(state["rows"], "audit record", 0, 10**12)
    _hex(state["head"], "audit record", 32)
    _int(state["signer"], "audit record", 0, 10**6)
    _text(state["at"], "audit record", 40)
    _hex(state["sig"], "audit record", crypto.SIGNATURE_BYTES)


def entry_problem(entry: Any) -> str | None:
    """What makes a new entry unreadable by :func:`parse` (None when it is fine): checked before
    an entry is appended, so a key file is never written that its own reader calls damaged."""
    try:
        _check_entry(entry, int(entry.get("seq", 0)))
    except (_Bad, ValueError, AttributeError) as exc:
        return str(exc)
    return None


def _check_entry(entry: Any, n: int) -> None:
    what = f"log entry {n}"
    _dict(entry, what, {"seq", "at", "actor", "action", "subject", "data", "prev", "sig"})
    _int(entry["seq"], what, 0, 10**7)
    _text(entry["at"], what, 40)
    _int(entry["actor"], what, 0, 10**6)
    if entry["action"] not in account_log.ACTIONS:
        raise _Bad(f"{what}: unknown action")
    if entry["subject"] is not None:
        _int(entry["subject"], what, 0, 10**6)
    for key, value in _dict(entry["data"], what, None).items():
        _text(key, what, 40)
        if isinstance(value, str):
            _text(value, what, 300)
        elif not isinstance(value, int) or isinstance(value, bool) or abs(value) > 10**12:
            raise _Bad(f"{what}: a value is neither text nor a whole number")
    _hex(entry["prev"], what, 32)
    _hex(entry["sig"], what, crypto.SIGNATURE_BYTES)


def _check_vault(vault: Any) -> None:
    keys = {"id", "wrap", "data_key", "next_data_key", "failures", "not_before", "failed_at"}
    _dict(
        vault, "vault", keys | {"legacy"} if isinstance(vault, dict) and "legacy" in vault else keys
    )
    _int(vault["id"], "vault id", 0, 10**6)
    if vault["wrap"] is not None:
        wrap = _dict(vault["wrap"], "vault", {"kdf", "salt", "nonce", "sealed"})
        _check_kdf(wrap["kdf"])
        _hex(wrap["salt"], "salt", crypto.SALT_BYTES)
        _hex(wrap["nonce"], "nonce", crypto.NONCE_BYTES)
        _hex(wrap["sealed"], "locked keys", 2 * crypto.KEY_BYTES + crypto.TAG_BYTES)
    if "legacy" in vault:
        legacy = _dict(
            vault["legacy"], "format-1 slot", {"slot", "kdf", "salt", "nonce", "wrapped"}
        )
        _hex(legacy["slot"], "format-1 slot", 16)
        _check_kdf(legacy["kdf"])
        _hex(legacy["salt"], "format-1 slot", crypto.SALT_BYTES)
        _hex(legacy["nonce"], "format-1 slot", crypto.NONCE_BYTES)
        _hex(legacy["wrapped"], "format-1 slot", crypto.KEY_BYTES + crypto.TAG_BYTES)
    for slot in ("data_key", "next_data_key"):
        if vault[slot] is not None:
            _hex(vault[slot], "sealed data key", crypto.SEALED_BYTES)
    _int(vault["failures"], "failures", 0, 10**9)
    _number(vault["not_before"], "not_before", 0, _EPOCH_MAX)
    for moment in _list(vault["failed_at"], "failed_at", 50):
        _number(moment, "failed_at", 0, _EPOCH_MAX)


def _check_kdf(value: Any) -> None:
    try:
        KdfParams.from_json(value)
    except ValueError as exc:
        raise _Bad(f"key-derivation cost: {exc}") from None


def _check_vaults(data: dict[str, Any], directory: Directory) -> None:
    ids = [int(v["id"]) for v in data["vaults"]]
    if len(ids) != len(set(ids)):
        raise _Bad("an account has two vaults")
    missing = {RECOVERY, *directory.accounts} - set(ids)
    if missing:
        raise _Bad(f"no vault for account {min(missing)}")
    if set(ids) - {RECOVERY, *directory.accounts}:
        raise _Bad("a vault belongs to no account")
    for vault in data["vaults"]:
        account = directory.accounts.get(int(vault["id"]))
        usable = vault["wrap"] is not None or (
            "legacy" in vault and account is not None and account.pending
        )
        if not usable and (account is None or (account.active and not account.pending)):
            raise _Bad(f"the vault of account {vault['id']} holds no keys")
    if vaults_digest(data["vaults"]) != directory.vaults_digest:
        raise _Bad("a vault does not hold what the account log says it holds")


def _dict(value: Any, what: str, keys: set[str] | None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{what} is not an object")
    if keys is not None and set(value) != keys:
        raise _Bad(f"{what} has missing or unexpected fields")
    return value


def _list(value: Any, what: str, most: int) -> list[Any]:
    if not isinstance(value, list) or len(value) > most:
        raise _Bad(f"{what} is not a list of at most {most}")
    return value


def _int(value: Any, what: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _Bad(f"{what}: a number is missing or out of range")
    return value


def _number(value: Any, what: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise _Bad(f"{what}: a number is missing or out of range")
    return float(value)


def _text(value: Any, what: str, most: int) -> str:
    if not isinstance(value, str) or len(value) > most:
        raise _Bad(f"{what}: text is missing or too long")
    return value


def _hex(value: Any, what: str, size: int) -> bytes:
    if not isinstance(value, str) or len(value) != 2 * size:
        raise _Bad(f"{what} has the wrong length")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise _Bad(f"{what} is not hexadecimal") from None


def format1_unwrap(slot: dict[str, Any], secret: str) -> bytes | None:
    """The data key from a format-1 key slot (argon2id + AES-256-GCM), or None."""
    return crypto.unwrap_secret(
        secret,
        bytes.fromhex(slot["salt"]),
        bytes.fromhex(slot["nonce"]),
        bytes.fromhex(slot["wrapped"]),
        KdfParams.from_json(slot["kdf"]),
        str(slot["slot"]).encode(),
    )


def read_format1(path: Path) -> dict[str, dict[str, Any]]:
    """The key slots of a format-1 key file, each checked (with its id as ``slot``), and the
    name salt under ``"name_salt"``."""
    raw = _read_bounded(path)
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != 1:
            raise _Bad("it is not a format-1 key file")
        salt = _hex(data.get("name_salt"), "name salt", 16)
        slots: dict[str, dict[str, Any]] = {}
        for slot_id, slot in _dict(data.get("slots"), "slots", None).items():
            _dict(slot, "format-1 slot", {"salt", "nonce", "wrapped", "kdf"})
            _check_kdf(slot["kdf"])
            _hex(slot["salt"], "format-1 slot", crypto.SALT_BYTES)
            _hex(slot["nonce"], "format-1 slot", crypto.NONCE_BYTES)
            _hex(slot["wrapped"], "format-1 slot", crypto.KEY_BYTES + crypto.TAG_BYTES)
            slots[str(slot_id)] = {**slot, "slot": str(slot_id)}
    except (UnicodeDecodeError, ValueError, RecursionError, _Bad) as exc:
        raise _damaged(path, str(exc) or "it is not valid JSON") from None
    if "recovery" not in slots:
        raise _damaged(path, "it has no recovery key slot")
    return {"name_salt": {"hex": salt.hex()}, **slots}
