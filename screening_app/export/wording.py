"""Answers and dates in words, as the referral prints them (no reportlab here); the rules
themselves are the domain's (domain/wording.py), shared with the window.

Dates are written ``10 Mar 2011``: unambiguous to a British reader and an American one, unlike
``10/03/2011``, and independent of the computer's locale.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from screening_app.domain.wording import NOT_ANSWERED, answer_words, format_date, format_nhs_number

__all__ = [
    "CONSENT_NOT_ANSWERED",
    "NOT_GIVEN",
    "answer_words",
    "format_date",
    "format_datetime",
    "format_nhs_number",
    "initials",
]

NOT_GIVEN = NOT_ANSWERED
CONSENT_NOT_ANSWERED = (
    "Not answered: the practitioner did not record this. It is neither consent given nor "
    "refused: ask before relying on it"
)


def format_datetime(moment: dt.datetime) -> str:
    """``20 Nov 2026 14:05`` (the time as recorded; no time zone, which is local)."""
    return f"{format_date(moment.date())} {moment:%H:%M}"


def initials(*names: Any) -> str:
    """``K. F.``: the first letter of each name (skipping anything that is not a letter)."""
    letters = []
    for name in names:
        text = name if isinstance(name, str) else ""
        first = next((c for c in text if c.isalpha()), "")
        letters.append(f"{first.upper()}." if first else "?")
    return " ".join(letters)
