"""The cryptography every part of the app shares, in one small module (docs/SECURITY.md).

- **Account keys**: each account has an X25519 key pair (to receive keys sealed to it) and an
  Ed25519 key pair (to sign what it decides). The private halves are stored only encrypted
  under the account's password (:func:`wrap_secret`, argon2id + AES-256-GCM).
- **Sealing** (:func:`seal`/:func:`unseal`): a secret (the database key, later a team key) is
  encrypted for one public key with an ephemeral X25519 exchange, HKDF-SHA256 and AES-256-GCM,
  so anyone may grant access knowing only the recipient's public key.
- **Signing**: Ed25519 over the SHA-256 of a canonical JSON encoding (:func:`digest`).

Pure functions over bytes: no files, no database, no Qt.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
TAG_BYTES = 16
SEALED_BYTES = KEY_BYTES + NONCE_BYTES + KEY_BYTES + TAG_BYTES  # ephemeral key, nonce, key, tag
SIGNATURE_BYTES = 64
_RAW = serialization.Encoding.Raw
_SEAL_INFO = b"cse-screening sealed key v1"


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost. The default (64 MiB, 3 passes) takes about 0.11 s on a 2-core machine.

    A key file may only ask for costs within :data:`KDF_LIMITS`: a file edited to ask for a
    huge cost would otherwise make sign-in hang.
    """

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 2

    def to_json(self) -> dict[str, int]:
        return {"t": self.time_cost, "m": self.memory_kib, "p": self.parallelism}

    @staticmethod
    def from_json(data: object) -> KdfParams:
        """The cost stored as ``{"t", "m", "p"}``; ValueError when a field is missing, not a
        whole number, or outside KDF_LIMITS."""
        if not isinstance(data, dict) or set(data) != set(KDF_LIMITS):
            raise ValueError("the key-derivation cost needs exactly t, m and p")
        for name, (low, high) in KDF_LIMITS.items():
            value = data[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ValueError("a key-derivation cost is missing or out of range")
        return KdfParams(data["t"], data["m"], data["p"])


KDF_LIMITS = {"t": (1, 10), "m": (1024, 262144), "p": (1, 8)}
FAST_KDF = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)  # tests and benchmarks only


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


def random_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


@dataclass(frozen=True)
class AccountKeys:
    """An account's private keys (only ever in memory) and the public halves others use."""

    box: X25519PrivateKey
    signer: Ed25519PrivateKey

    @staticmethod
    def generate() -> AccountKeys:
        return AccountKeys(X25519PrivateKey.generate(), Ed25519PrivateKey.generate())

    @staticmethod
    def from_bytes(raw: bytes) -> AccountKeys:
        if len(raw) != 2 * KEY_BYTES:
            raise ValueError("account keys must be 64 bytes")
        return AccountKeys(
            X25519PrivateKey.from_private_bytes(raw[:KEY_BYTES]),
            Ed25519PrivateKey.from_private_bytes(raw[KEY_BYTES:]),
        )

    def to_bytes(self) -> bytes:
        fmt, none = serialization.PrivateFormat.Raw, serialization.NoEncryption()
        return self.box.private_bytes(_RAW, fmt, none) + self.signer.private_bytes(_RAW, fmt, none)

    @property
    def box_public(self) -> bytes:
        return self.box.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)

    @property
    def sign_public(self) -> bytes:
        return self.signer.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self.signer.sign(message)


def wrap_secret(secret: str, plain: bytes, params: KdfParams, context: bytes) -> dict[str, Any]:
    """``plain`` encrypted under argon2id(``secret``); ``context`` binds it to its owner."""
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(derive(secret, salt, params)).encrypt(nonce, plain, context)
    return {
        "kdf": params.to_json(),
        "salt": salt.hex(),
        "nonce": nonce.hex(),
        "sealed": sealed.hex(),
    }


def unwrap_secret(
    secret: str, salt: bytes, nonce: bytes, sealed: bytes, params: KdfParams, context: bytes
) -> bytes | None:
    """The plain bytes, or None when ``secret`` is wrong (or the wrap was tampered with)."""
    return decrypt(derive(secret, salt, params), nonce, sealed, context)


