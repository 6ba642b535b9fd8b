"""Form version 4, the child exploitation screening: 24 vignettes, each with its expected score,
band, action (refer now or the band's) and "Not known" count; the earlier versions untouched;
bad answers refused with a message naming the question, and nothing stored."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from screening_app.domain.answers import check_and_score, validate
from screening_app.domain.registry import FormRegistry
from screening_app.domain.scoring import score
from screening_app.errors import AnswersError
from tests.conftest import base_answers, load_example
from tests.forms.test_forms import all_examples

VIGNETTES = json.loads((Path(__file__).with_name("v4") / "vignettes.json").read_text())
TODAY = dt.date(2026, 11, 26)


def answers_of(vignette: dict[str, Any]) -> dict[str, Any]:
    return base_answers(**vignette["answers"])


def test_version_4_is_the_newest_and_keeps_version_3_s_outcomes(registry: FormRegistry) -> None:
    three, four = registry.get("cse-risk-screening", 3), registry.get("cse-risk-screening", 4)
    assert registry.latest("cse-risk-screening") is four
    assert four.outcomes[: len(three.outcomes)] == three.outcomes
    added = [o.code for o in four.outcomes[len(three.outcomes) :]]
    assert added == ["nrm_referral"]  # closes the NRM prompt (the MACE pack's open actions)
    assert "entities_of_concern" in four.index and "cse_models" in four.index


def test_there_are_at_least_twenty_vignettes() -> None:
    assert len(VIGNETTES) >= 20
    assert len({v["name"] for v in VIGNETTES}) == len(VIGNETTES)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: v["name"][:60])
def test_each_vignette_scores_as_expected(registry: FormRegistry, vignette: dict[str, Any]) -> None:
    form = registry.get("cse-risk-screening", 4)
    answers = answers_of(vignette)
    assert validate(form, answers, TODAY) == []
    result = check_and_score(form, answers, TODAY)
    expected = vignette["expected"]
    assert result.total == expected["total"]
    assert result.operative_band == expected["operative_band"]
    assert [r.id for r in result.fired_rules] == expected["fired_rules"]
    assert [r.id for r in result.routes] == expected["refer_now"]
    assert len(result.not_known) == expected["not_known"]
    assert result.provisional == expected["provisional"]
    if expected["refer_now"]:
        assert result.action == form.route_action  # referred now, whatever the score
    else:
        assert result.action == form.band(result.operative_band).action
    top = form.band_codes()[-1]
    assert bool(result.low_band_note) == (result.operative_band != top)
    as_json = result.to_json()
    assert as_json["refer_now"] == expected["refer_now"]
    assert as_json["not_known"] == expected["not_known"]
    assert [p.id for p in result.prompts] == as_json["prompts"] == expected["prompts"]
    assert list(result.types) == as_json["types"] == expected["types"]
    if expected["prompts"]:  # trafficking signs: a National Referral Mechanism referral is due
        assert "National Referral Mechanism" in result.prompts[0].reason


def test_county_lines_reach_the_same_bands_as_their_sexual_counterparts(
    registry: FormRegistry,
) -> None:
    form = registry.get("cse-risk-screening", 4)
    criminal = ["cr_county_lines", "cr_weapons", "cr_theft_robbery", "cr_debt_bondage"]
    sexual = ["sx_controlling_adult", "sx_unknown_adults_cars", "sx_places_of_concern"]
    sexual.append("sx_peer_exploitation")
    for timeframe in ("recent", "earlier", "both"):
        for count in range(1, 5):
            one = score(form, base_answers(**{q: timeframe for q in criminal[:count]}))
            two = score(form, base_answers(**{q: timeframe for q in sexual[:count]}))
            assert (one.total, one.operative_band) == (two.total, two.operative_band)


@pytest.mark.parametrize("path", all_examples(), ids=lambda p: p.stem)
def test_earlier_versions_score_as_before(registry: FormRegistry, path: Path) -> None:
    example = load_example(path)
    form = registry.get(example["form_id"], example["form_version"])
    result = score(form, example["answers"])
    for key, value in example["expected"].items():
        got = result.to_json()[key]
        assert got == value, key
    assert "not_known" not in result.to_json()  # the JSON of earlier versions is unchanged


@pytest.mark.parametrize(
    ("overrides", "question", "said"),
    [
        ({"cr_county_lines": "yes"}, "cr_county_lines", "use one of: no, recent, earlier"),
        ({"child_dob": "not known"}, "child_dob", "date"),
        ({"child_first_name": "Not known"}, "child_first_name", "is needed to identify the child"),
        ({"child_dob": "2004-02-01"}, "child_dob", "answer that question if it applies"),
        (
            {"child_dob": "1999-02-01", "young_adult_reason": "send"},
            "child_dob",
            "up to 25",
        ),
        ({"cse_models": ["organ_harvesting"]}, "cse_models", "organ_harvesting"),
        ({"young_adult_reason": "send"}, "young_adult_reason", "does not apply"),
    ],
)
def test_bad_answers_name_the_question(
    registry: FormRegistry, overrides: dict[str, Any], question: str, said: str
) -> None:
    form = registry.get("cse-risk-screening", 4)
    with pytest.raises(AnswersError) as caught:
        check_and_score(form, base_answers(**overrides), TODAY)
    problems = [p for p in caught.value.problems if p.where == question]
    assert problems, caught.value.problems
    assert any(said in p.message for p in problems), problems
