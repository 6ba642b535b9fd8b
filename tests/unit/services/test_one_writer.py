"""One writer at a time: autosave on the window's thread while a background operation writes.

Both share one SQLCipher connection. Without the store's writer lock their savepoints interleave
(one thread's RELEASE ends the other's transaction half-way, or fails with "no such savepoint").
"""

from __future__ import annotations

import threading
from pathlib import Path

from screening_app.domain import disclosure
from tests.conftest import open_app, submit_screening

ROUNDS = 150


SHARE = disclosure.make("the SCU", "a referral", "consent_given")


def test_autosave_and_a_background_write_interleave_safely(db_path: Path) -> None:
    submitted = submit_screening(db_path)
    app = open_app(db_path)
    errors: list[BaseException] = []
    try:
        draft = app.screenings.start().row.id

        def background() -> None:  # like the referral preview's audit row, off the GUI thread
            try:
                for _ in range(ROUNDS):
                    app.referrals.record_export(submitted, "printed", share=SHARE)
            except BaseException as exc:  # reported below
                errors.append(exc)

        worker = threading.Thread(target=background)
        worker.start()
        for n in range(ROUNDS):  # autosave, answer by answer, on this thread
            app.screenings.save_answer(draft, "concern_summary", f"Fictional note {n}")
        worker.join(timeout=60)
        assert not worker.is_alive()
        assert errors == []
        assert (
            app.screenings.get(draft).answers["concern_summary"] == f"Fictional note {ROUNDS - 1}"
        )
        reference = app.screenings.get(submitted).row.reference
    finally:
        app.close()
    sol = open_app(db_path, "sol")
    try:
        printed = [e for e in sol.audit.entries(record=reference, limit=1000)]
        assert sum(e.action == "printed" for e in printed) == ROUNDS
        assert sol.audit.verify() is None
    finally:
        sol.close()
