"""Counts by month and year, as the source report tabulates them: a row per calendar month, a
column per year, a second count in brackets (the crimes among the occurrences, the screenings
that led to a police investigation), and a total per year. Shared by the command line and the
panel report's PDF."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class MonthTable:
    years: list[str]
    rows: list[tuple[str, list[str]]]  # (month name, one cell per year)
    totals: list[str]


def month_table(
    counts: Mapping[str, int],
    inner: Mapping[str, int] | None = None,
    show: Callable[[int], str] | None = None,
) -> MonthTable:
    """The table of ``counts`` (month: count) with ``inner`` in brackets; ``show``, when given,
    turns a count into the text shown (small-number suppression)."""

    def shown(value: int) -> str:
        return show(value) if show is not None else str(value)

    years = sorted({m[:4] for m in counts})
    rows = []
    for number, name in enumerate(MONTH_NAMES, start=1):
        cells = []
        for year in years:
            month = f"{year}-{number:02d}"
            if month not in counts:
                cells.append("")
                continue
            part = None if inner is None else inner.get(month, 0)
            text = shown(counts[month])
            cells.append(text if part is None else f"{text} ({shown(part)})")
        rows.append((name, cells))
    totals = []
    for year in years:
        total = sum(v for m, v in counts.items() if m.startswith(f"{year}-"))
        part = None
        if inner is not None:
            part = sum(v for m, v in inner.items() if m.startswith(f"{year}-"))
        totals.append(shown(total) if part is None else f"{shown(total)} ({shown(part)})")
    return MonthTable(years, rows, totals)


def as_text(table: MonthTable, extra: list[tuple[str, list[str]]] | None = None) -> list[str]:
    """Aligned lines: the month rows, Total, then any ``extra`` rows (label, one per year)."""
    body = [*table.rows, ("Total", table.totals), *(extra or [])]
    first = max(len(label) for label, _ in body)
    widths = [
        max(len(year), *(len(cells[i]) for _, cells in body)) for i, year in enumerate(table.years)
    ]
    lines = [
        f"{'Month':<{first}}  "
        + "  ".join(f"{y:>{w}}" for y, w in zip(table.years, widths, strict=True))
    ]
    for label, cells in body:
        lines.append(
            f"{label:<{first}}  "
            + "  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))
        )
    return [line.rstrip() for line in lines]
