"""The form definition model: sections, questions, options, bands and rules.

A form file (YAML) is validated into these pydantic models by :mod:`form_loader`. The engine knows
question *types*, never question ids: which questions hold the date of birth, the screening date
and the professional judgement is declared in the form file itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from screening_app.domain.expressions import Expression, parse
from screening_app.errors import ExpressionError

QuestionType = Literal[
    "text",
    "long_text",
    "date",
    "integer",
    "yes_no",
    "choice",
    "multi_choice",
    "timed_indicator",
    "repeatable_group",  # entities of concern: a list of objects (domain/entities.py)
]
QUESTION_TYPES: tuple[str, ...] = QuestionType.__args__  # type: ignore[attr-defined]

# One question's answer once it has the shape its type stores (evaluation.well_typed): text, an
# ISO date or an option's code (str); a whole number (int); a multi-choice's codes (list of
# str); a repeatable group's entities (list of objects, checked by domain/entities.py).
Answer = str | int | list[str] | list[dict[str, Any]]
# Answers as given — a file, a form being filled in — not yet checked against their questions:
# ``evaluate`` keeps the well-typed ones, ``validate`` names the rest.
GivenAnswers = Mapping[str, Any]
SCORED_TYPES = frozenset({"yes_no", "choice", "timed_indicator"})
OPTION_TYPES = frozenset({"choice", "multi_choice"})

YES_NO_OPTIONS: tuple[tuple[str, str], ...] = (
    ("yes", "Yes"),
    ("no", "No"),
    ("unknown", "Not known"),
)
TIMED_OPTIONS: tuple[tuple[str, str], ...] = (
    ("no", "No"),
    ("current", "Yes, within the last 3 months"),
    ("historic", "Yes, 3 to 12 months ago"),
    ("both", "Yes, both recently and 3 to 12 months ago"),
)
TEXT_LIMITS = {"text": 200, "long_text": 10_000}


def _to_expression(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("an expression must be text")
    try:
        return parse(value)
    except ExpressionError as exc:
        raise ValueError(f"expression error: {exc.message}") from None


Expr = Annotated[
    Expression,
    BeforeValidator(_to_expression),
    PlainSerializer(lambda e: e.source, return_type=str),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Option(_Model):
    code: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    help: str = ""


class Check(_Model):
    """A condition that must hold when every name in it is answered."""

    holds: Expr
    message: str


class Implied(_Model):
    """A floor on a question's answer that other answers impose (it is set and explained)."""

    when: Expr
    value: str
    reason: str


class Question(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    type: QuestionType
    label: str
    help: str = ""
    required: bool = False
    relevant: Expr | None = None
    options: tuple[Option, ...] | None = None
    min: int | None = None
    max: int | None = None
    max_repeats: int | None = None  # repeatable_group: at most this many items
    max_length: int | None = None
    min_length: int | None = None
    format: Literal["nhs_number"] | None = None
    not_future: bool = True
    default: Literal["today", "final_band", "signed_in_user"] | None = None
    calculate: Expr | None = None
    calculate_reason: str = ""
    implied: Implied | None = None
    points: dict[str, int] | None = None
    checks: tuple[Check, ...] = ()
    # Answer code -> an urgent message shown prominently when that answer is given.
    warnings: dict[str, str] | None = None

    @property
    def calculated(self) -> bool:
        return self.calculate is not None

    def option_pairs(self) -> tuple[tuple[str, str], ...]:
        """(code, label) for every allowed answer of a fixed-answer type."""
        if self.type == "yes_no":
            return YES_NO_OPTIONS
        if self.type == "timed_indicator":
            return TIMED_OPTIONS
        return tuple((o.code, o.label) for o in self.options or ())

    def option_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.option_pairs())

    def option_label(self, code: str) -> str:
        return dict(self.option_pairs()).get(code, code)

    def text_limit(self) -> int | None:
        return self.max_length or TEXT_LIMITS.get(self.type)

    def points_for(self, answer: Any) -> int:
        if not self.points or not isinstance(answer, str):
            return 0
        return self.points.get(answer, 0)


