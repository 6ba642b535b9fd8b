"""The organisation's monthly figures from the counts kept per month and team (schema_v13.py):
refreshed where something changed, then added over teams. What cannot be added — the positive
count for the codes a supervisor chose, the median days to a decision — comes from counts that
can: the outcome profiles, and how many decisions took each number of days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from screening_app.domain.capabilities import Verb
from screening_app.server import permissions, rows
from screening_app.server.store import Caller, ServerStore

ADDED = ("screenings", "band", "area", "role", "model", "type", "children", "outcome")


@dataclass(frozen=True)
class _Count:
    kind: str
    month: str
    code: str
    codes: list[str]
    value: int


def figures(
    store: ServerStore, caller: Caller, first: str, last: str, positive: list[str]
) -> list[dict[str, Any]]:
    """Rows of kind, month, code and value — as ``organisation_figures`` computes them from
    every row — then the outcome profiles (kind ``profile`` with ``codes``)."""
    permissions.require(caller, Verb.SEE_ORGANISATION_FIGURES)
    with store.acting(caller) as conn:
        counted = rows.every(
            conn,
            _Count,
            "SELECT c_kind AS kind, c_month AS month, c_code AS code, c_codes AS codes, "
            "c_value AS value "
            "FROM organisation_figure_counts(%s, %s)",
            [first, last],
        )
    wanted = set(positive)
    out: list[dict[str, Any]] = []
    profiles: list[dict[str, Any]] = []
    hits: dict[str, int] = defaultdict(int)
    days: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in counted:
        if row.kind in ADDED:
            out.append(
                {"kind": row.kind, "month": row.month, "code": row.code, "value": float(row.value)}
            )
        elif row.kind == "profile":
            profiles.append(
                {
                    "kind": "profile",
                    "month": row.month,
                    "code": row.code,
                    "codes": list(row.codes),
                    "value": int(row.value),
                }
            )
            if wanted & set(row.codes):
                hits[row.month] += int(row.value)
        elif row.kind == "days":
            days[row.month][int(row.code)] += int(row.value)
    out += [
        {"kind": "positive", "month": m, "code": "", "value": float(n)} for m, n in hits.items()
    ]
    out += [
        {"kind": "median_days", "month": m, "code": "", "value": median_of_counts(h)}
        for m, h in days.items()
    ]
    return out + profiles


def median_of_counts(counts: Mapping[int, int]) -> float:
    """The median of values given as value → how many times (PostgreSQL's percentile_cont(0.5):
    the middle value, or the mean of the middle two)."""
    total = sum(counts.values())
    if total <= 0:
        raise ValueError("no values")
    low, high = (total - 1) // 2 + 1, total // 2 + 1  # 1-based positions of the middle
    found: dict[int, float] = {}
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        for position in (low, high):
            if position not in found and seen >= position:
                found[position] = float(value)
        if high in found:
            break
    return (found[low] + found[high]) / 2
