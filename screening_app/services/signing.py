"""Signed facts: every change to what people see of a screening is signed by the account that
made it, over what it made (docs/SECURITY.md, "Signed facts").

A fact is the screening's **shown columns** after the change (child's name, status, bands,
reviewer's date …, see ``signatures_repo.SHOWN``), a digest of its answers and of its stored
score, and what the change was: a submission, a review (its decision, comment, band, reviewer,
and the submission it reviewed), an outcome, a screening or decision received from the team
server (with the author's device signature that was checked on arrival), a status the server
reported, content removed under the retention period, a supersession by an amendment, or a
record vouched for when this version first opened a database made before it. The content is
kept beside the signature, so ``db check`` (``services.integrity``) can name the field that
differs.

Signatures made before schema 9 covered a submission's answers and score, or a review's
decision, comment and band ("format 1"); ``legacy_content`` rebuilds those for the check.
"""

from __future__ import annotations

from typing import Any

from screening_app import crypto
from screening_app.domain.registry import FormRegistry
from screening_app.domain.scoring import score
from screening_app.services.session import Session
from screening_app.storage import review_repo, signatures_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.driver import Database

FORMAT = 2
SUBMISSIONS = frozenset({"submit", "receive", "vouch"})  # facts that establish what was submitted
KINDS = frozenset(
    {*SUBMISSIONS, "approve", "return", "decision", "status", "supersede", "remove", "outcome"}
)


def digest_of(value: Any) -> str:
    return crypto.digest(value).hex()


def fact(db: Database, screening_id: int, kind: str, extra: dict[str, Any]) -> dict[str, Any]:
    """What a fact of ``kind`` about the screening as it now stands covers."""
    shown = signatures_repo.shown(db, screening_id)
    if shown is None:
        raise ValueError(f"screening {screening_id} does not exist")
    removed = shown["content_removed_at"] is not None
    return {
        "what": kind,
        "format": FORMAT,
        "shown": shown,
        "answers": None if removed else signatures_repo.answers_digest(db, screening_id),
        "score": signatures_repo.score_digest(db, screening_id),
        **extra,
    }


def review_part(db: Database, review_id: int) -> dict[str, Any]:
    stored = signatures_repo.review_fact(db, review_id)
    if stored is None:
        raise ValueError(f"review {review_id} does not exist")
    return {
        "id": stored.id,
        "decision": stored.decision,
        "comment": stored.comment,
        "band": stored.band,
        "reviewer": stored.reviewer_id,
        "at": stored.at,
    }


def outcome_part(db: Database, outcome_id: int) -> dict[str, Any]:
    stored = signatures_repo.outcome_fact(db, outcome_id)
    if stored is None:
        raise ValueError(f"outcome {outcome_id} does not exist")
    return {
        "id": stored.id,
        "code": stored.code,
        "date": stored.date,
        "note": stored.note,
        "user": stored.user_id,
        "at": stored.at,
    }


def sender(device_key: str | None, signature: str) -> dict[str, str]:
    """Who sent what the team server delivered: the device key whose signature was checked on
    arrival, and that signature — kept in the receipt that the receiving account signs."""
    return {"device_key": device_key or "", "signature": signature}


def submission_digest(db: Database, screening_id: int) -> str | None:
    """The digest of the screening's newest fact that established its submission."""
    for row in reversed(signatures_repo.of_screening(db, screening_id)):
        if is_submission(row):
            return row.digest
    return None


def is_submission(row: signatures_repo.SignatureRow) -> bool:
    """A fact that establishes what was submitted (not a review's or an outcome's)."""
    return (
        row.kind in SUBMISSIONS
        and row.content is not None
        and row.review_id is None
        and row.outcome_id is None
    )


def record(
    session: Session,
    screening_id: int,
    kind: str,
    extra: dict[str, Any] | None = None,
    *,
    review_id: int | None = None,
    outcome_id: int | None = None,
) -> None:
    """Sign a fact of ``kind`` about the screening as it stands now (inside the write that made
    the change, after it)."""
    db = session.db
    more = dict(extra or {})
    if review_id is not None:
        more["review"] = review_part(db, review_id)
        more["submission"] = submission_digest(db, screening_id)
    if outcome_id is not None:
        more["outcome"] = outcome_part(db, outcome_id)
    content = fact(db, screening_id, kind, more)
    digest = crypto.digest(content)
    signatures_repo.add(
        db,
        {
            "screening_id": screening_id,
            "kind": kind,
            "review_id": review_id,
            "outcome_id": outcome_id,
            "signer_id": session.user.id,
            "at": session.now_text(),
            "digest": digest.hex(),
            "signature": session.store.keys.sign(digest).hex(),
            "content": crypto.canonical(content).decode(),
        },
    )


# -- format 1 (signatures made before schema 9) -------------------------------------------------
def legacy_content(
    db: Database, registry: FormRegistry, row: signatures_repo.SignatureRow
) -> dict[str, Any] | None:
    """What a format-1 signature covered, rebuilt from what is stored now (None: gone)."""
    record_ = repo.fetch(db, repo.ALL, row.screening_id)
    if record_ is None:
        return None
    if row.kind == "submit":
        form = registry.get(record_.form_id, record_.form_version)
        answers = repo.answers(db, repo.ALL, row.screening_id)
        result = score(form, answers)
        return {
            "what": "submit",
            "reference": record_.reference,
            "form": [record_.form_id, record_.form_version],
            "answers": answers,
            "total": result.total,
            "final_band": result.final_band,
            "judged_band": result.judged_band,
        }
    stored = review_repo.review(db, row.review_id) if row.review_id is not None else None
    if stored is None:
        return None
    _screening, decision, comment, band = stored
    return {"what": decision, "reference": record_.reference, "comment": comment, "band": band}
