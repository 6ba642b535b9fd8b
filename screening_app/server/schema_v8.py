"""Schema step 8: links across the organisation (docs/SERVER.md, "Links across the organisation").

- ``organisation_link``: the organisation's link secret, sealed for each supervisor's device
  (the server never holds it open); a device reads only its own copy.
- ``organisation_link_keys``: for each screening, the HMACs of its exact entity keys under that
  secret, sent by a supervisor's computer of the screening's team. The server compares them; it
  cannot turn one back into a phone number or a registration without the secret.
- ``organisation_links()``: for the caller's team, each of its screenings that shares a key
  with a screening of another team, with that team's name and supervisors (SECURITY DEFINER: it
  reads other teams' rows, and returns no more than that).
- ``organisation_link_state()``, ``organisation_link_waiting()``: whether the secret exists, and
  the supervisors' devices (every team) still waiting for a copy.
"""

V8 = """
CREATE TABLE organisation_link (
    device_id uuid PRIMARY KEY REFERENCES devices(id),
    sealed bytea NOT NULL,
    made_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE organisation_link ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisation_link FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_link_own ON organisation_link FOR SELECT USING (
    current_setting('app.role', true) = 'supervisor'
    AND device_id = nullif(current_setting('app.device_id', true), '')::uuid
);
CREATE POLICY organisation_link_give ON organisation_link FOR INSERT WITH CHECK (
    current_setting('app.role', true) = 'supervisor'
);
CREATE POLICY organisation_link_definer ON organisation_link FOR SELECT TO CURRENT_USER
    USING (true);
CREATE TABLE organisation_link_keys (
    screening_id uuid NOT NULL,
    team_id integer NOT NULL REFERENCES teams(id),
    link_key bytea NOT NULL CHECK (length(link_key) = 32),
    PRIMARY KEY (screening_id, link_key)
);
CREATE INDEX organisation_link_keys_key ON organisation_link_keys(link_key);
ALTER TABLE organisation_link_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE organisation_link_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY organisation_link_keys_team ON organisation_link_keys USING (
    current_setting('app.role', true) = 'supervisor'
    AND team_id = nullif(current_setting('app.team_id', true), '')::integer
);
CREATE POLICY organisation_link_keys_definer ON organisation_link_keys FOR SELECT
    TO CURRENT_USER USING (true);

CREATE FUNCTION organisation_links()
RETURNS TABLE (link_key text, screening_id uuid, team text, screenings bigint,
               supervisors text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.role', true), '') <> 'supervisor' THEN
        RAISE EXCEPTION 'links across the organisation are for supervisors'
            USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    SELECT encode(mine.link_key, 'hex'), mine.screening_id, t.name,
           count(DISTINCT other.screening_id),
           (SELECT string_agg(a.name, ', ' ORDER BY a.name) FROM accounts a
            WHERE a.team_id = t.id AND a.role = 'supervisor' AND a.active)
    FROM organisation_link_keys mine
    JOIN organisation_link_keys other
      ON other.link_key = mine.link_key AND other.team_id <> mine.team_id
    JOIN teams t ON t.id = other.team_id
    WHERE mine.team_id = nullif(current_setting('app.team_id', true), '')::integer
      AND EXISTS (SELECT 1 FROM screenings s WHERE s.id = other.screening_id
                  AND s.status IN ('submitted', 'approved', 'returned'))
      AND EXISTS (SELECT 1 FROM screenings s WHERE s.id = mine.screening_id
                  AND s.status IN ('submitted', 'approved', 'returned'))
    GROUP BY mine.link_key, mine.screening_id, t.id, t.name;
END $$;

CREATE FUNCTION organisation_link_state() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM organisation_link)
$$;

CREATE FUNCTION organisation_link_waiting()
RETURNS TABLE (device_id uuid, account text, team text, x25519 text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.role', true), '') <> 'supervisor' THEN
        RAISE EXCEPTION 'the organisation link secret is for supervisors'
            USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    SELECT d.id, a.name, t.name, encode(d.box_public, 'hex')
    FROM devices d JOIN accounts a ON a.id = d.account_id JOIN teams t ON t.id = a.team_id
    WHERE a.role = 'supervisor' AND a.active AND d.revoked_at IS NULL
      AND d.box_public IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM organisation_link o WHERE o.device_id = d.id)
    ORDER BY t.name, a.name;
END $$;
REVOKE ALL ON FUNCTION organisation_links() FROM PUBLIC;
REVOKE ALL ON FUNCTION organisation_link_state() FROM PUBLIC;
REVOKE ALL ON FUNCTION organisation_link_waiting() FROM PUBLIC;
"""
