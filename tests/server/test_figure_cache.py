"""The organisation's figures from counts kept per month and team (schema_v13.py,
server/figures.py) equal the full computation over every row — after the first fill, after new
screenings, a decision, an outcome and an amendment, for several teams — and a second reading
with nothing changed recomputes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest

from screening_app.server.figures import figures, median_of_counts
from screening_app.server.store import Caller, ServerError, ServerStore

PW = "server-password-1"
FIRST, LAST, POSITIVE = "2026-01", "2026-12", ["referred_scu", "charge"]


def full(store: ServerStore, caller: Caller) -> list[tuple[Any, ...]]:
    """What the functions that read every row say (schema steps 7, 9 and 10)."""
    with store.acting(caller) as conn:
        rows = conn.execute(
            "SELECT kind, month, code, value FROM organisation_figures(%s, %s, %s)",
            [FIRST, LAST, POSITIVE],
        ).fetchall()
        profiles = conn.execute(
            "SELECT p_month, p_band, p_codes, p_count FROM organisation_outcome_profiles(%s, %s)",
            [FIRST, LAST],
        ).fetchall()
        types = conn.execute(
            "SELECT t_month, t_code, t_count FROM organisation_type_figures(%s, %s)",
            [FIRST, LAST],
        ).fetchall()
    found = [(k, m, c, (), float(v)) for k, m, c, v in rows]
    found += [("type", m, c, (), float(n)) for m, c, n in types]
    found += [("profile", m, b or "", tuple(c), float(n)) for m, b, c, n in profiles]
    return sorted(found)


def cached(store: ServerStore, caller: Caller) -> list[tuple[Any, ...]]:
    return sorted(
        (r["kind"], r["month"], r["code"], tuple(r.get("codes", ())), float(r["value"]))
        for r in figures(store, caller, FIRST, LAST, POSITIVE)
    )


def add(conn: psycopg.Connection, team: int, author: int, n: int, **kw: Any) -> uuid.UUID:
    sid = kw.pop("sid", None) or uuid.uuid4()
    row = {
        "version": 1,
        "form_id": "cse-risk-screening",
        "status": ("submitted", "approved", "returned", "superseded")[n % 4],
        "screening_month": f"2026-0{1 + n % 3}",
        "operative_band": ("low", "mild", "moderate", "significant", None)[n % 5],
        "la_area": ("bristol", "bath", "")[n % 3],
        "models": [["peer"], ["online", "gang"], []][n % 3],
        "types": [["sexual"], [], ["criminal", "trafficking"]][n % 3],
        "practitioner_role": ("teacher", "social_worker")[n % 2],
        "child_tag": None if n % 7 == 0 else f"{n % 11:064x}",
        **kw,
    }
    conn.execute(
        "INSERT INTO screenings (id, version, team_id, author_id, form_id, form_version, status, "
        "screening_month, operative_band, la_area, models, types, practitioner_role, envelope, "
        "signature, child_tag) VALUES (%s, %s, %s, %s, %s, 4, %s, %s, %s, %s, %s, %s, %s, "
        "'\\x00', '\\x00', %s)",
        [
            sid,
            row["version"],
            team,
            author,
            row["form_id"],
            row["status"],
            row["screening_month"],
            row["operative_band"],
            row["la_area"],
            row["models"],
            row["types"],
            row["practitioner_role"],
            row["child_tag"],
        ],
    )
    return sid


def test_the_cached_figures_equal_the_full_computation(
    store: ServerStore, database_url: str
) -> None:
    sol = store.add_account("sol", PW, "supervisor", "North")
    lou = store.add_account("lou", PW, "supervisor", "South")
    kit = store.add_account("kit", PW, "practitioner", "North")
    caller = Caller(sol, None)
    with psycopg.connect(database_url, autocommit=True) as owner:
        device = owner.execute(
            "INSERT INTO devices (id, account_id, name) VALUES (%s, %s, 'd') RETURNING id",
            [uuid.uuid4(), sol.id],
        ).fetchone()[0]  # type: ignore[index]
        ids = [
            add(owner, (sol.team_id, lou.team_id)[n % 2], (sol.id, lou.id)[n % 2], n)  # type: ignore[arg-type]
            for n in range(60)
        ]
        add(owner, sol.team_id, sol.id, 1, form_id="context-screening")  # a place: not counted
        for n, sid in enumerate(ids[:30]):
            for code in (["referred_scu"], ["no_further_action", "charge"], [])[n % 3]:
                owner.execute(
                    "INSERT INTO outcomes (id, screening_id, version, team_id, author_id, "
                    "recorder_id, code, day, envelope, signature, device_id) SELECT %s, id, 1, "
                    "team_id, author_id, author_id, %s, '2026-03-01', '\\x00', '\\x00', %s "
                    "FROM screenings WHERE id = %s",
                    [uuid.uuid4(), code, device, sid],
                )
        owner.execute(
            "INSERT INTO reviews (screening_id, version, team_id, author_id, reviewer_id, "
            "decision, envelope, signature, device_id, days_to_review) SELECT id, 1, team_id, "
            "author_id, author_id, 'approve', '\\x00', '\\x00', %s, "
            "CASE WHEN seq %% 5 = 0 THEN NULL ELSE (seq %% 9)::int END FROM screenings "
            "WHERE status IN ('approved', 'returned')",
            [device],
        )
    assert cached(store, caller) == full(store, caller)
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM figure_dirty").fetchone() == (0,)
        before = conn.execute(
            "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'figure_cache'"
        ).fetchone()
    assert cached(store, caller) == full(store, caller)  # nothing changed: nothing recomputed
    with psycopg.connect(database_url) as conn:
        after = conn.execute(
            "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'figure_cache'"
        ).fetchone()
    assert after == before

    with psycopg.connect(database_url, autocommit=True) as owner:  # a month changes
        add(owner, sol.team_id, sol.id, 5, screening_month="2026-02")  # type: ignore[arg-type]
        add(owner, sol.team_id, sol.id, 2, sid=ids[0], version=2, screening_month="2026-04")  # type: ignore[arg-type]
        owner.execute("UPDATE screenings SET status = 'superseded' WHERE id = %s", [ids[1]])
        owner.execute(
            "INSERT INTO outcomes (id, screening_id, version, team_id, author_id, recorder_id, "
            "code, day, envelope, signature, device_id) SELECT %s, id, version, team_id, "
            "author_id, author_id, 'charge', '2026-04-02', '\\x00', '\\x00', %s FROM screenings "
            "WHERE id = %s AND version = 2",
            [uuid.uuid4(), device, ids[0]],
        )
        dirty = set(owner.execute("SELECT month, team_id FROM figure_dirty").fetchall())
    # only what changed: a screening, an amendment and its outcome (North), a status (South)
    assert dirty == {("2026-02", sol.team_id), ("2026-04", sol.team_id), ("2026-02", lou.team_id)}
    assert cached(store, caller) == full(store, caller)

    with pytest.raises(ServerError, match="Only supervisors may see the organisation"):
        figures(store, Caller(kit, None), FIRST, LAST, POSITIVE)
    with (
        store.acting(Caller(kit, None)) as conn,
        pytest.raises(
            psycopg.errors.InsufficientPrivilege,
            match=r"organisation figures are for supervisors",
        ),
    ):
        conn.execute("SELECT * FROM organisation_figure_counts('2026-01', '2026-12')")


def test_the_median_of_counts_is_postgresql_s() -> None:
    assert median_of_counts({3: 1}) == 3.0
    assert median_of_counts({1: 1, 4: 1}) == 2.5
    assert median_of_counts({1: 2, 5: 1, 9: 1}) == 3.0  # 1 1 5 9
    assert median_of_counts({2: 3, 7: 1}) == 2.0
    with pytest.raises(ValueError):
        median_of_counts({})
