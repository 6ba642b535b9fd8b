"""The monthly statistics as CSV (one row per month; columns from domain.statistics)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from screening_app.domain.statistics import MonthFigures, Shape, columns, row

AREA_QUESTION = "la_area"
ROLE_QUESTION = "practitioner_role"


def to_csv(figures: Sequence[MonthFigures], shape: Shape, *, suppressed: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(shape, AREA_QUESTION, ROLE_QUESTION))
    for month in figures:
        writer.writerow(row(month, shape, AREA_QUESTION, ROLE_QUESTION, suppressed))
    return out.getvalue()
