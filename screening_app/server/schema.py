"""The server's PostgreSQL schema as numbered steps, applied by ``server init`` (safe to run
twice; a released step is never edited).

Tables are owned by the role that runs ``server init``; the API works as ``screening_api``, a
role that owns nothing, so row-level security applies to it (``FORCE`` makes it apply to the owner
too). Per request the API sets ``app.account_id``, ``app.team_id`` and ``app.role`` for the
transaction; the policies read them. The audit table may only be appended to.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg
from psycopg import sql

from screening_app.server.schema_v1 import POLICIES, V1
from screening_app.server.schema_v2 import V2
from screening_app.server.schema_v3 import V3
from screening_app.server.schema_v4 import V4
from screening_app.server.schema_v5 import V5
from screening_app.server.schema_v6 import V6
from screening_app.server.schema_v7 import V7
from screening_app.server.schema_v8 import V8
from screening_app.server.schema_v9 import V9
from screening_app.server.schema_v10 import FIGURES_OF_CHILDREN, V10
from screening_app.server.schema_v11 import GRANTS as V11_GRANTS
from screening_app.server.schema_v11 import V11
from screening_app.server.schema_v12 import V12
from screening_app.server.schema_v13 import GRANTS as V13_GRANTS
from screening_app.server.schema_v13 import V13
from screening_app.server.schema_v14 import V14

API_ROLE = "screening_api"

Step = Callable[[psycopg.Connection], None]


def _v1(conn: psycopg.Connection) -> None:
    conn.execute(V1)
    conn.execute(POLICIES)


def _v2(conn: psycopg.Connection) -> None:
    """Device public keys (signatures, sealed copies), the team key, upload order."""
    conn.execute(V2)


def _v3(conn: psycopg.Connection) -> None:
    """Review decisions (one per screening version, its comment sealed like the content)."""
    conn.execute(V3)


def _v4(conn: psycopg.Connection) -> None:
    """One-time challenges: a registered device signs in with its own key, no password."""
    conn.execute(V4)


def _v5(conn: psycopg.Connection) -> None:
    """An author's amendment (the next version) marks the version it replaces as superseded."""
    conn.execute(V5)


def _v6(conn: psycopg.Connection) -> None:
    """The team key's recovery copy, locked under a code only the team's supervisors saw."""
    conn.execute(V6)


def _v7(conn: psycopg.Connection) -> None:
    """Outcomes (code and date clear, note sealed); the figures the server computes from clear
    metadata (a child counted by a tag only the team can make); team key epochs (rotation when
    a supervisor leaves) and the team's link secret, sealed for each of its devices."""
    conn.execute(V7)


def _v8(conn: psycopg.Connection) -> None:
    """Links across the organisation: keyed hashes of entities, never the entities."""
    conn.execute(V8)


def _v9(conn: psycopg.Connection) -> None:
    """Computers approved by a supervisor in post; who made each account; the outcome
    profiles behind the organisation's three outcome rates."""
    conn.execute(V9)


def _v10(conn: psycopg.Connection) -> None:
    """The types of exploitation of each screening, counted by the organisation's figures;
    the figures count children's screenings only (not a place or group)."""
    conn.execute(V10)
    conn.execute(FIGURES_OF_CHILDREN)


def _v11(conn: psycopg.Connection) -> None:
    """Deletion at the end of a retention period, witnessed: tombstones, and sealed content
    that can be removed."""
    conn.execute(V11)


def _v12(conn: psycopg.Connection) -> None:
    """An audit chain per team: unrelated teams' uploads no longer wait for each other."""
    conn.execute(V12)


def _v13(conn: psycopg.Connection) -> None:
    """The organisation's figures kept as monthly counts per team, refreshed where changed."""
    conn.execute(V13)


def _v14(conn: psycopg.Connection) -> None:
    """The audit rows hashed in the desktop's encoding from now on; older rows marked."""
    conn.execute(V14)


