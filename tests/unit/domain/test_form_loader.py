"""Malformed form files: every problem at once, each with file, line and question id."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.domain.form_loader import load_form_file, load_form_text
from screening_app.errors import FormError

VALID = """\
form_id: tiny
version: 1
title: Tiny form
age: {date_of_birth: dob, on: seen}
judgement: {band_question: judged, rationale_question: why}
bands:
  - {code: low, label: Low, min_total: 0, action: Watch., reassess_months: 3}
  - {code: high, label: High, min_total: 2, action: Act., reassess_months: 1}
rules:
  - {id: R1, when: 'told == "yes"', band: high, reason: Told someone., locks_judgement: true}
sections:
  - id: about
    title: About
    questions:
      - {id: dob, type: date, label: Born}
      - {id: seen, type: date, label: Seen}
      - {id: told, type: yes_no, label: Told}
      - {id: why_told, type: long_text, label: Why, relevant: 'told == "yes"'}
  - id: signs
    title: Signs
    score_group: signs
    questions:
      - {id: a, type: yes_no, label: A, points: {yes: 1}}
      - {id: b, type: timed_indicator, label: B, points: {current: 5, historic: 1, both: 6}}
      - id: kind
        type: choice
        label: Kind
        options: [{code: one, label: One}, {code: two, label: Two}]
      - id: judged
        type: choice
        label: Judged
        options: [{code: low, label: Low}, {code: high, label: High}]
      - {id: why, type: long_text, label: Why}
"""


def errors_for(text: str) -> list[str]:
    with pytest.raises(FormError) as caught:
        load_form_text(text, "tiny.yaml")
    return caught.value.lines()


def test_the_valid_form_loads() -> None:
    form = load_form_text(VALID, "tiny.yaml")
    assert form.key == "tiny v1"
    assert [q.id for q in form.questions()][:3] == ["dob", "seen", "told"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "type: yes_no, label: A",
            "type: yesno, label: A",
            "tiny.yaml:23: a: unknown question type 'yesno'",
        ),
        ("{id: b, type", "{id: a, type", "tiny.yaml:24: a: duplicate question id 'a'"),
        (
            "options: [{code: one, label: One}, {code: two, label: Two}]",
            "options: []",
            "tiny.yaml:28: kind: option list is empty",
        ),
        (
            "relevant: 'told == \"yes\"'",
            "relevant: 'tld == \"yes\"'",
            "tiny.yaml:18: why_told: 'relevant' refers to unknown question id 'tld'",
        ),
        (
            "relevant: 'told == \"yes\"'",
            "relevant: 'a == \"yes\"'",
            "tiny.yaml:18: why_told: 'relevant' refers to 'a', which is not an earlier question",
        ),
        (
            "relevant: 'told == \"yes\"'",
            "relevant: 'told == '",
            "tiny.yaml:18: why_told: 'relevant': expression error",
        ),
        (
            "relevant: 'told == \"yes\"'",
            "relevant: 'told == \"yep\"'",
            "tiny.yaml:18: why_told: compares 'told' with \"yep\"",
        ),
        (
            "{id: dob, type: date, label: Born}",
            "{id: dob, type: date, label: Born, points: {x: 1}}",
            "tiny.yaml:15: dob: points (a weight) on a date question",
        ),
        (
            "points: {yes: 1}",
            "points: {maybe: 1}",
            "tiny.yaml:23: a: points for 'maybe', which is not an answer",
        ),
        ("version: 1\n", "", "tiny.yaml:1: missing version: add 'version: 1'"),
        (
            "band: high, reason",
            "band: highest, reason",
            "tiny.yaml:10: rule R1: unknown band 'highest'",
        ),
        (  # version 4's routes around the score: a route names real questions and answers
            "sections:\n",
            "routes:\n  - {id: H1, when: 'toldd == \"yes\"', reason: Seen.}\n"
            "route_action: Refer now.\nsections:\n",
            "tiny.yaml:12: route H1 refers to unknown question id 'toldd'",
        ),
        (
            "sections:\n",
            "routes:\n  - {id: H1, when: 'told == \"yes\"', reason: Seen.}\nsections:\n",
            "tiny.yaml:1: a form with routes says their action",
        ),
        (
            "sections:\n",
            "prompts:\n  - {id: NRM, when: 'a == \"yep\"', text: Refer.}\nsections:\n",
            "tiny.yaml:12: compares 'a' with \"yep\"",
        ),
        (
            "age: {date_of_birth: dob, on: seen}",
            "age: {date_of_birth: dob, on: seen, extended_under: 26, extended_when: 'nope == 1'}",
            "tiny.yaml:4: age.extended_when names unknown question 'nope'",
        ),
        (
            "label: Kind\n",
            "label: Kind\n        colour: red\n",
            "tiny.yaml:28: kind: unknown key 'colour'",
        ),
        (
            "points: {yes: 1}",
            "points: {yes: 1}, warnings: {maybe: Act now}",
            "tiny.yaml:23: a: a warning for 'maybe', which is not an answer",
        ),
    ],
)
def test_each_malformed_case_is_reported_with_file_line_and_id(
    old: str, new: str, expected: str
) -> None:
    assert old in VALID
    lines = errors_for(VALID.replace(old, new, 1))
    assert any(line.startswith(expected) for line in lines), lines


def test_all_problems_are_reported_together() -> None:
    text = (
        VALID.replace("type: date, label: Seen", "type: datum, label: Seen")
        .replace("{id: b, type", "{id: a, type")
        .replace("options: [{code: one, label: One}, {code: two, label: Two}]", "options: []")
        .replace("relevant: 'told == \"yes\"'", "relevant: 'zzz > 1'")
        .replace("version: 1\n", "")
    )
    lines = errors_for(text)  # removing the version line moves every line up by one
    assert len(lines) == 5, lines
    assert any("missing version" in line for line in lines)
    assert any(line.startswith("tiny.yaml:15: seen: unknown question type") for line in lines)
    assert any(line.startswith("tiny.yaml:23: a: duplicate") for line in lines)
    assert any(line.startswith("tiny.yaml:27: kind: option list is empty") for line in lines)
    assert any(
        line.startswith("tiny.yaml:17: why_told: 'relevant' refers to unknown") for line in lines
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("form_id: [unclosed", "YAML syntax error"),
        ("- just\n- a list\n", "must be a YAML mapping"),
        ("", "must be a YAML mapping"),
        ("a: b: c", "YAML syntax error"),
    ],
)
def test_files_that_are_not_forms(text: str, fragment: str) -> None:
    assert any(fragment in line for line in errors_for(text))


def test_yes_and_no_stay_text_in_form_files() -> None:
    form = load_form_text(VALID, "tiny.yaml")
    assert form.question("a").points == {"yes": 1}


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(FormError, match="not UTF-8 text"):
        load_form_file(bad)
