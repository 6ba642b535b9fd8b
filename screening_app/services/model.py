"""Value types the services hand to the UI and the CLI: plain frozen dataclasses, no SQL, no Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from screening_app.crypto import FAST_KDF, KdfParams
from screening_app.domain.capabilities import ROLE_LABELS, Role
from screening_app.domain.evaluation import parse_date
from screening_app.domain.reassessment import Window
from screening_app.domain.scoring import StoredScore
from screening_app.storage.screenings_repo import CommentRow, ListRow

__all__ = [
    "FAST_KDF",
    "ROLE_LABELS",
    "STATUS_LABELS",
    "AuditEntry",
    "BackupInfo",
    "KdfParams",
    "ListQuery",
    "ReviewComment",
    "Role",
    "Screening",
    "ScreeningRow",
    "Status",
    "User",
    "status_label",
]


Status = Literal["draft", "submitted", "approved", "returned", "superseded"]
STATUS_LABELS: dict[str, str] = {
    "draft": "Draft",
    "submitted": "Submitted – awaiting review",
    "approved": "Approved",
    "returned": "Returned for changes",
    "superseded": "Replaced by amendment",
}


def status_label(status: str, version: int) -> str:
    """The words for a status; a submitted amendment (version 2 on) needs its own review, while
    the version its supervisor approved keeps that approval (docs/SECURITY.md)."""
    if status == "submitted" and version > 1:
        return "Amended – awaiting review"
    return STATUS_LABELS.get(status, status)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    display_name: str
    role: Role
    team: str
    job_title: str
    agency: str
    active: bool
    has_access: bool = False  # holds the data key: may read children's records


@dataclass(frozen=True)
class ScreeningRow:
    """One line of the screenings list (no answers)."""

    id: int
    reference: str
    child_id: int | None
    child_name: str
    child_age: int | None
    la_area: str
    screening_date: dt.date | None
    status: Status
    operative_band: str | None
    reassess_by: dt.date | None
    owner_id: int
    owner_name: str
    updated_at: dt.datetime
    version: int
    newest: bool = True  # the child's newest screening: the only one that can fall due

    @classmethod
    def from_stored(cls, r: ListRow) -> ScreeningRow:
        return cls(
            id=r.id,
            reference=r.reference,
            child_id=r.child_id,
            child_name=r.child_name or "",
            child_age=r.child_age,
            la_area=r.la_area or "",
            screening_date=parse_date(r.screening_date),
            status=r.status,  # type: ignore[arg-type]  # the schema's CHECK keeps it a Status
            operative_band=r.operative_band,
            reassess_by=parse_date(r.reassess_by),
            owner_id=r.owner_id,
            owner_name=r.owner_name or "",
            updated_at=dt.datetime.fromisoformat(r.updated_at),
            version=r.version,
            newest=bool(r.latest),
        )


@dataclass(frozen=True)
class ReviewComment:
    at: dt.datetime
    author_name: str
    decision: Literal["approve", "return", "comment"]
    text: str
    band: str | None

    @classmethod
    def from_stored(cls, c: CommentRow) -> ReviewComment:
        decision: Literal["approve", "return", "comment"] = (
            c.decision if c.decision in ("approve", "return") else "comment"  # type: ignore[assignment]
        )
        return cls(dt.datetime.fromisoformat(c.at), c.author_name, decision, c.comment, c.band)


@dataclass(frozen=True)
class Screening:
    """A whole screening: its list row, answers, the page the user was on, the stored score."""

    row: ScreeningRow
    form_id: str
    form_version: int
    answers: dict[str, object]
    page: str | None
    score: StoredScore | None
    previous_id: int | None
    amend_reason: str | None
    judgement_approved: bool
    comments: tuple[ReviewComment, ...]


@dataclass(frozen=True)
class ListQuery:
    status: Status | None = None
    band: str | None = None
    area: str | None = None
    owner_id: int | None = None
    search: str = ""
    due: Window = "any"
    sort: Literal["child", "age", "area", "date", "status", "band", "reassess", "updated"] = (
        "updated"
    )
    descending: bool = True
    offset: int = 0
    limit: int = 200


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    user_name: str
    action: str
    record: str | None
    detail: str


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: dt.datetime
    size: int
