"""The organisation's retention period on practitioners' computers (CamCOPS calls it "move"):
after a sync, an approved screening the server holds loses its content here once the period
since its review has passed. Supervisors' computers keep their replicas. Each removal is in the
signed audit trail; ``db check`` then checks the signatures over what was kept of them."""

from __future__ import annotations

import datetime as dt

from screening_app.domain.capabilities import Verb
from screening_app.services import holds, signing
from screening_app.services.session import Session
from screening_app.storage import retention_repo
from screening_app.storage import screenings_repo as repo


def apply(session: Session, days: int | None) -> int:
    """Remove the content that is due; how many screenings lost theirs."""
    if not days or not session.can(Verb.READ_SCREENINGS) or session.can(Verb.KEEP_REPLICAS):
        return 0
    cutoff = (session.clock() - dt.timedelta(days=days)).isoformat(sep=" ")
    due = retention_repo.due(session.db, session.user.id, cutoff)
    if due:  # nothing of a child under a legal hold goes (domain/record_retention.py)
        held = holds.standing(session.db)
        due = [i for i in due if _child(session, i) not in held]
    if not due:
        return 0
    with session.write("remove content after the retention period") as db:
        for screening_id in due:
            record = repo.fetch(db, session.scope(), screening_id)
            retention_repo.remove_content(db, screening_id, session.now_text())
            signing.record(session, screening_id, "remove", {"retention_days": days})
            session.audit(
                "content_removed",
                record.reference if record else None,
                f"retention {days} days",
            )
    return len(due)


def _child(session: Session, screening_id: int) -> int | None:
    record = repo.fetch(session.db, session.scope(), screening_id)
    return record.child_id if record else None
