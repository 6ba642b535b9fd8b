"""The area's safeguarding contacts: who to phone besides 999, set once by an administrator.

Three numbers a practitioner reaches for when a screening says "refer now": the MASH (the
multi-agency safeguarding hub that takes referrals), children's services, and the out-of-hours
duty team. They are shown beside "Call 999" on the score panel, in the form's immediate-danger
warning and on the referral PDF. An administrator sets them as a signed entry of the account log
(``contacts_set``), so nobody with the file can swap a number; docs/SECURITY.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KINDS: dict[str, str] = {
    "mash": "MASH",
    "childrens_services": "Children's services",
    "out_of_hours": "Out of hours",
}
CALL_999 = "Call 999 if the child is in immediate danger."
CALL_999_PLACE = "Call 999 if any child is in immediate danger."
MAX_AREA = 60
_NUMBER = re.compile(r"^\+?[0-9][0-9 ()-]*$")


class ContactError(ValueError):
    """A contact number or area name that cannot be shown as given."""


@dataclass(frozen=True)
class Contacts:
    """The area's name (may be blank) and its numbers by kind (only the kinds set)."""

    area: str = ""
    numbers: tuple[tuple[str, str], ...] = ()

    def lines(self) -> list[str]:
        """ "MASH: 01632 960100", one per number set, in the order of :data:`KINDS`."""
        given = dict(self.numbers)
        return [f"{KINDS[kind]}: {given[kind]}" for kind in KINDS if kind in given]

    def heading(self) -> str:
        return f"{self.area} safeguarding contacts" if self.area else "Safeguarding contacts"

    def sentence(self) -> str:
        """ "Northvale safeguarding contacts: MASH: 01632 960100; Out of hours: 0808 157 0192."
        ("" when no number is set), for beside "Call 999"."""
        lines = self.lines()
        return f"{self.heading()}: {'; '.join(lines)}." if lines else ""

    def as_data(self) -> dict[str, str]:
        """Flat, as an account log entry's data must be: the area and one key per number."""
        return {"area": self.area, **dict(self.numbers)}


NONE = Contacts()  # no numbers set: "Call 999" alone


def make(area: str, numbers: Mapping[str, str]) -> Contacts:
    """Checked contacts from what an administrator typed; blank numbers are left out."""
    area = " ".join(str(area).split())
    if len(area) > MAX_AREA:
        raise ContactError(f"The area's name is longer than {MAX_AREA} characters.")
    kept: list[tuple[str, str]] = []
    for kind, value in numbers.items():
        if kind not in KINDS:
            raise ContactError(f"{kind!r} is not a kind of contact ({', '.join(KINDS)}).")
        number = " ".join(str(value).split())
        if not number:
            continue
        digits = sum(ch.isdigit() for ch in number)
        if not _NUMBER.match(number) or not 3 <= digits <= 15:
            raise ContactError(
                f"The {KINDS[kind]} number {number!r} is not a phone number: use digits, "
                "spaces and an optional leading +, for example 01632 960100."
            )
        kept.append((kind, number))
    order = list(KINDS)
    return Contacts(area, tuple(sorted(kept, key=lambda pair: order.index(pair[0]))))


def from_data(data: Mapping[str, Any]) -> Contacts:
    """Contacts from an account log entry's data (the other keys there are the log's own)."""
    return make(str(data.get("area", "")), {k: str(data[k]) for k in KINDS if k in data})


def with_999(contacts: Contacts, *, place: bool = False) -> str:
    """ "Call 999 …" followed by the area's numbers, when any is set; ``place``: said of any
    child at a place or in a group (a context screening), not of one child."""
    call = CALL_999_PLACE if place else CALL_999
    extra = contacts.sentence()
    return f"{call} {extra}" if extra else call
