"""Who may do what to a screening: the one home of these decisions.

Each ``refusal_*`` function returns the error that explains why the user may not act (or None
when they may). Services raise it; the window asks :func:`allowed` to decide which buttons to
show. Nothing else decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening_app.domain.capabilities import Verb, can, refusal
from screening_app.errors import PermissionDenied, ScreeningError, WorkflowError
from screening_app.services.model import User
from screening_app.storage.screenings_repo import ScreeningRecord

Refusal = ScreeningError | None
FINISHED = ("submitted", "approved", "returned")


def refusal_to_edit(user: User, record: ScreeningRecord) -> Refusal:
    if record.owner_id != user.id:
        return PermissionDenied("Only the practitioner who started this draft can change it.")
    if record.status != "draft":
        return WorkflowError(
            "This screening has been submitted and cannot be changed. Use Amend to make a new "
            "version with a reason."
        )
    return None


def refusal_to_amend(user: User, record: ScreeningRecord) -> Refusal:
    if record.owner_id != user.id:
        return PermissionDenied("Only the practitioner who wrote a screening can amend it.")
    if record.status not in FINISHED:
        return WorkflowError("Only a submitted screening can be amended.")
    return None


def refusal_to_share(user: User, record: ScreeningRecord) -> Refusal:
    if record.owner_id != user.id:
        return PermissionDenied("Only the practitioner who wrote a screening can share it.")
    if record.status == "draft":
        return WorkflowError("Submit the screening before sharing it.")
    return None


def refusal_to_review(user: User, record: ScreeningRecord) -> Refusal:
    refused = refusal(user.role, Verb.REVIEW)
    if refused is not None:
        return PermissionDenied(refused)
    if record.team != user.team:
        return PermissionDenied("Only a supervisor of the practitioner's team can review it.")
    if record.owner_id == user.id:
        return PermissionDenied("You cannot review your own screening; ask another supervisor.")
    if record.status != "submitted":
        return WorkflowError("Only a submitted screening waiting for review can be reviewed.")
    return None


def refusal_to_add_outcome(user: User, record: ScreeningRecord) -> Refusal:
    """The author, or a supervisor of the team; a colleague it is shared with only reads it."""
    author = record.owner_id == user.id
    team_lead = can(user.role, Verb.RECORD_TEAM_OUTCOMES) and record.team == user.team
    if not (author or team_lead):
        return PermissionDenied(
            "A screening shared with you is read-only: ask its author or their supervisor to "
            "record the outcome."
        )
    if record.status not in FINISHED:
        return WorkflowError("Outcomes are recorded on submitted screenings only.")
    return None


def refusal_of_referral(record: ScreeningRecord) -> Refusal:
    if record.status == "draft":
        return WorkflowError("A draft has no referral yet: submit the screening first.")
    return None


@dataclass(frozen=True)
class Allowed:
    """What the signed-in user may do with one screening they can see."""

    edit: bool
    amend: bool
    share: bool
    review: bool
    add_outcome: bool
    referral: bool
    open_child: bool


def allowed(user: User, record: ScreeningRecord) -> Allowed:
    return Allowed(
        edit=refusal_to_edit(user, record) is None,
        amend=refusal_to_amend(user, record) is None,
        share=refusal_to_share(user, record) is None,
        review=refusal_to_review(user, record) is None,
        add_outcome=refusal_to_add_outcome(user, record) is None,
        referral=refusal_of_referral(record) is None,
        open_child=record.child_id is not None,
    )


def check(refusal: Refusal) -> None:
    if refusal is not None:
        raise refusal
