"""How long each kind of record is kept, and the legal holds that stop it going.

Records are kept for set periods that depend on who made them: a school's child protection file
until the child's date of birth + 25 years (the Information and Records Management Society's
toolkit for schools), a health record to the 25th birthday (26th if the young person was 17 when
care ended: the NHS records code of practice), a children's social care record by the local
authority's schedule; a screening never submitted is a working draft, kept for days. The kind
of a screening's record follows the role of the practitioner who made it; an administrator sets
each period (signed settings, ``settings retention``). A supervisor may place a **legal hold**
on a child — during an inquiry, a complaint or litigation — with a reason; while it stands
nothing of the child's is removed, and the due list says so. The monthly "due for review or
deletion" list is computed here from those facts; docs/GOVERNANCE.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from screening_app.domain.evaluation import add_months

# kind: (words, the signed setting of its years after the date of birth, default years)
KINDS: dict[str, tuple[str, str, int]] = {
    "education": ("School or college file", "retain_education_years", 25),
    "health": ("Health record", "retain_health_years", 25),
    "social_care": ("Children's social care record", "retain_social_care_years", 25),
    "other": ("Other agency's record", "retain_other_years", 25),
}
DRAFT_DAYS = ("retain_draft_days", 90)  # a screening never submitted: days since its last change
# the practitioner's role (the form's practitioner_role) decides whose record it is
ROLE_KINDS = {
    "teacher": "education",
    "school_nurse": "health",
    "health": "health",
    "social_worker": "social_care",
}
YEARS_RANGE = (1, 100)
DAYS_RANGE = (7, 3650)


def kind_of(role: str) -> str:
    return ROLE_KINDS.get(role, "other")


def settings_limits() -> dict[str, tuple[int, int]]:
    """The signed settings' names and ranges (storage/account_log.py checks them)."""
    limits = {setting: YEARS_RANGE for _w, setting, _d in KINDS.values()}
    limits[DRAFT_DAYS[0]] = DAYS_RANGE
    return limits


@dataclass(frozen=True)
class Record:
    """What the due list needs of one screening."""

    reference: str
    child_id: int | None
    status: str
    role: str
    dob: dt.date | None
    screening_date: dt.date | None
    last_change: dt.date
    subject: str = ""  # the child's name (or the place's or group's), for the reviewer


@dataclass(frozen=True)
class Hold:
    child_id: int
    reason: str
    placed_by: str
    placed_at: str


@dataclass(frozen=True)
class Due:
    reference: str
    subject: str
    kind: str  # words
    keep_until: dt.date
    held: Hold | None

    def words(self) -> str:
        if self.held is not None:
            return (
                f"held since {self.held.placed_at[:10]} by {self.held.placed_by}: "
                f"{self.held.reason}"
            )
        return "due for review or deletion"


def keep_until(record: Record, settings: Mapping[str, int]) -> dt.date:
    """The day a record's period ends: a draft days after its last change; a submitted
    screening the set years after the child's date of birth (after the screening date when the
    date of birth is not known: never sooner than the record's own date)."""
    if record.status == "draft":
        setting, default = DRAFT_DAYS
        return record.last_change + dt.timedelta(days=settings.get(setting, default))
    _words, setting, default = KINDS[kind_of(record.role)]
    start = record.dob or record.screening_date or record.last_change
    return add_months(start, 12 * settings.get(setting, default))


def due(
    records: Iterable[Record],
    holds: Mapping[int, Hold],
    settings: Mapping[str, int],
    today: dt.date,
) -> list[Due]:
    """The records whose period has ended by ``today``, oldest first, each with its hold."""
    found = []
    for record in records:
        until = keep_until(record, settings)
        if until > today:
            continue
        kind = (
            "Draft never submitted" if record.status == "draft" else KINDS[kind_of(record.role)][0]
        )
        held = holds.get(record.child_id) if record.child_id is not None else None
        found.append(Due(record.reference, record.subject, kind, until, held))
    return sorted(found, key=lambda d: (d.keep_until, d.reference))


def fold_holds(events: Iterable[tuple[str, int, str, str, str]]) -> dict[int, Hold]:
    """The holds standing after ``events`` in the order they happened: (action, child id,
    reason, by, at), action ``hold_placed`` or ``hold_lifted``."""
    standing: dict[int, Hold] = {}
    for action, child_id, reason, by, at in events:
        if action == "hold_placed":
            standing[child_id] = Hold(child_id, reason, by, at)
        elif action == "hold_lifted":
            standing.pop(child_id, None)
    return standing
