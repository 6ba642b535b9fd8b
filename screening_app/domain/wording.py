"""Words people read: an abbreviation spelt out where a screen or message first uses it, and
dates and answers written the same way everywhere — on the check page, in the referral and the
MACE pack, and in a subject access export."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from screening_app.domain.entities import summary
from screening_app.domain.evaluation import is_blank, parse_date
from screening_app.domain.forms import Question

NOT_ANSWERED = "Not answered"  # "not given" would read as a refusal, under consent above all

SPELT_OUT = {"SCU": "police Safeguarding Coordination Unit (SCU)"}


def spelt_out(text: str) -> str:
    """``text`` with the first use of each known abbreviation spelt out ("the SCU" → "the
    police Safeguarding Coordination Unit (SCU)"); later uses stay short."""
    for short, long in SPELT_OUT.items():
        text = re.sub(rf"\b{re.escape(short)}\b", long, text, count=1)
    return text


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_words(day: dt.date) -> str:
    """``10 Mar 2011``: unambiguous to a British reader and an American one, and independent of
    the computer's locale (the referral, the MACE pack and their open actions)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_date(value: dt.date | str | None) -> str:
    """``10 Mar 2011`` for a date or ISO string; the text itself when it is not a date."""
    day = value if isinstance(value, dt.date) else parse_date(value)
    if day is None:
        return str(value) if value else NOT_ANSWERED
    return day_words(day)


def format_nhs_number(value: str) -> str:
    """``943 476 5919``: ten digits in the groups people read them in (else as typed)."""
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def answer_words(question: Question, value: Any) -> str | None:
    """The answer as a reader would say it, or None when there is none (a blank one — empty or
    only spaces — is none)."""
    if is_blank(value):
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
