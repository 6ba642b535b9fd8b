"""Work out what a set of answers means before it is scored or checked.

Walks the form in order, keeping only well-typed answers, computing the child's age, which
questions are relevant, calculated answers and implied floors. Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from screening_app.domain.forms import Answer, Form, GivenAnswers, Question

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# For timed indicators, the set of periods each answer stands for.
_TIMED_PARTS = {
    "no": frozenset(),
    "current": frozenset({"c"}),
    "historic": frozenset({"h"}),
    "both": frozenset({"c", "h"}),
}
_TIMED_BY_PARTS = {parts: code for code, parts in _TIMED_PARTS.items()}


def parse_date(value: Any) -> dt.date | None:
    """An ISO ``YYYY-MM-DD`` string as a date, or None if it is not a real date."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Age in whole years: a birthday counts on the day itself (29 Feb counts on 1 Mar)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _is_text(_question: Question, value: Any) -> bool:
    return isinstance(value, str)


def _is_date(_question: Question, value: Any) -> bool:
    return parse_date(value) is not None


def _is_whole_number(_question: Question, value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_option(question: Question, value: Any) -> bool:
    return isinstance(value, str) and value in question.option_codes()


def _are_options(question: Question, value: Any) -> bool:
    return isinstance(value, list) and all(c in question.option_codes() for c in value)


def _is_list(_question: Question, value: Any) -> bool:
    return isinstance(value, list)  # a repeatable group's items: checked by domain/entities.py


# The shape each question type stores (range checks aside): one entry per type in
# ``forms.QuestionType`` (a test holds it), so a new type cannot fall through to another's.
SHAPES: dict[str, Callable[[Question, Any], bool]] = {
    "text": _is_text,
    "long_text": _is_text,
    "date": _is_date,
    "integer": _is_whole_number,
    "yes_no": _is_option,
    "choice": _is_option,
    "multi_choice": _are_options,
    "timed_indicator": _is_option,
    "repeatable_group": _is_list,
}


def well_typed(question: Question, value: Any) -> bool:
    """True when ``value`` has the shape the question type stores (range checks aside)."""
    return SHAPES[question.type](question, value)


def is_blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str | list) and len(value) == 0)
        or (isinstance(value, str) and not value.strip())
    )


def merge_floor(question: Question, answer: Any, floor: str) -> str:
    """The answer raised to at least ``floor`` (timed: add the period; others: the floor)."""
    if question.type == "timed_indicator":
        parts = _TIMED_PARTS.get(answer, frozenset()) | _TIMED_PARTS[floor]
        return _TIMED_BY_PARTS[parts]
    return floor


@dataclass(frozen=True)
class Calculated:
    value: Any
    reason: str


@dataclass
class Evaluation:
    """Effective answers after relevance, calculation and implied floors."""

    values: dict[str, Answer]  # effective value of every relevant, answered question
    relevant: set[str]
    calculated: dict[str, Calculated] = field(default_factory=dict)
    age: int | None = None
    ignored: set[str] = field(default_factory=set)  # given but not well-typed

    def value(self, question_id: str) -> Answer | None:
        return self.values.get(question_id)


def evaluate(form: Form, answers: GivenAnswers) -> Evaluation:
    """Effective answers for ``answers`` (tolerant: bad values are ignored, never raised)."""
    env: dict[str, Any] = {}
    result = Evaluation(values={}, relevant=set())
    for question in form.questions():
        raw = answers.get(question.id)
        if raw is not None and not question.calculated and not well_typed(question, raw):
            result.ignored.add(question.id)
            raw = None
        if question.relevant is not None and not question.relevant.holds(env):
            env[question.id] = None
            continue
        result.relevant.add(question.id)
        value = _effective_value(question, raw, env, result)
        env[question.id] = value
        if value is not None and not is_blank(value):
            result.values[question.id] = value
        if question.id in {form.age.on, form.age.date_of_birth}:
            result.age = _age(form, env)
            env["age"] = result.age
    return result


def _effective_value(
    question: Question, raw: Any, env: dict[str, Any], result: Evaluation
) -> Answer | None:
    if question.calculate is not None:
        outcome = question.calculate.evaluate(env)
        value = ("yes" if outcome else "no") if question.type == "yes_no" else outcome
        result.calculated[question.id] = Calculated(value, question.calculate_reason)
        return value
    if question.implied is not None and question.implied.when.holds(env):
        value = merge_floor(question, raw, question.implied.value)
        result.calculated[question.id] = Calculated(value, question.implied.reason)
        return value
    if isinstance(raw, str) and question.type in {"text", "long_text"}:
        return raw.strip()
    kept: Answer | None = raw  # well typed for its question, or None (evaluate saw to it)
    return kept


def _age(form: Form, env: Mapping[str, Any]) -> int | None:
    if form.age.date_of_birth is None:  # a place or group: no age
        return None
    born = parse_date(env.get(form.age.date_of_birth))
    on = parse_date(env.get(form.age.on))
    if born is None or on is None or born > on:
        return None
    return age_on(born, on)
