"""Schema step 9: computers approved by a supervisor in post (docs/SECURITY.md, "Approving a
computer").

- ``accounts.added_by``: the server administrator who made the account, shown to the
  supervisor who approves one of its computers (NULL for accounts made before step 9).
- ``device_approvals``: for each computer of a team and each epoch of the team key, the
  statement a supervisor's computer signed when a person approved it by its code — signed with
  that computer's own key and with the team key of that epoch. The server keeps and hands out
  these statements; it cannot make one, because it never holds a team key. Desktops that hold
  the team key share it (and the link secrets) only with computers whose statement verifies.
- ``organisation_link_waiting()`` lists only computers with an approval at their team's
  current epoch.
- ``organisation_outcome_profiles()``: per month, the organisation's screenings grouped by
  operative band and the set of their outcome codes — all that the three outcome rates need
  (domain/measures.py computes them, on the desktop, from these groups).
- ``organisation_area_profile()``: one area's children (a child is a team's tag) over a period,
  by band at the latest screening, by CSE model and by outcome measure, from clear metadata
  only; the desktop suppresses small numbers before anything is shown (domain/profile.py).
"""

V9 = """
ALTER TABLE accounts ADD COLUMN added_by text;
CREATE TABLE device_approvals (
    team_id integer NOT NULL REFERENCES teams(id),
    device_id uuid NOT NULL REFERENCES devices(id),
    epoch integer NOT NULL CHECK (epoch >= 1),
    approver_device uuid NOT NULL REFERENCES devices(id),
    statement bytea NOT NULL CHECK (length(statement) <= 4000),
    signature bytea NOT NULL CHECK (length(signature) = 64),
    team_signature bytea NOT NULL CHECK (length(team_signature) = 64),
    made_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, device_id, epoch)
);
ALTER TABLE device_approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE device_approvals FORCE ROW LEVEL SECURITY;
CREATE POLICY device_approvals_team ON device_approvals USING (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND (current_setting('app.role', true) = 'supervisor'
         OR device_id = nullif(current_setting('app.device_id', true), '')::uuid)
) WITH CHECK (
    team_id = nullif(current_setting('app.team_id', true), '')::integer
    AND current_setting('app.role', true) = 'supervisor'
);
CREATE POLICY device_approvals_definer ON device_approvals FOR SELECT TO CURRENT_USER
    USING (true);

CREATE OR REPLACE FUNCTION organisation_link_waiting()
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
      AND EXISTS (SELECT 1 FROM device_approvals v WHERE v.device_id = d.id
                  AND v.team_id = t.id AND v.epoch = t.key_epoch)
    ORDER BY t.name, a.name;
END $$;
REVOKE ALL ON FUNCTION organisation_link_waiting() FROM PUBLIC;

CREATE FUNCTION organisation_outcome_profiles(first_month text, last_month text)
RETURNS TABLE (p_month text, p_band text, p_codes text[], p_count bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.role', true), '') <> 'supervisor' THEN
        RAISE EXCEPTION 'organisation figures are for supervisors' USING ERRCODE = '42501';
    END IF;
    -- most screenings have no outcome: counted by a plain GROUP BY (one anti-join); the set
    -- of codes is built only for the others
    RETURN QUERY
    SELECT s.screening_month, s.operative_band, '{}'::text[], count(*)
    FROM screenings s
    WHERE s.status IN ('submitted', 'approved', 'returned')
      AND s.screening_month BETWEEN first_month AND last_month
      AND NOT EXISTS (SELECT 1 FROM outcomes o
                      WHERE o.screening_id = s.id AND o.version = s.version)
    GROUP BY 1, 2;
    RETURN QUERY
    SELECT g.m, g.b, g.c, count(*) FROM (
        SELECT s.screening_month AS m, s.operative_band AS b,
               array_agg(DISTINCT o.code ORDER BY o.code) AS c
        FROM screenings s JOIN outcomes o ON o.screening_id = s.id AND o.version = s.version
        WHERE s.status IN ('submitted', 'approved', 'returned')
          AND s.screening_month BETWEEN first_month AND last_month
        GROUP BY s.id, s.version, s.screening_month, s.operative_band) g
    GROUP BY g.m, g.b, g.c;
END $$;
REVOKE ALL ON FUNCTION organisation_outcome_profiles(text, text) FROM PUBLIC;

CREATE FUNCTION organisation_area_profile(
    area text, first_month text, last_month text, codes text[], measures text[]
)
RETURNS TABLE (p_dimension text, p_code text, p_count bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.role', true), '') <> 'supervisor' THEN
        RAISE EXCEPTION 'organisation figures are for supervisors' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    WITH s AS (
        SELECT x.id, x.version, x.seq, x.screening_month, x.operative_band, x.models,
               x.team_id::text || ':' || coalesce(x.child_tag, x.id::text) AS who
        FROM screenings x
        WHERE x.status IN ('submitted', 'approved', 'returned') AND x.la_area = area
          AND x.screening_month BETWEEN first_month AND last_month
    ), latest AS (
        SELECT s.who, s.operative_band,
               ROW_NUMBER() OVER (PARTITION BY s.who ORDER BY s.screening_month DESC, s.seq DESC)
               AS n
        FROM s
    ), measure AS (
        SELECT m.code, m.measure FROM unnest(codes, measures) AS m(code, measure)
    )
    SELECT 'children', '', count(DISTINCT s.who) FROM s
    UNION ALL SELECT 'screenings', '', count(*) FROM s
    UNION ALL SELECT 'band', coalesce(l.operative_band, 'not_known'), count(*)
        FROM latest l WHERE l.n = 1 GROUP BY 2
    UNION ALL SELECT 'model', m.model, count(DISTINCT s.who)
        FROM s, unnest(s.models) AS m(model) GROUP BY 2
    UNION ALL SELECT 'measure', coalesce(me.measure, 'none'), count(DISTINCT s.who)
        FROM s JOIN outcomes o ON o.screening_id = s.id AND o.version = s.version
        LEFT JOIN measure me ON me.code = o.code GROUP BY 2;
END $$;
REVOKE ALL ON FUNCTION organisation_area_profile(text, text, text, text[], text[]) FROM PUBLIC;
"""
