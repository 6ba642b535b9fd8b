"""Shared fixtures. Qt runs offscreen so the GUI tests need no display."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from screening_app.app import sign_in
from screening_app.domain.forms import Form
from screening_app.domain.registry import FormRegistry
from screening_app.paths import forms_dir
from screening_app.services.access import create_database, grant_with_recovery
from screening_app.services.app_services import AppServices
from screening_app.services.model import FAST_KDF
from screening_app.services.session import Clock

SHARED_EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples"
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="session")
def registry() -> FormRegistry:
    return FormRegistry(forms_dir())


@pytest.fixture(scope="session")
def form(registry: FormRegistry) -> Form:
    return registry.get("cse-risk-screening", 1)


def base_answers(**overrides: Any) -> dict[str, Any]:
    """A valid, low-scoring screening of a fictional 15-year-old; override what a test needs."""
    answers: dict[str, Any] = {
        "child_first_name": "Kit",
        "child_last_name": "Fictional",
        "child_dob": "2011-03-10",
        "screening_date": "2026-11-20",
        "practitioner_name": "Lee Teacher",
        "practitioner_agency": "Example School",
        "practitioner_contact": "01000 000000",
        "missing_count_3m": 0,
        "missing_count_12m": 0,
        "disclosure": "no",
        "immediate_danger": "no",
        "concern_summary": "Fictional concern for tests.",
    }
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}


@pytest.fixture
def answers() -> dict[str, Any]:
    return base_answers()


def load_example(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# --- storage fixtures: a temp encrypted database with fast key derivation --------------------
ADMIN_PW = "admin-password-1"
USER_PW = "practitioner-pw-1"


TEAM = (
    ("kit", "practitioner", "North"),
    ("rowan", "practitioner", "North"),
    ("ari", "practitioner", "South"),
    ("sol", "supervisor", "North"),
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return make_database(tmp_path)


def make_database(folder: Path, team: tuple[tuple[str, str, str], ...] = TEAM) -> Path:
    """A database in ``folder`` with its administrator and ``team``, each granted access."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "screenings.db"
    recovery = create_database(path, "admin", ADMIN_PW, kdf=FAST_KDF)
    app = sign_in(path, "admin", ADMIN_PW, kdf=FAST_KDF)
    for name, role, team_name in team:
        app.accounts.add_user(name, USER_PW, role=role, team=team_name, job_title="teacher")
    app.close()
    grant_with_recovery(path, recovery, [name for name, _r, _t in team], FAST_KDF)
    (folder / "recovery.txt").write_text(recovery, encoding="utf-8")
    return path


def recovery_key_of(db_path: Path) -> str:
    """The recovery key the ``db_path`` fixture printed when it made the database."""
    return (db_path.parent / "recovery.txt").read_text(encoding="utf-8")


NOW = dt.datetime(2026, 11, 24, 10, 0)


def fixed_clock(now: dt.datetime = NOW) -> Clock:
    """A clock that always reads ``now``: tests never depend on the wall clock."""
    return lambda: now


_OPENED: list[AppServices] = []


@pytest.fixture(autouse=True)
def _close_what_a_test_left_open() -> Iterator[None]:
    """A test that fails before its own ``close()`` still releases the database and its lock."""
    yield
    while _OPENED:
        _OPENED.pop().close()  # idempotent: a no-op for sessions the test closed itself


def open_app(
    path: Path, user: str = "kit", password: str = USER_PW, *, now: dt.datetime = NOW
) -> AppServices:
    """The composition root's own sign-in, with fast key derivation and a fixed clock; closed
    after the test even when it fails."""
    app = sign_in(path, user, password, kdf=FAST_KDF, clock=fixed_clock(now))
    _OPENED.append(app)
    return app


def submit_screening(path: Path, user: str = "kit", **overrides: Any) -> int:
    """A submitted screening of ``base_answers(**overrides)`` by ``user``; its id."""
    app = open_app(path, user)
    try:
        draft = app.screenings.start()
        for qid, value in base_answers(**overrides).items():
            app.screenings.save_answer(draft.row.id, qid, value)
        return int(app.screenings.submit(draft.row.id).row.id)
    finally:
        app.close()


LOWERED_JUDGEMENT: dict[str, Any] = dict(  # 4 strong signs now: 20 points, significant
    sx_controlling_adult="recent",
    cr_gang_association="recent",
    cr_county_lines="recent",
    sx_places_of_concern="recent",
    judged_band="moderate",
    judgement_rationale="Known to services; the adult has moved out of the area.",
)
