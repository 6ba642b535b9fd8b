"""Run every benchmark and print one Markdown table: ``python -m benchmarks [--n N] [--only NAME]``.

Each ``benchmarks/bench_*.py`` module exposes ``run() -> list[Measure]``; those that need a
database take ``run(n: int)`` (``n`` = number of stored screenings).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys

from benchmarks.common import Measure, format_table

MODULES = (
    "startup",
    "storage",
    "referral",
    "stats",
    "links",
    "rekey",
    "server",
    "server_figures",
    "org_links",
    "integrity",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="stored screenings (default 100000)")
    parser.add_argument("--only", choices=MODULES, action="append", help="run only these")
    args = parser.parse_args(argv)
    measures: list[Measure] = []
    for name in args.only or MODULES:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"running {name} …", file=sys.stderr, flush=True)
        takes_n = "n" in inspect.signature(module.run).parameters
        measures.extend(module.run(args.n) if takes_n else module.run())
    print(format_table(measures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
