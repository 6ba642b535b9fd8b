"""Age, dates and effective answers (relevance, calculated answers, implied floors)."""

from __future__ import annotations

import datetime as dt

import pytest

from screening_app.domain.evaluation import add_months, age_on, evaluate
from screening_app.domain.forms import Form
from tests.conftest import base_answers


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        ("2013-11-20", "2026-11-20", 13),  # 13th birthday on the screening date
        ("2013-11-21", "2026-11-20", 12),  # the day before it
        ("2012-02-29", "2025-02-28", 12),
        ("2012-02-29", "2025-03-01", 13),
    ],
)
def test_age_in_whole_years(born: str, on: str, age: int) -> None:
    assert age_on(dt.date.fromisoformat(born), dt.date.fromisoformat(on)) == age


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        ("2026-11-20", 3, "2027-02-20"),
        ("2026-11-30", 3, "2027-02-28"),
        ("2027-11-30", 3, "2028-02-29"),  # leap year
        ("2026-12-31", 1, "2027-01-31"),
        ("2027-01-31", 1, "2027-02-28"),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start: str, months: int, due: str) -> None:
    assert add_months(dt.date.fromisoformat(start), months).isoformat() == due


def test_age_is_available_to_conditions(form: Form) -> None:
    ev = evaluate(form, base_answers(child_dob="2013-11-20", screening_date="2026-11-20"))
    assert ev.age == 13


@pytest.mark.parametrize(("count_12m", "expected"), [(0, "no"), (1, "yes"), (7, "yes")])
def test_v_missing_is_calculated_from_missing_count_12m(
    form: Form, count_12m: int, expected: str
) -> None:
    ev = evaluate(form, base_answers(missing_count_12m=count_12m))
    assert ev.value("v_missing") == expected
    assert ev.calculated["v_missing"].reason


@pytest.mark.parametrize(
    ("status", "expected"),
    [("looked_after", "yes"), ("care_leaver", "yes"), ("child_in_need", "no"), (None, "no")],
)
def test_v_looked_after_is_calculated_from_care_status(
    form: Form, status: str | None, expected: str
) -> None:
    assert evaluate(form, base_answers(care_status=status)).value("v_looked_after") == expected


def test_missing_questions_are_relevant_only_after_an_episode(form: Form) -> None:
    assert "missing_last_date" not in evaluate(form, base_answers()).relevant
    assert "missing_last_date" in evaluate(form, base_answers(missing_count_12m=1)).relevant


def test_parent_reason_is_relevant_only_when_parent_not_aware(form: Form) -> None:
    assert "parent_not_aware_reason" in evaluate(form, base_answers(parent_aware="no")).relevant
    assert (
        "parent_not_aware_reason" not in evaluate(form, base_answers(parent_aware="yes")).relevant
    )


@pytest.mark.parametrize(
    ("given", "count_3m", "effective"),
    [
        (None, 3, "current"),
        ("no", 3, "current"),
        ("historic", 4, "both"),
        ("current", 3, "current"),
        ("historic", 2, "historic"),
        (None, 2, None),
    ],
)
def test_three_episodes_in_three_months_make_repeat_missing_at_least_current(
    form: Form, given: str | None, count_3m: int, effective: str | None
) -> None:
    ev = evaluate(
        form, base_answers(s_repeat_missing=given, missing_count_3m=count_3m, missing_count_12m=5)
    )
    assert ev.value("s_repeat_missing") == effective
    assert ("s_repeat_missing" in ev.calculated) is (count_3m >= 3)


def test_badly_typed_answers_are_ignored_not_raised(form: Form) -> None:
    ev = evaluate(form, base_answers(missing_count_12m="two", v_substance_use="maybe"))
    assert ev.value("missing_count_12m") is None
    assert ev.value("v_substance_use") is None
    assert ev.ignored == {"missing_count_12m", "v_substance_use"}


def test_every_question_type_has_a_shape_of_its_own() -> None:
    """A new type added to forms.QuestionType without its shape fails here, instead of being
    checked as if it were a choice (the fall-through that used to be)."""
    from screening_app.domain.evaluation import SHAPES
    from screening_app.domain.forms import QUESTION_TYPES

    assert set(SHAPES) == set(QUESTION_TYPES)


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("integer", 3, True),  # a bool is not a number of episodes
        ("date", "2026-02-28", "2026-02-30"),
        ("text", "Kit", 7),
        ("repeatable_group", [], "a list"),
    ],
)
def test_a_value_is_kept_only_in_the_shape_its_type_stores(
    kind: str, good: object, bad: object
) -> None:
    from screening_app.domain.evaluation import well_typed
    from screening_app.domain.forms import Question

    question = Question.model_validate({"id": "q", "label": "Q", "type": kind, "max_repeats": 5})
    assert well_typed(question, good) and not well_typed(question, bad)