class Section(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    title: str
    intro: str = ""
    score_group: str | None = None
    questions: tuple[Question, ...]


class Band(_Model):
    code: Annotated[str, Field(pattern=r"^[a-z]+$")]
    label: str
    min_total: int
    action: str
    reassess_months: Annotated[int, Field(ge=1, le=24)]


class Rule(_Model):
    id: str
    when: Expr
    band: str
    mode: Literal["set", "at_least"] = "at_least"
    reason: str
    locks_judgement: bool = False


# What an outcome says of the response (domain/measures.py: the three rates read it)
Measure = Literal[
    "investigation_positive", "investigation", "disruption", "scu_referral", "safeguarding", "none"
]


class Outcome(_Model):
    """Something that happened after a screening (recorded later; counted in statistics)."""

    code: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    help: str = ""
    positive: bool = False  # the deprecated positive-outcome rate (statistics CSV)
    # what the outcome says of the response (domain/measures.py); forms before version 3 have
    # none, and their codes keep the meaning measures.EARLIER_MEASURES gives them
    measure: Measure | None = None


class AgeSpec(_Model):
    """Which questions give the date of birth and the date the age is measured on, and the age
    the form is for; ``extended_under`` with ``extended_when``: an older age the form is also
    for when an answer unlocks it (18 to 25 with special needs or a disability, or
    care-experienced)."""

    date_of_birth: str | None = None  # a place or group screening has none (subject: context)
    on: str
    under: int = 18
    extended_under: int | None = None
    extended_when: Expr | None = None
    extended_reason: str = ""


class Prompt(_Model):
    """Something else that is due when ``when`` holds, said beside the action (version 4: a
    National Referral Mechanism referral when trafficking signs are present)."""

    id: str
    when: Expr
    text: str


class Route(_Model):
    """A way around the score: when ``when`` holds, the action is the form's ``route_action``
    whatever the band (harm that is already happening is not a risk to be scored)."""

    id: str
    when: Expr
    reason: str


class ExploitationType(_Model):
    """A type of exploitation a screening shows when ``when`` holds (version 4: sexual,
    criminal, trafficking, online and financial), counted by the statistics as ``type_<code>``
    and named on the referral and the MACE pack."""

    code: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    when: Expr


class JudgementSpec(_Model):
    band_question: str
    rationale_question: str
    rationale_min_length: int = 20


class Form(_Model):
    form_id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    version: Annotated[int, Field(ge=1)]
    # what is screened: a child, or a context — a place, a route, an online space or a group of
    # young people (contextual safeguarding); a context names no child and is left out of the
    # children's figures
    subject: Literal["child", "context"] = "child"
    # the answers that name the subject in the list, joined with spaces (none given: the
    # child's first and last name)
    name_questions: tuple[str, ...] = ()
    title: str
    description: str = ""
    statement: str = ""
    age: AgeSpec
    judgement: JudgementSpec
    bands: tuple[Band, ...]
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    # version 4: the "refer now" routes around the score, and their action
    routes: tuple[Route, ...] = ()
    route_action: str = ""
    prompts: tuple[Prompt, ...] = ()
    # version 4: the types of exploitation, each present when its condition holds
    types: tuple[ExploitationType, ...] = ()
    # more of the scored questions answered "Not known" than this share: the band is provisional
    provisional_share: Annotated[float, Field(gt=0, lt=1)] | None = None
    # said beside every band below the top one
    low_band_note: str = ""
    # Question id -> question, built once after validation.
    index: dict[str, Question] = Field(default_factory=dict, exclude=True)

    def model_post_init(self, context: Any, /) -> None:
        self.index.update({q.id: q for s in self.sections for q in s.questions})

    @property
    def key(self) -> str:
        return f"{self.form_id} v{self.version}"

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> Question:
        return self.index[question_id]

    def section_of(self, question_id: str) -> Section:
        for section in self.sections:
            if any(q.id == question_id for q in section.questions):
                return section
        raise KeyError(question_id)

    def band_codes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.bands)

    def band(self, code: str) -> Band:
        for band in self.bands:
            if band.code == code:
                return band
        raise KeyError(code)

    def subject_name(self, answers: GivenAnswers) -> str:
        """What the list calls the screening's subject: the child's name, or the place's."""
        named = self.name_questions or ("child_first_name", "child_last_name")
        return " ".join(str(answers.get(q) or "").strip() for q in named).strip()

    def types_words(self, codes: Sequence[str]) -> str:
        """The types of exploitation ``codes`` name, in words ("none shown by the answers")."""
        labels = [t.label for t in self.types if t.code in codes]
        return ", ".join(labels) if labels else "none shown by the answers"

    def band_rank(self, code: str) -> int:
        return self.band_codes().index(code)

    def outcome(self, code: str) -> Outcome:
        for outcome in self.outcomes:
            if outcome.code == code:
                return outcome
        raise KeyError(code)

    @property
    def counts_not_known(self) -> bool:
        """Version 4 on: "Not known" answers are counted, shown and can make a band provisional
        (the score's JSON then carries ``not_known``, ``provisional`` and ``refer_now``)."""
        return self.provisional_share is not None or bool(self.routes)

    def score_groups(self) -> tuple[str, ...]:
        groups: list[str] = []
        for section in self.sections:
            if section.score_group and section.score_group not in groups:
                groups.append(section.score_group)
        return tuple(groups)


def asked_first(form: Form, question_id: str) -> Form:
    """The form as the window asks it, with ``question_id`` moved to the top of the first
    section (whether a child is in immediate danger comes before anything else). Only the order
    of asking changes: the same questions, ids, rules and scores."""
    if question_id not in form.index or form.sections[0].questions[0].id == question_id:
        return form
    question = form.index[question_id]
    sections = []
    for number, section in enumerate(form.sections):
        rest = tuple(q for q in section.questions if q.id != question_id)
        questions = (question, *rest) if number == 0 else rest
        if questions:
            sections.append(section.model_copy(update={"questions": questions}))
    return form.model_copy(update={"sections": tuple(sections)})