STEPS: tuple[Step, ...] = (
    _v1,
    _v2,
    _v3,
    _v4,
    _v5,
    _v6,
    _v7,
    _v8,
    _v9,
    _v10,
    _v11,
    _v12,
    _v13,
    _v14,
)
LATEST = len(STEPS)


def version(conn: psycopg.Connection) -> int:
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(conn: psycopg.Connection, *, target: int = LATEST) -> int:
    """Apply every step after the database's version, each in its own transaction, then make
    sure the API role exists with exactly the rights it needs. Returns the new version."""
    with conn.transaction():
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
    current = version(conn)
    if current > LATEST:
        raise RuntimeError(
            f"This database was set up by a newer server (schema {current}; this one knows up "
            f"to {LATEST}). Install the newer server; the database is left unchanged."
        )
    for number in range(current + 1, target + 1):
        with conn.transaction():
            STEPS[number - 1](conn)
            conn.execute("INSERT INTO schema_version (version) VALUES (%s)", [number])
    with conn.transaction():
        _grant_api_role(conn)
    return max(current, target)


def api_role_granted(conn: psycopg.Connection) -> bool:
    """True when the connected role may work as the API role."""
    row = conn.execute(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s) "
        "THEN pg_has_role(current_user, %s, 'MEMBER') ELSE false END",
        [API_ROLE, API_ROLE],
    ).fetchone()
    return bool(row and row[0])


def _grant_api_role(conn: psycopg.Connection) -> None:
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [API_ROLE]).fetchone()
    if not exists:
        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(API_ROLE)))
    role = sql.Identifier(API_ROLE)
    owner = conn.execute("SELECT current_user").fetchone()
    assert owner is not None
    if not api_role_granted(conn):
        conn.execute(sql.SQL("GRANT {} TO {}").format(role, sql.Identifier(owner[0])))
    for statement in (
        "GRANT SELECT, INSERT, UPDATE ON teams, accounts, devices TO {}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON address_failures TO {}",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON tokens TO {}",
        "GRANT SELECT, INSERT, UPDATE ON screenings TO {}",
        "GRANT SELECT, INSERT ON team_keys, team_epochs, link_keys, outcomes TO {}",
        "GRANT SELECT, INSERT ON reviews TO {}",
        "GRANT SELECT, INSERT, DELETE ON challenges TO {}",
        "GRANT SELECT, INSERT ON audit TO {}",  # append-only: no UPDATE, no DELETE
        "GRANT SELECT ON schema_version TO {}",
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}",
    ):
        conn.execute(sql.SQL(statement).format(role))
    if version(conn) >= 7:
        for statement in (
            "GRANT EXECUTE ON FUNCTION organisation_figures(text, text, text[]) TO {}",
            "GRANT SELECT, INSERT, UPDATE ON settings TO {}",
            "GRANT SELECT, INSERT ON witnesses TO {}",
        ):
            conn.execute(sql.SQL(statement).format(role))
    if version(conn) >= 8:
        for statement in (
            "GRANT SELECT, INSERT ON organisation_link TO {}",
            "GRANT SELECT, INSERT, DELETE ON organisation_link_keys TO {}",
            "GRANT EXECUTE ON FUNCTION organisation_links(), organisation_link_state(), "
            "organisation_link_waiting() TO {}",
        ):
            conn.execute(sql.SQL(statement).format(role))
    if version(conn) >= 9:
        for statement in (
            "GRANT SELECT, INSERT ON device_approvals TO {}",
            "GRANT EXECUTE ON FUNCTION organisation_outcome_profiles(text, text) TO {}",
            "GRANT EXECUTE ON FUNCTION "
            "organisation_area_profile(text, text, text, text[], text[]) TO {}",
        ):
            conn.execute(sql.SQL(statement).format(role))
    if version(conn) >= 10:
        conn.execute(
            sql.SQL("GRANT EXECUTE ON FUNCTION organisation_type_figures(text, text) TO {}").format(
                role
            )
        )
    for step, grants in ((11, V11_GRANTS), (13, V13_GRANTS)):
        if version(conn) >= step:
            for statement in grants:
                conn.execute(sql.SQL(statement).format(role))
