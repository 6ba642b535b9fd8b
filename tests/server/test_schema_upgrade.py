"""``server init`` on a database made by an older server: each step applied once, the API
role given what the new step needs, and what was there kept."""

from __future__ import annotations

import psycopg
from argon2 import PasswordHasher

from screening_app.server import schema
from screening_app.server.store import ServerStore
from tests.server.conftest import PW, database_at
from tests.server.postgres import Cluster


def test_a_version_7_database_is_upgraded_in_place(cluster: Cluster) -> None:
    with database_at(cluster, target=7) as url:
        with psycopg.connect(url, autocommit=True) as conn:  # an account of the old server
            team = conn.execute("INSERT INTO teams (name) VALUES ('North') RETURNING id")
            conn.execute(
                "INSERT INTO accounts (name, name_fold, role, team_id, password_hash) "
                "VALUES ('sol', 'sol', 'supervisor', %s, %s)",
                [team.fetchone()[0], PasswordHasher().hash(PW)],  # type: ignore[index]
            )
        with psycopg.connect(url, autocommit=True) as conn:
            assert schema.migrate(conn) == schema.LATEST
            assert schema.migrate(conn) == schema.LATEST  # a second run changes nothing
            assert schema.version(conn) == schema.LATEST
            steps = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY 1")]
            assert steps == list(range(1, schema.LATEST + 1))
            conn.execute(f"SET ROLE {schema.API_ROLE}")
            conn.execute("SELECT set_config('app.role', 'supervisor', false)")
            assert conn.execute("SELECT organisation_link_state()").fetchone() == (False,)
            assert conn.execute("SELECT count(*) FROM organisation_link_keys").fetchone() == (0,)
            assert conn.execute("SELECT name, added_by FROM accounts").fetchall() == [
                ("sol", None)
            ]  # made before the server recorded by whom
            assert conn.execute("SELECT count(*) FROM device_approvals").fetchone() == (0,)
        store = ServerStore(url, pool_size=1)
        try:
            assert store.account("sol") is not None
            store.add_account("sam", PW, "supervisor", "North", added_by="ada")
        finally:
            store.close()
