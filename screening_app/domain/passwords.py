"""Password rules, in one place: account passwords and the passwords that encrypt a referral PDF.

An account password protects the whole database on this computer (it unwraps the key), so it has
a hard minimum. A PDF password is chosen per export and sent to the recipient separately; it gets
advice, not a refusal. Both hints speak of the same minimum length.
"""

from __future__ import annotations

from screening_app.errors import Problem

MIN_ACCOUNT_PASSWORD = 10
STRONG_LENGTH = 16


def _kinds(password: str) -> int:
    return sum(
        any(test(c) for c in password)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )


def account_password_problems(password: str) -> list[Problem]:
    """Why an account password cannot be used (empty: it can)."""
    if len(password) < MIN_ACCOUNT_PASSWORD:
        return [
            Problem(
                f"Use at least {MIN_ACCOUNT_PASSWORD} characters, for example three words.",
                "password",
            )
        ]
    return []


def account_password_hint(password: str) -> str:
    """Plain-words feedback while an account password is typed (first run, new accounts)."""
    if len(password) < MIN_ACCOUNT_PASSWORD:
        return f"Too short: use at least {MIN_ACCOUNT_PASSWORD} characters, e.g. three words."
    if len(password) < STRONG_LENGTH and _kinds(password) < 2:
        return "Acceptable: a few more characters or a number or symbol would make it stronger."
    return "Strong. Keep it to yourself: it opens every record you can see on this computer."


def pdf_password_hint(password: str) -> str:
    """Plain-words advice on a password that encrypts a referral PDF (never stored)."""
    kinds = _kinds(password)
    if len(password) < 8:
        return "Too short: use at least 12 characters, for example three unrelated words."
    if len(password) < 12 and kinds < 3:
        return "Weak: make it longer (12 or more characters) or mix letters, numbers and symbols."
    if len(password) < STRONG_LENGTH and kinds < 2:
        return "Fair: a few more characters or a number or symbol would make it stronger."
    return "Strong. Send the password separately from the PDF, for example by phone."
