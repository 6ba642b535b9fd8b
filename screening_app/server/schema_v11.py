"""Schema step 11: deletion at the end of a record's retention period, witnessed by the server
(docs/GOVERNANCE.md, "Deletion").

A supervisor's computer deletes a screening whose period has ended and sends the server a
**tombstone**: the screening's id and version, its reference, its month, the kind of record, the
day its period ended, who decided and when — signed by that computer's device key, and no name
or reason. The server then removes the sealed content it holds of that version (the screening's
envelope, its decision's and its outcomes' sealed notes, its organisation link keys), keeps the
clear metadata the figures count, stores the tombstone, and writes its own audit row: that row's
hash, returned to the deleting computer, is the witness. Other computers of the team learn of
the deletion from ``GET /v1/tombstones`` and remove their copies.

Row-level security: a tombstone is read by the supervisors of the screening's team and its
author; written only by a supervisor of that team, in their own name.
"""

V11 = """
ALTER TABLE screenings ALTER COLUMN envelope DROP NOT NULL,
    ADD COLUMN content_removed_at timestamptz;
ALTER TABLE reviews ALTER COLUMN envelope DROP NOT NULL;
ALTER TABLE outcomes ALTER COLUMN envelope DROP NOT NULL;
CREATE TABLE tombstones (
    seq bigserial PRIMARY KEY,
    screening_id uuid NOT NULL,
    version integer NOT NULL,
    team_id integer NOT NULL REFERENCES teams(id),
    author_id integer NOT NULL REFERENCES accounts(id),
    decider_id integer NOT NULL REFERENCES accounts(id),
    device_id uuid NOT NULL REFERENCES devices(id),
    body bytea NOT NULL,
    signature bytea NOT NULL,
    witnessed_at timestamptz NOT NULL,
    witness text NOT NULL,
    UNIQUE (screening_id, version),
    FOREIGN KEY (screening_id, version) REFERENCES screenings(id, version)
);
ALTER TABLE tombstones ENABLE ROW LEVEL SECURITY;
ALTER TABLE tombstones FORCE ROW LEVEL SECURITY;
CREATE POLICY tombstones_read ON tombstones FOR SELECT USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND (
        current_setting('app.role', true) = 'supervisor'
        OR (current_setting('app.role', true) = 'practitioner'
            AND author_id = nullif(current_setting('app.account_id', true), '')::integer)
    )
);
CREATE POLICY tombstones_write ON tombstones FOR INSERT WITH CHECK (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND decider_id = nullif(current_setting('app.account_id', true), '')::integer
    AND current_setting('app.role', true) = 'supervisor'
);
CREATE POLICY reviews_remove ON reviews FOR UPDATE USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND current_setting('app.role', true) = 'supervisor'
);
CREATE POLICY outcomes_remove ON outcomes FOR UPDATE USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND current_setting('app.role', true) = 'supervisor'
);
"""

# the API role may blank the sealed notes, and nothing else of a decision or an outcome
GRANTS = (
    "GRANT SELECT, INSERT ON tombstones TO {}",
    "GRANT UPDATE (envelope) ON reviews, outcomes TO {}",
)
