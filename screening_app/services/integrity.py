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
- audit rows from the first signed one on carry their author's signature;
- the link keys' copies of their screening (reference, owner, team, whether it counts), which
  matching reads instead of the screening, are the screening's own.

The limits of the two boundaries (which signatures are of format 1, which audit rows predate
signing) are read from the audit trail's ``integrity_upgrade`` row, which is hash-chained like
every row — never from a setting a key holder could edit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from screening_app import crypto
from screening_app.domain.registry import FormRegistry
from screening_app.errors import ScreeningError
from screening_app.services import integrity_parts as parts
from screening_app.services import signing
from screening_app.storage import audit, links_repo, signatures_repo
from screening_app.storage.driver import Database
from screening_app.storage.keyring import Keyring
from screening_app.storage.signatures_repo import SignatureRow

UPGRADE = "integrity_upgrade"


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
    return check_facts(db, keyring, registry, trusted or Verified())[0]


def check_facts(
    db: Database, keyring: Keyring, registry: FormRegistry, trusted: Verified
) -> tuple[list[str], bool]:
    """(findings, whether every signature verified)."""
    names = parts.Names(db, keyring)
    legacy_to, audit_from = boundaries(db) or (0, 1)
    found: list[str] = []
    sound = True
    facts: dict[int, list[tuple[SignatureRow, dict[str, Any]]]] = defaultdict(list)
    references = signatures_repo.reference_map(db)
    for row in signatures_repo.all_rows(db):
        name = references.get(row.screening_id, f"screening {row.screening_id}")
        who = names(row.signer_id)
        if row.id <= legacy_to or row.content is None:
            found += legacy_findings(db, registry, names, row, name, legacy=row.id <= legacy_to)
            continue
        # the content is kept in its canonical encoding, which is what the digest covers
        content = parts.parsed(row.content) if parts.sha256_hex(row.content) == row.digest else None
        if content is None or not parts.row_fits(row, content):
            found.append(f"{name}: what {who} signed on {row.at} ({row.kind}) was edited since")
        elif row.id > trusted.signatures and not names.verify(
            row.signer_id, parts.unhex(row.signature), parts.unhex(row.digest)
        ):
            found.append(f"{name}: the {row.kind} signature is not {who}'s")
            sound = False
        elif row.screening_id in references and parts.part(content, "shown")["reference"] != name:
            found.append(
                f"{name}: a fact {who} signed on {row.at} about "
                f"{parts.part(content, 'shown')['reference']} was moved onto it"
            )
        else:
            facts[row.screening_id].append((row, content))
    found += _screenings(db, names, facts)
    found += parts.reviews_and_outcomes(db, names, facts, references)
    forged = audit.forged(db, names.verify, audit_from, trusted_to=trusted.audit)
    found += forged
    gone = signatures_repo.submitted_references_in_audit(db) - set(references.values())
    found += [
        f"{reference}: the audit trail records it, but it is no longer in the database (deleted)"
        for reference in sorted(gone)
    ]
    found += [
        f"{reference}: its link keys carry another reference, owner, team or status than the "
        "screening itself (changed outside the app), so links would name the wrong record"
        for reference in links_repo.stale_copies(db)
    ]
    return found, sound and not forged


def legacy_findings(
    db: Database,
    registry: FormRegistry,
    names: parts.Names,
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
    if not names.verify(row.signer_id, parts.unhex(row.signature), parts.unhex(row.digest)):
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
    db: Database, names: parts.Names, facts: dict[int, list[tuple[SignatureRow, dict[str, Any]]]]
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
        signed_shown = parts.part(newest, "shown")
        for column in signatures_repo.SHOWN:
            if values.get(column) != signed_shown.get(column):
                now, was = parts.words(values.get(column)), parts.words(signed_shown.get(column))
                found.append(
                    f"{name}: its {parts.LABELS[column]} reads {now}, but what {who} signed on "
                    f"{at} ({newest_row.kind}) says {was}"
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
        reference = parts.part(content, "shown").get("reference", f"screening {sid}")
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
    names: parts.Names,
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
        owner = parts.part(content, "shown").get("owner_id")
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


@dataclass(frozen=True)
class Verified:
    """Signatures (by id) and audit rows (by id) up to which the checking account verified every
    Ed25519 signature, with a hash of those rows as they were: kept in ``meta`` under that
    account's own signature, so nobody else can vouch for a row in its name."""

    signatures: int = 0
    audit: int = 0
