"""The child's tag the server counts children by (docs/SERVER.md, "What the server sees").

A computer seals each screening's clear metadata with the child's tag, ``HMAC(link secret,
name and date of birth)``, once it has the team's link secret. A screening sent before then has
no tag, and the server would count it as a child of its own: the organisation's figures would
say more children than the team's own. At each sync a supervisor's computer, which has the
secret and every screening of its team, asks which of them the server holds untagged and fills
the tags in (the server never replaces a tag already there).
"""

from __future__ import annotations

from screening_app import crypto
from screening_app.domain import checklist
from screening_app.domain.capabilities import Verb
from screening_app.domain.evaluation import parse_date
from screening_app.domain.forms import GivenAnswers
from screening_app.services.session import Session
from screening_app.storage import screenings_repo as repo
from screening_app.storage import sync_repo
from screening_app.sync import api
from screening_app.sync.client import ServerClient


def child_tag(link: bytes | None, answers: GivenAnswers) -> str | None:
    """The child's tag under the team's link secret: the server counts children by it without
    learning who they are (none until this computer has the secret)."""
    first = str(answers.get(checklist.FIRST_NAME) or "").strip()
    last = str(answers.get(checklist.LAST_NAME) or "").strip()
    dob = parse_date(answers.get(checklist.DATE_OF_BIRTH))
    if link is None or not (first and last and dob):
        return None
    return crypto.tag(link, checklist.child_identity(first, last, dob.isoformat()))


def fill(session: Session, client: ServerClient, link: bytes | None) -> int:
    """Tag the team's screenings the server holds without one; how many were tagged."""
    if not session.can(Verb.TAG_SCREENINGS) or link is None:
        return 0
    missing = api.untagged(client)
    db, scope = session.db, session.scope()
    tags = []
    for item in missing:
        local = sync_repo.by_remote(db, item.id, item.version)
        if local is None:
            continue  # not received here yet: the next sync
        answers = repo.answers(db, scope, local.screening_id)
        tag = child_tag(link, answers)
        if tag is not None:
            tags.append({"id": local.remote_id, "version": local.version, "child_tag": tag})
    if not tags:
        return 0
    return api.put_tags(client, tags)
