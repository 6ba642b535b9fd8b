"""Failed sign-ins on the desktop: the count, the wait (domain.sign_in_delay) and the message."""

from __future__ import annotations

from screening_app.domain.sign_in_delay import delay_after
from screening_app.errors import AuthenticationError

BAD_SIGN_IN = (
    "That user name and password do not match an account on this database. Check them "
    "(is Caps Lock on?) and try again."
)


def next_delay(failures: int) -> tuple[int, float]:
    """One more failure: the new count and the wait it brings."""
    return failures + 1, delay_after(failures + 1)


def raise_if_waiting(not_before: float, now: float) -> None:
    wait = not_before - now
    if wait > 0:
        raise AuthenticationError(
            f"Too many failed sign-ins. Wait {wait:.0f} seconds, then try again.",
            retry_after=wait,
        )


def failure(failures: int, delay: float) -> AuthenticationError:
    message = BAD_SIGN_IN
    if delay:
        message += f" After {failures} failed attempts, wait {delay:.0f} seconds first."
    return AuthenticationError(message, retry_after=delay)
