"""What a supervisor sees is what was signed: ``db check``'s comparison of every shown field,
review and outcome with the signed facts (``services.signing``), and the upgrade that vouches
for records made before facts were signed (docs/SECURITY.md, "Signed facts").

The rules, each a finding when broken:

- every signature verifies with its signer's key, over exactly the content kept beside it;
- every screening that is not a draft has signed facts, the first of them a submission (or a
  receipt from the team server, or the upgrade's vouching); its shown columns, answers and
  stored score are those of its newest fact;
- a submission is signed once, by the screening's owner; a review covers the submission it
  reviewed, so a submission signed again after an approval is named;
- every review and outcome is covered by a fact with the same decision, comment, band, reviewer
  (or code, date, note, recorder); a fact about a review, outcome or screening that is gone names
  what was deleted, and so does a submission the audit trail records that is no longer here;
- audit rows from the first signed one on carry their author's signature.

The limits of the two boundaries (which signatures are of format 1, which audit rows predate
signing) are read from the audit trail's ``integrity_upgrade`` row, which is hash-chained like
every row — never from a setting a key holder could edit.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from screening_app import crypto
from screening_app.domain.registry import FormRegistry
from screening_app.errors import ScreeningError
from screening_app.services import signing
from screening_app.services.session import Session
from screening_app.storage import audit, signatures_repo
from screening_app.storage.account_log import RECOVERY
from screening_app.storage.driver import Database
from screening_app.storage.keyring import Keyring
from screening_app.storage.opened import get_meta, set_meta
from screening_app.storage.signatures_repo import SignatureRow

UPGRADE = "integrity_upgrade"
Verify = Callable[[int, bytes, bytes], bool]

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


class _Names:
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


def boundaries(db: Database) -> tuple[int, int] | None:
    """(last format-1 signature id, first signed audit row id) as the upgrade recorded them."""
    detail = audit.first_detail(db, UPGRADE)
    if detail is None:
        return None
    try:
        parts = dict(part.split("=", 1) for part in detail.split(";"))
        return int(parts["legacy_signatures_to"]), int(parts["signed_audit_from"])
    except (KeyError, ValueError):
        return 0, 1  # an edited row breaks the chain anyway: be strict meanwhile


def problems(
    db: Database, keyring: Keyring, registry: FormRegistry, trusted: Verified | None = None
) -> list[str]:
    """Everything shown that is not what was signed, and every signature that is not sound.
    ``trusted``: signatures and audit rows up to these ids were verified by the checking account
    before and are unchanged since (``verified``): their Ed25519 signatures are not verified
    again; everything else is checked as always."""
    return _check(db, keyring, registry, trusted or Verified())[0]


def _check(
    db: Database, keyring: Keyring, registry: FormRegistry, trusted: Verified
) -> tuple[list[str], bool]:
    """(findings, whether every signature verified)."""
    names = _Names(db, keyring)
    legacy_to, audit_from = boundaries(db) or (0, 1)
    found: list[str] = []
    sound = True
    facts: dict[int, list[tuple[SignatureRow, dict[str, Any]]]] = defaultdict(list)
    references = signatures_repo.reference_map(db)
    for row in signatures_repo.all_rows(db):
        name = references.get(row.screening_id, f"screening {row.screening_id}")
        who = names(row.signer_id)
        if row.id <= legacy_to or row.content is None:
            found += _legacy(db, registry, names, row, name, legacy=row.id <= legacy_to)
            continue
        # the content is kept in its canonical encoding, which is what the digest covers
        content = _parsed(row.content) if _sha256(row.content) == row.digest else None
        if content is None or not _row_fits(row, content):
            found.append(f"{name}: what {who} signed on {row.at} ({row.kind}) was edited since")
        elif row.id > trusted.signatures and not names.verify(
            row.signer_id, _unhex(row.signature), _unhex(row.digest)
        ):
            found.append(f"{name}: the {row.kind} signature is not {who}'s")
            sound = False
        elif row.screening_id in references and _part(content, "shown")["reference"] != name:
            found.append(
                f"{name}: a fact {who} signed on {row.at} about "
                f"{_part(content, 'shown')['reference']} was moved onto it"
            )
        else:
            facts[row.screening_id].append((row, content))
    found += _screenings(db, names, facts)
    found += _reviews_and_outcomes(db, names, facts, references)
    forged = audit.forged(db, names.verify, audit_from, trusted_to=trusted.audit)
    found += forged
    gone = signatures_repo.submitted_references_in_audit(db) - set(references.values())
    found += [
        f"{reference}: the audit trail records it, but it is no longer in the database (deleted)"
        for reference in sorted(gone)
    ]
    return found, sound and not forged


# -- what the checking account verified before ---------------------------------------------------
@dataclass(frozen=True)
class Verified:
    """Signatures (by id) and audit rows (by id) up to which the checking account verified every
    Ed25519 signature, with a hash of those rows as they were: kept in ``meta`` under that
    account's own signature, so nobody else can vouch for a row in its name."""

    signatures: int = 0
    audit: int = 0


