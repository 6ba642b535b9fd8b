"""Fictional screenings in bulk, for the demo database, tests and benchmarks.

Deterministic for a seed. Answers are built from the form (question types and options; only the
few ids named in ``domain.checklist`` are set by name), scored by the domain once per template
and reused, so 100 000 screenings take seconds rather than minutes. Written through the storage
repositories like every other write. Every name is invented.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from screening_app.domain import checklist, entities
from screening_app.domain.evaluation import add_months, age_on
from screening_app.domain.forms import SCORED_TYPES, Form
from screening_app.domain.scoring import score
from screening_app.storage import links_repo, references_repo, review_repo
from screening_app.storage import screenings_repo as repo
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
            if q.type not in SCORED_TYPES or not q.points or q.calculated or q.relevant:
                continue
            codes = [code for code, _ in q.option_pairs()]
            negative = "no" if "no" in codes else codes[0]
            positives = [c for c in codes if c not in ("no", "not_known")]
            answers[q.id] = rng.choice(positives) if rng.random() < risk else negative
    count3 = rng.choice((0, 0, 0, 0, 0, 0, 1, 1, 2, 3))
    answers[checklist.MISSING_3_MONTHS] = count3
    answers[checklist.MISSING_12_MONTHS] = count3 + rng.choice((0, 0, 1, 3))
    models = [code for code, _ in form.question(checklist.CSE_MODELS).option_pairs()]
    answers[checklist.CSE_MODELS] = rng.sample(models, rng.choice((0, 1, 1, 2)))
    answers[checklist.DISCLOSURE] = "yes" if rng.random() < risk / 4 else "no"
    answers[checklist.IMMEDIATE_DANGER] = "yes" if rng.random() < risk / 10 else "no"
    for route in form.routes:  # version 4: now and then, harm that is already happening
        for name in sorted(route.when.names() - {checklist.DISCLOSURE}):
            answers[name] = "yes" if rng.random() < risk / 8 else "no"
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
    """Write ``n`` fictional screenings of about n/3 children (one transaction); their ids."""
    rng = random.Random(seed)  # noqa: S311 - fictional demo data, not security
    pool = templates(form, rng)
    areas = [code for code, _ in form.question(checklist.AREA).option_pairs()]
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    ids = []
    with db.atomic():
        children = _add_children(db, rng, max(1, n // 3), areas, today)
        for _ in range(n):
            child = rng.choice(children)
            owner = rng.choice(owners)
            day = today - dt.timedelta(days=rng.randint(0, 365 * years))
            day = max(day, child.dob + dt.timedelta(days=365 * 10))
            template = rng.choice(pool)
            status = rng.choice(statuses)
            if status == "submitted" and (today - day).days > 30:
                status = "approved"  # older screenings have long been reviewed
            at = f"{day.isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00"
            ids.append(_add_screening(db, form, owner, status, at, child, template, day))
    return ids


# A small pool of fictional entities of concern (form version 2), so that some screenings share
# one and the Links view has something to show. Ofcom's 07700 900xxx numbers are for fiction.
ENTITY_POOL: tuple[dict[str, Any], ...] = (
    {"kind": "vehicle", "registration": "AB12 CDE", "colour": "silver"},
    {"kind": "vehicle", "registration": "XY61 FKE", "make": "Fictional Motors"},
    {"kind": "vehicle", "registration": "XY61 F?E", "colour": "black"},
    {"kind": "phone", "number": "07700 900123"},
    {"kind": "phone", "number": "+44 7700 900456"},
    {"kind": "person", "name": "Jay-Jay", "relationship": "adult"},
    {"kind": "person", "name": "Jayjay", "approx_age": 22},
    {"kind": "person", "name": "Ricky Roe", "relationship": "peer"},
    {"kind": "place", "address": "12 Imaginary Row", "postcode": "BS1 4DJ", "place_type": "house"},
    {"kind": "online_account", "platform": "Snapchat", "handle": "jay_fake_99"},
)


def _entities(rng: random.Random) -> list[dict[str, Any]]:
    """None for most screenings; one or two from the pool for about one in six."""
    if rng.random() > 0.16:
        return []
    return [dict(e) for e in rng.sample(ENTITY_POOL, rng.choice((1, 1, 2)))]


def _add_screening(
    db: Database,
    form: Form,
    owner: Owner,
    status: str,
    at: str,
    child: _Child,
    template: _Template,
    day: dt.date,
) -> int:
    """One screening with its answers, and for a submitted one its score and CSE models."""
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
    found = _entities(random.Random(f"{child.first}{child.last}{day}"))  # noqa: S311 - demo data
    if "entities_of_concern" in form.index and found:
        answers["entities_of_concern"] = found
    age = age_on(child.dob, day)
    result = template.results[age < 13]
    done = status != "draft"
    name = f"{child.first} {child.last}"
    values: dict[str, object] = {
        "reference": f"CSE-{day.year}-{references_repo.next_reference_number(db):06d}",
        "owner_id": owner.user_id,
        "team": owner.team,
        "form_id": form.form_id,
        "form_version": form.version,
        "status": status,
        "created_at": at,
        "updated_at": at,
        "screening_date": day.isoformat(),
        "child_name": name,
        "child_name_fold": name.casefold(),
        "child_dob": child.dob.isoformat(),
        "child_age": age,
        "la_area": child.area,
        "practitioner_role": owner.role_code,
    }
    if done:
        band = result["operative_band"]
        months = form.band(band).reassess_months
        values.update(
            submitted_at=at,
            child_id=child.id,
            total=result["total"],
            calculated_band=result["calculated_band"],
            final_band=result["final_band"],
            judged_band=result["judged_band"],
            operative_band=band,
            judgement_approved=int(status == "approved"),
            reassess_by=add_months(day, months).isoformat() if months else None,
        )
    sid = repo.insert_screening(db, values)
    repo.insert_answers(db, sid, answers, at)
    if done:
        repo.set_score(db, repo.ALL, sid, result)
        repo.set_models(db, repo.ALL, sid, answers[checklist.CSE_MODELS])
        keys = [
            (number, key.kind, key.key, key.exact)
            for number, entity in enumerate(answers.get("entities_of_concern") or [])
            for key in entities.keys(entity)
        ]
        if keys:  # (a database older than schema 7 has no keys table: v1 data has no keys)
            links_repo.set_keys(db, repo.ALL, sid, keys)
    return sid


def _add_children(
    db: Database, rng: random.Random, count: int, areas: list[str], today: dt.date
) -> list[_Child]:
    children = []
    for _ in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        dob = today - dt.timedelta(days=rng.randint(365 * 11, 365 * 18))
        child_id = repo.add_child(db, first, last, dob.isoformat(), today.isoformat())
        children.append(_Child(child_id, first, last, dob, rng.choice(areas)))
    return children


RETURN_COMMENTS = (
    "Please add what the child said and who heard it.",
    "Check the missing episode counts against the police log.",
    "Say why your judgement differs from the band.",
)
# What happened after a screening, as a few likely stories (form version 3's codes, which
# keep every earlier one): a referral, then perhaps an investigation and its result, or a
# disruption.
OUTCOMES: tuple[tuple[str, ...], ...] = (
    ("referred_scu",),
    ("referred_scu", "police_investigation"),
    ("referred_scu", "charge_summons"),
    ("referred_scu", "evidential_difficulties_victim_not_supporting"),
    ("referred_scu", "cawn"),
    ("referred_scu", "caution", "visits_addresses_of_concern"),
    ("referred_early_help",),
    ("strategy_discussion", "referred_childrens_social_care"),
    ("no_further_action",),
)


def add_reviews_and_outcomes(
    db: Database, supervisors: dict[str, int], *, seed: int, today: dt.date
) -> None:
    """Reviews for approved/returned screenings (by their team's supervisor) and outcomes."""
    rng = random.Random(seed + 1)  # noqa: S311 - fictional demo data, not security
    with db.atomic():
        for s in review_repo.decided_and_waiting(db):
            reviewer = supervisors.get(s.team)
            if reviewer is None:
                continue
            submitted_at = dt.datetime.fromisoformat(s.submitted_at)
            at = min(
                submitted_at + dt.timedelta(days=rng.randint(0, 12), hours=2),
                dt.datetime.combine(today, dt.time(9)),
            ).isoformat(sep=" ")
            if s.status == "approved":
                review_repo.add_review(
                    db, repo.ALL, s.id, reviewer, "approve", "", s.operative_band, at
                )
                repo.update(db, repo.ALL, s.id, {"reviewed_at": at})
            elif s.status == "returned":
                comment = rng.choice(RETURN_COMMENTS)
                review_repo.add_review(db, repo.ALL, s.id, reviewer, "return", comment, None, at)
                repo.update(db, repo.ALL, s.id, {"reviewed_at": at})
            if s.status != "returned" and rng.random() < 0.45:
                for code in rng.choice(OUTCOMES):
                    review_repo.add_outcome(db, repo.ALL, s.id, code, at[:10], "", reviewer, at)
