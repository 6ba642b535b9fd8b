"""Schema step 3 (see schema.py): supervisors' decisions, one per screening version."""

V3 = """
CREATE TABLE reviews (
    seq bigserial PRIMARY KEY,
    screening_id uuid NOT NULL,
    version integer NOT NULL,
    team_id integer NOT NULL REFERENCES teams(id),
    author_id integer NOT NULL REFERENCES accounts(id),
    reviewer_id integer NOT NULL REFERENCES accounts(id),
    decision text NOT NULL CHECK (decision IN ('approve', 'return')),
    envelope bytea NOT NULL,
    signature bytea NOT NULL,
    device_id uuid NOT NULL REFERENCES devices(id),
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (screening_id, version),
    FOREIGN KEY (screening_id, version) REFERENCES screenings(id, version)
);
ALTER TABLE reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE reviews FORCE ROW LEVEL SECURITY;
CREATE POLICY reviews_read ON reviews FOR SELECT USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND (
        current_setting('app.role', true) = 'supervisor'
        OR (current_setting('app.role', true) = 'practitioner'
            AND author_id = nullif(current_setting('app.account_id', true), '')::integer)
    )
);
CREATE POLICY reviews_write ON reviews FOR INSERT WITH CHECK (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND reviewer_id = nullif(current_setting('app.account_id', true), '')::integer
    AND current_setting('app.role', true) = 'supervisor'
);
"""
