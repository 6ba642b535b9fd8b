"""What a referral is made from: plain data, no Qt and no database.

The caller (the CLI, or a service over a stored screening) fills these in; the PDF code reads only
these, so it can be tested with a form and a dict of answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from screening_app.domain.contacts import NONE as NO_CONTACTS
from screening_app.domain.contacts import Contacts
from screening_app.domain.forms import Form, GivenAnswers
from screening_app.domain.scoring import ScoreResult

ReviewStatus = Literal["approved", "returned", "awaiting_review"]

REVIEW_STATUS_WORDS: dict[str, str] = {
    "approved": "Approved",
    "returned": "Returned to the referrer for changes",
    "awaiting_review": "Awaiting review",
}


@dataclass(frozen=True)
class ReviewInfo:
    """A supervisor's review of the screening, printed in the referral's review block."""

    reviewer: str
    status: ReviewStatus
    band_approved: str | None = None  # band code the supervisor approved, if any
    reviewed_at: dt.datetime | None = None
    comment: str = ""


@dataclass(frozen=True)
class ReferralInput:
    """Everything one referral PDF shows.

    ``reference`` identifies the screening to the SCU (it is printed on every page and in the
    PDF title); ``generated_at`` is printed and used as the PDF creation date.
    """

    form: Form
    answers: GivenAnswers
    result: ScoreResult
    reference: str
    generated_at: dt.datetime
    review: ReviewInfo | None = None
    contacts: Contacts = NO_CONTACTS  # the area's numbers beside "Call 999" (an admin's setting)
    share_line: str = ""  # with whom, what for and on what basis (domain/disclosure.py)
