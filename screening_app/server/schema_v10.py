"""Schema step 10: the types of exploitation of each screening (form version 4 on), and the
organisation's figures of children only.

The desktop sends the codes of the types a screening shows (``sexual``, ``criminal``,
``trafficking``, ``online_financial``) in its clear metadata, like the models of CSE; the
organisation's figures count them per month (``organisation_type_figures``, supervisors only,
run as the tables' owner like the other organisation figures). A screening sent before has
none: its types are inside the sealed envelope, which the server cannot open.

Screenings of a place or group (form ``context-screening``) travel like any other, but they are
not children: the organisation's figures, outcome profiles and area profiles count the child
screening form only. Their functions are replaced here with that one condition added to what
steps 7 and 9 wrote (derived from those steps' text, so the two cannot drift apart).
"""

from __future__ import annotations

import re

from screening_app.domain.checklist import FORM_ID
from screening_app.server.schema_v7 import V7
from screening_app.server.schema_v9 import V9

_COUNTED = re.compile(r"\b([sx])\.status IN \('submitted', 'approved', 'returned'\)")
_FUNCTION = re.compile(
    r"CREATE FUNCTION (organisation_figures|organisation_outcome_profiles|"
    r"organisation_area_profile)\(.*?END \$\$;",
    re.DOTALL,
)


def _children_only(step: str) -> str:
    """The figure functions of ``step``, replaced, counting the child screening form only."""
    found = [m.group(0) for m in _FUNCTION.finditer(step)]
    return "\n".join(
        _COUNTED.sub(rf"\g<0> AND \1.form_id = '{FORM_ID}'", text).replace(
            "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1
        )
        for text in found
    )


FIGURES_OF_CHILDREN = _children_only(V7) + "\n" + _children_only(V9)

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
    WHERE s.status IN ('submitted', 'approved', 'returned') AND s.form_id = 'cse-risk-screening'
      AND s.screening_month BETWEEN first_month AND last_month
    GROUP BY 1, 2;
END $$;
REVOKE ALL ON FUNCTION organisation_type_figures(text, text) FROM PUBLIC;
"""
