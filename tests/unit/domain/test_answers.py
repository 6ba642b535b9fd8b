"""Answers validation: every problem reported at once, each naming the question id."""

from __future__ import annotations

from typing import Any

import pytest

from screening_app.domain.answers import nhs_number_valid, split_document, validate
from screening_app.domain.forms import Form
from screening_app.errors import AnswersError
from tests.conftest import TODAY, base_answers


def problems(form: Form, **overrides: Any) -> dict[str, str]:
    return {p.where: p.message for p in validate(form, base_answers(**overrides), TODAY)}


def test_the_base_answers_are_valid(form: Form) -> None:
    assert validate(form, base_answers(), TODAY) == []


@pytest.mark.parametrize(
    ("overrides", "qid", "fragment"),
    [
        ({"not_a_question": "x"}, "not_a_question", "unknown question id"),
        ({"missing_count_3m": "2"}, "missing_count_3m", "whole number"),
        ({"missing_count_3m": 2.5}, "missing_count_3m", "whole number"),
        ({"missing_count_3m": True}, "missing_count_3m", "whole number"),
        ({"missing_count_3m": -1}, "missing_count_3m", "at least 0"),
        ({"missing_count_12m": 366}, "missing_count_12m", "at most 365"),
        ({"v_substance_use": "maybe"}, "v_substance_use", "use one of: yes, no, unknown"),
        ({"la_area": "london"}, "la_area", "use one of"),
        ({"cse_models": ["gang", "made_up"]}, "cse_models", "made_up"),
        ({"cse_models": "gang"}, "cse_models", "list"),
        ({"cse_models": ["gang", "gang"]}, "cse_models", "same option twice"),
        ({"s_gangs": "yes"}, "s_gangs", "current"),
        ({"child_dob": "2026-02-30"}, "child_dob", "not a real date"),
        ({"child_dob": "30/02/2012"}, "child_dob", "YYYY-MM-DD"),
        ({"child_dob": "2008-11-20"}, "child_dob", "under 18"),
        ({"child_dob": "2026-11-21"}, "child_dob", "after the screening date"),
        ({"screening_date": "2026-12-01"}, "screening_date", "in the future"),
        ({"missing_count_3m": 3, "missing_count_12m": 2}, "missing_count_12m", "missing_count_3m"),
        ({"v_missing": "yes"}, "v_missing", "calculated"),
        ({"v_looked_after": "no"}, "v_looked_after", "calculated"),
        ({"missing_last_date": "2026-10-01"}, "missing_last_date", "does not apply"),
        ({"parent_aware": "no"}, "parent_not_aware_reason", "required"),
        ({"concern_summary": "   "}, "concern_summary", "required"),
        ({"disclosure": None}, "disclosure", "required"),
        ({"child_first_name": "x" * 201}, "child_first_name", "at most 200"),
        ({"child_nhs_number": "1234567890"}, "child_nhs_number", "NHS number"),
        ({"child_first_name": 7}, "child_first_name", "must be text"),
    ],
)
def test_each_bad_answer_names_its_question(
    form: Form, overrides: dict[str, Any], qid: str, fragment: str
) -> None:
    found = problems(form, **overrides)
    assert qid in found, found
    assert fragment in found[qid]


def test_a_child_of_18_is_refused_but_17_is_accepted(form: Form) -> None:
    assert "child_dob" in problems(form, child_dob="2008-11-20")  # 18th birthday that day
    assert "child_dob" not in problems(form, child_dob="2008-11-21")


def test_missing_counts_error_names_both_questions(form: Form) -> None:
    message = problems(form, missing_count_3m=3, missing_count_12m=2)["missing_count_12m"]
    assert "missing_count_3m" in message and "missing_count_12m" in message


def test_every_problem_is_reported_at_once(form: Form) -> None:
    found = problems(
        form,
        child_dob="2026-02-30",
        la_area="x",
        v_missing="yes",
        missing_count_3m="a",
        concern_summary=None,
        extra_key=1,
    )
    assert {
        "child_dob",
        "la_area",
        "v_missing",
        "missing_count_3m",
        "concern_summary",
        "extra_key",
    } <= set(found)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),
        ("943 476 5919", True),
        ("9434765918", False),
        ("943476591", False),
        ("94347659190", False),
        ("abcdefghij", False),
    ],
)
def test_nhs_number_check_digit(number: str, valid: bool) -> None:
    assert nhs_number_valid(number) is valid


class TestJudgementValidation:
    def test_a_different_judgement_needs_a_rationale_of_20_characters(self, form: Form) -> None:
        found = problems(form, judged_band="moderate", judgement_rationale="too short")
        assert "20 characters" in found["judgement_rationale"]
        assert "judgement_rationale" not in problems(
            form, judged_band="moderate", judgement_rationale="Seen with an older adult twice."
        )

    def test_same_band_needs_no_rationale(self, form: Form) -> None:
        assert problems(form, judged_band="low") == {}

    def test_cannot_go_below_a_band_set_by_r1(self, form: Form) -> None:
        found = problems(
            form,
            disclosure="yes",
            judged_band="moderate",
            judgement_rationale="Long enough rationale for the test.",
        )
        assert "R1" in found["judged_band"]

    def test_may_go_below_a_band_set_by_r5_with_rationale(self, form: Form) -> None:
        assert (
            problems(
                form,
                s_exchange="current",
                judged_band="mild",
                judgement_rationale="Long enough rationale for the test.",
            )
            == {}
        )


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ([], "x.json"),
        ({"form_version": 1, "answers": {}}, "x.json: form_id"),
        ({"form_id": "f", "form_version": "1", "answers": {}}, "x.json: form_version"),
        ({"form_id": "f", "form_version": 1, "answers": []}, "x.json: answers"),
    ],
)
def test_split_document_reports_structure_problems(data: Any, where: str) -> None:
    with pytest.raises(AnswersError) as caught:
        split_document(data, "x.json")
    assert where in [p.where for p in caught.value.problems]


def test_an_answer_that_hides_a_question_names_the_answer_it_clears(form: Form) -> None:
    from screening_app.domain.answers import apply

    answers = base_answers(missing_count_12m=2, missing_last_date="2026-10-01")
    after, cleared = apply(form, answers, "missing_count_12m", 0)
    assert cleared == ["missing_last_date"] and "missing_last_date" not in after
    assert after["missing_count_12m"] == 0
    assert apply(form, answers, "missing_count_12m", 3)[1] == []
    assert "missing_last_date" in answers  # the answers given are not changed


@pytest.mark.parametrize("blank", [None, "", "   ", []])
def test_a_blank_answer_is_removed_not_stored(form: Form, blank: Any) -> None:
    from screening_app.domain.answers import apply

    answers = base_answers(child_first_name="Robin")
    after, _cleared = apply(form, answers, "child_first_name", blank)
    assert "child_first_name" not in after


def test_restoring_an_answer_a_change_hid_clears_nothing_else(form: Form) -> None:
    """Undo puts a hidden answer back before the answer that hid it: that step hides nothing."""
    from screening_app.domain.answers import apply

    answers = base_answers(missing_count_12m=0)
    after, cleared = apply(form, answers, "missing_last_date", "2026-10-01")
    assert cleared == [] and after["missing_last_date"] == "2026-10-01"
    after, cleared = apply(form, after, "missing_count_12m", 2)
    assert cleared == [] and after["missing_last_date"] == "2026-10-01"
