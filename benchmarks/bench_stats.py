"""Statistics and the panel report for 24 months over ``n`` screenings vs the equivalent raw
GROUP BY queries (the panel report adds the record checks and the monitor's arithmetic).

Run: ``python -m benchmarks.bench_stats [--n 100000]`` (goal ≤ 3×).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from benchmarks.bench_storage import PASSWORD, TODAY, build
from benchmarks.common import Measure, median_time, print_table
from screening_app.app import sign_in

COUNTED = (
    "FROM screenings s {join} WHERE s.status IN ('submitted','approved','returned') "
    "AND s.screening_date >= ? AND s.screening_date < ?"
)
MONTH = "substr(s.screening_date, 1, 7) AS m"
# The same figures as the service, written out by hand: one GROUP BY per figure.
RAW = tuple(
    f"SELECT {MONTH}, {select} " + COUNTED.format(join=join) + f" GROUP BY m{group}"
    for select, join, group in (
        ("count(*), count(DISTINCT s.child_id)", "", ""),
        ("s.operative_band, count(*)", "", ", s.operative_band"),
        ("s.la_area, count(*)", "", ", s.la_area"),
        ("s.practitioner_role, count(*)", "", ", s.practitioner_role"),
        ("sm.model, count(*)", "JOIN screening_models sm ON sm.screening_id = s.id", ", sm.model"),
        ("o.code, count(DISTINCT s.id)", "JOIN outcomes o ON o.screening_id = s.id", ", o.code"),
        (
            "count(DISTINCT s.id)",
            "JOIN outcomes o ON o.screening_id = s.id "
            "AND o.code IN ('referred_scu','referred_early_help','strategy_discussion',"
            "'disruption_activity','police_investigation')",
            "",
        ),
        ("avg(julianday(s.reviewed_at) - julianday(s.screening_date))", "", ""),
        # the three outcome rates' counts: screenings by band and set of outcome codes
        (
            "s.operative_band, (SELECT group_concat(code, ' ') FROM (SELECT DISTINCT o.code "
            "AS code FROM outcomes o WHERE o.screening_id = s.id ORDER BY o.code)) AS c, "
            "count(*)",
            "",
            ", s.operative_band, c",
        ),
    )
)


def run(n: int = 100_000) -> list[Measure]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, n, supervisor=True)
        app = sign_in(path, "sol", PASSWORD)
        try:
            start = dt.date(TODAY.year - 2, TODAY.month, 1) + dt.timedelta(days=31)
            first, last = start.strftime("%Y-%m"), TODAY.strftime("%Y-%m")
            service = median_time(lambda: app.statistics.monthly(first, last), repeats=5)
            db = app.session.store.db
            bounds = [f"{first}-01", f"{TODAY.year + 1}-01-01"]

            def raw() -> None:
                for sql in RAW:
                    db.execute(sql, bounds).fetchall()

            baseline = median_time(raw, repeats=5)
            panel = median_time(lambda: app.statistics.panel(first, last), repeats=5)
        finally:
            app.close()
    return [
        Measure(
            f"Statistics, 24 months of {n:,}",
            service,
            baseline,
            "s",
            "≤ 3×",
            "the same 9 figures in raw GROUP BYs",
        ),
        Measure(
            f"Panel report (rates, data-quality checks), 24 months of {n:,}",
            panel,
            baseline,
            "s",
            "≤ 4×",
            "the same raw GROUP BYs",
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    print_table(run(parser.parse_args().n))
