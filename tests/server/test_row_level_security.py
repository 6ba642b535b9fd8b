"""PostgreSQL itself keeps teams apart: connected as the API's role, with the account, team and
role of a request set, a query sees only what that account may see — whatever SQL it runs."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from screening_app.server import child_tags
from screening_app.server.schema import API_ROLE
from screening_app.server.store import Caller, ServerError, ServerStore

PW = "server-password-1"


@pytest.fixture
def teams(store: ServerStore, database_url: str) -> dict[str, int]:
    ids = {}
    for name, role, team in (
        ("kit", "practitioner", "North"),
        ("rowan", "practitioner", "North"),
        ("sol", "supervisor", "North"),
        ("ari", "practitioner", "South"),
        ("lou", "supervisor", "South"),
        ("ada", "admin", None),
    ):
        ids[name] = store.add_account(name, PW, role, team).id
    with psycopg.connect(database_url, autocommit=True) as owner:  # the test's superuser
        for author in ("kit", "rowan", "ari"):
            owner.execute(
                "INSERT INTO screenings (id, version, team_id, author_id, form_id, form_version, "
                "status, screening_month, envelope, signature) SELECT %s, 1, team_id, id, "
                "'cse-risk-screening', 2, 'submitted', '2026-11', %s, %s FROM accounts "
                "WHERE id = %s",
                [uuid.uuid4(), b"ciphertext", b"signature", ids[author]],
            )
    return ids


def seen_by(database_url: str, account_id: int, team_id: int | None, role: str) -> list[int]:
    with psycopg.connect(database_url) as conn:
        conn.execute(f"SET ROLE {API_ROLE}")
        conn.execute(
            "SELECT set_config('app.account_id', %s, false), "
            "set_config('app.team_id', %s, false), set_config('app.role', %s, false)",
            [str(account_id), str(team_id or ""), role],
        )
        rows = conn.execute("SELECT author_id FROM screenings ORDER BY author_id").fetchall()
        return [int(r[0]) for r in rows]


def team_of(store: ServerStore, name: str) -> int | None:
    account = store.account(name)
    assert account is not None
    return account.team_id


def test_each_account_sees_only_what_it_may(
    store: ServerStore, database_url: str, teams: dict[str, int]
) -> None:
    north, south = team_of(store, "kit"), team_of(store, "ari")
    assert seen_by(database_url, teams["kit"], north, "practitioner") == [teams["kit"]]
    assert seen_by(database_url, teams["sol"], north, "supervisor") == [
        teams["kit"],
        teams["rowan"],
    ]
    assert seen_by(database_url, teams["lou"], south, "supervisor") == [teams["ari"]]
    assert seen_by(database_url, teams["ada"], None, "admin") == []


def test_lying_about_the_team_does_not_help_a_practitioner(
    store: ServerStore, database_url: str, teams: dict[str, int]
) -> None:
    north = team_of(store, "kit")
    assert seen_by(database_url, teams["ari"], north, "practitioner") == []


def test_without_a_request_context_nothing_is_visible(
    database_url: str, teams: dict[str, int]
) -> None:
    with psycopg.connect(database_url) as conn:
        conn.execute(f"SET ROLE {API_ROLE}")
        assert conn.execute("SELECT count(*) FROM screenings").fetchone() == (0,)


def test_the_api_role_cannot_write_a_screening_in_someone_else_s_name(
    store: ServerStore, database_url: str, teams: dict[str, int]
) -> None:
    north = team_of(store, "kit")
    with psycopg.connect(database_url) as conn:
        conn.execute(f"SET ROLE {API_ROLE}")
        conn.execute(
            "SELECT set_config('app.account_id', %s, false), "
            "set_config('app.team_id', %s, false), set_config('app.role', 'practitioner', false)",
            [str(teams["kit"]), str(north)],
        )
        with pytest.raises(
            psycopg.errors.InsufficientPrivilege,
            match=r"new row violates row\-level security policy for table",
        ):
            conn.execute(
                "INSERT INTO screenings (id, version, team_id, author_id, form_id, form_version, "
                "status, screening_month, envelope, signature) VALUES "
                "(%s, 1, %s, %s, 'f', 1, 'submitted', '2026-11', 'x', 'y')",
                [uuid.uuid4(), north, teams["rowan"]],
            )


def test_only_a_supervisor_tags_and_only_her_own_team_s_untagged_screenings(
    store: ServerStore, database_url: str, teams: dict[str, int]
) -> None:
    def caller(name: str) -> Caller:
        account = store.account(name)
        assert account is not None
        return Caller(account, None)

    with pytest.raises(ServerError) as refused:
        child_tags.untagged(store, caller("kit"))
    assert refused.value.status == 403
    north = child_tags.untagged(store, caller("sol"))
    south = child_tags.untagged(store, caller("lou"))
    assert len(north) == 2 and len(south) == 1
    tag, other = "a" * 64, "b" * 64
    ari_s = (uuid.UUID(south[0]["id"]), 1, tag)
    assert child_tags.put_tags(store, caller("sol"), [ari_s]) == 0  # another team's: untouched
    first = (uuid.UUID(north[0]["id"]), 1, tag)
    assert child_tags.put_tags(store, caller("sol"), [first]) == 1
    assert child_tags.put_tags(store, caller("sol"), [(first[0], 1, other)]) == 0  # kept
    assert len(child_tags.untagged(store, caller("sol"))) == 1
    with psycopg.connect(database_url) as conn:
        tags = conn.execute("SELECT child_tag FROM screenings WHERE child_tag IS NOT NULL")
        assert tags.fetchall() == [(tag,)]


def test_tombstones_stay_in_their_team_and_only_its_supervisor_blanks_content(
    store: ServerStore, database_url: str, teams: dict[str, int]
) -> None:
    with psycopg.connect(database_url, autocommit=True) as owner:
        device = uuid.uuid4()
        owner.execute(
            "INSERT INTO devices (id, account_id, name) VALUES (%s, %s, 'desk')",
            [device, teams["sol"]],
        )
        owner.execute(
            "INSERT INTO tombstones (screening_id, version, team_id, author_id, decider_id, "
            "device_id, body, signature, witnessed_at, witness) SELECT id, version, team_id, "
            "author_id, %s, %s, 'b', 's', now(), 'w' FROM screenings WHERE author_id = %s",
            [teams["sol"], device, teams["kit"]],
        )

    def tombstones_seen(name: str, role: str) -> int:
        with psycopg.connect(database_url) as conn:
            conn.execute(f"SET ROLE {API_ROLE}")
            conn.execute(
                "SELECT set_config('app.account_id', %s, false), "
                "set_config('app.team_id', %s, false), set_config('app.role', %s, false)",
                [str(teams[name]), str(team_of(store, name) or ""), role],
            )
            found = conn.execute("SELECT count(*) FROM tombstones").fetchone()
            assert found is not None
            try:  # an author may only mark her own screening superseded (schema step 5)
                blanked = conn.execute("UPDATE screenings SET envelope = NULL").rowcount
            except psycopg.errors.InsufficientPrivilege:
                blanked = 0
            conn.rollback()
            return int(found[0]) * 10 + blanked

    assert tombstones_seen("sol", "supervisor") == 12  # the team's: one tombstone, two screenings
    assert tombstones_seen("kit", "practitioner") == 10  # her own screening's; blanks nothing
    assert tombstones_seen("rowan", "practitioner") == 0
    assert tombstones_seen("lou", "supervisor") == 1  # another team: no tombstone; her own one
