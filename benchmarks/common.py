"""Shared pieces of the benchmarks: one measure type, repeat-timing and the table printer.

Every figure is reported as a ratio against a baseline measured in the same run on the same
machine, so a slow or busy machine moves both numbers together.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measure:
    """One benchmark result: ``value`` against ``baseline`` (same unit), with its goal in words."""

    name: str
    value: float
    baseline: float
    unit: str
    goal: str
    baseline_name: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")


def median_time(work: Callable[[], object], repeats: int = 7, warmup: int = 1) -> float:
    """Median wall time of ``work`` in seconds over ``repeats`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def format_table(measures: Sequence[Measure]) -> str:
    """A Markdown table (it goes into the README as is)."""
    lines = [
        "| Measure | Value | Baseline (same run) | Ratio | Goal |",
        "|---|---:|---:|---:|---|",
    ]
    for m in measures:
        base = f"{_fmt(m.baseline, m.unit)}" + (f" ({m.baseline_name})" if m.baseline_name else "")
        lines.append(f"| {m.name} | {_fmt(m.value, m.unit)} | {base} | {m.ratio:.2f}× | {m.goal} |")
    return "\n".join(lines)


def print_table(measures: Sequence[Measure]) -> None:
    print(format_table(measures))


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value:.3g} {unit}"


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) ``pid`` and its child processes have used so far, in
    seconds (Linux ``/proc``): what a server's worker processes spent, whoever else shares the
    machine's cores with them."""
    total = 0.0
    for each in (pid, *_children(pid)):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [each for child in map(int, listed) for each in (child, *_children(child))]
