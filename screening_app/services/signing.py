"""Signed work: submissions and reviews carry their author's Ed25519 signature over a hash of
what was decided, and ``db check`` verifies every one (docs/SECURITY.md).

What is signed, canonically encoded (sorted keys, UTF-8):
- a **submission** (or the submission of an amendment): the reference, the form and version, every
  answer, and the total and bands that the answers score to;
- a **review**: the reference, the decision (approve or return), the comment and, for an
  approval, the band approved.

A key holder can still delete rows, but cannot change a signed decision, or write one in another
person's name, without the check naming it.
"""

from __future__ import annotations

from typing import Any

from screening_app import crypto
from screening_app.domain.registry import FormRegistry
from screening_app.domain.scoring import ScoreResult, score
from screening_app.services.session import Session
from screening_app.storage import audit, review_repo, signatures_repo
from screening_app.storage import screenings_repo as repo
from screening_app.storage.account_log import RECOVERY
from screening_app.storage.driver import Database
from screening_app.storage.keyring import Keyring
from screening_app.storage.opened import get_meta


def submission(
    reference: str, form_id: str, version: int, answers: dict[str, Any], result: ScoreResult
) -> dict[str, Any]:
    return {
        "what": "submit",
        "reference": reference,
        "form": [form_id, version],
        "answers": answers,
        "total": result.total,
        "final_band": result.final_band,
        "judged_band": result.judged_band,
    }


def review(reference: str, decision: str, comment: str, band: str | None) -> dict[str, Any]:
    return {
        "what": decision,
        "reference": reference,
        "comment": comment,
        "band": band,
    }


def sign(
    session: Session,
    screening_id: int,
    kind: str,
    content: dict[str, Any],
    review_id: int | None = None,
) -> None:
    """Record the signed-in account's signature over ``content`` (inside the write)."""
    digest = crypto.digest(content)
    signatures_repo.add(
        session.db,
        {
            "screening_id": screening_id,
            "kind": kind,
            "review_id": review_id,
            "signer_id": session.user.id,
            "at": session.now_text(),
            "digest": digest.hex(),
            "signature": session.store.keys.sign(digest).hex(),
        },
    )


def problems(db: Database, keyring: Keyring, registry: FormRegistry) -> list[str]:
    """Every signature that is missing, not its author's, or over something since changed."""
    directory = keyring.directory

    def verify(account_id: int, signature: bytes, message: bytes) -> bool:
        if account_id == RECOVERY:
            keys: tuple[bytes, ...] = (directory.recovery_sign,)
        elif account_id in directory.accounts:
            keys = directory.accounts[account_id].sign_keys
        else:
            return False
        return any(crypto.verify(key, signature, message) for key in keys)

    found = []
    for row in signatures_repo.all_rows(db):
        record = repo.fetch(db, repo.ALL, row.screening_id)
        name = record.reference if record else f"screening {row.screening_id}"
        who = directory.accounts.get(row.signer_id)
        author = who.name if who else f"account {row.signer_id}"
        removed = record is not None and record.content_removed_at is not None
        content = _content(db, registry, row) if record and not removed else None
        if not removed and (content is None or crypto.digest(content).hex() != row.digest):
            found.append(
                f"{name}: what {author} signed on {row.at} ({row.kind}) has since been changed"
            )
        elif not verify(row.signer_id, bytes.fromhex(row.signature), bytes.fromhex(row.digest)):
            found.append(f"{name}: the {row.kind} signature is not {author}'s")
    since = int(get_meta(db, "unsigned_before") or 1)
    for reference in signatures_repo.unsigned_submissions(db, since):
        found.append(f"{reference}: submitted, but its submission is not signed")
    for review_id in signatures_repo.unsigned_reviews(db, since):
        found.append(f"review {review_id}: not signed by the supervisor who made it")
    audit_since = int(get_meta(db, "unsigned_audit_before") or 1)
    found += audit.forged(db, verify, audit_since)
    return found


def _content(
    db: Database, registry: FormRegistry, row: signatures_repo.SignatureRow
) -> dict[str, Any] | None:
    record = repo.fetch(db, repo.ALL, row.screening_id)
    if record is None:
        return None
    if row.kind == "submit":
        form = registry.get(record.form_id, record.form_version)
        answers = repo.answers(db, repo.ALL, row.screening_id)
        result = score(form, answers)
        return submission(record.reference, record.form_id, record.form_version, answers, result)
    stored = review_repo.review(db, row.review_id) if row.review_id is not None else None
    if stored is None:
        return None
    _screening, decision, comment, band = stored
    return review(record.reference, decision, comment, band)
