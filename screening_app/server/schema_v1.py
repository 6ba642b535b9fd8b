"""Schema step 1 (see schema.py; a released step is never edited): teams, accounts, devices,
tokens, screenings and the append-only audit trail, with row-level security on each."""

V1 = """
CREATE TABLE teams (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE accounts (
    id serial PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    name_fold text NOT NULL UNIQUE,
    role text NOT NULL CHECK (role IN ('practitioner', 'supervisor', 'admin')),
    team_id integer REFERENCES teams(id),
    password_hash text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    failures integer NOT NULL DEFAULT 0,
    not_before timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (role = 'admin' OR team_id IS NOT NULL)
);
CREATE TABLE address_failures (
    address text PRIMARY KEY,
    failures integer NOT NULL DEFAULT 0,
    not_before timestamptz
);
CREATE TABLE devices (
    id uuid PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts(id),
    name text NOT NULL CHECK (length(name) <= 200),
    registered_at timestamptz NOT NULL DEFAULT now(),
    last_seen timestamptz,
    revoked_at timestamptz
);
CREATE TABLE tokens (
    digest bytea PRIMARY KEY,
    account_id integer NOT NULL REFERENCES accounts(id),
    device_id uuid REFERENCES devices(id),
    expires_at timestamptz NOT NULL
);
CREATE INDEX tokens_expiry ON tokens(expires_at);
CREATE TABLE screenings (
    id uuid NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    team_id integer NOT NULL REFERENCES teams(id),
    author_id integer NOT NULL REFERENCES accounts(id),
    form_id text NOT NULL,
    form_version integer NOT NULL,
    status text NOT NULL CHECK (status IN ('submitted', 'approved', 'returned', 'superseded')),
    screening_month text NOT NULL CHECK (screening_month ~ '^[0-9]{4}-[0-9]{2}$'),
    operative_band text,
    la_area text,
    models text[] NOT NULL DEFAULT '{}',
    practitioner_role text,
    envelope bytea NOT NULL,
    signature bytea NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, version)
);
CREATE INDEX screenings_team ON screenings(team_id, screening_month);
CREATE TABLE audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    account_id integer,
    action text NOT NULL,
    record text,
    detail text NOT NULL DEFAULT '',
    prev_hash text NOT NULL,
    hash text NOT NULL
);
"""

# Who may see a screening: its author, and the supervisors of its team. Nobody else — not an
# administrator, not another team — whatever the API asks.
POLICIES = """
ALTER TABLE screenings ENABLE ROW LEVEL SECURITY;
ALTER TABLE screenings FORCE ROW LEVEL SECURITY;
CREATE POLICY screenings_read ON screenings FOR SELECT USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND (
        current_setting('app.role', true) = 'supervisor'
        OR (current_setting('app.role', true) = 'practitioner'
            AND author_id = nullif(current_setting('app.account_id', true), '')::integer)
    )
);
CREATE POLICY screenings_write ON screenings FOR INSERT WITH CHECK (
    author_id = nullif(current_setting('app.account_id', true), '')::integer
    AND team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND current_setting('app.role', true) IN ('practitioner', 'supervisor')
);
CREATE POLICY screenings_review ON screenings FOR UPDATE USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND current_setting('app.role', true) = 'supervisor'
);
"""
