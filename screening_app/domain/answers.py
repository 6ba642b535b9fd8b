"""Check an answers mapping against its form, reporting every problem at once.

Each problem names the question id and says what to do. Pure functions, no I/O: the caller
passes ``today`` so that "never in the future" is testable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from screening_app.domain import entities
from screening_app.domain.evaluation import Evaluation, evaluate, is_blank, parse_date, well_typed
from screening_app.domain.forms import Form, GivenAnswers, Question
from screening_app.domain.scoring import ScoreResult, score
from screening_app.errors import AnswersError, Problem


def nhs_number_valid(text: str) -> bool:
    """Ten digits (spaces allowed) whose last digit is the modulus 11 check digit."""
    digits = text.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def validate(form: Form, answers: GivenAnswers, today: dt.date) -> list[Problem]:
    """Every problem with ``answers``; an empty list means they can be submitted."""
    problems: list[Problem] = []
    ev = evaluate(form, answers)
    for key in answers:
        if key not in form.index:
            problems.append(Problem("unknown question id; remove it or correct the spelling", key))
    for question in form.questions():
        problems.extend(_question_problems(form, question, answers, ev, today))
    problems.extend(_judgement_problems(form, ev))
    return problems


def apply(
    form: Form, answers: GivenAnswers, question_id: str, value: Any
) -> tuple[dict[str, Any], list[str]]:
    """The answers once ``question_id`` takes ``value`` (a blank one — None, empty, only spaces
    — removes it), and the ids of the answers the change hid, which go too: each answered
    question shown before the change and not after, worked out again until nothing more goes
    (a hidden answer may hide others in turn). The service stores exactly this, in one
    transaction; the form's window clears the same answers in the same undo step."""
    before = evaluate(form, answers).relevant
    after = {k: v for k, v in answers.items() if k != question_id}
    if not is_blank(value):
        after[question_id] = value
    cleared: list[str] = []
    while True:
        relevant = evaluate(form, after).relevant
        gone = [q for q in after if q != question_id and q in before and q not in relevant]
        if not gone:
            return after, cleared
        for qid in gone:
            del after[qid]
        cleared.extend(gone)


def question_problems(
    form: Form, question_id: str, answers: GivenAnswers, today: dt.date
) -> list[Problem]:
    """Problems with one question only (for inline validation in the form)."""
    ev = evaluate(form, answers)
    problems = list(_question_problems(form, form.question(question_id), answers, ev, today))
    if question_id in {form.judgement.band_question, form.judgement.rationale_question}:
        problems.extend(_judgement_problems(form, ev))
    return problems


def check_and_score(
    form: Form, answers: GivenAnswers, today: dt.date, *, judgement_approved: bool = False
) -> ScoreResult:
    """Score valid answers, or raise :class:`AnswersError` listing every problem."""
    problems = validate(form, answers, today)
    if problems:
        raise AnswersError(f"{len(problems)} problem(s) in the answers", problems)
    return score(form, answers, judgement_approved=judgement_approved)


def _question_problems(
    form: Form, q: Question, answers: GivenAnswers, ev: Evaluation, today: dt.date
) -> Iterator[Problem]:
    given = q.id in answers and answers[q.id] is not None
    value = answers.get(q.id)
    if q.calculated:
        if given:
            yield Problem(
                f"is calculated by the form ({q.calculate_reason.rstrip('.')}); "
                "remove it from the answers",
                q.id,
            )
        return
    if q.id not in ev.relevant:
        if given and not is_blank(value):
            yield Problem(
                "does not apply to these answers (its condition "
                f"'{q.relevant.source if q.relevant else ''}' is not met); "
                "remove the answer",
                q.id,
            )
        return
    if not given or is_blank(value):
        if q.required:
            yield Problem(f'is required: answer "{q.label}"', q.id)
        return
    if not well_typed(q, value):
        yield Problem(_type_message(q, value), q.id)
        return
    yield from _value_problems(form, q, value, ev, today)


def _type_message(q: Question, value: Any) -> str:
    if q.type == "date":
        if isinstance(value, str) and len(value) == 10:
            return f"'{value}' is not a real date; give a date that exists, as YYYY-MM-DD"
        return "must be a date written as YYYY-MM-DD, for example 2026-11-20"
    if q.type == "integer":
        return f"must be a whole number, not {_describe(value)}"
    if q.type in {"text", "long_text"}:
        return f"must be text, not {_describe(value)}"
    codes = ", ".join(q.option_codes())
    if q.type == "multi_choice":
        if not isinstance(value, list):
            return f"must be a list of option codes from: {codes}"
        bad = [str(v) for v in value if v not in q.option_codes()]
        return f"unknown option(s) {', '.join(bad)}; use codes from: {codes}"
    return f"{_describe(value)} is not an answer to this question; use one of: {codes}"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else "a text"
    return f"{type(value).__name__} {value!r}"[:60]


# a required identity field "answered" with a placeholder (version 4 counts "Not known" as an
# answer of its own, so it is refused where it would pass for a name)
NOT_GIVEN = frozenset({"not known", "unknown", "n k", "nk", "n a", "na", "none", "?"})


