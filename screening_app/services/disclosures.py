"""The disclosure log: every share of every screening the signed-in user may see — who shared
it, with whom, when, on what basis, and what was shared (domain/disclosure.py).

It is read from the audit trail, where each share was written, hash-chained and signed, with
its export; so the log cannot be edited without ``db check`` naming the row. Shares made before
the basis was asked for are listed as such. Each reading of the log is itself audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from screening_app.domain.capabilities import Verb
from screening_app.domain.disclosure import SHARE_ACTIONS, from_detail
from screening_app.errors import NotFound
from screening_app.services.session import Session
from screening_app.services.transfers import kept_receipts
from screening_app.storage import audit

NOT_RECORDED = "Not recorded: shared before the app asked for the basis"


@dataclass(frozen=True)
class Disclosure:
    at: dt.datetime
    by: str
    what: str  # in words: "Referral PDF saved", "MACE pack saved" …
    reference: str
    subject: str  # the child's name, or the place's or group's
    recipient: str
    purpose: str
    basis: str  # in words
    reason: str

    def cells(self) -> list[str]:
        """The row of the CSV (export/disclosure_csv.py)."""
        return [
            self.at.isoformat(timespec="seconds"),
            self.by,
            self.what,
            self.reference,
            self.subject,
            self.recipient,
            self.purpose,
            self.basis,
            self.reason,
        ]


class DisclosureService:
    def __init__(self, session: Session) -> None:
        self.s = session

    def log(self, child: str = "", *, limit: int = 5000) -> list[Disclosure]:
        """Newest first; ``child``: only the shares of screenings whose child's (or place's)
        name contains it, in any case. Each reading is audited."""
        self.s.require(Verb.SEE_DISCLOSURES)
        wanted = child.strip().casefold()
        names: dict[str, str | None] = {}  # reference: its subject's name, None if not visible

        def subject(reference: str) -> str | None:
            if reference not in names:
                names[reference] = self._subject(reference)
            name = names[reference]
            return None if name is None or wanted not in name.casefold() else name

        found = self.shares(subject, limit=limit)
        with self.s.write("record that the disclosure log was read"):
            self.s.audit("disclosures_viewed", None, f"{len(found)} shares")
        return found

    def shares(
        self, subject: Callable[[str], str | None], *, limit: int = 100_000
    ) -> list[Disclosure]:
        """Newest first, the shares of the screenings ``subject`` names (the child's or place's
        name of a reference; None leaves it out); not audited: the caller says what it shows."""
        found: list[Disclosure] = []
        receipts: dict[str, str] | None = None
        for row in audit.rows(self.s.db, actions=list(SHARE_ACTIONS), limit=limit):
            reference = row.record or ""
            name = subject(reference)
            if name is None:
                continue
            share, rest = from_detail(row.detail)
            what = SHARE_ACTIONS[row.action]
            if row.action == "transfer_sent":
                receipts = self._receipts() if receipts is None else receipts
                what += f" ({receipts.get(str(rest.get('transfer_id')), 'no receipt yet')})"
            found.append(
                Disclosure(
                    at=dt.datetime.fromisoformat(row.at),
                    by=row.user_name,
                    what=what,
                    reference=reference,
                    subject=name,
                    recipient=share.recipient if share else "",
                    purpose=share.purpose if share else "",
                    basis=share.basis_words() if share else NOT_RECORDED,
                    reason=share.reason if share else "",
                )
            )
        return found

    def _receipts(self) -> dict[str, str]:
        """The transfers' receipts kept here, in words, by transfer id."""
        return {
            transfer_id: f"receipt: {body['received_by']}, {str(body['received_at'])[:10]}"
            for transfer_id, body in kept_receipts(self.s.db).items()
        }

    def _subject(self, reference: str) -> str | None:
        try:
            return self.s.by_reference(reference).child_name
        except NotFound:
            return None
