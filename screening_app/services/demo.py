"""The demo database behind ``screening-app --demo``: fictional users, children, two years.

Users (every password ``demo-password``): ``demo`` (practitioner, team North), ``supervisor``
(supervisor, North), ``sam`` (school nurse, North), ``jo`` (social worker, South),
``south-lead`` (supervisor, South) and ``admin`` (administrator).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from screening_app.services.model import KdfParams, Role
from screening_app.services.vault import create_database, sign_in
from screening_app.storage import audit, bulk

DEMO_PASSWORD = "demo-password"  # noqa: S105 - the throwaway demo database, documented
DEMO_USERS: tuple[tuple[str, str, Role, str, str], ...] = (
    # name, display name, role, team, job title (form's role code)
    ("demo", "Dee Demo", "practitioner", "North", "teacher"),
    ("supervisor", "Sol Supervisor", "supervisor", "North", "social_worker"),
    ("sam", "Sam Nurse", "practitioner", "North", "school_nurse"),
    ("jo", "Jo Worker", "practitioner", "South", "social_worker"),
    ("south-lead", "Lou Lead", "supervisor", "South", "social_worker"),
)


def build_demo_database(
    path: Path,
    *,
    seed: int = 7,
    screenings: int = 600,
    kdf: KdfParams | None = None,
    today: dt.date | None = None,
) -> None:
    """Create ``path`` filled with fictional data (deterministic for ``seed``)."""
    day = today or dt.date.today()
    create_database(path, "admin", DEMO_PASSWORD, display_name="Ada Admin", kdf=kdf)
    app = sign_in(path, "admin", DEMO_PASSWORD, kdf=kdf)
    try:
        owners, supervisors = [], {}
        for name, display, role, team, job in DEMO_USERS:
            user = app.accounts.add_user(
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
            owners.append(bulk.Owner(user.id, team, job, display))
        store = app.session.store
        form = app.registry.latest("cse-risk-screening")
        bulk.generate(store.db, form, owners, n=screenings, seed=seed, today=day)
        bulk.add_reviews_and_outcomes(store.db, supervisors, seed=seed, today=day)
        with store.db.atomic():
            audit.append(
                store.db,
                at=app.session.now_text(),
                user_id=app.user.id,
                user_name=app.user.name,
                action="demo_data_generated",
                detail=f"{screenings} fictional screenings",
            )
    finally:
        app.close()
