"""``figures check``: a police extract read as the source report's tables, with the
data-quality monitor's findings (docs/STATISTICS.md). Needs no database and no sign-in: the
extract holds counts only."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

MAX_BYTES = 2_000_000


def register(subparsers: Any) -> None:
    figures = subparsers.add_parser("figures", help="check figures from elsewhere")
    sub = figures.add_subparsers(dest="figures_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="a police extract: month by year, rates, findings")
    check.add_argument("file", type=Path, metavar="FILE.csv")
    check.add_argument("--outcomes", type=Path, metavar="FILE", help="year,recorded_crimes,…")
    check.add_argument("--json", action="store_true", help="one JSON object")
    check.set_defaults(func=cmd_figures_check)


def cmd_figures_check(args: argparse.Namespace) -> int:
    from screening_app.domain import police_extract
    from screening_app.domain.month_table import as_text, month_table
    from screening_app.files import read_regular_text

    text = read_regular_text(args.file, MAX_BYTES, "monthly extract")
    extract = police_extract.parse_monthly(text, args.file.name)
    if args.outcomes is not None:
        yearly = read_regular_text(args.outcomes, MAX_BYTES, "outcomes file")
        police_extract.parse_yearly(yearly, args.outcomes.name, extract)
    summary = police_extract.summary(extract)
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    table = month_table(extract.occurrences(), extract.crimes())
    years = summary["years"]

    def row(label: str, value: Any) -> tuple[str, list[str]]:
        return label, [value(years[y]) for y in table.years]

    def stated(y: dict[str, Any]) -> str:
        if y["stated_occurrences"] is None:
            return ""
        return f"{y['stated_occurrences']} ({y['stated_crimes']})"

    extra = [row("Stated total", stated)]
    if extract.outcomes:
        extra += [
            row("Positive outcomes", lambda y: str(y["positive_outcomes"] or "")),
            row(
                "Investigation outcome rate",
                lambda y: "" if y["rate"] is None else f"{y['rate']:.0%}",
            ),
        ]
    print("CSE-flagged occurrences by month, the crimes among them in brackets")
    print()
    for line in as_text(table, extra):
        print(line)
    print()
    findings = summary["findings"]
    if not findings:
        print("No finding: the series look consistent.")
        return 0
    print(f"{len(findings)} finding(s); not errors, but check each before relying on the figures:")
    for finding in findings:
        print(f"- [{finding['check']}] {finding['message']}")
    return 0
