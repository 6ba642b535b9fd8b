"""Links across the organisation on the team server over ``n`` screenings of 20 teams, each
with three link keys drawn from a pool (so about one in five keys is shared across teams).

``organisation_links()`` for one team (through the API role, row-level security and the
SECURITY DEFINER function, with the screenings' status checked) vs the raw indexed self-join
of the same keys, in the same run. Run: ``python -m benchmarks --only org_links [--n 100000]``.
Needs PostgreSQL's server binaries.
"""

from __future__ import annotations

import time

import psycopg

from benchmarks.common import Measure, median_time, print_table
from screening_app.server import org_links, schema
from screening_app.server.store import Caller, ServerStore
from tests.server.postgres import throwaway_cluster

PW = "bench-password-1"
TEAMS = 20
FILL = """
INSERT INTO screenings (id, version, team_id, author_id, form_id, form_version, status,
    screening_month, envelope, signature)
SELECT gen_random_uuid(), 1, (%(teams)s)[1 + n %% %(count_teams)s],
    (%(authors)s)[1 + n %% %(count_teams)s], 'cse-risk-screening', 2, 'submitted', '2026-11',
    '\\x00'::bytea, '\\x00'::bytea
FROM generate_series(1, %(count)s) AS n;
INSERT INTO organisation_link_keys (screening_id, team_id, link_key)
SELECT DISTINCT s.id, s.team_id,
    sha256(convert_to(CASE WHEN random() < 0.2 THEN 'shared' || (random() * %(pool)s)::int
                           ELSE s.id::text || k END, 'UTF8'))
FROM screenings s, generate_series(1, 3) AS k
"""


def run(n: int = 100_000) -> list[Measure]:
    with throwaway_cluster() as cluster:
        url = cluster.url()
        with psycopg.connect(url, autocommit=True) as conn:
            schema.migrate(conn)
        store = ServerStore(url, pool_size=2)
        supervisors = [
            store.add_account(f"sup{t}", PW, "supervisor", f"Team {t}") for t in range(TEAMS)
        ]
        mine = supervisors[0]
        with psycopg.connect(url, autocommit=True) as conn:
            started = time.perf_counter()
            for statement in FILL.split(";"):
                conn.execute(
                    statement,
                    {
                        "teams": [s.team_id for s in supervisors],
                        "authors": [s.id for s in supervisors],
                        "count_teams": TEAMS,
                        "count": n,
                        "pool": n // 10,
                    },
                )
            device = conn.execute(
                "INSERT INTO devices (id, account_id, name) VALUES (gen_random_uuid(), %s, 'b') "
                "RETURNING id",
                [mine.id],
            ).fetchone()
            assert device is not None
            conn.execute("ANALYZE")
            filled = time.perf_counter() - started
            raw = median_time(
                lambda: conn.execute(
                    "SELECT a.link_key, a.screening_id, b.team_id, count(*) "
                    "FROM organisation_link_keys a JOIN organisation_link_keys b "
                    "ON b.link_key = a.link_key AND b.team_id <> a.team_id "
                    "WHERE a.team_id = %s GROUP BY 1, 2, 3",
                    [mine.team_id],
                ).fetchall(),
                repeats=5,
            )
        caller = Caller(mine, device[0])
        found: list[dict[str, object]] = []

        def through_api() -> None:
            found[:] = org_links.links(store, caller)

        through = median_time(through_api, repeats=5)
        store.close()
    assert found, "no shared keys: the benchmark measured nothing"
    return [
        Measure(
            f"Links across the organisation for one team, {n:,} screenings of {TEAMS} teams "
            f"({len(found):,} found; filled in {filled:.0f} s)",
            through,
            raw,
            "s",
            "≤ 5×: the status checks and the supervisors' names on top of the same join",
            "raw indexed self-join of the team's link keys",
        )
    ]


if __name__ == "__main__":
    print_table(run())
