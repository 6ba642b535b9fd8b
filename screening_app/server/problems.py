"""What the team server refuses, as kinds a caller can act on: sign in, you may not, no such
thing, it clashes with what is there, too large, malformed, wait.

Storage and the resources raise these with a sentence that says what to do; they know nothing
of HTTP. The web layer answers each kind with its status from :data:`STATUS` (api.py's one
exception handler), and a batch answers each of its items the same way (batches.py).
"""

from __future__ import annotations

import base64
import binascii


class ServerError(Exception):
    """Something a client asked that the server refuses; ``message`` is said to the user."""

    def __init__(self, message: str, *, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after

    @property
    def status(self) -> int:
        return STATUS[type(self)]


class Unauthenticated(ServerError):
    """No token, a wrong password or an expired token: sign in (again)."""


class Refused(ServerError):
    """Signed in, but this account or device may not do it."""


class NotFound(ServerError):
    """No such thing that this caller may see (the same words whether it exists or not)."""


class Conflict(ServerError):
    """It clashes with what the server holds: an older epoch, a name taken, done already."""


class TooLarge(ServerError):
    """The request is larger than the server takes."""


class Invalid(ServerError):
    """The request is malformed or a value is out of range."""


class Throttled(ServerError):
    """Too many failed sign-ins: wait ``retry_after`` seconds."""


STATUS: dict[type[ServerError], int] = {
    ServerError: 400,
    Unauthenticated: 401,
    Refused: 403,
    NotFound: 404,
    Conflict: 409,
    TooLarge: 413,
    Invalid: 422,
    Throttled: 429,
}


def decoded(text: str, what: str) -> bytes:
    """A request's base64 field as bytes, or Invalid naming ``what`` it was meant to be."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(f"The {what} is not base64.") from None