def _cache_key(account_id: int) -> str:
    return f"verified_by:{account_id}"


def verified(session: Session, newest: tuple[str, str] | None = None) -> Verified:
    """What the signed-in account verified before, if its record is its own and those rows are
    unchanged; nothing otherwise. ``newest``: the hashes of every signature and audit row now
    (when the record goes as far as they do, nothing need be hashed again)."""
    db = session.db
    raw = get_meta(db, _cache_key(session.user.id))
    if raw is None:
        return Verified()
    try:
        record = json.loads(raw)
        signed = {k: v for k, v in record.items() if k != "sig"}
        upto_signatures, upto_audit = int(record["signatures"]), int(record["audit"])
        account = session.store.keyring.directory.accounts[session.user.id]
        mine = any(
            crypto.verify(key, _unhex(record["sig"]), crypto.digest(signed))
            for key in account.sign_keys
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return Verified()
    if not mine or signed.get("database") != session.store.keyring.directory.database_id:
        return Verified()
    everything = newest is not None and (upto_signatures, upto_audit) == (
        signatures_repo.newest_id(db),
        audit.newest_id(db),
    )
    hashes = (
        newest
        if everything and newest is not None
        else (
            signatures_repo.rows_hash(db, upto_signatures),
            audit.rows_hash(db, upto_audit),
        )
    )
    same_signatures, same_audit = (
        hashes[0] == record["signatures_hash"],
        hashes[1] == record["audit_hash"],
    )
    return Verified(upto_signatures if same_signatures else 0, upto_audit if same_audit else 0)


def check_and_remember(session: Session, registry: FormRegistry) -> list[str]:
    """The whole check, verifying only what this account has not verified before; when every
    signature verified, the account signs a new record of how far that goes."""
    db = session.db
    upto_signatures, upto_audit = signatures_repo.newest_id(db), audit.newest_id(db)
    hashes = signatures_repo.rows_hash(db, upto_signatures), audit.rows_hash(db, upto_audit)
    found, sound = _check(db, session.store.keyring, registry, verified(session, hashes))
    if sound:
        record: dict[str, Any] = {
            "database": session.store.keyring.directory.database_id,
            "signatures": upto_signatures,
            "signatures_hash": hashes[0],
            "audit": upto_audit,
            "audit_hash": hashes[1],
        }
        record["sig"] = session.store.keys.sign(crypto.digest(record)).hex()
        with session.write("remember what was checked"):
            set_meta(db, _cache_key(session.user.id), json.dumps(record))
    return found


def _legacy(
    db: Database,
    registry: FormRegistry,
    names: _Names,
    row: SignatureRow,
    name: str,
    *,
    legacy: bool,
) -> list[str]:
    who = names(row.signer_id)
    if not legacy:
        return [
            f"{name}: a {row.kind} signature by {who} on {row.at} in a form this app no "
            "longer makes (added by hand)"
        ]
    if not names.verify(row.signer_id, _unhex(row.signature), _unhex(row.digest)):
        return [f"{name}: the {row.kind} signature is not {who}'s"]
    if signatures_repo.removed_at(db, row.screening_id) is not None:
        return []  # what it covered is gone, as the signed removal says
    try:
        content = signing.legacy_content(db, registry, row)
    except ScreeningError:  # its form or version was edited into one that does not exist
        content = None
    if content is None or crypto.digest(content).hex() != row.digest:
        return [f"{name}: what {who} signed on {row.at} ({row.kind}) has since been changed"]
    return []


def _screenings(
    db: Database, names: _Names, facts: dict[int, list[tuple[SignatureRow, dict[str, Any]]]]
) -> list[str]:
    found: list[str] = []
    scores = signatures_repo.score_digests(db)
    answers = signatures_repo.answers_digests(db)
    seen: set[int] = set()
    for shown in signatures_repo.shown_rows(db):
        sid, values = shown.id, shown.values
        seen.add(sid)
        held = answers.get(sid)
        listed = facts.get(sid, [])
        name = str(values["reference"])
        if not listed:
            found.append(f"{name}: submitted, but its submission is not signed")
            continue
        found += _submission_rules(name, names, listed)
        newest_row, newest = listed[-1]
        who, at = names(newest_row.signer_id), newest_row.at
        signed_shown = _part(newest, "shown")
        for column in signatures_repo.SHOWN:
            if values.get(column) != signed_shown.get(column):
                found.append(
                    f"{name}: its {LABELS[column]} reads {_words(values.get(column))}, but "
                    f"what {who} signed on {at} ({newest_row.kind}) says "
                    f"{_words(signed_shown.get(column))}"
                )
        if newest.get("answers") is None:
            if held:
                found.append(
                    f"{name}: its content is marked removed, yet its answers are still here"
                )
        elif held != newest["answers"]:
            by = next((r for r, _c in reversed(listed) if signing.is_submission(r)), newest_row)
            found.append(
                f"{name}: what {names(by.signer_id)} signed on {by.at} ({by.kind}) has "
                "since been changed (its answers)"
            )
        if scores.get(sid) != newest.get("score"):
            found.append(f"{name}: its stored score is not the one {who} signed on {at}")
    for sid, listed in facts.items():
        if sid in seen:
            continue
        row, content = listed[-1]
        reference = _part(content, "shown").get("reference", f"screening {sid}")
        if signatures_repo.status_of(db, sid) is None:
            found.append(
                f"{reference}: signed by {names(row.signer_id)} on {row.at} ({row.kind}), but "
                "no longer in the database (deleted)"
            )
        else:
            found.append(
                f"{reference}: signed as {row.kind} by {names(row.signer_id)} on "
                f"{row.at}, but it now reads as a draft"
            )
    return found


def _submission_rules(
    name: str,
    names: _Names,
    listed: list[tuple[SignatureRow, dict[str, Any]]],
) -> list[str]:
    found: list[str] = []
    first_row, _first = listed[0]
    if not signing.is_submission(first_row):
        found.append(f"{name}: submitted, but its submission is not signed")
        return found
    submissions = [(r, c) for r, c in listed if signing.is_submission(r)]
    for row, _content in submissions[1:]:
        found.append(
            f"{name}: its submission was signed again by {names(row.signer_id)} on {row.at} "
            "(a submitted screening changes only by an amendment, a new version)"
        )
    for row, content in submissions:
        owner = _part(content, "shown").get("owner_id")
        if row.kind == "submit" and owner != row.signer_id:
            found.append(
                f"{name}: submitted in {names(owner)}'s name but signed by {names(row.signer_id)}"
            )
    current: str | None = None
    for row, content in listed:
        if signing.is_submission(row):
            current = row.digest
        elif row.kind in ("approve", "return") and content.get("submission") != current:
            found.append(
                f"{name}: what {names(row.signer_id)} reviewed on {row.at} is not the "
                "submission signed before it"
            )
    return found


def _reviews_and_outcomes(
    db: Database,
    names: _Names,
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
        signed = _part(content, "review")
        stored: dict[str, Any] = {
            "decision": review.decision,
            "comment": review.comment,
            "band": review.band,
            "reviewer": review.reviewer_id,
            "at": review.at,
        }
        for key, value in stored.items():
            if signed.get(key) != value and not (key == "comment" and _cleared(db, review)):
                shown = names(value) if key == "reviewer" else _words(value)
                was = names(signed.get(key)) if key == "reviewer" else _words(signed.get(key))
                found.append(
                    f"{name}: the review's {key} reads {shown}, but what "
                    f"{names(row.signer_id)} signed on {row.at} ({row.kind}) says {was}"
                )
        if row.kind in ("approve", "return") and row.signer_id != review.reviewer_id:
            found.append(
                f"{name}: a review in {names(review.reviewer_id)}'s name was signed "
                f"by {names(row.signer_id)}"
            )
    for review_id, covering in by_review.items():
        if review_id not in reviews:
            row, content = covering[-1]
            who = names(_part(content, "review").get("reviewer"))
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
        signed = _part(content, "outcome")
        stored_outcome: dict[str, Any] = {
            "code": outcome.code,
            "date": outcome.date,
            "note": outcome.note,
            "user": outcome.user_id,
        }
        for key, value in stored_outcome.items():
            if signed.get(key) != value and not (key == "note" and _cleared(db, outcome)):
                found.append(
                    f"{name}: an outcome's {key} reads {_words(value)}, but what "
                    f"{names(row.signer_id)} signed on {row.at} says "
                    f"{_words(signed.get(key))}"
                )
    for outcome_id, covering in by_outcome.items():
        if outcome_id not in outcomes:
            row, content = covering[-1]
            reference = references.get(row.screening_id, f"screening {row.screening_id}")
            code = _part(content, "outcome").get("code")
            found.append(f"{reference}: an outcome ({code}) signed on {row.at} was deleted")
    return found


def _row_fits(row: SignatureRow, content: dict[str, Any]) -> bool:
    """The row's own columns say what its signed content says."""
    review, outcome = _part(content, "review").get("id"), _part(content, "outcome").get("id")
    return (
        content.get("what") == row.kind
        and review == row.review_id
        and outcome == row.outcome_id
        and _part(content, "shown").get("reference") is not None
    )


def _sha256(text: object) -> str:
    return hashlib.sha256(str(text).encode()).hexdigest()


def _unhex(text: object) -> bytes:
    """Bytes of a hex text; none for anything else (an edited row then fails to verify)."""
    try:
        return bytes.fromhex(str(text))
    except ValueError:
        return b""


def _part(content: dict[str, Any], key: str) -> dict[str, Any]:
    value = content.get(key)
    return value if isinstance(value, dict) else {}


def _parsed(text: object) -> dict[str, Any] | None:
    try:
        value = json.loads(str(text))
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _cleared(db: Database, item: signatures_repo.ReviewFact | signatures_repo.OutcomeFact) -> bool:
    """A comment or note emptied with the screening's content under the retention period (the
    removal itself is a signed fact, checked with the screening's shown columns)."""
    text = item.comment if isinstance(item, signatures_repo.ReviewFact) else item.note
    return text == "" and signatures_repo.removed_at(db, item.screening_id) is not None


def _words(value: Any) -> str:
    if value is None or value == "":
        return "nothing"
    return f"'{value}'" if isinstance(value, str) else str(value)


# -- the upgrade ---------------------------------------------------------------------------------
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
    names = _Names(db, keyring)
    flagged: set[int] = set()
    for row in signatures_repo.all_rows(db):
        if row.id <= legacy_to and _legacy(db, registry, names, row, "", legacy=True):
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
