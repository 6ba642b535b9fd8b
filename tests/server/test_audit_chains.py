"""The server's audit trail as one hash chain per team (and one for the organisation): appends of
different teams at the same moment never wait for each other, each chain stays whole, and
``server audit-check`` walks every chain end to end and names a row removed or changed."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from screening_app.cli import run
from screening_app.domain import audit_chain
from screening_app.server import audit, schema
from screening_app.server.store import ServerStore
from tests.server.conftest import database_at
from tests.server.postgres import Cluster

PW = "server-password-1"


def test_teams_append_at_once_and_every_chain_holds(
    store: ServerStore, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    teams = [store.add_account(f"s{n}", PW, "supervisor", f"Team {n}").team_id for n in range(4)]

    def append(n: int) -> None:
        with store.transaction() as conn:
            store.audit(conn, None, "screening_received", f"row {n}", team=teams[n % 4])

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(append, range(200)))
    with psycopg.connect(database_url) as conn:
        per_chain = dict(conn.execute("SELECT chain, count(*) FROM audit GROUP BY chain"))
        checked = audit.check_all(conn)
    assert per_chain == {0: 4, **{team: 50 for team in teams}}  # 4 accounts added: chain 0
    assert checked.problems == [] and (checked.rows, checked.chains) == (204, 5)
    assert run(["server", "audit-check", "--database", database_url]) == 0
    assert "204 rows in 5 chain(s), each whole" in capsys.readouterr().out

    with psycopg.connect(database_url, autocommit=True) as owner:
        changed = owner.execute(
            "UPDATE audit SET record = 'row 999' WHERE id = (SELECT min(id) FROM audit "
            "WHERE chain = %s) RETURNING id",
            [teams[1]],
        ).fetchone()
        removed = owner.execute(
            "DELETE FROM audit WHERE id = (SELECT min(id) + 0 FROM audit WHERE chain = %s "
            "AND id > (SELECT min(id) FROM audit WHERE chain = %s)) RETURNING id",
            [teams[2], teams[2]],
        ).fetchone()
    assert changed is not None and removed is not None
    assert run(["server", "audit-check", "--database", database_url]) == 2
    err = capsys.readouterr().err
    assert f"audit row {changed[0]} (chain {teams[1]}): its contents were changed" in err
    assert f"(chain {teams[2]}): the row before it was changed or removed" in err
    assert "2 problem(s) in 203 audit rows" in err


def test_the_database_hashes_a_row_as_the_shared_encoding_does(
    store: ServerStore, database_url: str
) -> None:
    # PostgreSQL joins the chain's last hash and the rest of the row's text (domain/audit_chain.py)
    # in the statement that writes it: quotes, escapes and characters beyond ASCII alike
    awkward = 'a "quote", a \\ slash, a\nnewline, a\ttab, \x01, Zoë, 🙂'
    team = store.add_account("s1", PW, "supervisor", "Team 1").team_id
    with store.transaction() as conn:
        first = store.audit(conn, None, "screening_received", "Zoë/v1", awkward, team=team)
        second = store.audit(conn, 7, "screening_received", None, "", team=team)
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT at, prev_hash, hash FROM audit WHERE chain = %s ORDER BY id", [team]
        ).fetchall()
        assert audit.check_all(conn).problems == []
    (at1, prev1, hash1), (at2, prev2, hash2) = rows
    assert (prev1, hash1, prev2, hash2) == (audit.START, first, first, second)
    utc = dt.UTC
    assert first == audit_chain.link(
        audit.START, at1.astimezone(utc).isoformat(), None, "screening_received", "Zoë/v1", awkward
    )
    assert second == audit_chain.link(
        first, at2.astimezone(utc).isoformat(), 7, "screening_received", None, ""
    )


def test_rows_written_before_the_shared_encoding_still_check_and_the_chain_runs_on(
    cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    """Schema step 14 marks the rows already there as the old encoding; rows after it are
    hashed as the desktop hashes its trail. A chain spanning the change is whole; a changed old
    row, or a mark switched to pass a row off as the other encoding, is named."""
    with database_at(cluster, target=13) as url:
        with psycopg.connect(url, autocommit=True) as conn:
            assert schema.version(conn) == 13
            prev = audit_chain.GENESIS
            at = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
            for n in range(3):  # as the server before step 14 wrote them
                made = audit_chain.legacy_link(prev, at.isoformat(), None, "setting", f"é{n}", "")
                conn.execute(
                    "INSERT INTO audit (at, account_id, action, record, detail, prev_hash, hash) "
                    "VALUES (%s, NULL, 'setting', %s, '', %s, %s)",
                    [at, f"é{n}", prev, made],
                )
                prev = made
            assert schema.migrate(conn) == schema.LATEST
        store = ServerStore(url, pool_size=1)
        try:
            store.add_account("sol", PW, "supervisor", "North")  # chain 0 again, and the team's
        finally:
            store.close()
        with psycopg.connect(url, autocommit=True) as conn:
            marks = [r[0] for r in conn.execute("SELECT encoding FROM audit WHERE chain = 0")]
            assert marks[:3] == [1, 1, 1] and set(marks[3:]) == {2} and len(marks) > 3
            last = conn.execute("SELECT max(id) FROM audit WHERE chain = 0").fetchone()
        assert run(["server", "audit-check", "--database", url]) == 0
        capsys.readouterr()
        with psycopg.connect(url, autocommit=True) as owner:
            first = owner.execute(
                "UPDATE audit SET record = 'é9' WHERE id = (SELECT min(id) FROM audit) RETURNING id"
            ).fetchone()
            owner.execute("UPDATE audit SET encoding = 1 WHERE id = %s", [last[0]])  # type: ignore[index]
        assert first is not None
        assert run(["server", "audit-check", "--database", url]) == 2
        err = capsys.readouterr().err
        assert f"audit row {first[0]} (chain 0): its contents were changed" in err
        assert f"audit row {last[0]} (chain 0): its contents were changed" in err  # type: ignore[index]
