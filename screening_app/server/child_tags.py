"""The children's tags of screenings sent before their computer held the team's link secret:
a supervisor's computer asks which the server holds untagged and fills them in
(services/child_tags.py on the desktop). A tag already there is never replaced."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from screening_app.domain.capabilities import Verb
from screening_app.server import permissions, rows
from screening_app.server.store import Caller, ServerStore

TAGS_PAGE = 1000  # the most a supervisor's computer tags in one sync


def _tagger(caller: Caller) -> None:
    permissions.require(caller, Verb.TAG_SCREENINGS)


def untagged(store: ServerStore, caller: Caller) -> list[dict[str, Any]]:
    """The team's screenings the server holds without a child's tag (sent from a computer that
    did not have the team's link secret yet), for a supervisor's computer to tag."""
    _tagger(caller)
    with store.acting(caller) as conn:
        listed = rows.every(
            conn,
            _Version,
            "SELECT id, version FROM screenings WHERE child_tag IS NULL "
            "AND status IN ('submitted', 'approved', 'returned') ORDER BY seq LIMIT %s",
            [TAGS_PAGE],
        )
    return [{"id": str(v.id), "version": v.version} for v in listed]


@dataclass(frozen=True)
class _Version:
    id: uuid.UUID
    version: int


def put_tags(store: ServerStore, caller: Caller, tags: list[tuple[uuid.UUID, int, str]]) -> int:
    """Fill in the child's tag of the team's screenings that have none; a tag already there is
    never replaced. Row-level security keeps the update to the caller's own team. One
    statement for the whole list."""
    _tagger(caller)
    if not tags:
        return 0
    ids, versions, values = (list(column) for column in zip(*tags, strict=True))
    with store.acting(caller) as conn:
        done = conn.execute(
            "UPDATE screenings s SET child_tag = t.tag "
            "FROM unnest(%s::uuid[], %s::integer[], %s::text[]) AS t(id, version, tag) "
            "WHERE s.id = t.id AND s.version = t.version AND s.child_tag IS NULL",
            [ids, versions, values],
        )
        filled = done.rowcount
        if filled:
            store.audit_as(conn, caller, "child_tags_filled", str(filled))
    return filled
