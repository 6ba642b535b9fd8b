"""The demo database behind ``screening-app --demo``: fictional users, children, two years.

Users (every password ``demo-password``): ``demo`` (practitioner, team North), ``supervisor``
(supervisor, North), ``sam`` (school nurse, North), ``jo`` (social worker, South),
``south-lead`` (supervisor, South) and ``admin`` (administrator).
"""

from __future__ import annotations

import datetime as dt

from screening_app.demo import generator
from screening_app.domain import checklist
from screening_app.services import vouching
from screening_app.services.app_services import AppServices
from screening_app.services.model import Role

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
        if role == "supervisor":
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
