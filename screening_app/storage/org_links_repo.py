"""SQL for links across the organisation on a supervisor's computer (docs/SERVER.md): the team's
screenings known to the server with their exact entity keys, which of those the server has, and
its last answer. Reads take the caller's scope like every other read of screenings."""

from __future__ import annotations

from typing import NamedTuple

from screening_app.storage.driver import Database
from screening_app.storage.links_repo import COUNTED
from screening_app.storage.scope import Scope


class OnServer(NamedTuple):
    screening_id: int
    remote_id: str
    kind: str | None  # None: a screening on the server with no exact key (any more)
    key: str | None


class OrganisationLink(NamedTuple):
    kind: str
    key: str
    reference: str
    team: str
    screenings: int
    supervisors: str


def on_server(db: Database, scope: Scope) -> list[OnServer]:
    """Every counted screening the server holds (sent from here or received), the newest version
    of each, with each of its exact keys (a screening without one: a row of Nones)."""
    clause, scoped = scope.clause(counting=True)
    rows = db.execute(
        "SELECT s.id, i.remote_id, k.kind, k.key FROM screenings s "
        "JOIN sync_items i ON i.screening_id = s.id AND i.state IN ('sent', 'received') "
        "LEFT JOIN entity_keys k ON k.screening_id = s.id AND k.exact = 1 "
        f"WHERE {COUNTED} AND {clause} ORDER BY s.id",
        scoped,
    ).fetchall()
    return [OnServer(int(a), str(b), c, d) for a, b, c, d in rows]


def sent_digests(db: Database) -> dict[int, str]:
    return {int(a): str(b) for a, b in db.execute("SELECT * FROM link_keys_sent").fetchall()}


def mark_sent(db: Database, digests: dict[int, str]) -> None:
    for screening_id, digest in digests.items():
        db.execute(
            "INSERT INTO link_keys_sent (screening_id, digest) VALUES (?, ?) "
            "ON CONFLICT (screening_id) DO UPDATE SET digest = excluded.digest",
            [screening_id, digest],
        )


def replace_links(db: Database, links: list[tuple[str, int, str, str, str, int, str]]) -> None:
    """The server's answer, in place of the last one: (link key, screening, kind, key, team,
    screenings of that team, its supervisors)."""
    db.execute("DELETE FROM organisation_links")
    for row in links:
        db.execute(
            "INSERT OR REPLACE INTO organisation_links (link_key, screening_id, kind, key, team, "
            "screenings, supervisors) VALUES (?, ?, ?, ?, ?, ?, ?)",
            list(row),
        )


def count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM organisation_links").fetchone()[0])


def links(db: Database, scope: Scope, since: str | None = None) -> list[OrganisationLink]:
    """The server's last answer, for the screenings the scope may see (dated from ``since``)."""
    clause, scoped = scope.clause(counting=True)
    rows = db.execute(
        "SELECT o.kind, o.key, s.reference, o.team, o.screenings, o.supervisors "
        "FROM organisation_links o JOIN screenings s ON s.id = o.screening_id "
        f"WHERE {COUNTED} AND {clause} AND coalesce(s.screening_date, '') >= ? "
        "ORDER BY o.team, s.reference",
        [*scoped, since or ""],
    ).fetchall()
    return [OrganisationLink._make(row) for row in rows]
