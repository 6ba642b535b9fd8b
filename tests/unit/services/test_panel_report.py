"""The panel report rebuilt by hand: from generated screenings and outcomes, plain Python over
the stored rows (not the statistics SQL, not domain/measures.py) gives the same months, the same
investigations in brackets and the same three rates per year; the PDF and CSV carry them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from pathlib import Path

import pytest
from pypdf import PdfReader

from screening_app.cli import run
from screening_app.demo import generator as bulk
from tests.conftest import USER_PW, open_app

# the measures written out again by hand, from docs/STATISTICS.md
POSITIVE = {
    "charge_summons",
    "caution",
    "community_resolution",
    "taken_into_consideration",
    "outcome_22",
}
INVESTIGATION = POSITIVE | {
    "police_investigation",
    "nfa_evidential",
    "nfa_victim_not_supporting",
    "evidential_difficulties_victim_supports",
    "evidential_difficulties_victim_not_supporting",
    "not_in_public_interest",
    "responsibility_transferred",
}
DISRUPTION = {
    "disruption_activity",
    "cawn",
    "sexual_risk_order",
    "closure_notice",
    "visits_addresses_of_concern",
    "other_disruption",
}
ACTION = {
    "referred_scu",
    "referred_childrens_social_care",
    "referred_early_help",
    "strategy_discussion",
}
TODAY = dt.date(2026, 11, 24)


def by_hand(app: object) -> tuple[dict[str, int], dict[str, int], dict[str, dict[str, list[int]]]]:
    db = app.session.store.db  # type: ignore[attr-defined]
    outcomes: dict[int, set[str]] = defaultdict(set)
    for sid, code in db.execute("SELECT screening_id, code FROM outcomes").fetchall():
        outcomes[sid].add(code)
    screenings: dict[str, int] = defaultdict(int)
    investigated: dict[str, int] = defaultdict(int)
    years: dict[str, dict[str, list[int]]] = defaultdict(
        lambda: {k: [0, 0] for k in ("investigation", "disruption", "with", "action")}
    )
    rows = db.execute("SELECT id, status, screening_date, operative_band FROM screenings")
    for sid, status, day, band in rows.fetchall():
        if status not in ("submitted", "approved", "returned") or not day:
            continue
        month, codes = day[:7], outcomes[sid]
        screenings[month] += 1
        year = years[month[:4]]
        was_investigated = bool(codes & INVESTIGATION)
        either = was_investigated or "referred_scu" in codes
        investigated[month] += was_investigated
        year["investigation"][1] += was_investigated
        year["investigation"][0] += bool(codes & POSITIVE)
        year["disruption"][1] += either
        year["disruption"][0] += either and bool(codes & DISRUPTION)
        year["with"][1] += either
        year["with"][0] += either and bool(codes & (DISRUPTION | POSITIVE))
        high = band in ("moderate", "significant")
        year["action"][1] += high
        year["action"][0] += high and bool(codes & ACTION)
    return screenings, investigated, years


@pytest.fixture
def generated(db_path: Path) -> Path:
    app = open_app(db_path, "sol")
    form = app.registry.latest("cse-risk-screening")
    owners = [bulk.Owner(app.user.id, "North", "social_worker", "Sol")]
    db = app.session.store.db
    bulk.generate(db, form, owners, n=900, seed=5, today=TODAY, years=2)
    bulk.add_reviews_and_outcomes(db, {"North": app.user.id}, seed=5, today=TODAY)
    app.close()
    return db_path


def test_the_panel_report_equals_the_figures_computed_by_hand(generated: Path) -> None:
    app = open_app(generated, "sol")
    report = app.statistics.panel("2025-01", "2026-11", suppressed=False)
    screenings, investigated, years = by_hand(app)
    assert report.whose == "team North"
    for month in report.screenings:
        assert report.screenings[month] == screenings.get(month, 0), month
        assert report.investigated[month] == investigated.get(month, 0), month
    assert sum(report.screenings.values()) == sum(
        n for m, n in screenings.items() if "2025-01" <= m <= "2026-11"
    )
    names = {
        "investigation": "investigation_outcome_rate",
        "disruption": "disruption_rate",
        "with": "with_disruption_rate",
        "action": "safeguarding_action_rate",
    }
    for year, tally in report.years.items():
        for key, name in names.items():
            part, whole = years[year][key]
            assert tally.base(name) == whole, (year, name)
            assert tally.rate(name) == round(part / whole, 3), (year, name)
            assert 0 < part < whole  # the generated data exercises every rate
    table = report.table()
    assert table.years == ["2025", "2026"]
    january = dict(table.rows)["January"]
    assert january[0] == f"{screenings['2025-01']} ({investigated['2025-01']})"
    assert dict(table.rows)["December"][1] == ""  # not in the period
    assert (
        table.totals[0]
        == f"{report.years['2025'].screenings} ({report.years['2025'].investigated})"
    )
    app.close()


def test_the_cli_writes_the_pdf_and_the_csv_and_keeps_what_exists(
    generated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pw = tmp_path / "pw"
    pw.write_text(USER_PW)
    base = ["report", "panel", "--db", str(generated), "--user", "sol", "--password-file", str(pw)]
    period = ["--from", "2025-01", "--to", "2026-11"]
    pdf = tmp_path / "panel.pdf"
    assert run([*base, *period, "-o", str(pdf)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Wrote the panel report (PDF, 2025-01 to 2026-11, team North)")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "panel report" in text and "Investigation outcome rate" in text
    assert "2026 covers January to November only" in text
    app = open_app(generated, "sol")
    report = app.statistics.panel("2025-01", "2026-11")
    app.close()
    assert report.table().totals[0] in text
    assert run([*base, *period, "-o", str(pdf)]) == 2  # it exists: --force to replace it
    assert "exists" in capsys.readouterr().err
    out = tmp_path / "panel.csv"
    assert run([*base, *period, "-o", str(out), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0]) == [
        "year",
        "month",
        "screenings",
        "police_investigation",
        "investigation_outcome_rate",
        "disruption_rate",
        "with_disruption_rate",
        "safeguarding_action_rate",
    ]
    totals = [r for r in rows if r["month"] == "total"]
    assert [r["year"] for r in totals] == ["2025", "2026"] and len(rows) == 23 + 2
    assert float(totals[0]["investigation_outcome_rate"]) == report.years["2025"].rate(
        "investigation_outcome_rate"
    )
    assert all(r["investigation_outcome_rate"] == "" for r in rows if r["month"] != "total")
    assert run([*base, "--from", "2026-13", "--to", "2026-11", "-o", str(out)]) == 2


def test_an_area_profile_shows_true_counts_and_hides_small_ones(
    generated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every count shown equals a count made by hand over the stored rows; every count of 1 to
    4 is hidden; the CLI writes it and refuses an area the form does not know."""
    app = open_app(generated, "sol")
    shown = app.profiles.profile("bristol", "2025-01", "2026-11")
    db = app.session.store.db
    rows = db.execute(
        "SELECT id, coalesce(child_id, -id), screening_date, child_age, operative_band "
        "FROM screenings WHERE status IN ('submitted', 'approved', 'returned') "
        "AND la_area = 'bristol' AND screening_date BETWEEN '2025-01-01' AND '2026-11-30'"
    ).fetchall()
    latest: dict[int, tuple[str, int, int | None, str]] = {}
    for sid, child, day, age, band in rows:
        if child not in latest or (day, sid) > latest[child][:2]:
            latest[child] = (day, sid, age, band)
    models: dict[str, set[int]] = defaultdict(set)
    for sid, child, *_rest in rows:
        for (model,) in db.execute(
            "SELECT model FROM screening_models WHERE screening_id = ?", [sid]
        ).fetchall():
            models[model].add(child)
    app.close()
    assert shown.children == str(len(latest)) and shown.screenings == str(len(rows))
    bands = dict(next(d for d in shown.dimensions if d.title.startswith("Band")).rows)
    for label, code in (("Low", "low"), ("Mild", "mild"), ("Moderate", "moderate")):
        count = sum(1 for v in latest.values() if v[3] == code)
        assert bands[label] in ("[c]", str(count))  # hidden (small, or protecting one) or true
        assert bands[label] == "[c]" or not 1 <= count <= 4
    ages = dict(next(d for d in shown.dimensions if d.title.startswith("Age")).rows)
    teens = sum(1 for v in latest.values() if v[2] is not None and 13 <= v[2] <= 15)
    assert ages["13 to 15"] == str(teens)  # plenty: shown as it is
    model_rows = dict(next(d for d in shown.dimensions if d.title.startswith("Models")).rows)
    gang = len(models["gang"])
    assert model_rows["Gang-associated exploitation"] == ("[c]" if 1 <= gang <= 4 else str(gang))
    for dimension in shown.dimensions:
        assert all(v == "[c]" or not 1 <= int(v) <= 4 for _l, v in dimension.rows)

    pw = tmp_path / "pw"
    pw.write_text(USER_PW)
    base = [
        "report",
        "profile",
        "--db",
        str(generated),
        "--user",
        "sol",
        "--password-file",
        str(pw),
    ]
    period = ["--from", "2025-01", "--to", "2026-11"]
    out = tmp_path / "bristol.pdf"
    assert run([*base, "--area", "bristol", *period, "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Wrote the profile of Bristol (PDF, 2025-01 to 2026-11, team North)")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert f"Children screened: {shown.children}" in text and "for publication" in text
    assert run([*base, "--area", "atlantis", *period, "-o", str(tmp_path / "x.pdf")]) == 2
    assert "'atlantis' is not an area; use one of bristol" in capsys.readouterr().err


def test_a_screening_mostly_not_known_is_a_finding(db_path: Path) -> None:
    """Three in four scored answers "Not known": a band not to rely on, named in the report."""
    from tests.conftest import base_answers

    kit = open_app(db_path)
    form = kit.registry.latest("cse-risk-screening")
    indicators = [
        q.id
        for q in form.questions()
        if q.type == "yes_no" and not q.calculated and q.id[:2] in ("v_", "m_")
    ]
    unknowns = {q: "unknown" for q in indicators}  # every vulnerability and moderate sign
    kit.screenings.import_answers(form, base_answers(screening_date="2026-10-02", **unknowns))
    kit.screenings.import_answers(
        form, base_answers(screening_date="2026-10-03", child_first_name="Rowan")
    )
    kit.close()
    sol = open_app(db_path, "sol")
    report = sol.statistics.panel("2026-01", "2026-11")
    sol.close()
    found = [f for f in report.findings if f.check == "not_known"]
    assert [f.period for f in found] == ["2026"]
    assert found[0].message.startswith("2026: 1 screening(s) have more than 25% of their")
