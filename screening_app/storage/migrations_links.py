"""Schema steps 12 and 13 (storage/migrations.py runs them).

Step 12: a screening's link keys carry what matching
needs of the screening itself — its reference, owner, team and whether it counts — so that one
new screening is matched from the keys' index alone, without reading a screening row per match
(each one a page decrypted; a key shared by a thousand screenings read a thousand pages).

The copies follow the screening: written with the keys (``links_repo.set_keys``), and kept
current by a trigger when a screening's reference, owner, team or status changes. ``db check``
names a key whose copy differs from its screening (``links_repo.stale_copies``).

Step 13: the partial registrations ("XY61F?E") in an index of their own, so that the patterns a
full registration fits are found by stepping from one distinct pattern to the next, not by
testing every registration held.
"""

from __future__ import annotations

from screening_app.storage.driver import Database

COUNTED_STATUSES = "('submitted', 'approved', 'returned')"


def v12(db: Database) -> None:
    """The copies on every key, filled from the screenings, and the index that covers them."""
    for statement in (
        "ALTER TABLE entity_keys ADD COLUMN reference TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE entity_keys ADD COLUMN owner_id INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE entity_keys ADD COLUMN team TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE entity_keys ADD COLUMN counted INTEGER NOT NULL DEFAULT 0",
        "UPDATE entity_keys SET (reference, owner_id, team, counted) = ("
        f"SELECT s.reference, s.owner_id, s.team, s.status IN {COUNTED_STATUSES} "
        "FROM screenings s WHERE s.id = entity_keys.screening_id)",
        "DROP INDEX entity_keys_key",
        "CREATE INDEX entity_keys_key "
        "ON entity_keys(kind, key, counted, team, owner_id, reference)",
        "CREATE TRIGGER entity_keys_follow AFTER UPDATE OF reference, owner_id, team, status "
        "ON screenings BEGIN "
        "UPDATE entity_keys SET reference = NEW.reference, owner_id = NEW.owner_id, "
        f"team = NEW.team, counted = NEW.status IN {COUNTED_STATUSES} "
        "WHERE screening_id = NEW.id; END",
    ):
        db.execute(statement)


def v13(db: Database) -> None:
    """An index of the partial registrations alone (``links_repo.patterns_fitted_by``)."""
    # (kind, key) over the partial keys only: the planner takes it by itself for a pattern
    # search (covering), so a query never names it and works, slower, should it be missing
    db.execute("CREATE INDEX entity_keys_patterns ON entity_keys(kind, key) WHERE exact = 0")
