"""The checklist's limits, exactly at and one past each edge (docs/FORMS.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from screening_app.domain.answers import validate
from screening_app.domain.forms import Form
from tests.conftest import base_answers

TODAY = dt.date(2026, 11, 24)


def problems_at(form: Form, question_id: str, **overrides: Any) -> list[str]:
    found = validate(form, base_answers(**overrides), TODAY)
    return [p.message for p in found if p.where == question_id]


@pytest.mark.parametrize(
    ("question_id", "limit"), [("child_known_as", 200), ("concern_summary", 10_000)]
)
def test_text_lengths_at_and_past_the_limit(form: Form, question_id: str, limit: int) -> None:
    assert problems_at(form, question_id, **{question_id: "x" * limit}) == []
    assert problems_at(form, question_id, **{question_id: "x" * (limit + 1)})


def test_missing_counts_at_and_past_365(form: Form) -> None:
    at = problems_at(form, "missing_count_12m", missing_count_3m=0, missing_count_12m=365)
    assert at == []
    assert problems_at(form, "missing_count_12m", missing_count_3m=0, missing_count_12m=366)


def test_judgement_rationale_needs_twenty_characters(form: Form) -> None:
    agrees = problems_at(form, "judgement_rationale", judged_band="low")
    assert agrees == []  # no rationale needed when the judgement is the band
    risky = dict(s_controlling_adult="current", s_gangs="current", s_exchange="current")
    judged = dict(risky, judged_band="low")
    short = problems_at(form, "judgement_rationale", **judged, judgement_rationale="x" * 19)
    enough = problems_at(form, "judgement_rationale", **judged, judgement_rationale="x" * 20)
    assert short and enough == []
