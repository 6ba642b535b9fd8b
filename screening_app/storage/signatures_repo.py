"""SQL for signed facts: one row per signed decision or event of a screening (submitted, approved,
returned, received, status reported, content removed, outcome recorded, vouched for), each with
the content its signature covers — docs/SECURITY.md, "Signed facts"."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any, NamedTuple

from screening_app.domain.forms import GivenAnswers
from screening_app.storage.driver import Database


class SignatureRow(NamedTuple):
    id: int
    screening_id: int
    kind: str
    review_id: int | None
    outcome_id: int | None
    signer_id: int
    at: str
    digest: str
    signature: str
    content: str | None  # the signed content (JSON); None for signatures made before schema 9


class ShownRow(NamedTuple):
    """The columns of a screening that people see (list, queue, figures, PDF): what signed
    facts cover."""

    id: int
    values: dict[str, Any]


class ReviewFact(NamedTuple):
    id: int
    screening_id: int
    reviewer_id: int
    decision: str
    comment: str
    band: str | None
    at: str


class OutcomeFact(NamedTuple):
    id: int
    screening_id: int
    code: str
    date: str
    note: str
    user_id: int
    at: str


COLUMNS = ", ".join(SignatureRow._fields)
# What the screenings list, the review queue, the figures, the PDF and the server's metadata read.
SHOWN = (
    "reference",
    "owner_id",
    "team",
    "form_id",
    "form_version",
    "status",
    "version",
    "previous_id",
    "submitted_at",
    "screening_date",
    "child_name",
    "child_name_fold",
    "child_dob",
    "child_age",
    "la_area",
    "practitioner_role",
    "total",
    "calculated_band",
    "final_band",
    "judged_band",
    "operative_band",
    "awaiting_approval",
    "judgement_approved",
    "reassess_by",
    "reviewed_at",
    "content_removed_at",
)
_SHOWN_SQL = ", ".join(f"s.{c}" for c in SHOWN)


def add(db: Database, row: dict[str, object]) -> None:
    values = {"outcome_id": None, "content": None, **row}
    db.execute(
        "INSERT INTO signatures (screening_id, kind, review_id, outcome_id, signer_id, at, "
        "digest, signature, content) VALUES (:screening_id, :kind, :review_id, :outcome_id, "
        ":signer_id, :at, :digest, :signature, :content)",
        values,
    )


def all_rows(db: Database) -> list[SignatureRow]:
    return [
        SignatureRow._make(r)
        for r in db.execute(f"SELECT {COLUMNS} FROM signatures ORDER BY id").fetchall()
    ]


def of_screening(db: Database, screening_id: int) -> list[SignatureRow]:
    return [
        SignatureRow._make(r)
        for r in db.execute(
            f"SELECT {COLUMNS} FROM signatures WHERE screening_id = ? ORDER BY id",
            [screening_id],
        ).fetchall()
    ]


def shown(db: Database, screening_id: int) -> dict[str, Any] | None:
    row = db.execute(f"SELECT {_SHOWN_SQL} FROM screenings s WHERE s.id = ?", [screening_id])
    found = row.fetchone()
    return dict(zip(SHOWN, found, strict=True)) if found else None


def shown_rows(db: Database) -> Iterator[ShownRow]:
    """Every screening that is not a draft, by id."""
    cursor = db.execute(
        f"SELECT s.id, {_SHOWN_SQL} FROM screenings s WHERE s.status != 'draft' ORDER BY s.id"
    )
    for row in cursor:
        yield ShownRow(int(row[0]), dict(zip(SHOWN, row[1:], strict=True)))


ANSWERS_TEXT = "group_concat(question_id || char(31) || value_json, char(30) ORDER BY question_id)"


def _text_hash(text: str | None) -> str | None:
    return hashlib.sha256(text.encode()).hexdigest() if text is not None else None


def answers_digest(db: Database, screening_id: int) -> str | None:
    """A hash of the answers exactly as stored (question id and JSON text, by question id);
    None when there are none."""
    row = db.execute(
        f"SELECT {ANSWERS_TEXT} FROM answers WHERE screening_id = ?", [screening_id]
    ).fetchone()
    return _text_hash(row[0])


def digest_of_answers(answers: GivenAnswers) -> str | None:
    """``answers_digest`` of answers not yet stored, as they would be stored."""
    if not answers:
        return None
    text = "\x1e".join(
        f"{qid}\x1f{json.dumps(answers[qid], ensure_ascii=False)}" for qid in sorted(answers)
    )
    return _text_hash(text)


def answers_digests(db: Database) -> dict[int, str]:
    """``answers_digest`` of every screening that is not a draft."""
    cursor = db.execute(
        f"SELECT a.screening_id, {ANSWERS_TEXT} FROM answers a WHERE a.screening_id IN "
        "(SELECT id FROM screenings WHERE status != 'draft') GROUP BY a.screening_id"
    )
    return {int(sid): str(_text_hash(text)) for sid, text in cursor}


def score_digests(db: Database) -> dict[int, str]:
    """A hash of each stored score snapshot, exactly as stored."""
    return {
        int(r[0]): str(_text_hash(r[1]))
        for r in db.execute("SELECT screening_id, score_json FROM scores")
    }


def score_digest(db: Database, screening_id: int) -> str | None:
    row = db.execute(
        "SELECT score_json FROM scores WHERE screening_id = ?", [screening_id]
    ).fetchone()
    return _text_hash(row[0]) if row else None


def reviews(db: Database) -> list[ReviewFact]:
    cursor = db.execute(
        "SELECT id, screening_id, reviewer_id, decision, comment, band, at FROM reviews "
        "WHERE decision != 'comment' ORDER BY id"
    )
    return [ReviewFact._make(r) for r in cursor.fetchall()]


def review_fact(db: Database, review_id: int) -> ReviewFact | None:
    row = db.execute(
        "SELECT id, screening_id, reviewer_id, decision, comment, band, at FROM reviews "
        "WHERE id = ?",
        [review_id],
    ).fetchone()
    return ReviewFact._make(row) if row else None


def outcomes(db: Database) -> list[OutcomeFact]:
    cursor = db.execute(
        "SELECT id, screening_id, code, date, note, user_id, at FROM outcomes ORDER BY id"
    )
    return [OutcomeFact._make(r) for r in cursor.fetchall()]


def outcome_fact(db: Database, outcome_id: int) -> OutcomeFact | None:
    row = db.execute(
        "SELECT id, screening_id, code, date, note, user_id, at FROM outcomes WHERE id = ?",
        [outcome_id],
    ).fetchone()
    return OutcomeFact._make(row) if row else None


def references(db: Database) -> set[str]:
    return {str(r[0]) for r in db.execute("SELECT reference FROM screenings")}


def unvouched(db: Database) -> tuple[list[int], list[int], list[int]]:
    """Screenings (not drafts), reviews and outcomes with no signed fact of this schema: those
    written before it, by the demo data, or received before receipts were signed."""
    screenings = [
        int(r[0])
        for r in db.execute(
            "SELECT s.id FROM screenings s WHERE s.status != 'draft' AND NOT EXISTS "
            "(SELECT 1 FROM signatures g WHERE g.screening_id = s.id AND g.content IS NOT NULL "
            "AND g.review_id IS NULL AND g.outcome_id IS NULL) ORDER BY s.id"
        )
    ]
    reviews = [
        int(r[0])
        for r in db.execute(
            "SELECT r.id FROM reviews r WHERE r.decision != 'comment' AND NOT EXISTS "
            "(SELECT 1 FROM signatures g WHERE g.review_id = r.id AND g.content IS NOT NULL) "
            "ORDER BY r.id"
        )
    ]
    outcomes = [
        int(r[0])
        for r in db.execute(
            "SELECT o.id FROM outcomes o WHERE NOT EXISTS (SELECT 1 FROM signatures g "
            "WHERE g.outcome_id = o.id AND g.content IS NOT NULL) ORDER BY o.id"
        )
    ]
    return screenings, reviews, outcomes


def witness(db: Database) -> tuple[int, str]:
    """How many screenings are not drafts, and a digest of the sums of their ids and of their
    squares: what the key file vouches for, so that a screening deleted (or renumbered) shows at
    the next sign-in. Read from the status index alone, never the rows (a hash of every id took
    190 ms at 100 000 screenings: this is the sign-in's budget); ``db check`` is the full,
    cryptographic comparison."""
    count, total, squares = db.execute(
        "SELECT count(*), COALESCE(sum(id), 0), COALESCE(sum(id * id), 0) "
        "FROM screenings INDEXED BY screenings_by_status WHERE status != 'draft'"
    ).fetchone()
    return int(count), hashlib.sha256(f"{count}:{total}:{squares}".encode()).hexdigest()


def submitted_references_in_audit(db: Database) -> set[str]:
    """References the audit trail says were submitted or received here."""
    return {
        str(r[0])
        for r in db.execute(
            "SELECT DISTINCT record FROM audit WHERE action IN ('submit', 'received') "
            "AND record IS NOT NULL"
        )
    }


def reference_map(db: Database) -> dict[int, str]:
    return {int(r[0]): str(r[1]) for r in db.execute("SELECT id, reference FROM screenings")}


def user_names(db: Database) -> dict[int, str]:
    return {int(r[0]): str(r[1]) for r in db.execute("SELECT id, name FROM users")}


def status_of(db: Database, screening_id: int) -> str | None:
    row = db.execute("SELECT status FROM screenings WHERE id = ?", [screening_id]).fetchone()
    return str(row[0]) if row else None


def removed_at(db: Database, screening_id: int) -> str | None:
    row = db.execute(
        "SELECT content_removed_at FROM screenings WHERE id = ?", [screening_id]
    ).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def newest_id(db: Database) -> int:
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM signatures").fetchone()[0])


def rows_hash(db: Database, upto: int) -> str:
    """A hash of the signatures up to id ``upto``: ids, signers, digests and signatures."""
    text = db.execute(
        "SELECT group_concat(id || '|' || screening_id || '|' || signer_id || '|' || digest || "
        "'|' || signature, ',' ORDER BY id) FROM signatures WHERE id <= ?",
        [upto],
    ).fetchone()[0]
    return hashlib.sha256(str(text or "").encode()).hexdigest()
