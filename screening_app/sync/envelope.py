"""The end-to-end envelope of a submitted screening (docs/SERVER.md, "What the server sees").

The content — answers, comments, outcome notes — is encrypted with a fresh AES-256-GCM key; that
key is sealed (``crypto.seal``) for each recipient: the team's X25519 public key (its supervisors
hold the private key) and the author device's. The clear metadata the server needs for routing
and figures travels beside it and is bound to the ciphertext as associated data, so it cannot be
swapped onto another screening's content. The author's device signs the whole (Ed25519).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from screening_app import crypto
from screening_app.crypto import AccountKeys

FORMAT = 1
MAX_CONTENT = 1_000_000  # bytes of clear content: a screening is a few kilobytes


class EnvelopeError(ValueError):
    """An envelope that is malformed, not for these keys, or changed since it was sealed."""


@dataclass(frozen=True)
class Sealed:
    """What is uploaded: the envelope (JSON bytes) and the author's signature over it."""

    envelope: bytes
    signature: bytes


def seal(
    metadata: dict[str, Any],
    content: dict[str, Any],
    recipients: dict[str, bytes],
    author: AccountKeys,
) -> Sealed:
    """Encrypt ``content`` for ``recipients`` (name → X25519 public key), bind ``metadata``."""
    clear = crypto.canonical(content)
    if len(clear) > MAX_CONTENT:
        raise EnvelopeError("the screening is too large to send")
    key = crypto.random_key()
    nonce, ciphertext = crypto.encrypt(key, clear, crypto.canonical(metadata))
    body = {
        "format": FORMAT,
        "metadata": metadata,
        "nonce": _b64(nonce),
        "ciphertext": _b64(ciphertext),
        "keys": {
            name: _b64(crypto.seal(key, public, _context(name, metadata)))
            for name, public in sorted(recipients.items())
        },
    }
    envelope = crypto.canonical(body)
    return Sealed(envelope, author.sign(crypto.digest(body)))


def verify(sealed: Sealed, author_sign_public: bytes) -> dict[str, Any]:
    """The envelope's parsed body, if ``author_sign_public`` signed it (else EnvelopeError)."""
    body = parse(sealed.envelope)
    if not crypto.verify(author_sign_public, sealed.signature, crypto.digest(body)):
        raise EnvelopeError("the signature is not the author's, or the envelope was changed")
    return body


def open_content(body: dict[str, Any], recipient: str, keys: AccountKeys) -> dict[str, Any]:
    """The clear content, for a recipient whose private key is ``keys``."""
    metadata = body["metadata"]
    sealed_key = body["keys"].get(recipient)
    if sealed_key is None:
        raise EnvelopeError(f"the screening was not sealed for {recipient}")
    key = crypto.unseal(_unb64(sealed_key), keys, _context(recipient, metadata))
    if key is None:
        raise EnvelopeError("these keys do not open the screening")
    clear = crypto.decrypt(
        key, _unb64(body["nonce"]), _unb64(body["ciphertext"]), crypto.canonical(metadata)
    )
    if clear is None:
        raise EnvelopeError("the screening was changed after it was sealed")
    content: dict[str, Any] = json.loads(clear)
    return content


def parse(envelope: bytes) -> dict[str, Any]:
    """The envelope's body, checked for shape (not for keys or signature)."""
    try:
        body = json.loads(envelope)
    except (ValueError, RecursionError):
        raise EnvelopeError("the envelope is not JSON") from None
    if (
        not isinstance(body, dict)
        or body.get("format") != FORMAT
        or set(body) != {"format", "metadata", "nonce", "ciphertext", "keys"}
        or not isinstance(body["metadata"], dict)
        or not isinstance(body["keys"], dict)
        or not all(isinstance(v, str) for v in body["keys"].values())
        or not isinstance(body["nonce"], str)
        or not isinstance(body["ciphertext"], str)
    ):
        raise EnvelopeError("the envelope is malformed")
    return body


def _context(recipient: str, metadata: dict[str, Any]) -> bytes:
    return b"cse-screening envelope " + recipient.encode() + b" " + crypto.digest(metadata)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise EnvelopeError("the envelope is malformed") from None
