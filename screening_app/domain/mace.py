"""The MACE pack: one page per child for a multi-agency child exploitation meeting.

What the meeting needs of each child, as plain data: where the newest screening stands (band,
types of exploitation, refer now, "Not known"), the chronology of screenings, reviews and
outcomes, the links to other screenings through people, places, vehicles and accounts, and the
actions still open. :func:`open_actions` decides what is open, once, for the PDF and the window
alike; the services gather the facts and ``export/mace_pdf.py`` lays them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from screening_app.domain.wording import day_words

# what closes "refer now": a referral recorded as an outcome (docs/STATISTICS.md, the measures)
REFERRAL_MEASURES = frozenset({"scu_referral", "safeguarding"})
NRM_PROMPT = "NRM"
NRM_OUTCOME = "nrm_referral"
CHRONOLOGY_ROWS = 14  # the newest events that fit one page beside everything else


@dataclass(frozen=True)
class PackScreening:
    """One of the child's screenings, as the meeting reads it."""

    reference: str
    day: dt.date | None
    status: str  # submitted, approved, returned, superseded
    status_words: str
    band: str  # the operative band's label
    high: bool  # at or above the form's middle band: an outcome is expected
    total: int
    types: tuple[str, ...]  # labels
    refer_now: tuple[str, ...]  # the reasons, when harm is already happening
    not_known: int
    provisional: bool
    prompts: tuple[str, ...]  # ids of what else is due (NRM)
    awaiting_approval: bool
    reassess_by: dt.date | None
    outcomes: tuple[tuple[str, str], ...]  # (code, measure) recorded for it


@dataclass(frozen=True)
class PackEvent:
    day: dt.date
    text: str
    reference: str


@dataclass(frozen=True)
class PackLink:
    kind: str  # person, place, vehicle, phone, online_account
    words: str  # the key as people write it
    strength: str  # exact or possible
    others: tuple[str, ...]  # the other screenings it links this child's to


@dataclass(frozen=True)
class PackChild:
    name: str
    dob: dt.date | None
    screenings: tuple[PackScreening, ...]  # oldest first
    events: tuple[PackEvent, ...]  # oldest first
    links: tuple[PackLink, ...]
    actions: tuple[str, ...]

    @property
    def latest(self) -> PackScreening | None:
        live = [s for s in self.screenings if s.status != "superseded"]
        return live[-1] if live else None


@dataclass(frozen=True)
class MacePack:
    children: tuple[PackChild, ...]
    prepared_by: str
    generated_at: dt.datetime
    contacts_line: str  # "Call 999 …" with the area's numbers
    share_line: str = ""  # with whom, what for and on what basis (domain/disclosure.py)


def open_actions(screenings: Iterable[PackScreening], today: dt.date) -> list[str]:
    """What is still to be done for the child, in the order a chair would take it: harm that
    has not been referred, an NRM referral not made, reviews and approvals waiting, outcomes
    not recorded, and when to screen again (from the newest screening)."""
    live = [s for s in screenings if s.status != "superseded"]
    actions: list[str] = []
    for s in live:
        measures = {measure for _code, measure in s.outcomes}
        if s.refer_now and not measures & REFERRAL_MEASURES:
            actions.append(
                f"{s.reference}: refer now (harm already happening); no referral is recorded yet."
            )
    for s in live:
        if NRM_PROMPT in s.prompts and NRM_OUTCOME not in {code for code, _m in s.outcomes}:
            actions.append(
                f"{s.reference}: a National Referral Mechanism referral is due; none is recorded."
            )
    for s in live:
        if s.status == "submitted":
            actions.append(f"{s.reference}: waiting for a supervisor's review.")
        elif s.status == "returned":
            actions.append(f"{s.reference}: returned to the referrer for changes.")
        if s.awaiting_approval:
            actions.append(f"{s.reference}: a lower judgement waits for a supervisor's approval.")
    for s in live:
        if s.high and not s.outcomes:
            actions.append(f"{s.reference}: no outcome recorded yet ({s.band}).")
    if live and live[-1].reassess_by is not None:
        due = live[-1].reassess_by
        when = day_words(due)
        actions.append(
            f"Screen again: overdue since {when}." if due < today else f"Screen again by {when}."
        )
    return actions


def newest_events(events: tuple[PackEvent, ...]) -> tuple[tuple[PackEvent, ...], int]:
    """The newest :data:`CHRONOLOGY_ROWS` events (oldest first) and how many earlier ones were
    left out (the child's record in the app has them all)."""
    if len(events) <= CHRONOLOGY_ROWS:
        return events, 0
    return events[-CHRONOLOGY_ROWS:], len(events) - CHRONOLOGY_ROWS
