"""Nothing a screening contains may be readable in any file the app writes."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from screening_app.logs import setup_logging
from tests.conftest import base_answers, open_app

DISTINCTIVE = "Zephyrine Quillfeather"


def test_child_name_never_appears_in_plain_bytes(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setenv("SCREENING_APP_DATA_DIR", str(tmp_path / "data"))
    root = logging.getLogger()  # a log file set up by an earlier test would be elsewhere
    monkeypatch.setattr(
        root, "handlers", [h for h in root.handlers if not isinstance(h, RotatingFileHandler)]
    )
    setup_logging()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler):
            request.addfinalizer(handler.close)
    app = open_app(db_path)
    draft = app.screenings.start()
    first, last = DISTINCTIVE.split()
    for qid, value in base_answers(
        child_first_name=first, child_last_name=last, concern_summary=f"{DISTINCTIVE} said so"
    ).items():
        app.screenings.save_answer(draft.row.id, qid, value)
    app.screenings.submit(draft.row.id)
    app.backups.backup_now()
    # While open: the WAL and shared-memory files hold the newest pages.
    files_open = [p for p in tmp_path.rglob("*") if p.is_file()]
    contents_open = {p: p.read_bytes() for p in files_open}
    app.close()
    logging.getLogger("screening_app").info("closed")
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".backup.db") for p in files)
    assert any(p.suffix == ".log" for p in files)
    needles = [
        s.encode(enc)
        for s in (first, last, "said so")
        for enc in ("utf-8", "utf-16-le", "utf-16-be")
    ]
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path.name}"
    for path, data in contents_open.items():
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path.name} while open"
