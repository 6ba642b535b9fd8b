"""Revocation: rotating the data key of a database of ``n`` screenings (docs/SECURITY.md).

- the app's rotation (new key sealed for every account that keeps access, ``PRAGMA rekey`` of
  the database, the signed log entry) vs a plain SQLCipher ``PRAGMA rekey`` of a copy of the same
  file, measured in the same run (goal ≤ 1.2×: the rest is key-file work);
- the same rotation with the automatic backups re-encrypted too, against the same baseline (each
  kept backup costs about one more rekey).
Run: ``python -m benchmarks.bench_rekey [--n 100000]``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.bench_storage import PASSWORD, build
from benchmarks.common import Measure, print_table
from screening_app.app import sign_in
from screening_app.crypto import random_key
from screening_app.storage import backup, rotation
from screening_app.storage.driver import connect
from screening_app.storage.opened import now_text


def _plain_rekey(path: Path, key: bytes) -> float:
    db = connect(path, key)
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    start = time.perf_counter()
    db.execute(f"PRAGMA rekey = \"x'{random_key().hex()}'\"")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def _app_rotation(path: Path) -> float:
    app = sign_in(path, "kit", PASSWORD)
    try:
        start = time.perf_counter()
        rotation.rotate(app.session.store, now_text())
        return time.perf_counter() - start
    finally:
        app.close()


def run(n: int = 100_000) -> list[Measure]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, n)
        app = sign_in(path, "kit", PASSWORD)
        key = app.session.store.data_key
        app.backups.backup_now()  # a backup holding all n screenings, as a day's backup would
        app.close()
        assert key is not None
        size_mb = path.stat().st_size / 1e6
        copy = Path(folder) / "copy.db"
        shutil.copy(path, copy)
        plain = _plain_rekey(copy, key)
        kept = len(backup.list_backups(path))
        with_backups = _app_rotation(path)
        shutil.rmtree(backup.backup_dir(path))
        alone = _app_rotation(path)
    return [
        Measure(
            f"Rotate the data key, {n:,} screenings ({size_mb:.0f} MB)",
            alone,
            plain,
            "s",
            "≤ 1.2×",
            "plain SQLCipher PRAGMA rekey of the same file",
        ),
        Measure(
            f"Rotate and re-encrypt {kept} kept backup(s)",
            with_backups,
            plain,
            "s",
            f"≈ {kept + 1}× (one rekey per file)",
            "plain SQLCipher PRAGMA rekey of the same file",
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    print_table(run(parser.parse_args().n))
