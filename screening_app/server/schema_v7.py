"""Schema step 7 (see schema.py; a released step is never edited): outcomes, the figures the
server computes from clear metadata, team key epochs and the team's link secret, the heads of
desktops' audit trails the server witnesses, and the organisation's settings.

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
    -- one scan for the totals and the three single-code columns (grouping sets), then one
    -- query per column that needs a join; "counted" = submitted, approved or returned
    RETURN QUERY
    SELECT CASE WHEN grouping(s.operative_band) = 0 THEN 'band'
                WHEN grouping(s.la_area) = 0 THEN 'area'
                WHEN grouping(s.practitioner_role) = 0 THEN 'role'
                ELSE 'screenings' END,
           s.screening_month,
           CASE WHEN grouping(s.operative_band) = 0 THEN coalesce(s.operative_band, '')
                WHEN grouping(s.la_area) = 0 THEN coalesce(s.la_area, '')
                WHEN grouping(s.practitioner_role) = 0 THEN coalesce(s.practitioner_role, '')
                ELSE '' END,
           count(*)::float8
    FROM screenings s
    WHERE s.status IN ('submitted', 'approved', 'returned')
      AND s.screening_month BETWEEN first_month AND last_month
    GROUP BY GROUPING SETS ((s.screening_month),
                           (s.screening_month, s.operative_band),
                           (s.screening_month, s.la_area),
                           (s.screening_month, s.practitioner_role));
    -- children: one per team and tag; a screening sent without a tag counts as one child
    RETURN QUERY
    SELECT 'children', c.m, '', count(*)::float8 FROM (
        SELECT s.screening_month AS m, s.team_id, coalesce(s.child_tag, s.id::text) AS who
        FROM screenings s
        WHERE s.status IN ('submitted', 'approved', 'returned')
          AND s.screening_month BETWEEN first_month AND last_month
        GROUP BY 1, 2, 3) c
    GROUP BY c.m;
    RETURN QUERY
    SELECT 'model', s.screening_month, m.model, count(*)::float8
    FROM screenings s, unnest(s.models) AS m(model)
    WHERE s.status IN ('submitted', 'approved', 'returned')
      AND s.screening_month BETWEEN first_month AND last_month
    GROUP BY 2, 3;
    RETURN QUERY
    SELECT 'outcome', s.screening_month, o.code, count(DISTINCT s.id)::float8
    FROM screenings s JOIN outcomes o ON o.screening_id = s.id AND o.version = s.version
    WHERE s.status IN ('submitted', 'approved', 'returned')
      AND s.screening_month BETWEEN first_month AND last_month
    GROUP BY 2, 3;
    RETURN QUERY
    SELECT 'positive', s.screening_month, '', count(*)::float8
    FROM screenings s
    WHERE s.status IN ('submitted', 'approved', 'returned')
      AND s.screening_month BETWEEN first_month AND last_month
      AND EXISTS (SELECT 1 FROM outcomes o WHERE o.screening_id = s.id
                  AND o.version = s.version AND o.code = ANY(positive))
    GROUP BY 2;
    RETURN QUERY
    SELECT 'median_days', s.screening_month, '',
           percentile_cont(0.5) WITHIN GROUP (ORDER BY r.days_to_review)
    FROM screenings s JOIN reviews r ON r.screening_id = s.id AND r.version = s.version
    WHERE s.status IN ('submitted', 'approved', 'returned')
      AND s.screening_month BETWEEN first_month AND last_month
      AND r.days_to_review IS NOT NULL
    GROUP BY 2;
END $$;
CREATE TABLE witnesses (
    id bigserial PRIMARY KEY,
    device_id uuid NOT NULL REFERENCES devices(id),
    length integer NOT NULL CHECK (length >= 0),
    head text NOT NULL CHECK (head ~ '^[0-9a-f]{64}$'),
    consistent boolean NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX witnesses_device ON witnesses(device_id, id);
CREATE TABLE settings (
    key text PRIMARY KEY CHECK (key IN ('retention_days')),
    value text NOT NULL CHECK (length(value) <= 100)
);
REVOKE ALL ON FUNCTION organisation_figures(text, text, text[]) FROM PUBLIC;
"""
