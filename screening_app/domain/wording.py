"""Words people read: an abbreviation is spelt out where a screen or message first uses it."""

from __future__ import annotations

import re

SPELT_OUT = {"SCU": "police Safeguarding Coordination Unit (SCU)"}


def spelt_out(text: str) -> str:
    """``text`` with the first use of each known abbreviation spelt out ("the SCU" → "the
    police Safeguarding Coordination Unit (SCU)"); later uses stay short."""
    for short, long in SPELT_OUT.items():
        text = re.sub(rf"\b{re.escape(short)}\b", long, text, count=1)
    return text
