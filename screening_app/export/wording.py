"""Answers and dates in words, as the referral prints them (no reportlab here).

Dates are written ``10 Mar 2011``: unambiguous to a British reader and an American one, unlike
``10/03/2011``, and independent of the computer's locale.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from screening_app.domain.entities import summary
from screening_app.domain.evaluation import parse_date
from screening_app.domain.forms import Question
from screening_app.domain.wording import day_words

NOT_GIVEN = "Not answered"  # "not given" read as a refusal, under consent above all
CONSENT_NOT_ANSWERED = (
    "Not answered: the practitioner did not record this. It is neither consent given nor "
    "refused: ask before relying on it"
)


def format_date(value: dt.date | str | None) -> str:
    """``10 Mar 2011`` for a date or ISO string; the text itself when it is not a date."""
    day = value if isinstance(value, dt.date) else parse_date(value)
    if day is None:
        return str(value) if value else NOT_GIVEN
    return day_words(day)


def format_datetime(moment: dt.datetime) -> str:
    """``20 Nov 2026 14:05`` (the time as recorded; no time zone, which is local)."""
    return f"{format_date(moment.date())} {moment:%H:%M}"


def format_nhs_number(value: str) -> str:
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def answer_words(question: Question, value: Any) -> str | None:
    """The answer as a reader would say it, or None when there is no answer."""
    if value is None or value == "" or value == []:
        return None
    kind = question.type
    if kind == "date":
        return format_date(value)
    if kind == "repeatable_group" and isinstance(value, list):
        return "; ".join(summary(v) for v in value if isinstance(v, dict)) or None
    if kind == "multi_choice" and isinstance(value, list):
        return "; ".join(question.option_label(str(code)) for code in value)
    if kind in ("yes_no", "choice", "timed_indicator"):
        return question.option_label(str(value))
    if question.format == "nhs_number" and isinstance(value, str):
        return format_nhs_number(value)
    return str(value)


def initials(*names: Any) -> str:
    """``K. F.``: the first letter of each name (skipping anything that is not a letter)."""
    letters = []
    for name in names:
        text = name if isinstance(name, str) else ""
        first = next((c for c in text if c.isalpha()), "")
        letters.append(f"{first.upper()}." if first else "?")
    return " ".join(letters)
