"""Load a form definition file and report *every* problem in it at once.

Each problem names the file, the line and (where there is one) the question id. A bad form file
never produces a traceback: YAML syntax errors, schema errors (pydantic) and meaning errors
(duplicate ids, references to unknown or later questions, bad expressions, points on a type that
is not scored, ...) all become :class:`FormError` problems.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from screening_app.domain.entities import MAX_ENTITIES
from screening_app.domain.expressions import Expression
from screening_app.domain.form_yaml import Locator, Path_, read_yaml
from screening_app.domain.forms import (
    OPTION_TYPES,
    QUESTION_TYPES,
    SCORED_TYPES,
    ExploitationType,
    Form,
    Prompt,
    Question,
    Route,
    Rule,
)
from screening_app.errors import FormError, InputFileError, Problem
from screening_app.files import read_regular_text

BUILTIN_NAMES = frozenset({"age"})


MAX_FORM_FILE = 1_000_000  # bytes; the CSE checklist is about 40 kB


def load_form_file(path: Path) -> Form:
    try:
        text = read_regular_text(path, MAX_FORM_FILE, "form file")
    except InputFileError as exc:
        raise FormError(exc.message, exc.problems) from None
    return load_form_text(text, path.name)


def load_form_text(text: str, filename: str = "<form>") -> Form:
    raw, lines = read_yaml(text, filename)
    locate = Locator(filename, lines, raw)
    if not isinstance(raw, dict):
        raise FormError(
            f"{filename}: not a form",
            [
                Problem(
                    "the file must be a YAML mapping with form_id, version and sections",
                    f"{filename}:1",
                )
            ],
        )
    form: Form | None = None
    problems: list[Problem] = []
    try:
        form = Form.model_validate(raw)
    except ValidationError as exc:
        problems = [locate.problem(tuple(err["loc"]), _explain(err)) for err in exc.errors()]
    problems += _meaning_problems(form, raw, locate)
    if problems or form is None:
        raise FormError(f"{filename}: {len(problems)} problem(s) in the form", problems)
    return form


def _explain(err: Any) -> str:
    loc = [str(p) for p in err["loc"] if not str(p).startswith("function-")]
    field = loc[-1] if loc else "form"
    kind = err["type"]
    if kind == "missing":
        if field == "version":
            return "missing version: add 'version: 1' (a whole number) at the top of the file"
        return f"missing '{field}': add it"
    if kind == "extra_forbidden":
        return f"unknown key '{field}': remove it or correct the spelling"
    if kind == "literal_error" and field == "type":
        return (
            f"unknown question type {err.get('input')!r}; use one of: {', '.join(QUESTION_TYPES)}"
        )
    if kind == "value_error":
        return f"'{field}': {err['msg'].removeprefix('Value error, ')}"
    return f"'{field}': {err['msg']}"


def _valid_questions(raw: Any) -> list[tuple[Path_, Question]]:
    """Questions that pass the schema on their own, with their paths (for partial checks)."""
    found: list[tuple[Path_, Question]] = []
    sections = raw.get("sections") if isinstance(raw, dict) else None
    for si, section in enumerate(sections if isinstance(sections, list) else []):
        questions = section.get("questions") if isinstance(section, dict) else None
        for qi, question in enumerate(questions if isinstance(questions, list) else []):
            try:
                found.append((("sections", si, "questions", qi), Question.model_validate(question)))
            except ValidationError:
                continue
    return found


def _raw_question_ids(raw: Any) -> list[str]:
    ids: list[str] = []
    sections = raw.get("sections") if isinstance(raw, dict) else None
    for section in sections if isinstance(sections, list) else []:
        questions = section.get("questions") if isinstance(section, dict) else None
        for question in questions if isinstance(questions, list) else []:
            if isinstance(question, dict) and isinstance(question.get("id"), str):
                ids.append(question["id"])
    return ids


def _meaning_problems(form: Form | None, raw: Any, locate: Locator) -> Iterator[Problem]:
    """Meaning checks; with ``form`` None (schema failed) only the question-level ones."""
    all_ids = _raw_question_ids(raw)
    order = {qid: all_ids.index(qid) for qid in all_ids}
    questions: dict[str, Question] = {}
    for path, question in _valid_questions(raw):
        if question.id in questions:
            yield locate.problem(
                (*path, "id"),
                f"duplicate question id '{question.id}'; every question needs its own id",
            )
            continue
        questions[question.id] = question
        yield from _question_problems(question, path, order, questions, locate)
    if form is not None:
        yield from _section_problems(form, locate)
        yield from _form_level_problems(form, order, locate)


def _section_problems(form: Form, locate: Locator) -> Iterator[Problem]:
    seen: set[str] = set()
    for si, section in enumerate(form.sections):
        if section.id in seen:
            yield locate.problem(("sections", si, "id"), f"duplicate section id '{section.id}'")
        seen.add(section.id)
        if not section.questions:
            yield locate.problem(("sections", si), f"section '{section.id}' has no questions")


def _question_problems(
    q: Question,
    path: Path_,
    order: dict[str, int],
    questions: dict[str, Question],
    locate: Locator,
) -> Iterator[Problem]:
    def at(key: str, message: str) -> Problem:
        return locate.problem((*path, key), message)

    if q.type == "repeatable_group" and not 1 <= (q.max_repeats or 0) <= MAX_ENTITIES:
        yield at(
            "max_repeats",
            f"a repeatable group needs max_repeats from 1 to {MAX_ENTITIES} (how many items "
            "one screening may hold)",
        )
    if q.type != "repeatable_group" and q.max_repeats is not None:
        yield at("max_repeats", f"max_repeats is only for repeatable groups, not {q.type}")
    if q.type in OPTION_TYPES and not q.options:
        yield at("options", f"option list is empty: a {q.type} question needs at least one option")
    if q.type not in OPTION_TYPES and q.options is not None:
        yield at("options", f"options are only for choice questions, not {q.type}")
    if q.options:
        codes = [o.code for o in q.options]
        for dup in sorted({c for c in codes if codes.count(c) > 1}):
            yield at("options", f"duplicate option code '{dup}'")
    if q.points is not None:
        if q.type not in SCORED_TYPES:
            yield at(
                "points",
                f"points (a weight) on a {q.type} question, which is not scored; "
                f"only {', '.join(sorted(SCORED_TYPES))} questions can carry points",
            )
        else:
            for code in q.points:
                if code not in q.option_codes():
                    yield at(
                        "points",
                        f"points for '{code}', which is not an answer of this "
                        f"question; use one of {', '.join(q.option_codes())}",
                    )
    for code in q.warnings or {}:
        if code not in q.option_codes():
            yield at(
                "warnings",
                f"a warning for '{code}', which is not an answer of this question; "
                f"use one of {', '.join(q.option_codes()) or '(no fixed answers)'}",
            )
    if (q.min is not None or q.max is not None) and q.type != "integer":
        yield at("min", "min and max are only for integer questions")
    if q.implied and q.implied.value not in q.option_codes():
        yield at("implied", f"implied value '{q.implied.value}' is not an answer of this question")
    if q.calculated and q.required:
        yield at("required", "a calculated question cannot be required: nobody answers it")
    me = order[q.id]
    expressions: list[tuple[str, Expression, bool]] = []
    if q.relevant is not None:
        expressions.append(("relevant", q.relevant, True))
    if q.calculate is not None:
        expressions.append(("calculate", q.calculate, True))
    if q.implied is not None:
        expressions.append(("implied", q.implied.when, True))
    expressions.extend(("checks", check.holds, False) for check in q.checks)
    for key, expr, earlier_only in expressions:
        for name in sorted(expr.names() - BUILTIN_NAMES):
            if name not in order:
                yield at(key, f"'{key}' refers to unknown question id '{name}'")
            elif earlier_only and order[name] >= me:
                yield at(
                    key,
                    f"'{key}' refers to '{name}', which is not an earlier question; "
                    "a condition can only use answers given before it",
                )
        yield from _literal_problems(expr, questions, lambda m, k=key: at(k, m))


def _literal_problems(
    expr: Expression, questions: dict[str, Question], report: Any
) -> Iterator[Problem]:
    for name, literal in expr.string_comparisons():
        if name in questions:
            codes = questions[name].option_codes()
            if codes and literal not in codes:
                yield report(
                    f"compares '{name}' with \"{literal}\", which is not one of its "
                    f"answers ({', '.join(codes)})"
                )


def _condition_problems(
    form: Form,
    order: dict[str, int],
    locate: Locator,
    where: tuple[str | int, ...],
    item: Rule | Route | Prompt | ExploitationType,
) -> Iterator[Problem]:
    """A rule's, route's, prompt's or type's ``when``: every name a question, every literal an
    answer."""
    kind = str(where[0])[:-1]
    name_of = item.code if isinstance(item, ExploitationType) else item.id
    for name in sorted(item.when.names() - BUILTIN_NAMES):
        if name not in order:
            yield locate.problem(where, f"{kind} {name_of} refers to unknown question id '{name}'")
    yield from _literal_problems(item.when, form.index, lambda m: locate.problem(where, m))


def _form_level_problems(form: Form, order: dict[str, int], locate: Locator) -> Iterator[Problem]:
    bands = form.band_codes()
    if not bands:
        yield locate.problem(("bands",), "the form needs at least one band")
    if len(set(bands)) != len(bands):
        yield locate.problem(("bands",), "band codes must be unique")
    outcome_codes = [o.code for o in form.outcomes]
    if len(set(outcome_codes)) != len(outcome_codes):
        yield locate.problem(("outcomes",), "outcome codes must be unique")
    thresholds = [b.min_total for b in form.bands]
    if thresholds and (thresholds[0] != 0 or thresholds != sorted(set(thresholds))):
        yield locate.problem(("bands",), "bands must start at min_total 0 and rise strictly")
    for ri, rule in enumerate(form.rules):
        if rule.band not in bands:
            yield locate.problem(
                ("rules", ri, "band"),
                f"rule {rule.id}: unknown band '{rule.band}'; use one of {', '.join(bands)}",
            )
        yield from _condition_problems(form, order, locate, ("rules", ri, "when"), rule)
    for ri, route in enumerate(form.routes):
        yield from _condition_problems(form, order, locate, ("routes", ri, "when"), route)
    for pi, prompt in enumerate(form.prompts):
        yield from _condition_problems(form, order, locate, ("prompts", pi, "when"), prompt)
    for ti, kind in enumerate(form.types):
        yield from _condition_problems(form, order, locate, ("types", ti, "when"), kind)
    type_codes = [t.code for t in form.types]
    if len(set(type_codes)) != len(type_codes):
        yield locate.problem(("types",), "type codes must be unique")
    if form.routes and not form.route_action.strip():
        yield locate.problem(("route_action",), "a form with routes says their action")
    if form.age.extended_when is not None:
        for name in sorted(form.age.extended_when.names() - BUILTIN_NAMES):
            if name not in order:
                yield locate.problem(
                    ("age", "extended_when"), f"age.extended_when names unknown question '{name}'"
                )
        if form.age.extended_under is None or form.age.extended_under <= form.age.under:
            yield locate.problem(
                ("age", "extended_under"), "age.extended_under must be above age.under"
            )
    if form.subject == "child" and form.age.date_of_birth is None:
        yield locate.problem(("age",), "a screening of a child names its date_of_birth question")
    if form.subject == "context" and form.age.date_of_birth is not None:
        yield locate.problem(
            ("age", "date_of_birth"), "a place or group screening has no date of birth"
        )
    for named in form.name_questions:
        if named not in order or form.question(named).type != "text":
            yield locate.problem(
                ("name_questions",), f"name_questions: '{named}' is not a text question of the form"
            )
    checked: tuple[tuple[str, str | None, str], ...] = (
        ("date_of_birth", form.age.date_of_birth, "date"),
        ("on", form.age.on, "date"),
        ("band_question", form.judgement.band_question, "choice"),
        ("rationale_question", form.judgement.rationale_question, "long_text"),
    )
    for key, maybe, want in checked:
        if maybe is None:
            continue
        qid = maybe
        section = "age" if key in {"date_of_birth", "on"} else "judgement"
        if qid not in order:
            yield locate.problem((section, key), f"{section}.{key} names unknown question '{qid}'")
        elif form.question(qid).type != want:
            yield locate.problem((section, key), f"{section}.{key} must be a {want} question")
    if form.judgement.band_question in order:
        codes = form.question(form.judgement.band_question).option_codes()
        if tuple(codes) != bands:
            yield locate.problem(
                ("judgement", "band_question"),
                "the judgement question's options must be the band codes, in band order",
            )
