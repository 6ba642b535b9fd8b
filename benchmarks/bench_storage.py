"""Storage with many screenings: autosave, unlock and the list, each against raw SQL.

- autosave of one answer through the service (role check, one transaction, audit) vs a raw
  single-row upsert on the same database (goal ≤ 3×);
- unlock with the production key derivation vs argon2id alone (goal ≤ 0.3 s);
- first page of the newest 100 through the service vs the raw query (goal ≤ 50 ms).
Run: ``python -m benchmarks.bench_storage [--n 100000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from pathlib import Path

from benchmarks.common import Measure, median_time, print_table
from screening_app.app import sign_in
from screening_app.crypto import KdfParams, derive
from screening_app.demo import generator
from screening_app.domain import checklist
from screening_app.services import vouching
from screening_app.services.access import create_database, grant_with_recovery
from screening_app.services.model import ListQuery

PASSWORD = "bench-password-1"
TODAY = dt.date(2026, 11, 24)


def build(path: Path, n: int, *, supervisor: bool = False, kdf: KdfParams | None = None) -> None:
    """``n`` fictional screenings by "kit" (team North); "sol" supervises North if asked. The
    administrator adds the accounts and the recovery key grants them access, as in real use."""
    recovery = create_database(path, "admin", PASSWORD, kdf=kdf)
    admin = sign_in(path, "admin", PASSWORD, kdf=kdf)
    user = admin.accounts.add_user(
        "kit", PASSWORD, role="practitioner", team="North", job_title="teacher"
    )
    names = ["kit"]
    if supervisor:
        admin.accounts.add_user("sol", PASSWORD, role="supervisor", team="North")
        names.append("sol")
    admin.close()
    grant_with_recovery(path, recovery, names, kdf or KdfParams())
    app = sign_in(path, "kit", PASSWORD, kdf=kdf)
    owner = generator.Owner(user.id, "North", "teacher", "Kit")
    form = app.registry.latest(checklist.FORM_ID)
    for start in range(0, n, 20_000):  # one transaction per batch: a WAL of gigabytes is slow
        with app.session.write("write the benchmark data") as db:
            count = min(20_000, n - start)
            generator.generate(db, form, [owner], n=count, seed=start, today=TODAY)
    with app.session.write("write the benchmark data") as db:
        generator.add_reviews_and_outcomes(db, {"North": user.id}, seed=1, today=TODAY)
    with app.session.write("sign the benchmark data as it stands"):
        vouching.vouch(app.session)
    app.close()


def run(n: int = 100_000) -> list[Measure]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, n, supervisor=True)
        unlock = median_time(lambda: sign_in(path, "kit", PASSWORD).close(), repeats=5)
        kdf = median_time(lambda: derive(PASSWORD, b"0" * 16, KdfParams()), repeats=5)
        app = sign_in(path, "kit", PASSWORD)
        try:
            draft = app.screenings.start()
            db = app.session.store.db
            counter = iter(range(10**9))

            def autosave() -> None:
                app.screenings.save_answer(draft.row.id, "concern_summary", f"v{next(counter)}")

            def raw_upsert() -> None:
                db.execute("BEGIN")
                db.execute(
                    "INSERT INTO answers (screening_id, question_id, value_json, updated_at) "
                    "VALUES (?, 'protective_factors', ?, '2026-11-24') ON CONFLICT "
                    "(screening_id, question_id) DO UPDATE SET value_json = excluded.value_json",
                    [draft.row.id, json.dumps(f"v{next(counter)}")],
                )
                db.execute("COMMIT")

            save = median_time(autosave, repeats=41)
            raw = median_time(raw_upsert, repeats=41)
            page = median_time(lambda: app.listing.list(ListQuery(limit=100)), repeats=9)
            raw_page = median_time(
                lambda: db.execute(
                    "SELECT id, reference, child_name, status, operative_band FROM screenings "
                    "WHERE owner_id = ? ORDER BY updated_at DESC LIMIT 100",
                    [app.user.id],
                ).fetchall(),
                repeats=9,
            )
        finally:
            app.close()
        sorts, raw_sorts, counts, raw_counts = _supervisor_view(path)
    return [
        Measure(f"Autosave one answer ({n:,} stored)", save, raw, "s", "≤ 3×", "raw upsert"),
        Measure("Unlock (argon2id + open + checks)", unlock, kdf, "s", "≤ 0.3 s", "argon2id alone"),
        Measure(f"List: newest 100 of {n:,}", page, raw_page, "s", "≤ 50 ms", "raw SELECT"),
        Measure(
            f"List sorted by its slowest column, team of {n:,}",
            sorts,
            raw_sorts,
            "s",
            "≤ 50 ms",
            "raw SELECT, newest",
        ),
        Measure(
            f"Reassessments due and overdue, team of {n:,}",
            counts,
            raw_counts,
            "s",
            "≤ 50 ms",
            "raw count(*) of the team",
        ),
    ]


def _supervisor_view(path: Path) -> tuple[float, float, float, float]:
    """What a supervisor's list costs: a page sorted by each column in turn (the slowest
    counts) and the two reassessment counts of the status bar, against plain SQL."""
    app = sign_in(path, "sol", PASSWORD)
    try:
        db = app.session.store.db
        sorts = max(
            median_time(lambda s=sort: app.listing.list(ListQuery(sort=s, limit=100)), 5)
            for sort in ("child", "age", "area", "date", "status", "band", "reassess")
        )
        raw_sorts = median_time(
            lambda: db.execute(
                "SELECT id, reference, child_name, status, operative_band FROM screenings "
                "WHERE team = 'North' ORDER BY updated_at DESC LIMIT 100"
            ).fetchall(),
            5,
        )
        counts = median_time(app.listing.reassessment_counts, 5)
        raw_counts = median_time(
            lambda: db.execute("SELECT count(*) FROM screenings WHERE team = 'North'").fetchone(),
            5,
        )
    finally:
        app.close()
    return sorts, raw_sorts, counts, raw_counts


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    print_table(run(parser.parse_args().n))
