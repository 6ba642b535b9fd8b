"""Schema steps 10 and 11 (storage/migrations.py runs them): what the children's figures count.

Step 10 keeps the types of exploitation each screening shows (form version 4 on), and derives
them for the version 4 screenings submitted before; step 11 lets the figures' covering index
read the form, since a place or group screening is no child and is not counted.
"""

from __future__ import annotations

from screening_app.storage.driver import Database

# what form version 4 said of each type of exploitation when its screenings' scores did not yet
# list their types: a section that scores, or the route of harm of that kind (forms/…/v4.yaml)
_V4_TYPES = (
    ("sexual", "sexual", "H5"),
    ("criminal", "criminal", "H4"),
    ("trafficking", "trafficking", None),
    ("online_financial", "online_financial", None),
)


def v10(db: Database) -> None:
    """The types of exploitation of each submitted screening (form version 4 on), counted by the
    statistics as ``type_<code>`` like the models of CSE; filled with the score from now on, and
    here for the version 4 screenings submitted before (from their stored section scores and
    routes, as the form defines the types)."""
    db.execute(
        "CREATE TABLE screening_types ("
        "screening_id INTEGER NOT NULL REFERENCES screenings(id) ON DELETE CASCADE, "
        "type TEXT NOT NULL, PRIMARY KEY (screening_id, type))"
    )
    for code, section, route in _V4_TYPES:
        db.execute(
            "INSERT OR IGNORE INTO screening_types (screening_id, type) "
            "SELECT s.id, ? FROM screenings s JOIN scores c ON c.screening_id = s.id "
            "WHERE s.form_id = 'cse-risk-screening' AND s.form_version = 4 AND ("
            "COALESCE(json_extract(c.score_json, '$.section_scores.' || ?), 0) > 0 OR EXISTS "
            "(SELECT 1 FROM json_each(c.score_json, '$.refer_now') r WHERE r.value = ?))",
            [code, section, route or ""],
        )


def v11(db: Database) -> None:
    """The figures count children's screenings only (a place or group screening is none): the
    covering index of the figures' queries gains the form, so that the test is read from the
    index rather than from every row (30 000 screenings: the statistics 1.5 s -> see the
    README's table)."""
    db.execute("DROP INDEX IF EXISTS screenings_stats")
    db.execute(
        "CREATE INDEX screenings_stats ON screenings(team, form_id, screening_date, status, "
        "operative_band, la_area, practitioner_role, child_id, reviewed_at)"
    )
