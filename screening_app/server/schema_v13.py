"""Schema step 13: the organisation's figures kept as monthly counts per team, refreshed only
where something changed (server/figures.py reads them).

``figure_cache`` holds, for each month and team, the counts every figure is made of: screenings,
by band, area, role, CSE model and type of exploitation; children (one per child tag); the
screenings having each outcome code; the outcome profiles (screenings by band and set of outcome
codes, from which the positive count and the three rates come); and how many decisions took
each number of days (from which the median comes). Adding counts over teams gives the
organisation's figures: each screening, child tag and decision belongs to one team.

Triggers on screenings, outcomes and reviews mark the (month, team) a change touches in
``figure_dirty``, in the changing transaction and after the lock of that team's audit chain
(server/audit.py), the order every writer keeps. ``figures_refresh`` — called by the figures —
takes the dirty marks of the months asked for, recomputes those (month, team) pairs only, and
leaves the rest: a supervisor's figures page reads thousands of counts, not a million rows. A
mark that arrives while a refresh runs waits for it and stays for the next one.
"""

from screening_app.domain.checklist import FORM_ID

COUNTED = f"s.status IN ('submitted', 'approved', 'returned') AND s.form_id = '{FORM_ID}'"

_V13 = """
CREATE TABLE figure_cache (
    month text NOT NULL,
    team_id integer NOT NULL,
    kind text NOT NULL,
    code text NOT NULL DEFAULT '',
    codes text[] NOT NULL DEFAULT '{}',
    value bigint NOT NULL
);
CREATE INDEX figure_cache_month ON figure_cache(month, team_id);
-- a recount looks up each screening's outcome codes from the index alone
CREATE INDEX outcomes_codes ON outcomes(screening_id, version) INCLUDE (code);
-- and reads the days its decision took on the screening's own row, copied there with the
-- decision (a version has one decision at most)
ALTER TABLE screenings ADD COLUMN days_to_review integer;
UPDATE screenings s SET days_to_review = r.days_to_review FROM reviews r
WHERE r.screening_id = s.id AND r.version = s.version AND r.days_to_review IS NOT NULL;
CREATE FUNCTION figures_days_copied() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE screenings s SET days_to_review = f.days_to_review FROM fresh f
    WHERE f.screening_id = s.id AND f.version = s.version AND f.days_to_review IS NOT NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER figures_reviews_days AFTER INSERT ON reviews
    REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT
    EXECUTE FUNCTION figures_days_copied();
CREATE TABLE figure_dirty (
    month text NOT NULL,
    team_id integer NOT NULL,
    touched bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (month, team_id)
);
REVOKE ALL ON figure_cache, figure_dirty FROM PUBLIC;

CREATE FUNCTION figures_mark(months text[], teams integer[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t integer;
BEGIN
    FOR t IN SELECT DISTINCT x FROM unnest(teams) AS x WHERE x IS NOT NULL ORDER BY x LOOP
        PERFORM pg_advisory_xact_lock(7301, t);  -- the team's audit chain first, as every writer
    END LOOP;
    INSERT INTO figure_dirty (month, team_id)
    SELECT DISTINCT m, t2 FROM unnest(months, teams) AS d(m, t2)
    WHERE m IS NOT NULL AND t2 IS NOT NULL
    ORDER BY 1, 2
    ON CONFLICT (month, team_id) DO UPDATE SET touched = figure_dirty.touched + 1;
END $$;
REVOKE ALL ON FUNCTION figures_mark(text[], integer[]) FROM PUBLIC;

CREATE FUNCTION figures_screenings_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM figures_mark(array_agg(screening_month), array_agg(team_id)) FROM fresh;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM figures_mark(array_agg(m), array_agg(t)) FROM (
            SELECT screening_month AS m, team_id AS t FROM fresh
            UNION SELECT screening_month, team_id FROM stale) AS both_sides;
    ELSE
        PERFORM figures_mark(array_agg(screening_month), array_agg(team_id)) FROM stale;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER figures_screenings_inserted AFTER INSERT ON screenings
    REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT
    EXECUTE FUNCTION figures_screenings_changed();
CREATE TRIGGER figures_screenings_updated AFTER UPDATE ON screenings
    REFERENCING OLD TABLE AS stale NEW TABLE AS fresh FOR EACH STATEMENT
    EXECUTE FUNCTION figures_screenings_changed();
CREATE TRIGGER figures_screenings_deleted AFTER DELETE ON screenings
    REFERENCING OLD TABLE AS stale FOR EACH STATEMENT
    EXECUTE FUNCTION figures_screenings_changed();

CREATE FUNCTION figures_attached_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM figures_mark(array_agg(s.screening_month), array_agg(s.team_id))
    FROM fresh f JOIN screenings s ON s.id = f.screening_id AND s.version = f.version;
    RETURN NULL;
END $$;
CREATE TRIGGER figures_outcomes_inserted AFTER INSERT ON outcomes
    REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT
    EXECUTE FUNCTION figures_attached_changed();
CREATE TRIGGER figures_reviews_inserted AFTER INSERT ON reviews
    REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT
    EXECUTE FUNCTION figures_attached_changed();

-- every (month, team) that holds anything is dirty at first: the first figures fill the cache
INSERT INTO figure_dirty (month, team_id)
SELECT DISTINCT screening_month, team_id FROM screenings;

CREATE FUNCTION figures_recount(m text, t integer) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    -- the (month, team)'s counted screenings read once, then every count from that copy
    CREATE TEMP TABLE IF NOT EXISTS figures_slice (
        id uuid, version integer, band text, area text, role text, models text[],
        types text[], who text, days integer
    ) ON COMMIT DELETE ROWS;
    DELETE FROM figures_slice;
    INSERT INTO figures_slice
    SELECT s.id, s.version, s.operative_band, s.la_area, s.practitioner_role, s.models,
           s.types, coalesce(s.child_tag, s.id::text), s.days_to_review
    FROM screenings s WHERE @COUNTED@;
    ANALYZE figures_slice;
    DELETE FROM figure_cache WHERE month = m AND team_id = t;
    INSERT INTO figure_cache (month, team_id, kind, code, value)
    SELECT m, t,
           CASE WHEN grouping(x.band) = 0 THEN 'band'
                WHEN grouping(x.area) = 0 THEN 'area'
                WHEN grouping(x.role) = 0 THEN 'role'
                ELSE 'screenings' END,
           CASE WHEN grouping(x.band) = 0 THEN coalesce(x.band, '')
                WHEN grouping(x.area) = 0 THEN coalesce(x.area, '')
                WHEN grouping(x.role) = 0 THEN coalesce(x.role, '')
                ELSE '' END,
           count(*)
    FROM figures_slice x
    GROUP BY GROUPING SETS ((), (x.band), (x.area), (x.role))
    HAVING count(*) > 0;
    INSERT INTO figure_cache (month, team_id, kind, value)
    SELECT m, t, 'children', count(DISTINCT x.who) FROM figures_slice x HAVING count(*) > 0;
    INSERT INTO figure_cache (month, team_id, kind, code, value)
    SELECT m, t, 'model', c.code, count(*) FROM figures_slice x, unnest(x.models) AS c(code)
    GROUP BY c.code;
    INSERT INTO figure_cache (month, team_id, kind, code, value)
    SELECT m, t, 'type', c.code, count(*) FROM figures_slice x, unnest(x.types) AS c(code)
    GROUP BY c.code;
    -- the outcomes of the slice, looked up once (most screenings have none)
    CREATE TEMP TABLE IF NOT EXISTS figures_slice_outcomes (
        id uuid, version integer, band text, code text
    ) ON COMMIT DELETE ROWS;
    DELETE FROM figures_slice_outcomes;
    INSERT INTO figures_slice_outcomes
    SELECT x.id, x.version, x.band, o.code
    FROM figures_slice x JOIN outcomes o ON o.screening_id = x.id AND o.version = x.version;
    INSERT INTO figure_cache (month, team_id, kind, code, value)
    SELECT m, t, 'outcome', y.code, count(DISTINCT y.id) FROM figures_slice_outcomes y
    GROUP BY y.code;
    INSERT INTO figure_cache (month, team_id, kind, code, codes, value)
    SELECT m, t, 'profile', coalesce(g.band, ''), g.codes, count(*) FROM (
        SELECT y.band, array_agg(DISTINCT y.code ORDER BY y.code) AS codes
        FROM figures_slice_outcomes y GROUP BY y.id, y.version, y.band) g
    GROUP BY g.band, g.codes;
    INSERT INTO figure_cache (month, team_id, kind, code, codes, value)
    SELECT m, t, 'profile', coalesce(b.band, ''), '{}', b.n - coalesce(w.n, 0) FROM
        (SELECT x.band, count(*) AS n FROM figures_slice x GROUP BY x.band) b
        LEFT JOIN (SELECT z.band, count(*) AS n FROM
                   (SELECT DISTINCT y.id, y.version, y.band FROM figures_slice_outcomes y) z
                   GROUP BY z.band) w ON w.band IS NOT DISTINCT FROM b.band
    WHERE b.n - coalesce(w.n, 0) > 0;
    INSERT INTO figure_cache (month, team_id, kind, code, value)
    SELECT m, t, 'days', x.days::text, count(*) FROM figures_slice x
    WHERE x.days IS NOT NULL GROUP BY x.days;
END $$;
REVOKE ALL ON FUNCTION figures_recount(text, integer) FROM PUBLIC;

CREATE FUNCTION figures_refresh(first_month text, last_month text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    pair record;
BEGIN
    IF coalesce(current_setting('app.role', true), '') <> 'supervisor' THEN
        RAISE EXCEPTION 'organisation figures are for supervisors' USING ERRCODE = '42501';
    END IF;
    FOR pair IN
        DELETE FROM figure_dirty WHERE month BETWEEN first_month AND last_month
        RETURNING month, team_id
    LOOP
        PERFORM figures_recount(pair.month, pair.team_id);  -- each pair by the team's index
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION figures_refresh(text, text) FROM PUBLIC;

CREATE FUNCTION organisation_figure_counts(first_month text, last_month text)
RETURNS TABLE (c_kind text, c_month text, c_code text, c_codes text[], c_value bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM figures_refresh(first_month, last_month);  -- refuses all but supervisors
    RETURN QUERY
    SELECT kind, month, code, codes, sum(value)::bigint FROM figure_cache
    WHERE month BETWEEN first_month AND last_month
    GROUP BY kind, month, code, codes;
END $$;
REVOKE ALL ON FUNCTION organisation_figure_counts(text, text) FROM PUBLIC;
"""
# the screenings of one (month, team) that the figures count
V13 = _V13.replace("@COUNTED@", COUNTED + " AND s.screening_month = m AND s.team_id = t")

GRANTS = ("GRANT EXECUTE ON FUNCTION organisation_figure_counts(text, text) TO {}",)
