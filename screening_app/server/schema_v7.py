"""Schema step 7 (see schema.py; a released step is never edited): outcomes, the figures the
server computes from clear metadata, team key epochs and the team's link secret.

``organisation_figures`` runs as the tables' owner (``SECURITY DEFINER``) so that it can count
across teams, and returns counts only; the owner's own policies (``TO CURRENT_USER``) let it
read, while the API role still sees nothing beyond row-level security.
"""

V7 = """
ALTER TABLE screenings ADD COLUMN child_tag text CHECK (child_tag ~ '^[0-9a-f]{64}$'),
    ADD COLUMN team_epoch integer NOT NULL DEFAULT 1;
ALTER TABLE reviews ADD COLUMN days_to_review integer;
CREATE TABLE outcomes (
    id uuid PRIMARY KEY,
    seq bigserial UNIQUE,
    screening_id uuid NOT NULL,
    version integer NOT NULL,
    team_id integer NOT NULL REFERENCES teams(id),
    author_id integer NOT NULL REFERENCES accounts(id),
    recorder_id integer NOT NULL REFERENCES accounts(id),
    code text NOT NULL CHECK (length(code) BETWEEN 1 AND 50),
    day date NOT NULL,
    envelope bytea NOT NULL,
    signature bytea NOT NULL,
    device_id uuid NOT NULL REFERENCES devices(id),
    received_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (screening_id, version) REFERENCES screenings(id, version)
);
CREATE INDEX outcomes_screening ON outcomes(screening_id, version);
ALTER TABLE outcomes ENABLE ROW LEVEL SECURITY;
ALTER TABLE outcomes FORCE ROW LEVEL SECURITY;
CREATE POLICY outcomes_read ON outcomes FOR SELECT USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND (
        current_setting('app.role', true) = 'supervisor'
        OR (current_setting('app.role', true) = 'practitioner'
            AND author_id = nullif(current_setting('app.account_id', true), '')::integer)
    )
);
CREATE POLICY outcomes_write ON outcomes FOR INSERT WITH CHECK (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND recorder_id = nullif(current_setting('app.account_id', true), '')::integer
    AND (current_setting('app.role', true) = 'supervisor' OR recorder_id = author_id)
);
ALTER TABLE teams ADD COLUMN key_epoch integer NOT NULL DEFAULT 1,
    ADD COLUMN rotation_due boolean NOT NULL DEFAULT false,
    ADD COLUMN recovery_public bytea,
    ADD COLUMN link_made boolean NOT NULL DEFAULT false;
CREATE TABLE team_epochs (
    team_id integer NOT NULL REFERENCES teams(id),
    epoch integer NOT NULL CHECK (epoch >= 1),
    public bytea NOT NULL,
    recovery bytea,
    made_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, epoch)
);
INSERT INTO team_epochs (team_id, epoch, public)
    SELECT id, 1, key_public FROM teams WHERE key_public IS NOT NULL;
ALTER TABLE team_epochs ENABLE ROW LEVEL SECURITY;
ALTER TABLE team_epochs FORCE ROW LEVEL SECURITY;
CREATE POLICY team_epochs_own ON team_epochs USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
);
ALTER TABLE team_keys ADD COLUMN epoch integer NOT NULL DEFAULT 1;
ALTER TABLE team_keys DROP CONSTRAINT team_keys_pkey;
ALTER TABLE team_keys ADD PRIMARY KEY (team_id, device_id, epoch);
CREATE TABLE link_keys (
    team_id integer NOT NULL REFERENCES teams(id),
    device_id uuid NOT NULL REFERENCES devices(id),
    sealed bytea NOT NULL,
    PRIMARY KEY (team_id, device_id)
);
ALTER TABLE link_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE link_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY link_keys_own ON link_keys USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND (current_setting('app.role', true) = 'supervisor'
         OR device_id = nullif(current_setting('app.device_id', true), '')::uuid)
);
CREATE POLICY screenings_figures ON screenings FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY outcomes_figures ON outcomes FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY reviews_figures ON reviews FOR SELECT TO CURRENT_USER USING (true);
CREATE FUNCTION organisation_figures(first_month text, last_month text, positive text[])
RETURNS TABLE (kind text, month text, code text, value double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.role', true), '') <> 'supervisor' THEN
        RAISE EXCEPTION 'organisation figures are for supervisors' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    WITH s AS (
        SELECT * FROM screenings
        WHERE status IN ('submitted', 'approved', 'returned')
          AND screening_month BETWEEN first_month AND last_month
    )
    SELECT 'screenings', s.screening_month, '', count(*)::float8 FROM s GROUP BY 2
    UNION ALL
    SELECT 'children', s.screening_month, '',
           count(DISTINCT coalesce(s.team_id || ':' || s.child_tag, s.id::text))::float8
    FROM s GROUP BY 2
    UNION ALL
    SELECT 'band', s.screening_month, coalesce(s.operative_band, ''), count(*)::float8
    FROM s GROUP BY 2, 3
    UNION ALL
    SELECT 'area', s.screening_month, coalesce(s.la_area, ''), count(*)::float8
    FROM s GROUP BY 2, 3
    UNION ALL
    SELECT 'role', s.screening_month, coalesce(s.practitioner_role, ''), count(*)::float8
    FROM s GROUP BY 2, 3
    UNION ALL
    SELECT 'model', s.screening_month, m.model, count(*)::float8
    FROM s, unnest(s.models) AS m(model) GROUP BY 2, 3
    UNION ALL
    SELECT 'outcome', s.screening_month, o.code, count(DISTINCT s.id)::float8
    FROM s JOIN outcomes o ON o.screening_id = s.id AND o.version = s.version GROUP BY 2, 3
    UNION ALL
    SELECT 'positive', s.screening_month, '', count(*)::float8 FROM s
    WHERE EXISTS (SELECT 1 FROM outcomes o WHERE o.screening_id = s.id
                  AND o.version = s.version AND o.code = ANY(positive))
    GROUP BY 2
    UNION ALL
    SELECT 'median_days', s.screening_month, '',
           percentile_cont(0.5) WITHIN GROUP (ORDER BY r.days_to_review)
    FROM s JOIN reviews r ON r.screening_id = s.id AND r.version = s.version
    WHERE r.days_to_review IS NOT NULL GROUP BY 2;
END $$;
CREATE TABLE settings (
    key text PRIMARY KEY CHECK (key IN ('retention_days')),
    value text NOT NULL CHECK (length(value) <= 100)
);
REVOKE ALL ON FUNCTION organisation_figures(text, text, text[]) FROM PUBLIC;
"""
