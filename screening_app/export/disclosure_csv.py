"""The disclosure log as CSV (``disclosures --csv``, Save CSV… on the log's page): one row per
share, in the columns docs/CLI.md lists; no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from screening_app.export.pole import safe_cell

COLUMNS = ("at", "by", "what", "reference", "child", "shared_with", "purpose", "basis", "reason")


def to_csv(rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