def encrypt(key: bytes, plain: bytes, context: bytes) -> tuple[bytes, bytes]:
    """AES-256-GCM under ``key`` with a fresh nonce: (nonce, ciphertext)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plain, context)


def decrypt(key: bytes, nonce: bytes, ciphertext: bytes, context: bytes) -> bytes | None:
    """The plain bytes, or None when ``key`` or ``context`` is wrong or anything was changed."""
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, context)
    except InvalidTag:
        return None


def seal(plain: bytes, recipient_box_public: bytes, context: bytes) -> bytes:
    """``plain`` encrypted so only the holder of the X25519 private key can read it."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_box_public))
    key = _seal_key(shared, ephemeral_public, recipient_box_public)
    nonce = secrets.token_bytes(NONCE_BYTES)
    return ephemeral_public + nonce + AESGCM(key).encrypt(nonce, plain, context)


def unseal(sealed: bytes, keys: AccountKeys, context: bytes) -> bytes | None:
    """The plain bytes, or None when ``sealed`` was not made for ``keys`` (or was changed)."""
    if len(sealed) < KEY_BYTES + NONCE_BYTES + TAG_BYTES:
        return None
    ephemeral_public, nonce = sealed[:KEY_BYTES], sealed[KEY_BYTES : KEY_BYTES + NONCE_BYTES]
    try:
        shared = keys.box.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError:
        return None
    key = _seal_key(shared, ephemeral_public, keys.box_public)
    return decrypt(key, nonce, sealed[KEY_BYTES + NONCE_BYTES :], context)


def _seal_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    hkdf = HKDF(hashes.SHA256(), KEY_BYTES, salt=None, info=_SEAL_INFO)
    return hkdf.derive(shared + ephemeral_public + recipient_public)


def canonical(value: Any) -> bytes:
    """One byte string per JSON value: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest(value: Any) -> bytes:
    """SHA-256 of the canonical encoding: what signatures cover."""
    return hashlib.sha256(canonical(value)).digest()


def verify(sign_public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        _public_key(sign_public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@functools.lru_cache(maxsize=1024)
def _public_key(sign_public: bytes) -> Ed25519PublicKey:
    """A loaded public key (a team has a few dozen; ``db check`` verifies thousands of
    signatures with each)."""
    return Ed25519PublicKey.from_public_bytes(sign_public)


def tag(secret: bytes, text: str) -> str:
    """HMAC-SHA256 of ``text`` under ``secret``, as hex: the same text gives the same tag for
    whoever holds the secret, and the tag alone tells nothing about the text."""
    return hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()


_CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32: no 0, 1, 8 or 9
CODE_CHARACTERS = 12  # 60 bits, read aloud as three groups of four


def computer_code(box_public: bytes, sign_public: bytes) -> str:
    """A computer's code, ``ABCD-EFGH-JKLM``: the first 60 bits of SHA-256 over both its public
    keys, for a person to read aloud or compare (docs/SECURITY.md, "Approving a computer").

    60 bits: an attacker who wanted a key pair with the same code as a given computer would
    have to make about 2**59 key pairs, each an X25519 and an Ed25519 key generation."""
    value = int.from_bytes(
        hashlib.sha256(b"cse-screening computer code" + box_public + sign_public).digest()[:8]
    )
    text = "".join(
        _CODE_ALPHABET[(value >> (64 - 5 * (i + 1))) & 31] for i in range(CODE_CHARACTERS)
    )
    return "-".join(text[i : i + 4] for i in range(0, CODE_CHARACTERS, 4))


def normalise_code(text: str) -> str | None:
    """A code as typed (any case, spaces or dashes, 0/1/8 misread for O/I/B) in its printed
    form; None when it cannot be one."""
    plain = "".join(c for c in text.upper() if c not in " -\t")
    plain = plain.translate(str.maketrans("018", "OIB"))
    if len(plain) != CODE_CHARACTERS or any(c not in _CODE_ALPHABET for c in plain):
        return None
    return "-".join(plain[i : i + 4] for i in range(0, CODE_CHARACTERS, 4))
