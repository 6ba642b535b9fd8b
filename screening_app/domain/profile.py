"""Area profiles made to be published (docs/STATISTICS.md, "Area profiles"): counts of the
children screened in one local authority area, by age, sex, band, CSE model, vulnerability,
outcome and link, with small numbers suppressed so that no child can be recognised — and
suppressed again where a hidden count could be worked out from the others.

**Primary suppression**: a count from 1 to 4 is hidden. **Secondary suppression**: in a
dimension whose counts add up to the total (each child in exactly one row: age, sex, band), a
hidden count could be recovered by subtracting the others from the total. An attacker who knows
the rule knows each hidden count is at least 1 (a 0 is shown); with ``k`` hidden counts adding up
to ``S``, each lies between 1 and ``S - (k - 1)``. So hidden counts are added, smallest first,
until at least two are hidden and ``S ≥ k + 1`` (no count pinned to one value); when that cannot
be reached (five children, one in each of five rows), the total is hidden too, and so is a count
in every other such dimension, which would otherwise add up to it. Every hidden count shows as
``[c]`` (confidential), whether hidden as small or to protect another, so the two cannot be told
apart. When the total itself is
1 to 4, everything is hidden.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

HIDDEN = "[c]"

AGE_BANDS = (
    ("under_10", "Under 10"),
    ("10_12", "10 to 12"),
    ("13_15", "13 to 15"),
    ("16_17", "16 to 17"),
    ("18_over", "18 or over"),
    ("not_known", "Not known"),
)
MEASURE_WORDS = (
    ("investigation", "A police investigation"),
    ("investigation_positive", "A positive police result"),
    ("disruption", "A disruption"),
    ("scu_referral", "A referral to the SCU"),
    ("safeguarding", "Another safeguarding action"),
)


@dataclass
class Dimension:
    title: str
    rows: list[tuple[str, int]]  # (label, number of children)
    partition: bool  # True when every child is in exactly one row (the rows add up to the total)
    note: str = ""


@dataclass
class AreaProfile:
    area: str  # the area's label
    area_code: str
    first: str
    last: str
    whose: str
    children: int
    screenings: int
    dimensions: list[Dimension] = field(default_factory=list)


@dataclass
class ShownDimension:
    title: str
    rows: list[tuple[str, str]]
    note: str = ""


@dataclass
class ShownProfile:
    """What may be published: every count as text, hidden ones as ``[c]``."""

    area: str
    area_code: str
    first: str
    last: str
    whose: str
    children: str
    screenings: str
    dimensions: list[ShownDimension]


def hidden_rows(counts: list[int], partition: bool) -> set[int]:
    """Indexes of ``counts`` to hide (primary, then secondary for a partition)."""
    hidden = {i for i, n in enumerate(counts) if 1 <= n <= 4}
    if not partition or not hidden:
        return hidden
    while not _safe([counts[i] for i in hidden]):
        spare = sorted((n, i) for i, n in enumerate(counts) if n > 0 and i not in hidden)
        if not spare:
            break
        hidden.add(spare[0][1])
    return hidden


def _safe(values: list[int]) -> bool:
    """True when no hidden value is pinned: at least two, adding up to more than their number."""
    return len(values) >= 2 and sum(values) >= len(values) + 1


def publishable(profile: AreaProfile) -> ShownProfile:
    """``profile`` with small numbers and what would reveal them hidden."""
    everything = 1 <= profile.children <= 4
    hidden_sets: list[set[int]] = []
    total_hidden = everything
    for dimension in profile.dimensions:
        counts = [n for _label, n in dimension.rows]
        if everything:
            hidden = {i for i, n in enumerate(counts) if n > 0}
        else:
            hidden = hidden_rows(counts, dimension.partition)
            if dimension.partition and hidden and not _safe([counts[i] for i in hidden]):
                total_hidden = True  # nothing more to hide in the rows: hide the total
        hidden_sets.append(hidden)
    if total_hidden:
        # a partition shown whole would give the total back: hide a count in each
        for dimension, hidden in zip(profile.dimensions, hidden_sets, strict=True):
            counts = [n for _label, n in dimension.rows]
            if dimension.partition and not hidden & {i for i, n in enumerate(counts) if n}:
                spare = sorted((n, i) for i, n in enumerate(counts) if n > 0)
                hidden.update(i for _n, i in spare[:2])
    dimensions = [
        ShownDimension(
            dimension.title,
            [
                (label, HIDDEN if i in hidden else str(n))
                for i, (label, n) in enumerate(dimension.rows)
            ],
            dimension.note,
        )
        for dimension, hidden in zip(profile.dimensions, hidden_sets, strict=True)
    ]
    screenings_hidden = everything or 1 <= profile.screenings <= 4
    return ShownProfile(
        area=profile.area,
        area_code=profile.area_code,
        first=profile.first,
        last=profile.last,
        whose=profile.whose,
        children=HIDDEN if total_hidden else str(profile.children),
        screenings=HIDDEN if screenings_hidden else str(profile.screenings),
        dimensions=dimensions,
    )


CSV_COLUMNS = ("area", "from", "to", "dimension", "category", "children")


def to_csv(shown: ShownProfile) -> str:
    """One row per count: area, period, dimension, category, the count as shown."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    head = [shown.area_code, shown.first, shown.last]
    writer.writerow([*head, "total", "children screened", shown.children])
    writer.writerow([*head, "total", "screenings", shown.screenings])
    for dimension in shown.dimensions:
        for label, value in dimension.rows:
            writer.writerow([*head, dimension.title, label, value])
    return out.getvalue()


def option_rows(
    found: dict[str, int], options: list[tuple[str, str]], *, rest: bool = True
) -> list[tuple[str, int]]:
    """One row per option; with ``rest``, the children under codes the options do not name
    (an older version's) in one more row, so that a partition still adds up to the total."""
    rows = [(label, found.get(code, 0)) for code, label in options]
    other = sum(n for code, n in found.items() if code not in dict(options))
    if rest and other:
        rows.append(("Other or not recorded", other))
    return rows


def measure_pairs(measures: dict[str, str]) -> list[tuple[str, str]]:
    """(code, measure) for counting children by outcome: a positive police result is also a
    police investigation ("A police investigation" counts every child investigated)."""
    pairs = list(measures.items())
    pairs += [
        (code, "investigation") for code, m in measures.items() if m == "investigation_positive"
    ]
    return pairs
