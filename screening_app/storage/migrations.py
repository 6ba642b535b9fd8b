"""The schema, as numbered steps. A released step is never edited: change it with a new step.

``meta.schema_version`` records the last step applied. A database from a newer app (a version
this code does not know) is refused rather than touched, so nothing is ever downgraded.
"""

from __future__ import annotations

from collections.abc import Callable

from screening_app.errors import NewerVersion
from screening_app.storage.driver import Database
from screening_app.storage.migrations_figures import v10, v11
from screening_app.storage.migrations_links import v12, v13

Step = Callable[[Database], None]


def _run(db: Database, script: str) -> None:
    """Each statement on its own: ``executescript`` would commit and break the transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_fold TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL CHECK (role IN ('practitioner', 'supervisor', 'admin')),
            team TEXT NOT NULL DEFAULT '',
            job_title TEXT NOT NULL DEFAULT '',
            agency TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE TABLE children (
            id INTEGER PRIMARY KEY,
            first_name TEXT NOT NULL,
            last_name TEXT NOT NULL,
            name_fold TEXT NOT NULL,
            dob TEXT NOT NULL,
            merged_into INTEGER REFERENCES children(id),
            created_at TEXT NOT NULL
        );
        CREATE INDEX children_identity ON children(name_fold, dob);
        CREATE TABLE screenings (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            child_id INTEGER REFERENCES children(id),
            owner_id INTEGER NOT NULL REFERENCES users(id),
            team TEXT NOT NULL DEFAULT '',
            form_id TEXT NOT NULL,
            form_version INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN
                ('draft', 'submitted', 'approved', 'returned', 'superseded')),
            version INTEGER NOT NULL DEFAULT 1,
            previous_id INTEGER REFERENCES screenings(id),
            amend_reason TEXT,
            page TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            submitted_at TEXT,
            screening_date TEXT,
            child_name TEXT NOT NULL DEFAULT '',
            child_name_fold TEXT NOT NULL DEFAULT '',
            child_dob TEXT,
            child_age INTEGER,
            la_area TEXT NOT NULL DEFAULT '',
            practitioner_role TEXT NOT NULL DEFAULT '',
            total INTEGER,
            calculated_band TEXT,
            final_band TEXT,
            judged_band TEXT,
            operative_band TEXT,
            awaiting_approval INTEGER NOT NULL DEFAULT 0,
            judgement_approved INTEGER NOT NULL DEFAULT 0,
            reassess_by TEXT,
            reviewed_at TEXT
        );
        CREATE TABLE scores (
            screening_id INTEGER PRIMARY KEY REFERENCES screenings(id) ON DELETE CASCADE,
            score_json TEXT NOT NULL
        );
        CREATE INDEX screenings_updated ON screenings(updated_at);
        CREATE INDEX screenings_owner ON screenings(owner_id, updated_at);
        CREATE INDEX screenings_team ON screenings(team, updated_at);
        CREATE INDEX screenings_team_status ON screenings(team, status, operative_band);
        CREATE INDEX screenings_owner_status ON screenings(owner_id, status, operative_band);
        CREATE INDEX screenings_status ON screenings(status, updated_at);
        CREATE INDEX screenings_date ON screenings(screening_date);
        CREATE INDEX screenings_stats ON screenings(team, screening_date, status, operative_band,
            la_area, practitioner_role, child_id, reviewed_at);
        CREATE INDEX screenings_reassess ON screenings(reassess_by);
        CREATE INDEX screenings_child ON screenings(child_id, screening_date);
        CREATE INDEX screenings_name ON screenings(child_name_fold);
        CREATE INDEX screenings_team_name ON screenings(team, child_name_fold);
        CREATE INDEX screenings_owner_name ON screenings(owner_id, child_name_fold);
        CREATE INDEX screenings_band ON screenings(operative_band, updated_at);
        CREATE TABLE answers (
            screening_id INTEGER NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            value_json TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (screening_id, question_id)
        ) WITHOUT ROWID;
        CREATE TABLE screening_models (
            screening_id INTEGER NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            PRIMARY KEY (screening_id, model)
        ) WITHOUT ROWID;
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            reviewer_id INTEGER NOT NULL REFERENCES users(id),
            decision TEXT NOT NULL CHECK (decision IN ('approve', 'return', 'comment')),
            comment TEXT NOT NULL DEFAULT '',
            band TEXT,
            at TEXT NOT NULL
        );
        CREATE INDEX reviews_screening ON reviews(screening_id, at);
        CREATE TABLE outcomes (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            code TEXT NOT NULL,
            date TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            user_id INTEGER NOT NULL REFERENCES users(id),
            at TEXT NOT NULL
        );
        CREATE INDEX outcomes_screening ON outcomes(screening_id);
        CREATE TABLE shares (
            screening_id INTEGER NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            PRIMARY KEY (screening_id, user_id)
        ) WITHOUT ROWID;
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER,
            user_name TEXT NOT NULL,
            action TEXT NOT NULL,
            record TEXT,
            detail TEXT NOT NULL DEFAULT '',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_record ON audit(record);
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    )


# Whether a screening is its child's newest (no later one that counts): a reassessment is due
# only on that one. Kept in a column by triggers, whatever writes the table (submit, amend,
# merge of duplicate children, bulk demo data), so that "due" and "overdue" are an index range
# instead of a correlated subquery for every row (2 s on 100 000 screenings).
IS_NEWEST = (
    "NOT EXISTS (SELECT 1 FROM screenings t WHERE t.child_id = screenings.child_id "
    "AND t.id != screenings.id AND t.status NOT IN ('draft', 'superseded') "
    "AND t.screening_date > screenings.screening_date)"
)


def _v2(db: Database) -> None:
    db.execute("ALTER TABLE screenings ADD COLUMN latest INTEGER NOT NULL DEFAULT 1")
    db.execute(f"UPDATE screenings SET latest = {IS_NEWEST} WHERE child_id IS NOT NULL")
    db.execute(
        "CREATE TRIGGER screenings_latest_insert AFTER INSERT ON screenings "
        "WHEN NEW.child_id IS NOT NULL BEGIN "
        f"UPDATE screenings SET latest = {IS_NEWEST} WHERE child_id = NEW.child_id; END"
    )
    db.execute(
        "CREATE TRIGGER screenings_latest_update "
        "AFTER UPDATE OF child_id, status, screening_date ON screenings BEGIN "
        f"UPDATE screenings SET latest = {IS_NEWEST} "
        "WHERE child_id IN (NEW.child_id, OLD.child_id); END"
    )
    db.execute("CREATE INDEX shares_user ON shares(user_id, screening_id)")
    # Any column of the list can be sorted on: a page then comes straight from an index
    # (a supervisor's team, or everything a practitioner may see) instead of sorting every row.
    for column in ("reassess_by", "child_age", "la_area", "operative_band"):
        db.execute(f"CREATE INDEX screenings_team_{column} ON screenings(team, {column})")
    for column in ("child_age", "la_area", "operative_band", "status"):
        db.execute(f"CREATE INDEX screenings_by_{column} ON screenings({column})")
    # status too, so that counting the due and the overdue never reads the rows themselves
    db.execute("CREATE INDEX screenings_team_due ON screenings(team, latest, reassess_by, status)")
    db.execute(
        "CREATE INDEX screenings_owner_due ON screenings(owner_id, latest, reassess_by, status)"
    )


def _v3(db: Database) -> None:
    """Signed work (docs/SECURITY.md): each audit row carries its author's Ed25519 signature
    over its hash, and each submission, amendment and review its author's signature over what
    was decided. Screenings that already exist were written before signing: they are recorded
    as such, so that a missing signature on any later one is a finding."""
    db.execute("ALTER TABLE audit ADD COLUMN signer_id INTEGER")
    db.execute("ALTER TABLE audit ADD COLUMN signature TEXT")
    db.execute(
        """
        CREATE TABLE signatures (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL REFERENCES screenings(id),
            kind TEXT NOT NULL CHECK (kind IN ('submit', 'approve', 'return')),
            review_id INTEGER REFERENCES reviews(id),
            signer_id INTEGER NOT NULL,
            at TEXT NOT NULL,
            digest TEXT NOT NULL,
            signature TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX signatures_screening ON signatures(screening_id)")
    db.execute(
        "INSERT OR REPLACE INTO meta (key, value) SELECT 'unsigned_before', "
        "CAST(COALESCE(MAX(id), 0) + 1 AS TEXT) FROM screenings"
    )
    db.execute(
        "INSERT OR REPLACE INTO meta (key, value) SELECT 'unsigned_audit_before', "
        "CAST(COALESCE(MAX(id), 0) + 1 AS TEXT) FROM audit"
    )


def _v4(db: Database) -> None:
    """The team server (docs/SERVER.md): which screenings and decisions travel, and how far
    this database has read the server's lists. Colleagues known only through the server get
    ``users`` rows from id 1 000 000 on (the account log never reaches that far)."""
    _run(
        db,
        """
        CREATE TABLE sync_items (
            screening_id INTEGER PRIMARY KEY REFERENCES screenings(id) ON DELETE CASCADE,
            remote_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
            state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'received')),
            author_box TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX sync_items_remote ON sync_items(remote_id, version);
        CREATE TABLE sync_decisions (
            review_id INTEGER PRIMARY KEY REFERENCES reviews(id),
            state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'received')),
            last_error TEXT NOT NULL DEFAULT ''
        );
        """,
    )


def _v5(db: Database) -> None:
    """What was sealed for the server is kept until it is acknowledged: a retry after a lost
    answer sends the very same bytes, which the server recognises (one copy, no conflict)."""
    for table in ("sync_items", "sync_decisions"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN envelope BLOB")
        db.execute(f"ALTER TABLE {table} ADD COLUMN signature BLOB")


def _v6(db: Database) -> None:
    """Outcomes go through the team server too (docs/SERVER.md); a screening whose content was
    removed under the organisation's retention period keeps its reference, status and dates."""
    _run(
        db,
        """
        CREATE TABLE sync_outcomes (
            outcome_id INTEGER PRIMARY KEY REFERENCES outcomes(id) ON DELETE CASCADE,
            remote_id TEXT NOT NULL UNIQUE,
            direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
            state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'received')),
            last_error TEXT NOT NULL DEFAULT '',
            envelope BLOB,
            signature BLOB
        );
        ALTER TABLE screenings ADD COLUMN content_removed_at TEXT;
        """,
    )


def _v7(db: Database) -> None:
    """The entities of concern of form version 2, as the normalised keys that link screenings
    (domain/entities.py): indexed, so that a new screening is matched without reading others."""
    _run(
        db,
        """
        CREATE TABLE entity_keys (
            screening_id INTEGER NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
            entity INTEGER NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            exact INTEGER NOT NULL,
            PRIMARY KEY (screening_id, entity, kind, key)
        ) WITHOUT ROWID;
        CREATE INDEX entity_keys_key ON entity_keys(kind, key);
        """,
    )


def _v8(db: Database) -> None:
    """Links across the organisation, on a supervisor's computer (docs/SERVER.md): which of the
    team's screenings' link keys the server already has (a digest of the set sent), and the
    server's last answer — screenings of this team sharing a key with another team's."""
    _run(
        db,
        """
        CREATE TABLE link_keys_sent (
            screening_id INTEGER PRIMARY KEY REFERENCES screenings(id) ON DELETE CASCADE,
            digest TEXT NOT NULL
        );
        CREATE TABLE organisation_links (
            link_key TEXT NOT NULL,
            screening_id INTEGER NOT NULL REFERENCES screenings(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            team TEXT NOT NULL,
            screenings INTEGER NOT NULL,
            supervisors TEXT NOT NULL,
            PRIMARY KEY (link_key, screening_id, team)
        ) WITHOUT ROWID;
        """,
    )


def _v9(db: Database) -> None:
    """What is shown is what was signed (docs/SECURITY.md, "Signed facts"): every signature keeps
    the content it covers (the shown columns, digests of the answers and the score), so that
    ``db check`` names the field that differs; signatures also cover outcomes, and kinds beyond
    submit, approve and return (a screening or decision received, a status the server reported,
    content removed, a record vouched for at the upgrade)."""
    _run(
        db,
        """
        CREATE TABLE signatures_new (
            id INTEGER PRIMARY KEY,
            screening_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            review_id INTEGER,
            outcome_id INTEGER,
            signer_id INTEGER NOT NULL,
            at TEXT NOT NULL,
            digest TEXT NOT NULL,
            signature TEXT NOT NULL,
            content TEXT
        );
        INSERT INTO signatures_new (id, screening_id, kind, review_id, signer_id, at, digest,
            signature) SELECT id, screening_id, kind, review_id, signer_id, at, digest, signature
            FROM signatures;
        DROP TABLE signatures;
        ALTER TABLE signatures_new RENAME TO signatures;
        CREATE INDEX signatures_screening ON signatures(screening_id, id);
        """,
    )
    db.execute(
        "INSERT OR REPLACE INTO meta (key, value) SELECT 'legacy_signatures_to', "
        "CAST(COALESCE(MAX(id), 0) AS TEXT) FROM signatures"
    )


STEPS: tuple[Step, ...] = (_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, v10, v11, v12, v13)
LATEST = len(STEPS)


def schema_version(db: Database) -> int:
    if "meta" not in db.table_names():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(db: Database, *, target: int = LATEST) -> int:
    """Apply every step after the database's version up to ``target``; returns the new version."""
    current = schema_version(db)
    if current > LATEST:
        raise NewerVersion(
            f"This database was written by a newer version of CSE Screening (schema {current}; "
            f"this app knows up to {LATEST}). Install the newer version to open it; it is left "
            "unchanged."
        )
    for number in range(current + 1, target + 1):
        with db.atomic():
            if number == 1:
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            STEPS[number - 1](db)
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                [str(number)],
            )
    return max(current, target)
