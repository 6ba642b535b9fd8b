"""Form version 3: version 2's questions, rules and scoring, with the outcome list the three
outcome rates need. Every version 2 code is kept with its meaning; every outcome says what it
measures, and the earlier codes measure in v3 what the domain says they meant before."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.domain.measures import EARLIER_MEASURES, measures_of
from screening_app.domain.registry import FormRegistry
from screening_app.domain.scoring import score
from tests.conftest import load_example
from tests.forms.test_forms import all_examples

V2_EXAMPLE = Path(__file__).with_name("v2") / "entities.json"


def test_version_3_asks_what_version_2_asks(registry: FormRegistry) -> None:
    two, three = registry.get("cse-risk-screening", 2), registry.get("cse-risk-screening", 3)
    assert list(three.index) == list(two.index)
    assert three.rules == two.rules and three.bands == two.bands


@pytest.mark.parametrize("path", [*all_examples(), V2_EXAMPLE], ids=lambda p: p.stem)
def test_the_same_answers_score_the_same_in_versions_2_and_3(
    registry: FormRegistry, path: Path
) -> None:
    answers = load_example(path)["answers"]
    two = score(registry.get("cse-risk-screening", 2), answers)
    three = score(registry.get("cse-risk-screening", 3), answers)
    assert (three.total, three.final_band, three.operative_band, three.fired_rules) == (
        two.total,
        two.final_band,
        two.operative_band,
        two.fired_rules,
    )


def test_every_earlier_outcome_is_kept_with_its_meaning(registry: FormRegistry) -> None:
    two, three = registry.get("cse-risk-screening", 2), registry.get("cse-risk-screening", 3)
    kept = {o.code: o for o in three.outcomes}
    for outcome in two.outcomes:
        assert outcome.code in kept, outcome.code
        assert kept[outcome.code].positive == outcome.positive, outcome.code
        assert kept[outcome.code].measure == EARLIER_MEASURES[outcome.code], outcome.code
    assert all(o.measure is not None for o in three.outcomes)
    assert set(EARLIER_MEASURES) == {o.code for o in two.outcomes}


def test_version_3_names_the_home_office_outcomes(registry: FormRegistry) -> None:
    three = registry.get("cse-risk-screening", 3)
    measure = {o.code: o.measure for o in three.outcomes}
    assert measure["taken_into_consideration"] == measure["outcome_22"] == "investigation_positive"
    for code in (
        "evidential_difficulties_victim_supports",  # Outcome 15
        "evidential_difficulties_victim_not_supporting",  # Outcome 16
        "not_in_public_interest",  # Outcome 21
        "responsibility_transferred",
    ):
        assert measure[code] == "investigation", code
    assert measure["closure_notice"] == "disruption"
    assert measure["referred_childrens_social_care"] == "safeguarding"
    # one mapping for every installed version: what the statistics read
    found = measures_of([registry.get("cse-risk-screening", v) for v in (1, 2, 3)])
    assert found["police_investigation"] == "investigation"
    assert found["referred_scu"] == "scu_referral"
