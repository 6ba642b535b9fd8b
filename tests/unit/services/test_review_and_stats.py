"""Supervisor review, outcomes and monthly statistics (checked against plain Python counts)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from screening_app.cli import run
from screening_app.demo import generator as bulk
from screening_app.domain.scoring import score
from screening_app.domain.statistics import positive_outcomes
from screening_app.errors import AnswersError, AuthenticationError, PermissionDenied
from screening_app.export.stats_csv import to_csv
from tests.conftest import LOWERED_JUDGEMENT, USER_PW, open_app, submit_screening


def test_return_amend_resubmit_approve(db_path: Path) -> None:
    sid = submit_screening(db_path, **LOWERED_JUDGEMENT)
    sol = open_app(db_path, "sol")
    queue = sol.review.queue()
    assert [(q.row.id, q.lowered_judgement) for q in queue] == [(sid, True)]
    assert sol.screenings.get(sid).row.operative_band == "significant"  # not yet approved
    with pytest.raises(AnswersError, match=r"comment needed"):
        sol.review.return_for_changes(sid, "")
    sol.review.return_for_changes(sid, "Add what the child said, please.")
    sol.close()

    kit = open_app(db_path)
    news = kit.review.news_since_last_sign_in()
    assert [(n.reference, n.decision) for n in news] == [("CSE-2026-000001", "return")]
    returned = kit.screenings.get(sid)
    assert returned.row.status == "returned"
    assert returned.comments[0].text == "Add what the child said, please."
    new = kit.screenings.amend(sid, "Added the child's words")
    kit.screenings.save_answer(new.row.id, "child_words", "He buys me things.")
    kit.screenings.submit(new.row.id)
    kit.close()

    sol = open_app(db_path, "sol")
    assert [q.row.id for q in sol.review.queue()] == [new.row.id]
    with pytest.raises(
        AuthenticationError, match=r"That is not your password; the screening was not approved\."
    ):
        sol.review.approve(new.row.id, "not my password")
    assert sol.screenings.get(new.row.id).row.status == "submitted"
    sol.review.approve(new.row.id, USER_PW)
    approved = sol.screenings.get(new.row.id)
    assert approved.row.status == "approved"
    assert approved.row.operative_band == "moderate"  # the lowered judgement now counts
    assert approved.comments[-1].decision == "approve"
    assert approved.comments[-1].band == "moderate"
    assert sol.screenings.get(sid).row.status == "superseded"
    assert sol.review.queue() == []
    sol.close()


def test_only_supervisors_of_the_team_review(db_path: Path) -> None:
    sid = submit_screening(db_path)
    kit = open_app(db_path)
    with pytest.raises(
        PermissionDenied, match=r"Your account \(practitioner\) cannot review screenings: only"
    ):
        kit.review.approve(sid, USER_PW)
    with pytest.raises(
        PermissionDenied, match=r"Your account \(practitioner\) cannot review screenings: only"
    ):
        kit.review.queue()
    kit.close()
    ari = open_app(db_path, "ari")
    with pytest.raises(
        PermissionDenied, match=r"Your account \(practitioner\) cannot review screenings: only"
    ):
        ari.review.return_for_changes(sid, "Not my team")
    ari.close()


def test_outcomes_are_checked_and_listed(db_path: Path) -> None:
    sid = submit_screening(db_path)
    kit = open_app(db_path)
    with pytest.raises(AnswersError) as caught:
        kit.review.add_outcome(sid, "made_up", dt.date(2030, 1, 1))
    assert {p.where for p in caught.value.problems} == {"code", "date"}
    kit.review.add_outcome(sid, "disruption_activity", dt.date(2026, 11, 21), "Warning notice")
    entries = kit.review.outcomes(sid)
    kit.close()
    assert [(e.code, e.label, e.note) for e in entries] == [
        ("disruption_activity", "Disruption activity", "Warning notice")
    ]


def _independent_counts(app: object, start: str, end: str) -> dict[str, Counter[str]]:
    """Plain Python over the stored answers and score snapshots (no statistics SQL)."""
    db = app.session.store.db  # type: ignore[attr-defined]
    form = app.registry.latest("cse-risk-screening")  # type: ignore[attr-defined]
    positive = set(positive_outcomes(form))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    children: dict[str, set[int]] = defaultdict(set)
    rows = db.execute(
        "SELECT id, status, team, child_id, operative_band FROM screenings"
    ).fetchall()
    outcomes: dict[int, set[str]] = defaultdict(set)
    for sid, code in db.execute("SELECT screening_id, code FROM outcomes").fetchall():
        outcomes[sid].add(code)
    for sid, status, team, child_id, band in rows:
        if status not in ("submitted", "approved", "returned") or team != "North":
            continue
        answers = {
            q: json.loads(v)
            for q, v in db.execute(
                "SELECT question_id, value_json FROM answers WHERE screening_id = ?", [sid]
            )
        }
        month = answers["screening_date"][:7]
        if not start <= month <= end:
            continue
        c = counts[month]
        c["screenings"] += 1
        children[month].add(child_id)
        c[f"band_{band}"] += 1
        c[f"area_{answers['la_area']}"] += 1
        for model in answers.get("cse_models") or []:
            c[f"model_{model}"] += 1
        for code in score(form, answers).types:  # from the answers, not from the stored types
            c[f"type_{code}"] += 1
        for code in outcomes[sid]:
            c[f"outcome_{code}"] += 1
        if outcomes[sid] & positive:
            c["positive"] += 1
    for month, ids in children.items():
        counts[month]["children"] = len(ids)
    return counts


def test_statistics_match_independent_counts(db_path: Path) -> None:
    app = open_app(db_path, "sol")
    form = app.registry.latest("cse-risk-screening")
    db = app.session.store.db
    owners = [
        bulk.Owner(app.user.id, "North", "social_worker", "Sol"),
        bulk.Owner(4, "South", "teacher", "Ari"),
    ]
    bulk.generate(db, form, owners, n=800, seed=11, today=dt.date(2026, 11, 24))
    bulk.add_reviews_and_outcomes(db, {"North": app.user.id}, seed=11, today=dt.date(2026, 11, 24))
    figures = app.statistics.monthly("2025-01", "2026-11")
    expected = _independent_counts(app, "2025-01", "2026-11")
    assert sum(m.screenings for m in figures) == sum(c["screenings"] for c in expected.values())
    for month in figures:
        c = expected.get(month.month, Counter())
        assert month.screenings == c["screenings"], month.month
        assert month.children == c["children"], month.month
        assert month.with_positive_outcome == c["positive"], month.month
        for band, count in month.bands.items():
            assert count == c[f"band_{band}"]
        for model, count in month.models.items():
            assert count == c[f"model_{model}"]
        for code in ("sexual", "criminal", "trafficking", "online_financial"):
            assert month.types.get(code, 0) == c[f"type_{code}"], (month.month, code)
        for area, count in month.areas.items():
            assert count == c[f"area_{area}"]
        for code, count in month.outcomes.items():
            assert count == c[f"outcome_{code}"]
    csv_text = to_csv(figures, app.statistics.shape(), suppressed=True)
    header = csv_text.splitlines()[0].split(",")
    assert header[:7] == [
        "month",
        "screenings",
        "children",
        "band_low",
        "band_mild",
        "band_moderate",
        "band_significant",
    ]
    assert "model_boyfriend_girlfriend" in header and "positive_outcome_rate" in header
    assert header[header.index("positive_outcome_rate") + 1 :] == [
        "type_sexual",
        "type_criminal",
        "type_trafficking",
        "type_online_financial",
    ]
    assert sum(m.types.get("criminal", 0) for m in figures) > 0  # the generator shows some
    assert len(csv_text.splitlines()) == 1 + 23
    small = [m for m in figures if 1 <= m.bands.get("mild", 0) <= 4]
    if small:
        line = next(x for x in csv_text.splitlines() if x.startswith(small[0].month))
        assert line.split(",")[header.index("band_mild")] == "<5"
    app.close()


def test_practitioners_and_admins_get_no_statistics(db_path: Path) -> None:
    kit = open_app(db_path)
    with pytest.raises(
        PermissionDenied, match=r"Your account \(practitioner\) cannot see statistics: only"
    ):
        kit.statistics.monthly("2026-01", "2026-11")
    kit.close()


def test_stats_cli_csv_and_bad_month(
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from screening_app.services import access
    from screening_app.services.model import FAST_KDF

    monkeypatch.setattr(access, "default_kdf", lambda: FAST_KDF)
    submit_screening(db_path)
    pw = tmp_path / "pw"
    pw.write_text(USER_PW + "\n")
    base = ["stats", "--db", str(db_path), "--user", "sol", "--password-file", str(pw)]
    assert run([*base, "--from", "2026-11", "--to", "2026-11", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("2026-11,<5,<5,<5,")
    assert run([*base, "--from", "2026-11", "--to", "2026-11", "--csv", "--no-suppress"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("2026-11,1,1,1,")
    assert run([*base, "--from", "2026-13", "--to", "2026-11"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    missing = [*base[:5], "--password-file", str(tmp_path / "missing")]
    assert run([*missing, "--from", "2026-01", "--to", "2026-02"]) == 2
    assert "not found" in capsys.readouterr().err


def test_statistics_count_version_1_and_version_2_screenings_together(db_path: Path) -> None:
    """A month with a v1 and a v2 screening: both counted, each outcome in its column, the v1
    disruption code and the v2 warning notice both positive; the CSV has the v2 columns."""
    from tests.conftest import base_answers

    kit = open_app(db_path)
    old = kit.screenings.import_answers(
        kit.registry.get("cse-risk-screening", 1), base_answers(screening_date="2026-11-02")
    )
    new = kit.screenings.import_answers(
        kit.registry.get("cse-risk-screening", 2), base_answers(screening_date="2026-11-03")
    )
    third = kit.screenings.import_answers(
        kit.registry.get("cse-risk-screening", 2),
        base_answers(screening_date="2026-11-04", child_first_name="Rowan"),
    )
    # outcomes come after the screening: a v1 one records the newest list's codes too
    kit.review.add_outcome(old.row.id, "disruption_activity", dt.date(2026, 11, 20))
    kit.review.add_outcome(old.row.id, "caution", dt.date(2026, 11, 23))
    assert "Police investigation: caution" in [o.label for o in kit.review.outcomes(old.row.id)]
    kit.review.add_outcome(new.row.id, "cawn", dt.date(2026, 11, 21))
    kit.review.add_outcome(third.row.id, "nfa_evidential", dt.date(2026, 11, 22))
    kit.close()
    sol = open_app(db_path, "sol")
    (month,) = sol.statistics.monthly("2026-11", "2026-11")
    assert month.screenings == 3
    assert month.outcomes == {
        "disruption_activity": 1,
        "caution": 1,
        "cawn": 1,
        "nfa_evidential": 1,
    }
    assert month.with_positive_outcome == 2  # not the "no further action"
    header, line = to_csv([month], sol.statistics.shape(), suppressed=False).splitlines()
    values = dict(zip(header.split(","), line.split(","), strict=True))
    assert values["outcome_disruption_activity"] == values["outcome_cawn"] == "1"
    assert values["outcome_nfa_evidential"] == values["outcome_caution"] == "1"
    assert values["outcome_sexual_risk_order"] == "0"
    sol.close()
