"""The expression language: parsing, evaluation, and that arbitrary text can never run code."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening_app.domain.expressions import MAX_DEPTH, parse
from screening_app.errors import ExpressionError


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ('answer == "yes"', {"answer": "yes"}, True),
        ('answer == "yes"', {"answer": "no"}, False),
        ('answer != "yes"', {"answer": "no"}, True),
        ('answer in ["a", "b"]', {"answer": "b"}, True),
        ('answer not in ["a", "b"]', {"answer": "b"}, False),
        ("age < 13", {"age": 12}, True),
        ("age < 13", {"age": 13}, False),
        ("missing_count_3m >= 3", {"missing_count_3m": 3}, True),
        ("a > 0 and b > 0", {"a": 1, "b": 0}, False),
        ("a > 0 or b > 0", {"a": 0, "b": 1}, True),
        ("not (a > 0)", {"a": 0}, True),
        ("a + b > 2", {"a": 1, "b": 2}, True),
        ("a - b == 1", {"a": 3, "b": 2}, True),
        ("true and not false", {}, True),
        ('models in ["gang"]', {"models": ["peer_on_peer", "gang"]}, True),
    ],
)
def test_evaluates(source: str, values: dict[str, object], expected: bool) -> None:
    assert parse(source).holds(values) is expected


def test_unanswered_names_never_satisfy_a_comparison() -> None:
    assert parse("age < 13").holds({}) is False
    assert parse("count > 0").holds({"count": None}) is False
    assert parse('x == "yes"').holds({}) is False
    assert parse('not (x == "yes")').holds({}) is True
    assert parse("a + 1 > 0").holds({}) is False


def test_comparing_text_with_a_number_is_false_not_an_error() -> None:
    assert parse("age < 13").holds({"age": "twelve"}) is False


def test_functions_are_supplied_by_the_caller() -> None:
    expr = parse('section_score("moderate") > 0')
    assert expr.holds({}, {"section_score": lambda group: 2 if group == "moderate" else 0})
    with pytest.raises(ExpressionError, match="not available"):
        expr.holds({})


def test_names_and_literal_comparisons_are_reported() -> None:
    expr = parse('(a == "yes" or b in ["x", "y"]) and c > 1')
    assert expr.names() == {"a", "b", "c"}
    assert sorted(expr.string_comparisons()) == [("a", "yes"), ("b", "x"), ("b", "y")]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('a == "yes', "unexpected character"),
        ("a ==", "expected a value"),
        ("a = 1", "unexpected character '='"),
        ("__import__('os')", "unknown function '__import__'"),
        ("open('x')", "unknown function 'open'"),
        ("a.b", "unexpected character '.'"),
        ("a[0]", "expected an operator or the end"),
        ("(a > 1", r"expected '\)'"),
        ("[a, 1]", "only numbers and quoted text"),
        ("", "expected a value"),
        ("lambda: 1", "unexpected character ':'"),
        ("a > 1 b", "expected an operator or the end"),
    ],
)
def test_syntax_errors_say_what_and_where(source: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        parse(source)


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(ExpressionError, match="nested"):
        parse("(" * (MAX_DEPTH + 5) + "a" + ")" * (MAX_DEPTH + 5))
    with pytest.raises(ExpressionError, match="nested"):
        parse("not " * (MAX_DEPTH + 5) + "a")


def test_very_long_text_is_refused() -> None:
    with pytest.raises(ExpressionError, match="longer than"):
        parse("a or " * 1000 + "a")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_text_either_parses_or_raises_expression_error(source: str) -> None:
    try:
        expr = parse(source)
    except ExpressionError:
        return
    expr.evaluate({}, {"section_score": lambda group: 0})


_ALPHABET = st.sampled_from(
    [
        "a",
        "b",
        "age",
        "1",
        "12",
        '"yes"',
        "'no'",
        "==",
        "!=",
        "<",
        ">=",
        "in",
        "not",
        "and",
        "or",
        "(",
        ")",
        "[",
        "]",
        ",",
        "+",
        "-",
        "true",
        "section_score",
        " ",
        "__class__",
        ".",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map(" ".join))
def test_token_soup_never_crashes_and_never_runs_code(source: str) -> None:
    calls: list[object] = []
    try:
        expr = parse(source)
    except ExpressionError:
        return
    try:
        expr.evaluate({"a": 1, "b": "yes", "age": 12}, {"section_score": lambda g: calls.append(g)})
    except ExpressionError:
        return  # e.g. a function called with the wrong number of arguments: a plain error
    assert all(isinstance(c, str | int | bool | type(None)) for c in calls)


def test_wrong_number_of_arguments_is_a_plain_error() -> None:
    with pytest.raises(ExpressionError, match="given 0 argument"):
        parse("section_score()").evaluate({}, {"section_score": lambda group: 0})
