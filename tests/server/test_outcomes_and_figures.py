"""Outcomes travel through the server (code and date clear, note sealed), and ``stats --server``
computes the organisation's figures from clear metadata alone: for a team whose screenings are
all on its supervisor's computer, they equal the figures that computer computes itself."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import psycopg
import pytest

from screening_app.services.model import ListQuery
from tests.conftest import base_answers, open_app
from tests.forms.test_context_form import PLACE
from tests.forms.test_forms import all_examples
from tests.server.conftest import PW, Machine, cli, connect

PERIOD = ["--from", "2026-01", "--to", "2026-12", "--csv", "--no-suppress"]


def connect_all(capsys: pytest.CaptureFixture[str], server: tuple[str, str], on: Machine) -> None:
    connect(capsys, *server, on, "sol", "kit", "lou")


def test_outcomes_reach_the_other_computer_and_the_figures_match(
    server: tuple[str, str],
    on: Machine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    connect_all(capsys, server, on)
    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0  # kit's computer gets the link secret
    examples = [str(p) for p in all_examples()]
    # and a version 4 screening of criminal exploitation and trafficking: its types travel in
    # the clear metadata and are counted by the server as by the desktop (type_<code>)
    four = tmp_path / "v4.json"
    answers = base_answers(child_first_name="Sam", cr_county_lines="recent", tr_moved="recent")
    four.write_text(
        json.dumps({"form_id": "cse-risk-screening", "form_version": 4, "answers": answers})
    )
    examples.append(str(four))
    # the first child twice: two screenings, one child, on the desktop and on the server
    assert (
        cli(capsys, "import", "--allow-duplicate", *examples, examples[0], *on("kit", "kit"))[0]
        == 0
    )
    # and a screening of a place: it travels to the team, but it is no child in the figures
    place = tmp_path / "place.json"
    place.write_text(
        json.dumps({"form_id": "context-screening", "form_version": 1, "answers": PLACE})
    )
    assert cli(capsys, "import", str(place), *on("kit", "kit"))[0] == 0
    assert cli(capsys, "sync", *on("kit", "kit"))[0] == 0
    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0
    code, out = cli(capsys, "list", "--json", *on("sol", "sol"))
    listed = json.loads(out)
    assert listed[0]["child_name"] == PLACE["context_name"]  # the newest: the place
    references = [r["reference"] for r in listed[1:]]
    assert len(references) == len(examples) + 1
    assert cli(capsys, "review", "approve", references[0], *on("sol", "sol"))[0] == 0

    sol = open_app(tmp_path / "sol.db", "sol", PW)
    try:
        first = next(r for r in sol.listing.list(ListQuery()) if r.reference == references[0])
        sol.review.add_outcome(
            first.id, "referred_scu", dt.date(2026, 11, 21), "Sent to the SCU by Tamsin Rook."
        )
        report = sol.sync.sync()
    finally:
        sol.close()
    assert (report.decisions_sent, report.outcomes_sent) == (1, 1)

    kit = open_app(tmp_path / "kit.db", "kit", PW)
    try:
        report = kit.sync.sync()
        approved = next(r for r in kit.listing.list(ListQuery()) if r.status == "approved")
        got = kit.review.outcomes(approved.id)
        assert [(o.code, o.note) for o in got] == [
            ("referred_scu", "Sent to the SCU by Tamsin Rook.")
        ]
        kit.review.add_outcome(approved.id, "disruption_activity", dt.date(2026, 11, 22))
        assert kit.sync.sync().outcomes_sent == 1
        assert kit.sync.sync().outcomes_received == 0  # its own outcome does not come back twice
    finally:
        kit.close()
    assert report.outcomes_received == 1
    sol = open_app(tmp_path / "sol.db", "sol", PW)
    try:
        assert sol.sync.sync().outcomes_received == 1
        assert sorted(o.code for o in sol.review.outcomes(first.id)) == [
            "disruption_activity",
            "referred_scu",
        ]
    finally:
        sol.close()

    code, here = cli(capsys, "stats", *PERIOD, *on("sol", "sol"))
    assert code == 0, here
    code, there = cli(capsys, "stats", "--server", *PERIOD, *on("sol", "sol"))
    assert code == 0, there
    assert there == here
    november = next(line for line in here.splitlines() if line.startswith("2026-11"))
    header = here.splitlines()[0].split(",")
    row = dict(zip(header, november.split(","), strict=True))
    assert (row["screenings"], row["children"]) == (str(len(examples) + 1), str(len(examples)))
    assert row["outcome_referred_scu"] == "1" and row["positive_outcome_rate"] != ""
    assert header[-4:] == [
        "type_sexual",
        "type_criminal",
        "type_trafficking",
        "type_online_financial",
    ]
    assert (row["type_criminal"], row["type_trafficking"], row["type_sexual"]) == ("1", "1", "0")
    # the three rates, computed from the server's outcome profiles as from the desktop's rows:
    # one screening referred to the SCU and disrupted, none investigated by the police
    assert row["investigation_outcome_rate"] == ""  # no investigation: no rate, not 0
    assert row["disruption_rate"] == row["with_disruption_rate"] == "1.000"

    # an area profile: the organisation's, from the server's clear metadata, counts what the
    # team's computer counts in the dimensions the server has (band, models, outcomes)
    area = json.loads(Path(examples[0]).read_text())["answers"]["la_area"]
    profile = ["report", "profile", "--area", area, "--from", "2026-01", "--to", "2026-12"]
    here_csv, there_csv = tmp_path / "here.csv", tmp_path / "there.csv"
    code, out = cli(capsys, *profile, "--csv", "-o", str(here_csv), *on("sol", "sol"))
    assert code == 0, out
    code, out = cli(capsys, *profile, "--server", "--csv", "-o", str(there_csv), *on("sol", "sol"))
    assert code == 0 and "the whole organisation" in out, out

    def rows(path: Path) -> dict[tuple[str, str], str]:
        lines = list(csv.DictReader(io.StringIO(path.read_text())))
        return {(r["dimension"], r["category"]): r["children"] for r in lines}

    team, organisation = rows(here_csv), rows(there_csv)
    assert set(organisation) < set(team)  # the server has no age, sex or vulnerability
    assert any(d.startswith("Age") for d, _c in team) and not any(
        d.startswith("Age") for d, _c in organisation
    )
    assert {k: v for k, v in team.items() if k in organisation} == organisation

    code, out = cli(capsys, "stats", "--server", *PERIOD, *on("kit", "kit"))
    assert code == 2 and "cannot see the organisation's figures" in out
    with psycopg.connect(database_url) as conn:
        notes = conn.execute(
            "SELECT count(*) FROM outcomes WHERE envelope::text LIKE %s", ["%Rook%"]
        )
        assert notes.fetchone() == (0,)  # the note is sealed
        tags = conn.execute("SELECT count(DISTINCT child_tag), count(child_tag) FROM screenings")
        assert tags.fetchone() == (len(examples), len(examples) + 1)


def test_another_teams_supervisor_sees_the_figures_but_no_outcome(
    server: tuple[str, str], on: Machine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    connect_all(capsys, server, on)
    assert cli(capsys, "import", str(all_examples()[0]), *on("kit", "kit"))[0] == 0
    assert cli(capsys, "sync", *on("kit", "kit"))[0] == 0
    code, out = cli(capsys, "stats", "--server", *PERIOD, *on("lou", "lou"))
    assert code == 0
    november = next(line for line in out.splitlines() if line.startswith("2026-11"))
    assert november.split(",")[1] == "1"  # North's screening counts in the organisation
    code, out = cli(
        capsys,
        "stats",
        "--server",
        "--from",
        "2026-01",
        "--to",
        "2026-12",
        "--csv",
        *on("lou", "lou"),
    )
    november = next(line for line in out.splitlines() if line.startswith("2026-11"))
    assert november.split(",")[1] == "<5"  # small numbers suppressed unless asked
    lou = open_app(tmp_path / "lou.db", "lou", PW)
    try:
        report = lou.sync.sync()
    finally:
        lou.close()
    assert (report.received, report.outcomes_received) == (0, 0)


def test_screenings_sent_before_the_link_secret_count_as_the_same_children(
    server: tuple[str, str],
    on: Machine,
    capsys: pytest.CaptureFixture[str],
    database_url: str,
) -> None:
    """kit sends before any supervisor's computer gave hers the link secret: the server holds
    the screenings untagged until sol's computer tags them, and then both count the children
    alike (the first child twice is one child)."""
    connect_all(capsys, server, on)
    examples = [str(p) for p in all_examples()]
    assert (
        cli(capsys, "import", "--allow-duplicate", *examples, examples[0], *on("kit", "kit"))[0]
        == 0
    )
    assert cli(capsys, "sync", *on("kit", "kit"))[0] == 0
    with psycopg.connect(database_url) as conn:
        untagged = conn.execute("SELECT count(*) FROM screenings WHERE child_tag IS NULL")
        assert untagged.fetchone() == (len(examples) + 1,)
    assert cli(capsys, "sync", *on("sol", "sol"))[0] == 0
    code, here = cli(capsys, "stats", *PERIOD, *on("sol", "sol"))
    assert code == 0, here
    code, there = cli(capsys, "stats", "--server", *PERIOD, *on("sol", "sol"))
    assert code == 0, there
    assert there == here
    header = here.splitlines()[0].split(",")
    november = next(line for line in here.splitlines() if line.startswith("2026-11"))
    row = dict(zip(header, november.split(","), strict=True))
    assert row["children"] == str(len(examples))
    with psycopg.connect(database_url) as conn:
        tags = conn.execute("SELECT count(DISTINCT child_tag), count(child_tag) FROM screenings")
        assert tags.fetchone() == (len(examples), len(examples) + 1)
