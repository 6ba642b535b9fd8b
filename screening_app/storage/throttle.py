"""The growing wait after failed sign-ins: free attempts, then doubling up to a minute."""

from __future__ import annotations

from screening_app.errors import AuthenticationError

FREE_FAILURES = 5
MAX_DELAY = 60.0
BAD_SIGN_IN = (
    "That user name and password do not match an account on this database. Check them "
    "(is Caps Lock on?) and try again."
)


def next_delay(failures: int) -> tuple[int, float]:
    failures += 1
    delay = 0.0
    if failures >= FREE_FAILURES:
        delay = min(MAX_DELAY, 2.0 ** (failures - FREE_FAILURES + 1))
    return failures, delay


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
