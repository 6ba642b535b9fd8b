"""Schema step 10: the types of exploitation of each screening (form version 4 on).

The desktop sends the codes of the types a screening shows (``sexual``, ``criminal``,
``trafficking``, ``online_financial``) in its clear metadata, like the models of CSE; the
organisation's figures count them per month (``organisation_type_figures``, supervisors only,
run as the tables' owner like the other organisation figures). A screening sent before has
none: its types are inside the sealed envelope, which the server cannot open.
"""

from __future__ import annotations

V10 = """
ALTER TABLE screenings ADD COLUMN types text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(types) <= 20);
CREATE FUNCTION organisation_type_figures(first_month text, last_month text)
RETURNS TABLE (t_month text, t_code text, t_count bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.role', true), '') <> 'supervisor' THEN
        RAISE EXCEPTION 'organisation figures are for supervisors' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY
    SELECT s.screening_month, t.code, count(*)
    FROM screenings s, unnest(s.types) AS t(code)
    WHERE s.status IN ('submitted', 'approved', 'returned')
      AND s.screening_month BETWEEN first_month AND last_month
    GROUP BY 1, 2;
END $$;
REVOKE ALL ON FUNCTION organisation_type_figures(text, text) FROM PUBLIC;
"""
