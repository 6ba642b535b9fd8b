"""Fictional screenings in bulk, for the demo database, tests and benchmarks.

Deterministic for a seed. Answers are built from the form (question types and options, never
hard-coded answers), scored by the domain once per template and reused, so 100 000 screenings
take seconds rather than minutes. Every name is invented.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from screening_app.domain.evaluation import add_months, age_on
from screening_app.domain.forms import Form
from screening_app.domain.scoring import score
from screening_app.storage.driver import Database

FIRST_NAMES = (
    "Kit",
    "Rowan",
    "Ari",
    "Sky",
    "Jude",
    "Remy",
    "Tove",
    "Indy",
    "Blair",
    "Ember",
    "Noor",
    "Ezra",
    "Lark",
    "Oakley",
    "Piper",
    "Quinn",
    "Reese",
    "Sasha",
    "Teo",
    "Wren",
    "Yael",
    "Zuri",
)
LAST_NAMES = (
    "Fictional",
    "Example",
    "Sample",
    "Testwood",
    "Madeup",
    "Placeholder",
    "Notreal",
    "Demoson",
    "Invented",
    "Specimen",
    "Pretendy",
    "Imaginary",
    "Mockford",
    "Dummett",
)
SCORED_TYPES = ("yes_no", "timed_indicator")
STATUS_WEIGHTS = (("approved", 50), ("submitted", 25), ("returned", 7), ("draft", 8))


@dataclass(frozen=True)
class Owner:
    user_id: int
    team: str
    role_code: str
    name: str


@dataclass(frozen=True)
class _Template:
    answers: dict[str, Any]
    results: dict[bool, dict[str, Any]]  # under 13? -> score snapshot


@dataclass(frozen=True)
class _Child:
    id: int
    first: str
    last: str
    dob: dt.date
    area: str


def _random_answers(form: Form, rng: random.Random, risk: float) -> dict[str, Any]:
    """Answers to the scored sections: each indicator present with probability ``risk``."""
    answers: dict[str, Any] = {}
    for section in form.sections:
        if not section.score_group:
            continue
        for q in section.questions:
            if q.type not in SCORED_TYPES or q.calculated or q.relevant:
                continue
            codes = [code for code, _ in q.option_pairs()]
            negative = "no" if "no" in codes else codes[0]
            positives = [c for c in codes if c not in ("no", "not_known")]
            answers[q.id] = rng.choice(positives) if rng.random() < risk else negative
    count3 = rng.choice((0, 0, 0, 0, 0, 0, 1, 1, 2, 3))
    answers["missing_count_3m"] = count3
    answers["missing_count_12m"] = count3 + rng.choice((0, 0, 1, 3))
    models = [code for code, _ in form.question("cse_models").option_pairs()]
    answers["cse_models"] = rng.sample(models, rng.choice((0, 1, 1, 2)))
    answers["disclosure"] = "yes" if rng.random() < risk / 4 else "no"
    answers["immediate_danger"] = "yes" if rng.random() < risk / 10 else "no"
    return answers


def templates(form: Form, rng: random.Random, count: int = 120) -> list[_Template]:
    """Answer sets scored once as a 12-year-old and once as a 15-year-old (rules use age)."""
    out = []
    day = dt.date(2026, 6, 1)
    for _ in range(count):
        answers = _random_answers(form, rng, rng.choice((0.02, 0.04, 0.06, 0.1, 0.15, 0.25)))
        results = {}
        for under_13, age in ((True, 12), (False, 15)):
            probe = dict(answers, screening_date=day.isoformat())
            probe["child_dob"] = dt.date(day.year - age, 1, 15).isoformat()
            results[under_13] = score(form, probe).snapshot()
        out.append(_Template(answers, results))
    return out


def generate(
    db: Database,
    form: Form,
    owners: Sequence[Owner],
    *,
    n: int,
    seed: int,
    today: dt.date,
    years: int = 2,
) -> list[int]:
    """Insert ``n`` fictional screenings of about n/3 children (one transaction); their ids."""
    rng = random.Random(seed)  # noqa: S311 - fictional demo data, not security
    pool = templates(form, rng)
    areas = [code for code, _ in form.question("la_area").option_pairs()]
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    with db.atomic():
        children = _insert_children(db, rng, max(1, n // 3), areas, today)
        start_id = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM screenings").fetchone()[0])
        rows: list[tuple[Any, ...]] = []
        answer_rows: list[tuple[Any, ...]] = []
        model_rows: list[tuple[Any, ...]] = []
        score_rows: list[tuple[Any, ...]] = []
        for sid in range(start_id + 1, start_id + n + 1):
            child = rng.choice(children)
            owner = rng.choice(owners)
            day = today - dt.timedelta(days=rng.randint(0, 365 * years))
            day = max(day, child.dob + dt.timedelta(days=365 * 10))
            template = rng.choice(pool)
            status = rng.choice(statuses)
            if status == "submitted" and (today - day).days > 30:
                status = "approved"  # older screenings have long been reviewed
            answers = dict(template.answers)
            answers.update(
                child_first_name=child.first,
                child_last_name=child.last,
                child_dob=child.dob.isoformat(),
                screening_date=day.isoformat(),
                la_area=child.area,
                practitioner_name=owner.name,
                practitioner_role=owner.role_code,
                practitioner_agency="Example School",
                practitioner_contact="01000 000000",
                concern_summary="Fictional concern written by the demo data generator.",
            )
            at = f"{day.isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00"
            age = age_on(child.dob, day)
            result = template.results[age < 13]
            rows.append(_screening_row(sid, form, owner, status, at, child, age, result, day))
            if status != "draft":
                score_rows.append((sid, json.dumps(result)))
            answer_rows.extend(
                (sid, qid, json.dumps(value, ensure_ascii=False), at)
                for qid, value in answers.items()
            )
            if status != "draft":
                model_rows.extend((sid, m) for m in answers["cse_models"])
        marks = ", ".join("?" for _ in SCREENING_COLUMNS)
        db.conn.executemany(
            f"INSERT INTO screenings ({', '.join(SCREENING_COLUMNS)}) VALUES ({marks})", rows
        )
        db.conn.executemany(
            "INSERT INTO answers (screening_id, question_id, value_json, updated_at) "
            "VALUES (?, ?, ?, ?)",
            answer_rows,
        )
        db.conn.executemany(
            "INSERT INTO scores (screening_id, score_json) VALUES (?, ?)", score_rows
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO screening_models (screening_id, model) VALUES (?, ?)",
            model_rows,
        )
    return list(range(start_id + 1, start_id + n + 1))


SCREENING_COLUMNS = (
    "id",
    "reference",
    "owner_id",
    "team",
    "form_id",
    "form_version",
    "status",
    "created_at",
    "updated_at",
    "submitted_at",
    "screening_date",
    "child_id",
    "child_name",
    "child_name_fold",
    "child_dob",
    "child_age",
    "la_area",
    "practitioner_role",
    "total",
    "calculated_band",
    "final_band",
    "judged_band",
    "operative_band",
    "awaiting_approval",
    "judgement_approved",
    "reassess_by",
)


def _screening_row(
    sid: int,
    form: Form,
    owner: Owner,
    status: str,
    at: str,
    child: _Child,
    age: int,
    result: dict[str, Any],
    day: dt.date,
) -> tuple[Any, ...]:
    name = f"{child.first} {child.last}"
    done = status != "draft"
    band = result["operative_band"]
    months = form.band(band).reassess_months
    reassess = add_months(day, months).isoformat() if done and months else None
    return (
        sid,
        f"CSE-{day.year}-{sid:06d}",
        owner.user_id,
        owner.team,
        form.form_id,
        form.version,
        status,
        at,
        at,
        at if done else None,
        day.isoformat(),
        child.id if done else None,
        name,
        name.casefold(),
        child.dob.isoformat(),
        age,
        child.area,
        owner.role_code,
        result["total"] if done else None,
        result["calculated_band"] if done else None,
        result["final_band"] if done else None,
        result["judged_band"] if done else None,
        band if done else None,
        0,
        int(status == "approved"),
        reassess,
    )


def _insert_children(
    db: Database, rng: random.Random, count: int, areas: list[str], today: dt.date
) -> list[_Child]:
    children = []
    for _ in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        dob = today - dt.timedelta(days=rng.randint(365 * 11, 365 * 18))
        cursor = db.execute(
            "INSERT INTO children (first_name, last_name, name_fold, dob, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [first, last, f"{first} {last}".casefold(), dob.isoformat(), today.isoformat()],
        )
        children.append(_Child(int(cursor.lastrowid or 0), first, last, dob, rng.choice(areas)))
    return children


RETURN_COMMENTS = (
    "Please add what the child said and who heard it.",
    "Check the missing episode counts against the police log.",
    "Say why your judgement differs from the band.",
)
OUTCOMES = (
    "referred_scu",
    "referred_early_help",
    "strategy_discussion",
    "disruption_activity",
    "police_investigation",
    "no_further_action",
)


def add_reviews_and_outcomes(
    db: Database, supervisors: dict[str, int], *, seed: int, today: dt.date
) -> None:
    """Reviews for approved/returned screenings (by their team's supervisor) and outcomes."""
    rng = random.Random(seed + 1)  # noqa: S311 - fictional demo data, not security
    rows = db.execute(
        "SELECT id, team, status, operative_band, submitted_at FROM screenings "
        "WHERE status IN ('approved', 'returned', 'submitted')"
    ).fetchall()
    reviews, outcomes, reviewed = [], [], []
    for sid, team, status, band, submitted in rows:
        reviewer = supervisors.get(team)
        submitted_at = dt.datetime.fromisoformat(submitted)
        at = min(
            submitted_at + dt.timedelta(days=rng.randint(0, 12), hours=2),
            dt.datetime.combine(today, dt.time(9)),
        )
        if reviewer and status == "approved":
            reviews.append((sid, reviewer, "approve", "", band, at.isoformat(sep=" ")))
            reviewed.append((at.isoformat(sep=" "), sid))
        elif reviewer and status == "returned":
            comment = rng.choice(RETURN_COMMENTS)
            reviews.append((sid, reviewer, "return", comment, None, at.isoformat(sep=" ")))
            reviewed.append((at.isoformat(sep=" "), sid))
        if status != "returned" and rng.random() < 0.45 and reviewer:
            code = rng.choice(OUTCOMES)
            outcomes.append((sid, code, at.date().isoformat(), "", reviewer, at.isoformat(" ")))
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO reviews (screening_id, reviewer_id, decision, comment, band, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            reviews,
        )
        db.conn.executemany("UPDATE screenings SET reviewed_at = ? WHERE id = ?", reviewed)
        db.conn.executemany(
            "INSERT INTO outcomes (screening_id, code, date, note, user_id, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            outcomes,
        )
