"""When a child's reassessment is due: the one home of the rule (docs/FORMS.md, "Reassessment").

A submitted screening carries a reassess-by date. Only a child's **newest** screening can be due
or overdue: a later screening replaces the earlier one's date. A date before today is overdue; a
date from today up to ``DUE_DAYS`` days ahead (inclusive) is due. The list's words, the status
bar's counts and the SQL filter all come from here, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

DUE_DAYS = 14
State = Literal["overdue", "due", ""]
Window = Literal["any", "due", "overdue", "due_or_overdue"]


def state(reassess_by: dt.date | None, today: dt.date, *, newest: bool = True) -> State:
    """``overdue``, ``due`` or ``""`` (not yet, no date, or replaced by a later screening)."""
    if reassess_by is None or not newest:
        return ""
    if reassess_by < today:
        return "overdue"
    return "due" if (reassess_by - today).days <= DUE_DAYS else ""


class DateRange(NamedTuple):
    """Reassess-by dates in ``[start, end)`` (ISO text; None = unbounded) on newest screenings."""

    start: str | None
    end: str | None


def date_range(window: Window, today: dt.date) -> DateRange | None:
    """The reassess-by dates a list filter selects (None: no filter), matching :func:`state`."""
    after_window = (today + dt.timedelta(days=DUE_DAYS + 1)).isoformat()
    if window == "overdue":
        return DateRange(None, today.isoformat())
    if window == "due":
        return DateRange(today.isoformat(), after_window)
    if window == "due_or_overdue":
        return DateRange(None, after_window)
    return None
