"""Organisation figures on the team server over 1 000 000 screenings, against PostgreSQL itself.

The figures (screenings, children by tag, bands, areas, roles, CSE models, outcomes, positive
outcomes, median days to review — per month, through the API role and row-level security) vs
the raw ``GROUP BY month`` count over the same rows, in the same run: read from the counts kept
per month and team (schema_v13.py) when nothing changed, and just after a new screening (its
month and team recounted). Before step 13 every reading computed every figure from every row
(2.52 s, 17×). Run: ``python -m benchmarks --only server_figures``. Needs PostgreSQL's server
binaries.
"""

from __future__ import annotations

import time

import psycopg

from benchmarks.common import Measure, median_time, print_table
from screening_app.server import schema
from screening_app.server.figures import figures
from screening_app.server.store import Caller, ServerStore
from tests.server.postgres import throwaway_cluster

PW = "bench-password-1"
FILL = """
INSERT INTO screenings (id, version, team_id, author_id, form_id, form_version, status,
    screening_month, operative_band, la_area, models, practitioner_role, envelope, signature,
    child_tag)
SELECT gen_random_uuid(), 1, %(team)s, %(author)s, 'cse-risk-screening', 1,
    (ARRAY['submitted', 'approved', 'approved', 'returned'])[1 + n %% 4],
    to_char(date '2026-01-01' + (n %% 12) * interval '1 month', 'YYYY-MM'),
    (ARRAY['low', 'mild', 'moderate', 'significant'])[1 + n %% 4],
    (ARRAY['bristol', 'bath', 'somerset'])[1 + n %% 3],
    (ARRAY[ARRAY['peer', 'online'], ARRAY['inappropriate', 'online'], ARRAY['gang', 'peer']])
        [1 + n %% 3:1 + n %% 3],
    (ARRAY['teacher', 'nurse', 'social_worker'])[1 + n %% 3],
    '\\x00'::bytea, '\\x00'::bytea,
    md5((n %% 400000)::text) || md5((n %% 400000)::text || 'x')
FROM generate_series(1, %(count)s) AS n
"""


def run(count: int = 1_000_000) -> list[Measure]:
    with throwaway_cluster() as cluster:
        url = cluster.url()
        with psycopg.connect(url, autocommit=True) as conn:
            schema.migrate(conn)
        store = ServerStore(url, pool_size=2)
        sol = store.add_account("sol", PW, "supervisor", "North")
        with psycopg.connect(url, autocommit=True) as conn:
            started = time.perf_counter()
            conn.execute(FILL, {"team": sol.team_id, "author": sol.id, "count": count})
            device = conn.execute(
                "INSERT INTO devices (id, account_id, name) VALUES (gen_random_uuid(), %s, 'b') "
                "RETURNING id",
                [sol.id],
            ).fetchone()
            assert device is not None
            conn.execute(
                "INSERT INTO reviews (screening_id, version, team_id, author_id, reviewer_id, "
                "decision, envelope, signature, device_id, days_to_review) "
                "SELECT id, 1, team_id, author_id, author_id, 'approve', '\\x00', '\\x00', %s, "
                "(seq %% 30)::int FROM screenings WHERE status IN ('approved', 'returned')",
                [device[0]],
            )
            conn.execute(
                "INSERT INTO outcomes (id, screening_id, version, team_id, author_id, "
                "recorder_id, code, day, envelope, signature, device_id) "
                "SELECT gen_random_uuid(), id, 1, team_id, author_id, author_id, "
                "(ARRAY['referred_scu', 'no_further_action'])[1 + seq %% 2], date '2026-11-20', "
                "'\\x00', '\\x00', %s FROM screenings WHERE seq %% 5 = 0",
                [device[0]],
            )
            conn.execute("ANALYZE")
            filled = time.perf_counter() - started
            raw = median_time(
                lambda: conn.execute(
                    "SELECT screening_month, count(*) FROM screenings WHERE status IN "
                    "('submitted', 'approved', 'returned') AND screening_month BETWEEN "
                    "'2026-01' AND '2026-12' GROUP BY 1"
                ).fetchall(),
                repeats=5,
            )
        caller = Caller(sol, device[0])
        rows: list[dict[str, object]] = []

        def organisation() -> None:
            rows[:] = figures(store, caller, "2026-01", "2026-12", ["referred_scu"])

        started = time.perf_counter()
        organisation()  # the first reading after the fill: every month counted once
        first = time.perf_counter() - started
        through = median_time(organisation, repeats=5, warmup=0)

        def after_an_upload() -> None:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(
                    FILL.replace("generate_series(1, %(count)s)", "generate_series(1, 1)"),
                    {"team": sol.team_id, "author": sol.id, "count": 1},
                )
            organisation()

        one_month = median_time(after_an_upload, repeats=5, warmup=0)

        def every_row() -> None:  # what the kept counts replace (schema steps 7, 9 and 10)
            with store.acting(caller) as acting:
                for query in (
                    "SELECT * FROM organisation_figures('2026-01', '2026-12', '{referred_scu}')",
                    "SELECT * FROM organisation_outcome_profiles('2026-01', '2026-12')",
                    "SELECT * FROM organisation_type_figures('2026-01', '2026-12')",
                ):
                    acting.execute(query).fetchall()

        full = median_time(every_row, repeats=3)
        store.close()
    assert any(r["kind"] == "children" for r in rows)
    return [
        Measure(
            f"Organisation figures over {count:,} screenings, nothing changed since the last "
            f"reading (filled in {filled:.0f} s; the first reading {first:.1f} s)",
            through,
            raw,
            "s",
            "≤ 5×: the kept monthly counts, thousands of rows",
            "raw GROUP BY month over the same rows",
        ),
        Measure(
            f"The same just after a new screening (its month recounted, 1/12 of {count:,})",
            one_month,
            raw,
            "s",
            "≤ 5×",
            "raw GROUP BY month over the same rows",
        ),
        Measure(
            f"The same figures computed from every row, as before the kept counts ({count:,})",
            full,
            raw,
            "s",
            "for comparison",
            "raw GROUP BY month over the same rows",
        ),
    ]


if __name__ == "__main__":
    print_table(run())
