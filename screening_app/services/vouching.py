"""The upgrade to signed facts: once per database, the records written before facts were signed
are vouched for by the first key holder who signs in with this version, and the boundaries are
written into the hash-chained audit trail (docs/SECURITY.md, "No unsigned escape hatches")."""

from __future__ import annotations

from screening_app.domain.registry import FormRegistry
from screening_app.services import signing
from screening_app.services.integrity import UPGRADE, boundaries, legacy_findings
from screening_app.services.integrity_parts import Names
from screening_app.services.session import Session
from screening_app.storage import signatures_repo
from screening_app.storage.driver import Database
from screening_app.storage.keyring import Keyring
from screening_app.storage.opened import get_meta


def upgrade(session: Session, registry: FormRegistry) -> int:
    """Once per database, at the first sign-in of a key holder with this version: vouch (sign as
    it stands) for every screening, review and outcome written before facts were signed — those
    the format-1 check does not name — and record the boundaries in the audit trail. Returns how
    many records were vouched for."""
    db = session.db
    if boundaries(db) is not None:
        return 0
    legacy_to = int(get_meta(db, "legacy_signatures_to") or 0)
    audit_from = int(get_meta(db, "unsigned_audit_before") or 1)
    before = problems_by_screening(db, session.store.keyring, registry, legacy_to)
    with session.write("vouch for the records made before this version"):
        count = vouch(session, skip=before)
        session.audit(
            UPGRADE,
            None,
            f"legacy_signatures_to={legacy_to};signed_audit_from={audit_from};vouched={count}",
        )
    return count


def problems_by_screening(
    db: Database, keyring: Keyring, registry: FormRegistry, legacy_to: int
) -> set[int]:
    """Screenings whose format-1 signatures the check names (never vouched for)."""
    names = Names(db, keyring)
    flagged: set[int] = set()
    for row in signatures_repo.all_rows(db):
        if row.id <= legacy_to and legacy_findings(db, registry, names, row, "", legacy=True):
            flagged.add(row.screening_id)
    return flagged


def vouch(session: Session, *, skip: set[int] | None = None) -> int:
    """Sign, as they stand, the screenings, reviews and outcomes with no signed fact (inside the
    caller's write): the demo data, and records from before this version."""
    db = session.db
    screenings, reviews, outcomes = signatures_repo.unvouched(db)
    skipped = skip or set()
    count = 0
    for sid in screenings:
        if sid not in skipped:
            signing.record(session, sid, "vouch")
            count += 1
    for review_id in reviews:
        review = signatures_repo.review_fact(db, review_id)
        if review is not None and review.screening_id not in skipped:
            signing.record(session, review.screening_id, "vouch", review_id=review_id)
            count += 1
    for outcome_id in outcomes:
        outcome = signatures_repo.outcome_fact(db, outcome_id)
        if outcome is not None and outcome.screening_id not in skipped:
            signing.record(session, outcome.screening_id, "vouch", outcome_id=outcome_id)
            count += 1
    return count
