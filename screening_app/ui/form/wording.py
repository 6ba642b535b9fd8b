"""What the form says about problems and sections, in words people use (never question ids)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from screening_app.domain.answers import question_problems
from screening_app.domain.evaluation import evaluate, is_blank
from screening_app.domain.forms import Form, GivenAnswers, Question
from screening_app.domain.scoring import score
from screening_app.errors import Problem


def required_message(question: Question) -> str:
    """What to do about a required question left blank, in the GOV.UK manner ("Enter date of
    birth"), rather than the command line's 'is required: answer "Date of birth"'."""
    label = question.label
    if label.endswith("?"):
        return f"Answer “{label}”"
    if question.type in ("text", "long_text", "date", "integer"):
        return f"Enter {label[0].lower() + label[1:] if label[1:2].islower() else label}"
    return f"Choose an answer for “{label}”"


def without_ids(form: Form, message: str) -> str:
    """A form's check message names questions by their ids; people read their labels."""
    for qid in sorted(form.index, key=len, reverse=True):
        if qid in message:
            label = form.question(qid).label
            message = re.sub(rf"\b{re.escape(qid)}\b", f"“{label}”", message)
    return message


def problem_wording(form: Form, answers: GivenAnswers, problem: Problem) -> str:
    """The wording shown beside a question (and in the error summary) for ``problem``."""
    if problem.where not in form.index:
        return without_ids(form, problem.message)
    question = form.question(problem.where)
    if question.required and is_blank(answers.get(question.id)):
        return required_message(question)
    label, text = question.label, without_ids(form, problem.message)
    return text if text.startswith(label) else f"{label}: {text}"


def section_states(
    form: Form, answers: GivenAnswers, problem_places: Iterable[str], checked: set[str]
) -> list[tuple[str, str, str]]:
    """Per section: (text shown, text spoken, tooltip) — ✓ complete (every indicator in it
    answered), n not answered, ⚠ n problems (once checked), in progress, or not started."""
    counts: dict[str, int] = {}
    for where in problem_places:
        section_id = form.section_of(where).id if where in form.index else ""
        counts[section_id] = counts.get(section_id, 0) + 1
    blank: dict[str, int] = {}
    for qid in score(form, answers).unanswered:
        blank[form.section_of(qid).id] = blank.get(form.section_of(qid).id, 0) + 1
    out = []
    for section in form.sections:
        count = counts.get(section.id, 0)
        answered = any(q.id in answers for q in section.questions)
        if count and section.id in checked:
            state = f"{count} problem{'' if count == 1 else 's'}"
            text = f"⚠ {section.title} — {state}"
        elif not count and blank.get(section.id) and (answered or section.id in checked):
            state = f"{blank[section.id]} not answered"
            text = f"{section.title} — {state}"
        elif not count and (answered or section.id in checked):
            state, text = "complete", f"✓ {section.title}"
        else:
            state = "in progress" if answered else "not started"
            text = section.title
        out.append((text, f"{section.title}, {state}", f"{section.title}: {state}"))
    return out


def page_problems(
    form: Form,
    answers: GivenAnswers,
    question_ids: Iterable[str],
    input_problems: dict[str, str],
    today: dt.date,
) -> list[tuple[str, str]]:
    """(question id, wording) of the first problem of each relevant question of a page."""
    evaluation = evaluate(form, answers)
    out: list[tuple[str, str]] = []
    for qid in question_ids:
        if qid not in evaluation.relevant:
            continue
        if qid in input_problems:
            out.append((qid, input_problems[qid]))
            continue
        for problem in question_problems(form, qid, answers, today):
            if problem.where in ("", qid):
                out.append((qid, problem_wording(form, answers, problem)))
                break
    return out
