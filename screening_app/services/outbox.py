"""What waits to go to the team server: called inside the transaction of the change itself, so
that a submitted screening or a decision is queued exactly when it is stored (docs/SERVER.md)."""

from __future__ import annotations

import uuid

from screening_app.services.session import Session
from screening_app.storage import screenings_repo as repo
from screening_app.storage import sync_repo
from screening_app.storage.opened import get_meta


def connected(session: Session) -> bool:
    return session.store.has_data and get_meta(session.db, "sync_url") is not None


def queue_submission(session: Session, screening_id: int) -> None:
    """A submitted screening waits to be sent; an amendment as the next version of the same
    screening on the server."""
    if not connected(session):
        return
    record = repo.fetch(session.db, session.scope(), screening_id)
    earlier = (
        sync_repo.of_screening(session.db, record.previous_id)
        if record is not None and record.previous_id
        else None
    )
    remote_id, version = (
        (earlier.remote_id, earlier.version + 1) if earlier else (str(uuid.uuid4()), 1)
    )
    sync_repo.queue(session.db, screening_id, remote_id, version, session.now_text())


def queue_decision(session: Session, screening_id: int, review_id: int) -> None:
    """A supervisor's decision on a screening that came from the server goes back to it."""
    if not connected(session):
        return
    item = sync_repo.of_screening(session.db, screening_id)
    if item is not None and item.direction == "in":
        sync_repo.queue_decision(session.db, review_id)


def queue_outcome(session: Session, screening_id: int, outcome_id: int) -> None:
    """An outcome on a screening the server holds goes to it (and from it to the team)."""
    if not connected(session):
        return
    if sync_repo.of_screening(session.db, screening_id) is not None:
        sync_repo.queue_outcome(session.db, outcome_id, str(uuid.uuid4()))
