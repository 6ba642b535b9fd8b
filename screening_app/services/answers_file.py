"""Read an answers file (docs/CLI.md, "Answers files") and check it against its form."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screening_app.domain.answers import split_document, validate
from screening_app.domain.form_loader import load_form_file
from screening_app.domain.forms import Form, GivenAnswers
from screening_app.domain.registry import FormRegistry
from screening_app.domain.scoring import ScoreResult, score
from screening_app.errors import AnswersError, FormError, InputFileError, Problem
from screening_app.files import read_regular_text

MAX_ANSWERS_FILE = 5_000_000  # bytes; a screening is a few kilobytes


@dataclass(frozen=True)
class CheckedAnswers:
    path: Path
    form: Form
    answers: GivenAnswers
    result: ScoreResult


MAX_DIGITS = 12  # a count of missing episodes is at most 365; this leaves room for mistakes


def _whole_number(digits: str, name: str) -> int:
    """JSON whole numbers, checked by length before conversion (Python refuses to convert
    more than 4 300 digits, and converting thousands is slow)."""
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise InputFileError(
            f"{name}: number too long",
            [Problem(f"a number has more than {MAX_DIGITS} digits; check the file", name)],
        )
    return int(digits)


def read_json(path: Path) -> Any:
    text = read_regular_text(path, MAX_ANSWERS_FILE, "answers file")
    name = path.name
    try:
        data = json.loads(text, parse_int=lambda digits: _whole_number(digits, name))
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"{name}: not JSON",
            [
                Problem(
                    f"not valid JSON ({exc.msg}); fix the file or export it again",
                    f"{name}:{exc.lineno}:{exc.colno}",
                )
            ],
        ) from None
    except RecursionError:
        raise InputFileError(
            f"{name}: not JSON",
            [Problem("the JSON is nested too deeply to be an answers file", name)],
        ) from None
    where = _not_text(data, "")
    if where is not None:
        raise InputFileError(
            f"{name}: not valid text",
            [
                Problem(
                    "holds a \\u escape that is not a character (a lone surrogate); "
                    "correct it or export the file again",
                    f"{name}:{where or 'top'}",
                )
            ],
        )
    return data


def _not_text(value: Any, where: str) -> str | None:
    """Where in ``value`` a string holds a lone surrogate (JSON's ``"\\ud800"``), or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        inner = f"{where}.{key}" if where else str(key)
        found = _not_text(key, inner) if isinstance(key, str) else None
        found = found or _not_text(item, inner)
        if found is not None:
            return found
    return None


def _newer(registry: FormRegistry, form: Form, problem: Problem) -> Problem:
    """An answer to a question only a newer version of the form asks (a version 2 file sent as
    version 1) says which version asks it."""
    if problem.where in form.index:  # a problem of a question this version asks
        return problem
    try:
        latest = registry.latest(form.form_id)
    except FormError:
        return problem
    if latest.version > form.version and problem.where in latest.index:
        return Problem(
            f"asked by version {latest.version} of the form, not version {form.version}: set "
            f'"form_version": {latest.version} in the file, or remove this answer',
            problem.where,
        )
    return problem


def load_answers(
    path: Path, registry: FormRegistry, form_file: Path | None = None, today: dt.date | None = None
) -> CheckedAnswers:
    """Read, validate and score an answers file; AnswersError lists every problem."""
    data = read_json(path)
    form_id, version, answers = split_document(data, path.name)
    form = load_form_file(form_file) if form_file else registry.get(form_id, version)
    if (form.form_id, form.version) != (form_id, version):
        raise FormError(
            f"{path.name}: form mismatch",
            [
                Problem(
                    f"the answers are for {form_id} v{version} but the form is {form.key}; "
                    "use the matching form",
                    path.name,
                )
            ],
        )
    found = validate(form, answers, today or dt.date.today())
    problems = [_newer(registry, form, p) for p in found]
    if problems:
        raise AnswersError(
            f"{path.name}: {len(problems)} problem(s)",
            [Problem(p.message, f"{path.name}: {p.where}") for p in problems],
        )
    return CheckedAnswers(path, form, answers, score(form, answers))
