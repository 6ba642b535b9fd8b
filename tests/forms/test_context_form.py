"""The place or group screening (contextual safeguarding): its scoring, what it refuses, and
that it is linked to the children's screenings, kept out of the children's figures and shown as
a place or group, never as a child."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from screening_app.cli import run
from screening_app.domain.answers import validate
from screening_app.domain.form_loader import load_form_text
from screening_app.domain.registry import FormRegistry
from screening_app.domain.scoring import score
from screening_app.errors import FormError
from tests.conftest import USER_PW, open_app, submit_screening

TODAY = dt.date(2026, 11, 24)
PLACE = {
    "context_kind": "place",
    "context_name": "Riverside Park skate area",
    "screening_date": "2026-11-20",
    "practitioner_name": "Lee Worker",
    "practitioner_agency": "Example Youth Service",
    "practitioner_contact": "01632 960300",
    "immediate_danger": "no",
    "what_was_seen": "Fictional: a silver car collects younger teenagers most evenings.",
}


def context(**answers: Any) -> dict[str, Any]:
    return {**PLACE, **answers}


@pytest.fixture(scope="module")
def form(registry: FormRegistry) -> Any:
    return registry.latest("context-screening")


@pytest.mark.parametrize(
    ("answers", "total", "band", "rules", "not_known", "provisional"),
    [
        ({}, 0, "low", [], 0, False),
        ({"ctx_drugs_dealt": "yes"}, 5, "low", [], 0, False),
        ({"ctx_drugs_dealt": "yes", "ctx_unusual_hours": "yes"}, 6, "moderate", [], 0, False),
        (  # exploitation reported and missing children found there: significant
            {"ctx_reports_of_exploitation": "yes", "ctx_missing_found": "yes"},
            10,
            "significant",
            ["C1"],
            0,
            False,
        ),
        ({"immediate_danger": "yes"}, 0, "significant", ["C2"], 0, False),
        (  # three of eleven signs not known: more than a fifth, so the band is provisional
            {f: "not_known" for f in ("ctx_gifts", "ctx_missing_found", "ctx_no_guardian")},
            0,
            "low",
            [],
            3,
            True,
        ),
        (
            {
                "ctx_adults_with_children": "yes",
                "ctx_vehicles_collecting": "yes",
                "ctx_gifts": "yes",
                "ctx_older_peers": "yes",
            },
            12,
            "significant",
            [],
            0,
            False,
        ),
    ],
)
def test_a_place_scores_as_the_form_says(
    form: Any,
    answers: dict[str, Any],
    total: int,
    band: str,
    rules: list[str],
    not_known: int,
    provisional: bool,
) -> None:
    full = context(**answers)
    assert validate(form, full, TODAY) == []
    result = score(form, full)
    assert (result.total, result.operative_band) == (total, band)
    assert [r.id for r in result.fired_rules] == rules
    assert (len(result.not_known), result.provisional) == (not_known, provisional)
    assert result.age is None and result.types == ()
    if band != "significant":
        assert result.low_band_note.startswith("A low band is not a safe place")


def test_a_place_needs_its_name_and_no_child(form: Any) -> None:
    problems = validate(form, context(context_name=""), TODAY)
    assert [p.where for p in problems] == ["context_name"]
    assert form.subject == "context" and form.subject_name(PLACE) == "Riverside Park skate area"


def test_the_form_file_says_what_it_screens(form: Any) -> None:
    text = Path("forms/context-screening/v1.yaml").read_text(encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_form_text(
            text.replace(
                "  on: screening_date", "  date_of_birth: screening_date\n  on: screening_date"
            ),
            "v1.yaml",
        )
    assert "a place or group screening has no date of birth" in str(caught.value.problems)
    with pytest.raises(FormError) as caught:
        load_form_text(text.replace("[context_name]", "[context_kind]"), "v1.yaml")
    assert "'context_kind' is not a text question" in str(caught.value.problems)


def test_score_and_import_take_a_place_from_a_file(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "place.json"
    document = {
        "form_id": "context-screening",
        "form_version": 1,
        "answers": context(ctx_drugs_dealt="yes", ctx_unusual_hours="yes"),
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    assert run(["score", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["operative_band"] == "moderate"
    pw = tmp_path / "pw"
    pw.write_text(USER_PW, encoding="utf-8")
    signed = ["--db", str(db_path), "--user", "kit", "--password-file", str(pw)]
    assert run(["import", str(path), *signed]) == 0
    capsys.readouterr()
    assert run(["list", "--json", *signed]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["child_name"] for r in listed] == ["Riverside Park skate area"]


def test_a_place_links_to_children_but_is_no_child_in_the_figures(db_path: Path) -> None:
    phone = [{"kind": "phone", "number": "07700 900123"}]
    child = submit_screening(db_path, entities_of_concern=phone)
    kit = open_app(db_path)
    draft = kit.screenings.start("context-screening")
    for qid, value in context(entities_of_concern=phone, ctx_drugs_dealt="yes").items():
        kit.screenings.save_answer(draft.row.id, qid, value)
    place = kit.screenings.submit(draft.row.id).row
    assert place.child_id is None and place.child_name == "Riverside Park skate area"
    kit.close()
    sol = open_app(db_path, "sol")
    [link] = sol.links.links()
    assert link.references == ["CSE-2026-000001", "CSE-2026-000002"]
    assert link.children["CSE-2026-000002"].name == "Place or group: Riverside Park skate area"
    [november] = sol.statistics.monthly("2026-11", "2026-11")
    assert (november.screenings, november.children) == (1, 1)  # the child only
    child_ref = sol.screenings.get(child).row.reference
    pack = sol.mace.pack([child_ref]).children[0]
    assert [(link.kind, link.others) for link in pack.links] == [("phone", ("CSE-2026-000002",))]
    sol.close()
