"""The demo database behind ``screening-app --demo``: fictional users, children, two years.

Users (every password ``demo-password``): ``demo`` (practitioner, team North), ``supervisor``
(supervisor, North), ``sam`` (school nurse, North), ``jo`` (social worker, South),
``south-lead`` (supervisor, South) and ``admin`` (administrator).
"""

from __future__ import annotations

import datetime as dt

from screening_app.demo import generator
from screening_app.domain import checklist, disclosure
from screening_app.domain.capabilities import Verb, can
from screening_app.services import vouching
from screening_app.services.app_services import AppServices
from screening_app.services.model import ListQuery, Role

DEMO_PASSWORD = "demo-password"  # noqa: S105 - the throwaway demo database, documented
DEMO_ADMIN = ("admin", "Ada Admin")
DEMO_USERS: tuple[tuple[str, str, Role, str, str], ...] = (
    # name, display name, role, team, job title (form's role code)
    ("demo", "Dee Demo", "practitioner", "North", "teacher"),
    ("supervisor", "Sol Supervisor", "supervisor", "North", "social_worker"),
    ("sam", "Sam Nurse", "practitioner", "North", "school_nurse"),
    ("jo", "Jo Worker", "practitioner", "South", "social_worker"),
    ("south-lead", "Lou Lead", "supervisor", "South", "social_worker"),
)


def add_users(admin: AppServices) -> tuple[list[generator.Owner], dict[str, int]]:
    """Add the demo users through the administrator's session; the screenings' owners and each
    team's supervisor."""
    owners, supervisors = [], {}
    # Fictional numbers from Ofcom's drama ranges, so the demo shows them beside "Call 999".
    admin.settings.set_contacts(
        "Northvale",
        {
            "mash": "01632 960100",
            "childrens_services": "01632 960200",
            "out_of_hours": "0808 157 0192",
        },
    )
    for name, display, role, team, job in DEMO_USERS:
        user = admin.accounts.add_user(
            name,
            DEMO_PASSWORD,
            role=role,
            display_name=display,
            team=team,
            job_title=job,
            agency="Example School",
        )
        if can(role, Verb.REVIEW):  # who reviews the team's demo screenings
            supervisors[team] = user.id
        owners.append(generator.Owner(user.id, team, job, display))
    return owners, supervisors


def add_screenings(
    reader: AppServices,
    owners: list[generator.Owner],
    supervisors: dict[str, int],
    *,
    seed: int,
    screenings: int,
    today: dt.date,
) -> None:
    """``screenings`` fictional screenings (deterministic for ``seed``), written through the
    session of an account that holds the data key."""
    session = reader.session
    form = reader.registry.latest(checklist.FORM_ID)
    with session.write("write the demo data") as db:
        generator.generate(db, form, owners, n=screenings, seed=seed, today=today)
        generator.add_reviews_and_outcomes(db, supervisors, seed=seed, today=today)
        vouching.vouch(session)  # signed as they stand, as a key holder writes them
        session.audit("demo_data_generated", None, f"{screenings} fictional screenings")
    # two referrals shared, so that the disclosure log has something to show
    shared = reader.listing.list(ListQuery(status="approved", limit=2))
    for row, share in zip(shared, DEMO_SHARES, strict=False):
        reader.referrals.record_export(row.id, "printed", share=share)
    for answers in CONTEXTS:  # through the service, as a practitioner's would be
        draft = reader.screenings.start(checklist.CONTEXT_FORM_ID)
        for question_id, value in answers.items():
            reader.screenings.save_answer(draft.row.id, question_id, value)
        reader.screenings.submit(draft.row.id)


DEMO_SHARES = (
    disclosure.make(
        "Northvale Police SCU", "a referral of a child at risk of exploitation", "consent_given"
    ),
    disclosure.make(
        "Northvale MASH",
        "a referral of a child at risk of exploitation",
        "consent_overridden",
        "Asking the parent would warn the adult of concern.",
    ),
)

# Two fictional places and groups screened for contextual safeguarding: their people, vehicles,
# phones and accounts come from the children's pool (generator.ENTITY_POOL), so the Links view
# links them to the children's screenings that name the same.
_CONTEXT_COMMON = {
    "la_area": "bristol",
    "practitioner_role": "youth_worker",
    "practitioner_agency": "Example Youth Service",
    "practitioner_contact": "01632 960300",
    "immediate_danger": "no",
}
CONTEXTS: tuple[dict[str, object], ...] = (
    {
        **_CONTEXT_COMMON,
        "context_kind": "place",
        "context_name": "Riverside Park skate area",
        "context_where": "Fictional Lane, BS1 4DJ",
        "ctx_adults_with_children": "yes",
        "ctx_vehicles_collecting": "yes",
        "ctx_drugs_dealt": "yes",
        "ctx_gifts": "yes",
        "ctx_missing_found": "not_known",
        "ctx_unusual_hours": "yes",
        "entities_of_concern": [dict(e) for e in generator.ENTITY_POOL[:1]]
        + [dict(generator.ENTITY_POOL[3]), dict(generator.ENTITY_POOL[5])],
        "what_was_seen": "Fictional: a silver car collects younger teenagers most evenings.",
    },
    {
        **_CONTEXT_COMMON,
        "context_kind": "peer_group",
        "context_name": "The group behind the leisure centre",
        "ctx_older_peers": "yes",
        "ctx_weapons_violence": "yes",
        "ctx_online_contact": "yes",
        "entities_of_concern": [dict(generator.ENTITY_POOL[7]), dict(generator.ENTITY_POOL[9])],
        "what_was_seen": "Fictional: older boys send younger ones on errands and message them.",
    },
)
