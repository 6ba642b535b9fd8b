"""Words people read: an abbreviation spelt out where a screen or message first uses it, and
dates written the same way everywhere."""

from __future__ import annotations

import datetime as dt
import re

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
