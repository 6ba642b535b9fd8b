"""Fuzz answers and form files through loading, validation and scoring.

Whatever the input, the only exceptions allowed are the project's own ScreeningError types.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening_app.domain.answers import split_document, validate
from screening_app.domain.form_loader import load_form_text
from screening_app.domain.forms import Form
from screening_app.domain.scoring import score
from screening_app.errors import ScreeningError
from screening_app.paths import forms_dir
from tests.conftest import TODAY, base_answers

FORM_TEXT = (forms_dir() / "cse-risk-screening" / "v1.yaml").read_text(encoding="utf-8")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=8,
)


def question_ids() -> list[str]:
    return [q.id for q in load_form_text(FORM_TEXT, "v1.yaml").questions()]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from([*question_ids(), "extra"]), json_values, max_size=12))
def test_random_answers_never_crash_validation_or_scoring(form: Form, junk: dict[str, Any]) -> None:
    answers = base_answers()
    answers.update(junk)
    problems = validate(form, answers, TODAY)
    result = score(form, answers)
    assert result.final_band in form.band_codes()
    assert all(p.where for p in problems)
    json.dumps(result.to_json())


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_random_documents_are_refused_cleanly(data: Any) -> None:
    try:
        split_document(data, "fuzz.json")
    except ScreeningError:
        return


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_mutated_form_files_fail_only_with_form_errors(data: st.DataObject) -> None:
    lines = FORM_TEXT.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        choice = data.draw(st.integers(0, 3))
        if choice == 0:
            del lines[i]
        elif choice == 1:
            lines[i] = lines[i] + data.draw(st.text(max_size=10))
        elif choice == 2:
            lines.insert(i, lines[data.draw(st.integers(0, len(lines) - 1))])
        else:
            lines[i] = lines[i].replace(":", "", 1)
    try:
        load_form_text("\n".join(lines), "mutant.yaml")
    except ScreeningError as exc:
        assert exc.lines()
