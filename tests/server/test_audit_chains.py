"""The server's audit trail as one hash chain per team (and one for the organisation): appends of
different teams at the same moment never wait for each other, each chain stays whole, and
``server audit-check`` walks every chain end to end and names a row removed or changed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from screening_app.cli import run
from screening_app.server import audit
from screening_app.server.store import ServerStore

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