def _value_problems(
    form: Form, q: Question, value: Any, ev: Evaluation, today: dt.date
) -> Iterator[Problem]:
    if q.type == "repeatable_group":
        if q.max_repeats is not None and len(value) > q.max_repeats:
            yield Problem(f"{len(value)} items: at most {q.max_repeats}", q.id)
            return
        for message in entities.check(value, today):
            yield Problem(message, q.id)
        return
    if q.type in {"text", "long_text"}:
        limit = q.text_limit()
        if limit is not None and len(value.strip()) > limit:
            yield Problem(
                f"is {len(value.strip())} characters long; shorten it to at most {limit}", q.id
            )
        placeholder = " ".join(value.replace("/", " ").replace("_", " ").split()).casefold()
        if form.counts_not_known and q.required and q.type == "text" and placeholder in NOT_GIVEN:
            yield Problem(
                f"'{value.strip()}' is not a name or a detail but a gap: this is needed to "
                'identify the child; find it out, and answer "Not known" only where the form '
                "offers it",
                q.id,
            )
        if q.min_length and len(value.strip()) < q.min_length:
            yield Problem(f"is too short; write at least {q.min_length} characters", q.id)
        if q.format == "nhs_number" and not nhs_number_valid(value):
            yield Problem(
                "is not a valid NHS number: it must be 10 digits with a correct check "
                "digit; check it against the child's records or leave it blank",
                q.id,
            )
    elif q.type == "integer":
        if q.min is not None and value < q.min:
            yield Problem(f"must be at least {q.min}", q.id)
        if q.max is not None and value > q.max:
            yield Problem(f"must be at most {q.max}", q.id)
    elif q.type == "date":
        yield from _date_problems(form, q, value, ev, today)
    if q.type == "multi_choice" and len(set(value)) != len(value):
        yield Problem("lists the same option twice; give each once", q.id)
    for check in q.checks:
        names = check.holds.names() - {"age"}
        if all(ev.value(n) is not None for n in names) and not check.holds.holds(ev.values):
            yield Problem(check.message, q.id)


def _date_problems(
    form: Form, q: Question, value: str, ev: Evaluation, today: dt.date
) -> Iterator[Problem]:
    day = parse_date(value)
    assert day is not None  # well_typed checked it
    if q.not_future and day > today:
        yield Problem(
            f"{day.day} {day:%B %Y} is in the future; give a date on or before today", q.id
        )
    if q.id == form.age.date_of_birth:
        on = parse_date(ev.value(form.age.on))
        if on is not None and day > on:
            yield Problem("the date of birth is after the screening date; check both dates", q.id)
        elif ev.age is not None and ev.age >= age_limit(form, ev):
            spec = form.age
            if spec.extended_under is None:
                yield Problem(
                    f"the child is {ev.age} on the screening date; this tool is for children "
                    f"under {spec.under}. Check the date of birth, or use your adult "
                    "safeguarding procedures",
                    q.id,
                )
            elif ev.age >= spec.extended_under:
                yield Problem(
                    f"the young person is {ev.age} on the screening date; this tool is for "
                    f"children under {spec.under}, and up to {spec.extended_under - 1} "
                    f"{spec.extended_reason}. Check the date of birth, or use your adult "
                    "safeguarding procedures",
                    q.id,
                )
            else:
                yield Problem(
                    f"the young person is {ev.age} on the screening date; this tool is for "
                    f"children under {spec.under}, and up to {spec.extended_under - 1} only "
                    f"{spec.extended_reason}: answer that question if it applies, or use your "
                    "adult safeguarding procedures",
                    q.id,
                )


def _judgement_problems(form: Form, ev: Evaluation) -> Iterator[Problem]:
    spec = form.judgement
    judged = ev.value(spec.band_question)
    if not isinstance(judged, str) or judged not in form.band_codes():
        return
    result = score(form, ev.values)
    rank = form.band_rank
    if judged != result.final_band:
        rationale = ev.value(spec.rationale_question) or ""
        if len(str(rationale).strip()) < spec.rationale_min_length:
            yield Problem(
                f"your judgement ({judged}) differs from the final band ({result.final_band}): "
                f"explain why in at least {spec.rationale_min_length} characters",
                spec.rationale_question,
            )
    floor = result.judgement_floor
    if floor is not None and rank(judged) < rank(floor):
        rules = ", ".join(r.id for r in result.fired_rules if r.locks_judgement)
        yield Problem(
            f"cannot be lower than {floor}: rule {rules} sets that band and a "
            "judgement can never go below it",
            spec.band_question,
        )


def split_document(data: Any, source: str) -> tuple[str, int, dict[str, Any]]:
    """(form_id, form_version, answers) from a parsed answers file, or AnswersError."""
    if not isinstance(data, dict):
        raise AnswersError(
            f"{source}: not an answers file",
            [
                Problem(
                    "the file must hold a JSON object with form_id, form_version and answers",
                    source,
                )
            ],
        )
    problems = []
    form_id, version, answers = data.get("form_id"), data.get("form_version"), data.get("answers")
    if not isinstance(form_id, str):
        problems.append(
            Problem(
                'form_id is missing or not text; add "form_id": "cse-risk-screening"',
                f"{source}: form_id",
            )
        )
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append(
            Problem(
                'form_version is missing or not a whole number; add "form_version": 1',
                f"{source}: form_version",
            )
        )
    if not isinstance(answers, dict):
        problems.append(
            Problem(
                "answers is missing or not an object of question id to answer", f"{source}: answers"
            )
        )
    if problems:
        raise AnswersError(f"{source}: not a valid answers file", problems)
    assert isinstance(form_id, str) and isinstance(version, int) and isinstance(answers, dict)
    return form_id, version, answers


def age_limit(form: Form, ev: Evaluation) -> int:
    """The age the form is for, from which it refuses: ``under``, or ``extended_under`` when
    the answer that unlocks it is given (version 4: 18 to 25 with special educational needs or
    a disability, or care-experienced)."""
    spec = form.age
    unlocked = spec.extended_when is not None and spec.extended_when.holds(ev.values)
    return spec.extended_under if spec.extended_under is not None and unlocked else spec.under
