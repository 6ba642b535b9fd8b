"""``db check`` and the sign-in checks on a database of ``n`` screenings (docs/SECURITY.md,
"Signed facts").

- ``db check`` against SQLite's own ``PRAGMA integrity_check`` of the same file in the same run:
  first as a supervisor who never checked this database (every Ed25519 signature verified: about
  a tenth of a millisecond each, two or three per screening, which sets the pace), then again
  (only what is new since that supervisor's own signed record of what verified).
- The checks the key file allows before the window opens (the audit trail's length and head, and
  the screenings' count and digest of ids, read from the status index) against the argon2id key
  derivation every sign-in pays. A hash of every id and version took 187 ms at 100 000 (it read
  every row); the index alone, 10.7 ms.

Run: ``python -m benchmarks.bench_integrity [--n 100000]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.bench_storage import PASSWORD, build
from benchmarks.common import Measure, median_time, print_table
from screening_app.app import sign_in
from screening_app.crypto import KdfParams, derive
from screening_app.storage.store import audit_record_problems


def run(n: int = 100_000) -> list[Measure]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, n, supervisor=True)
        sol = sign_in(path, "sol", PASSWORD)
        try:
            db = sol.session.db
            pragma = median_time(lambda: db.execute("PRAGMA integrity_check").fetchall(), 3)
            cold = []
            for _ in range(3):
                db.execute("DELETE FROM meta WHERE key LIKE 'verified_by:%'")
                start = time.perf_counter()
                assert sol.backups.check() == []
                cold.append(time.perf_counter() - start)
            warm = median_time(sol.backups.check, repeats=3)
            keyring = sol.session.store.keyring
            both = median_time(lambda: audit_record_problems(keyring, db), repeats=9)
            kdf = median_time(lambda: derive(PASSWORD, b"0" * 16, KdfParams()), repeats=3)
        finally:
            sol.close()
    return [
        Measure(
            f"db check, {n:,} screenings, first time",
            statistics.median(cold),
            pragma,
            "s",
            "≤ 3×",
            "PRAGMA integrity_check",
        ),
        Measure(
            f"db check, {n:,} screenings, again",
            warm,
            pragma,
            "s",
            "≤ 3×",
            "PRAGMA integrity_check",
        ),
        Measure(
            f"Sign-in checks of the key file's record, {n:,} screenings",
            both,
            kdf,
            "s",
            "adds ≤ 50 ms",
            "argon2id, which every sign-in pays",
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    print_table(run(parser.parse_args().n))
