"""Links between screenings (form version 2) over ``n`` stored screenings, about one in six
with entities from a small shared pool (so links are many and large — a hard case).

- matching one new screening (its own keys, looked up in the index; its names against the
  distinct names) vs the raw indexed lookups of the same keys;
- every link of the team (what the Links view shows) vs reading the team's keys raw;
- the Links view built (table and networkx drawing, offscreen) for the links of about 1 000
  linked screenings (``n`` = 6 000) vs working out those links.
Run: ``python -m benchmarks --only links [--n 100000]``.

What set the pace of matching (cProfile): reading every distinct name joined to its screening
to check its status and scope, on every call (11 ms at 45 000), one lookup per matched name,
and each partial registration tested in Python against all of that length. Now the names come
from the index alone (what a name links to is still read with the caller's scope), the close
names and each kind's exact keys are looked up together, and a full registration finds the
partial ones it fits with ``GLOB`` in SQL: 10.6 → 3.2 ms at 30 000, 25 → 4.8 ms at 45 000.

At 100 000 (session 14) the pace was set by the screenings table: each key found was joined to
its screening for the reference, status and scope, and a key of the benchmark's small pool is
shared by about 2 000 screenings, each in a page of its own that SQLCipher decrypts (a page cache
of 32 MiB would have hidden it, at that cost in memory). Now each key carries those copies of its
screening (schema step 12, kept by a trigger, checked by ``db check``) in a covering index, and
matching reads that index alone: 64 → 7 ms (34.6 ms in session 13's run), 7.7× the raw lookups.
What remains is the size of the answer itself: the screening's vehicle, the names like its
person's and the partial registrations its vehicle fits each hold about 2 000 screenings, about
6 000 references to read, de-duplicate and sort, where the baseline reads 3 800 ids.

Session 15 (cProfile and each query timed alone, same data): finding the patterns a full
registration fits tested every vehicle key held (6 000, 1.2 ms); the pattern's screenings were
read again with those of the registration itself (3 900 rows where 2 000 were new, 1.7 ms); and
each answer was sorted from a set, in the hashes' order (1.1 ms). Now the partial registrations
have an index of their own (schema step 13) stepped through one distinct pattern at a time
(0.006 ms), the registration's own screenings are not read twice, and the references come as
lists in the index's order, sorted runs the sort merges: 6.2 → 3.4 ms, 3.7–4.1× the raw lookups.
The test that compares each screening's matches with the full listing found a pattern listed
twice for a screening holding both a registration and a pattern it fits, now once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.bench_storage import PASSWORD, build
from benchmarks.common import Measure, median_time, print_table
from screening_app.app import sign_in
from screening_app.storage import links_repo


def run(n: int = 100_000) -> list[Measure]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        build(path, n, supervisor=True)
        app = sign_in(path, "sol", PASSWORD)
        try:
            db = app.session.store.db
            row = db.execute(
                "SELECT screening_id FROM entity_keys GROUP BY screening_id "
                "HAVING count(*) >= 2 LIMIT 1"
            ).fetchone()
            assert row is not None, "no screening with entities"
            screening_id = int(row[0])
            keys = db.execute(
                "SELECT kind, key FROM entity_keys WHERE screening_id = ?", [screening_id]
            ).fetchall()
            linked = db.execute("SELECT count(DISTINCT screening_id) FROM entity_keys").fetchone()
            matching = median_time(lambda: app.links.matches(screening_id), repeats=5)

            def raw_lookups() -> None:
                for kind, key in keys:
                    db.execute(
                        "SELECT screening_id FROM entity_keys WHERE kind = ? AND key = ?",
                        [kind, key],
                    ).fetchall()

            raw = median_time(raw_lookups, repeats=5)
            scope = app.session.scope()
            everything = median_time(app.links.links, repeats=3)
            read = median_time(lambda: links_repo.all_keys(db, scope), repeats=3)
        finally:
            app.close()
        view = _view(Path(folder) / "view.db")
    with_entities = int(linked[0]) if linked else 0
    return [
        Measure(
            f"Match one new screening's entities against {n:,} ({with_entities:,} with entities)",
            matching,
            raw,
            "s",
            "≤ 5× (and ≤ 50 ms)",
            "raw indexed lookups of its keys",
        ),
        Measure(
            f"Every link of the team, for the Links view ({with_entities:,} screenings)",
            everything,
            read,
            "s",
            "≤ 1 s",
            "reading the team's keys raw",
        ),
        view,
    ]


def _view(path: Path, n: int = 6_000) -> Measure:
    """The Links view's table and drawing for about 1 000 linked screenings."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from screening_app.ui.links_view import LinksView

    qt = QApplication.instance() or QApplication([])
    build(path, n, supervisor=True)
    app = sign_in(path, "sol", PASSWORD)
    try:
        found = app.links.links()
        screenings = len({r for link in found for r in link.references})
        view = LinksView(app, lambda _r: None)  # it looks for the links itself, off the thread
        while not view.found:
            qt.processEvents()
        drawing = median_time(lambda: view._show(found), repeats=3)
        working_out = median_time(app.links.links, repeats=3)
        view.deleteLater()
        qt.processEvents()
    finally:
        app.close()
    return Measure(
        f"The Links view drawn: {len(found):,} links of {screenings:,} screenings "
        "(table + drawing)",
        drawing,
        working_out,
        "s",
        "≤ 0.5 s: what a supervisor waits after the links are found",
        "working out the same links",
    )


if __name__ == "__main__":
    print_table(run())
