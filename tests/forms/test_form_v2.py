"""Form version 2: version 1 plus the entities of concern and the source report's outcomes.
Version 1 stays as it was; the same answers score the same in both."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from screening_app.domain.answers import check_and_score, validate
from screening_app.domain.registry import FormRegistry
from screening_app.domain.scoring import score
from screening_app.errors import AnswersError
from screening_app.export.referral_pdf import render_referral
from tests.conftest import load_example
from tests.forms.test_forms import all_examples
from tests.unit.export.test_referral_pdf import flat, make_input, pages_text

V2_EXAMPLE = Path(__file__).with_name("v2") / "entities.json"
TODAY = dt.date(2026, 11, 26)


def test_version_2_is_version_1_plus_entities_and_outcomes(registry: FormRegistry) -> None:
    one, two = registry.get("cse-risk-screening", 1), registry.get("cse-risk-screening", 2)
    added = set(two.index) - set(one.index)
    assert added == {"entities_of_concern"} and set(one.index) <= set(two.index)
    assert [o.code for o in two.outcomes][: len(one.outcomes)] == [o.code for o in one.outcomes]
    positive = {o.code for o in two.outcomes if o.positive}
    assert {"charge_summons", "cawn", "other_disruption", "disruption_activity"} <= positive
    assert not {"nfa_evidential", "nfa_victim_not_supporting"} & positive


@pytest.mark.parametrize("path", all_examples(), ids=lambda p: p.stem)
def test_the_same_answers_score_the_same_in_both_versions(
    registry: FormRegistry, path: Path
) -> None:
    answers = load_example(path)["answers"]
    one = score(registry.get("cse-risk-screening", 1), answers)
    two = score(registry.get("cse-risk-screening", 2), answers)
    assert (two.total, two.final_band, two.operative_band, two.fired_rules) == (
        one.total,
        one.final_band,
        one.operative_band,
        one.fired_rules,
    )


def test_entities_are_checked_with_the_answers(registry: FormRegistry) -> None:
    two = registry.get("cse-risk-screening", 2)
    answers = load_example(V2_EXAMPLE)["answers"]
    assert validate(two, answers, TODAY) == []
    answers["entities_of_concern"] = [{"kind": "phone", "number": "not a number"}]
    with pytest.raises(AnswersError) as raised:
        check_and_score(two, answers, TODAY)
    assert [str(p) for p in raised.value.problems] == [
        "entities_of_concern: entity 1 (phone): 'not a number' is not a phone number; write it "
        "like 07700 900123 or +44 7700 900123"
    ]


def test_the_referral_lists_the_entities_by_kind_with_their_keys(registry: FormRegistry) -> None:
    two = registry.get("cse-risk-screening", 2)
    answers = load_example(V2_EXAMPLE)["answers"]
    text = flat(" ".join(pages_text(render_referral(make_input(two, answers)))))
    written = (
        "vehicle AB12 CDE",
        "phone 07700 900123",
        "12, BS1 4DJ",
        "jay_fake_99 on snapchat",
        "Jay-Jay",
    )
    for expected in written:  # linked on, as people write it
        assert expected in text, expected
    assert "BS1 4DJ|12" not in text and "+447700900123" not in text
    assert text.index("Vehicle") > text.index("Person")  # grouped by kind, people first
