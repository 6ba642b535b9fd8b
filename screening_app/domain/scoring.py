"""Score a screening: section scores, bands, fired rules, judgement and recommended action.

Follows the scoring steps of the form's specification (docs/FORMS.md, "Scoring"). Pure functions,
no I/O; tolerant of incomplete answers so the live score panel can use it while a form is filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from screening_app.domain.evaluation import (
    Evaluation,
    add_months,
    evaluate,
    is_blank,
    parse_date,
)
from screening_app.domain.forms import Answer, Form, GivenAnswers


@dataclass(frozen=True)
class FiredRule:
    id: str
    band: str
    reason: str
    locks_judgement: bool


@dataclass(frozen=True)
class FiredRoute:
    id: str
    reason: str


NOT_KNOWN = frozenset({"unknown", "not_known"})


@dataclass(frozen=True)
class BreakdownItem:
    id: str
    label: str
    section: str
    answer: str
    answer_text: str
    points: int


@dataclass
class ScoreResult:
    form_id: str
    form_version: int
    age: int | None
    total: int
    section_scores: dict[str, int]
    calculated_band: str
    fired_rules: list[FiredRule]
    final_band: str
    judged_band: str
    operative_band: str
    awaiting_approval: bool
    judgement_floor: str | None  # lowest band a judgement may take (from locking rules)
    action: str
    reassess_by: str | None
    breakdown: list[BreakdownItem]
    evaluation: Evaluation = field(repr=False, compare=False)
    # indicators and vulnerabilities (questions that carry points) asked but not answered: they
    # count as 0, so they are counted and shown, never silently scored
    unanswered: tuple[str, ...] = ()
    # version 4 on: scored questions answered "Not known" (0 points, counted and shown), whether
    # that makes the band provisional, and the routes around the score that fired
    not_known: tuple[str, ...] = ()
    provisional: bool = False
    routes: tuple[FiredRoute, ...] = ()
    counts_not_known: bool = False
    # the form's standing line beside a band below the top one ("A low band is not a safe band")
    low_band_note: str = ""
    # what else is due (version 4: an NRM referral when trafficking signs are present)
    prompts: tuple[FiredRoute, ...] = ()
    # the form's types of exploitation this screening shows (codes, in the form's order)
    types: tuple[str, ...] = ()

    @property
    def refer_now(self) -> bool:
        return bool(self.routes)

    def to_json(self) -> dict[str, Any]:
        """The ``score --json`` contract of docs/CLI.md, exactly these keys (and, for a form
        that counts "Not known", ``not_known``, ``provisional`` and ``refer_now``)."""
        extra: dict[str, Any] = {}
        if self.counts_not_known:
            extra = {
                "not_known": len(self.not_known),
                "provisional": self.provisional,
                "refer_now": [r.id for r in self.routes],
                "prompts": [p.id for p in self.prompts],
                "types": list(self.types),
            }
        data = {
            "form_id": self.form_id,
            "form_version": self.form_version,
            "age": self.age,
            "total": self.total,
            "section_scores": dict(self.section_scores),
            "calculated_band": self.calculated_band,
            "fired_rules": [r.id for r in self.fired_rules],
            "final_band": self.final_band,
            "judged_band": self.judged_band,
            "operative_band": self.operative_band,
            "action": self.action,
            "reassess_by": self.reassess_by,
            "breakdown": [
                {"id": b.id, "answer": b.answer, "points": b.points} for b in self.breakdown
            ],
        }
        return data | extra

    def snapshot(self) -> dict[str, Any]:
        """Everything worth storing with a submitted screening (JSON-serialisable)."""
        data = self.to_json()
        data["fired_rules_detail"] = [asdict(r) for r in self.fired_rules]
        data["breakdown"] = [asdict(b) for b in self.breakdown]
        data["awaiting_approval"] = self.awaiting_approval
        data["judgement_floor"] = self.judgement_floor
        if self.counts_not_known:
            data["routes_detail"] = [asdict(r) for r in self.routes]
            data["not_known_ids"] = list(self.not_known)
        return data


# What the answers alone decide: a stored score whose answers no longer give these was changed
# outside the app (a referral refuses to print either side).
FROM_ANSWERS = ("total", "section_scores", "calculated_band", "final_band", "judged_band")


@dataclass(frozen=True)
class StoredScore:
    """The score kept with a submitted screening (``ScoreResult.snapshot``), read typed: what
    the window says after a submission, and what a referral checks its answers still give."""

    total: int | None
    operative_band: str | None
    action: str
    awaiting_approval: bool
    kept: Mapping[str, Any] = field(repr=False)  # as stored (and as signed)

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> StoredScore:
        total = data.get("total")
        band = data.get("operative_band")
        return cls(
            total=total if isinstance(total, int) and not isinstance(total, bool) else None,
            operative_band=band if isinstance(band, str) else None,
            action=str(data.get("action") or ""),
            awaiting_approval=data.get("awaiting_approval") is True,
            kept=dict(data),
        )

    @classmethod
    def kept_as(cls, data: Mapping[str, Any] | None) -> StoredScore | None:
        """The stored score, if there is one (a draft has none)."""
        return cls.from_snapshot(data) if data else None

    def differs_from(self, result: ScoreResult) -> list[str]:
        """The parts the answers decide that ``result`` (their score now) gives otherwise."""
        now = result.to_json()
        return [key for key in FROM_ANSWERS if key in self.kept and self.kept[key] != now.get(key)]


def unanswered_words(count: int) -> str:
    """What the panel, the check page and the submit question say of unanswered indicators."""
    if not count:
        return ""
    them = "it counts" if count == 1 else "they count"
    return (
        f"{count} indicator{'' if count == 1 else 's'} not answered: {them} as 0, so the band "
        "may be lower than it should be"
    )


def not_known_words(count: int, provisional: bool) -> str:
    """What the panel, the check page and the PDF say of "Not known" answers (version 4 on)."""
    if not count:
        return ""
    words = (
        f"{count} question{'' if count == 1 else 's'} not known — find out before you rely on "
        "this band"
    )
    return words + (" (the band is provisional)" if provisional else "")


def band_for_total(form: Form, total: int) -> str:
    chosen = form.bands[0].code
    for band in form.bands:
        if total >= band.min_total:
            chosen = band.code
    return chosen


def highest(form: Form, codes: list[str]) -> str:
    return max(codes, key=form.band_rank)


def score(form: Form, answers: GivenAnswers, *, judgement_approved: bool = False) -> ScoreResult:
    """Score ``answers``; a lower judgement counts only when ``judgement_approved``."""
    ev = evaluate(form, answers)
    groups = {group: 0 for group in form.score_groups()}
    breakdown: list[BreakdownItem] = []
    unanswered: list[str] = []
    not_known: list[str] = []
    asked = 0
    for section in form.sections:
        if not section.score_group:
            continue
        for question in section.questions:
            answer = ev.value(question.id)
            if question.points and question.id in ev.relevant:
                asked += 1
                if is_blank(answer):
                    unanswered.append(question.id)
                elif answer in NOT_KNOWN:
                    not_known.append(question.id)
            points = question.points_for(answer)
            groups[section.score_group] += points
            if points:
                breakdown.append(
                    BreakdownItem(
                        question.id,
                        question.label,
                        section.id,
                        str(answer),
                        question.option_label(str(answer)),  # points: a scored type's code
                        points,
                    )
                )
    total = sum(groups.values())
    calculated_band = band_for_total(form, total)
    names: dict[str, Answer | None] = dict(ev.values)
    names["age"] = ev.age
    functions = {"section_score": lambda group: groups.get(group, 0)}
    fired = [
        FiredRule(r.id, r.band, r.reason, r.locks_judgement)
        for r in form.rules
        if r.when.holds(names, functions)
    ]
    final_band = highest(form, [calculated_band, *(r.band for r in fired)])
    locks = [r.band for r in fired if r.locks_judgement]
    floor = highest(form, locks) if locks else None
    judged_band = _judged(form, ev, final_band)
    operative = operative_band(form, final_band, judged_band, floor, judgement_approved)
    lowered = form.band_rank(judged_band) < form.band_rank(final_band)
    band = form.band(operative)
    routes = tuple(
        FiredRoute(r.id, r.reason) for r in form.routes if r.when.holds(names, functions)
    )
    share = form.provisional_share
    provisional = share is not None and asked > 0 and len(not_known) > share * asked
    screening_date = parse_date(ev.value(form.age.on))
    reassess = add_months(screening_date, band.reassess_months) if screening_date else None
    return ScoreResult(
        form_id=form.form_id,
        form_version=form.version,
        age=ev.age,
        total=total,
        section_scores=groups,
        calculated_band=calculated_band,
        fired_rules=fired,
        final_band=final_band,
        judged_band=judged_band,
        operative_band=operative,
        awaiting_approval=lowered and not judgement_approved,
        judgement_floor=floor,
        action=form.route_action if routes else band.action,
        reassess_by=reassess.isoformat() if reassess else None,
        breakdown=breakdown,
        evaluation=ev,
        unanswered=tuple(unanswered),
        not_known=tuple(not_known) if form.counts_not_known else (),
        provisional=provisional,
        routes=routes,
        counts_not_known=form.counts_not_known,
        prompts=tuple(
            FiredRoute(p.id, p.text) for p in form.prompts if p.when.holds(names, functions)
        ),
        types=tuple(t.code for t in form.types if t.when.holds(names, functions)),
        low_band_note=(
            form.low_band_note if form.band_rank(operative) < len(form.bands) - 1 else ""
        ),
    )


def _judged(form: Form, ev: Evaluation, final_band: str) -> str:
    judged = ev.value(form.judgement.band_question)
    return judged if isinstance(judged, str) and judged in form.band_codes() else final_band


def operative_band(
    form: Form, final_band: str, judged_band: str, floor: str | None, approved: bool
) -> str:
    """Step 6: judged when higher, or lower and approved (never below a locking rule)."""
    rank = form.band_rank
    if rank(judged_band) > rank(final_band):
        return judged_band
    if rank(judged_band) < rank(final_band) and approved:
        if floor is not None and rank(judged_band) < rank(floor):
            return final_band
        return judged_band
    return final_band
