"""The pieces of ``services.integrity`` that read one signed fact: who is who, the words for a
shown column, the content of a signature row, and the check of reviews and outcomes against the
facts that cover them."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from typing import Any

from screening_app import crypto
from screening_app.storage import signatures_repo
from screening_app.storage.account_log import RECOVERY
from screening_app.storage.driver import Database
from screening_app.storage.keyring import Keyring
from screening_app.storage.signatures_repo import SignatureRow

Facts = dict[int, list[tuple[SignatureRow, dict[str, Any]]]]

LABELS = {
    "reference": "reference",
    "owner_id": "author",
    "team": "team",
    "form_id": "form",
    "form_version": "form version",
    "status": "status",
    "version": "version",
    "previous_id": "earlier version",
    "submitted_at": "date submitted",
    "screening_date": "date of the screening",
    "child_name": "child's name",
    "child_name_fold": "child's name (as searched)",
    "child_dob": "child's date of birth",
    "child_age": "child's age",
    "la_area": "area",
    "practitioner_role": "practitioner's role",
    "total": "score",
    "calculated_band": "calculated band",
    "final_band": "band after the rules",
    "judged_band": "practitioner's judgement",
    "operative_band": "band that applies",
    "awaiting_approval": "awaiting approval",
    "judgement_approved": "judgement approved",
    "reassess_by": "reassessment date",
    "reviewed_at": "date reviewed",
    "content_removed_at": "date its content was removed",
}


class Names:
    def __init__(self, db: Database, keyring: Keyring) -> None:
        self.directory = keyring.directory
        self.users = signatures_repo.user_names(db)

    def __call__(self, account_id: Any) -> str:
        if account_id == RECOVERY:
            return "the recovery key"
        if account_id is None:
            return "nobody"
        found = self.directory.accounts.get(account_id)
        return found.name if found else self.users.get(account_id, f"account {account_id}")

    def verify(self, account_id: int, signature: bytes, message: bytes) -> bool:
        if account_id == RECOVERY:
            keys: tuple[bytes, ...] = (self.directory.recovery_sign,)
        elif account_id in self.directory.accounts:
            keys = self.directory.accounts[account_id].sign_keys
        else:
            return False
        return any(crypto.verify(key, signature, message) for key in keys)


def reviews_and_outcomes(
    db: Database,
    names: Names,
    facts: dict[int, list[tuple[SignatureRow, dict[str, Any]]]],
    references: dict[int, str],
) -> list[str]:
    found: list[str] = []
    by_review: dict[int, list[tuple[SignatureRow, dict[str, Any]]]] = defaultdict(list)
    by_outcome: dict[int, list[tuple[SignatureRow, dict[str, Any]]]] = defaultdict(list)
    for listed in facts.values():
        for row, content in listed:
            if row.review_id is not None:
                by_review[row.review_id].append((row, content))
            if row.outcome_id is not None:
                by_outcome[row.outcome_id].append((row, content))
    reviews = {r.id: r for r in signatures_repo.reviews(db)}
    for review in reviews.values():
        name = references.get(review.screening_id, f"screening {review.screening_id}")
        covering = by_review.get(review.id)
        if not covering:
            found.append(
                f"{name}: a review ({review.decision}, {review.at}) is not signed by "
                "the supervisor who made it"
            )
            continue
        row, content = covering[-1]
        signed = part(content, "review")
        stored: dict[str, Any] = {
            "decision": review.decision,
            "comment": review.comment,
            "band": review.band,
            "reviewer": review.reviewer_id,
            "at": review.at,
        }
        found += differences(
            f"{name}: the review's",
            stored,
            signed,
            row,
            names,
            "comment" if cleared(db, review) else "",
        )
        if row.kind in ("approve", "return") and row.signer_id != review.reviewer_id:
            found.append(
                f"{name}: a review in {names(review.reviewer_id)}'s name was signed "
                f"by {names(row.signer_id)}"
            )
    for review_id, covering in by_review.items():
        if review_id not in reviews:
            row, content = covering[-1]
            who = names(part(content, "review").get("reviewer"))
            reference = references.get(row.screening_id, f"screening {row.screening_id}")
            found.append(f"{reference}: a review by {who} signed on {row.at} was deleted")
    outcomes = {o.id: o for o in signatures_repo.outcomes(db)}
    for outcome in outcomes.values():
        name = references.get(outcome.screening_id, f"screening {outcome.screening_id}")
        covering = by_outcome.get(outcome.id)
        if not covering:
            found.append(f"{name}: an outcome ({outcome.code}, {outcome.date}) is not signed")
            continue
        row, content = covering[-1]
        signed = part(content, "outcome")
        stored_outcome: dict[str, Any] = {
            "code": outcome.code,
            "date": outcome.date,
            "note": outcome.note,
            "user": outcome.user_id,
        }
        found += differences(
            f"{name}: an outcome's",
            stored_outcome,
            signed,
            row,
            names,
            "note" if cleared(db, outcome) else "",
        )
    for outcome_id, covering in by_outcome.items():
        if outcome_id not in outcomes:
            row, content = covering[-1]
            reference = references.get(row.screening_id, f"screening {row.screening_id}")
            code = part(content, "outcome").get("code")
            found.append(f"{reference}: an outcome ({code}) signed on {row.at} was deleted")
    return found


def differences(
    what: str,
    stored: dict[str, Any],
    signed: dict[str, Any],
    row: SignatureRow,
    names: Names,
    emptied: str,
) -> list[str]:
    """Each field of a review or outcome that is not what was signed (``emptied``: a text the
    retention period cleared, which may differ); accounts by name."""
    out = []
    for key, value in stored.items():
        if signed.get(key) == value or key == emptied:
            continue
        said = names if key in ("reviewer", "user") else words
        out.append(
            f"{what} {key} reads {said(value)}, but what {names(row.signer_id)} signed on "
            f"{row.at} ({row.kind}) says {said(signed.get(key))}"
        )
    return out


def row_fits(row: SignatureRow, content: dict[str, Any]) -> bool:
    """The row's own columns say what its signed content says."""
    review, outcome = part(content, "review").get("id"), part(content, "outcome").get("id")
    return (
        content.get("what") == row.kind
        and review == row.review_id
        and outcome == row.outcome_id
        and part(content, "shown").get("reference") is not None
    )


def sha256_hex(text: object) -> str:
    return hashlib.sha256(str(text).encode()).hexdigest()


def unhex(text: object) -> bytes:
    """Bytes of a hex text; none for anything else (an edited row then fails to verify)."""
    try:
        return bytes.fromhex(str(text))
    except ValueError:
        return b""


def part(content: dict[str, Any], key: str) -> dict[str, Any]:
    value = content.get(key)
    return value if isinstance(value, dict) else {}


def parsed(text: object) -> dict[str, Any] | None:
    try:
        value = json.loads(str(text))
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def cleared(db: Database, item: signatures_repo.ReviewFact | signatures_repo.OutcomeFact) -> bool:
    """A comment or note emptied with the screening's content under the retention period (the
    removal itself is a signed fact, checked with the screening's shown columns)."""
    text = item.comment if isinstance(item, signatures_repo.ReviewFact) else item.note
    return text == "" and signatures_repo.removed_at(db, item.screening_id) is not None


def words(value: Any) -> str:
    if value is None or value == "":
        return "nothing"
    return f"'{value}'" if isinstance(value, str) else str(value)
