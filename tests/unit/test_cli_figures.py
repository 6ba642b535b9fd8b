"""``figures check``: a police extract read as the source report tabulates it (the month by
year table, the crimes in brackets, each year's rate) with the monitor's findings; a malformed
file is exit 2 naming its line, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from screening_app.cli import run


def extract(tmp_path: Path, extra: str = "", low_from_april_2025: bool = True) -> Path:
    lines = ["month,occurrences,crimes"]
    for year in (2023, 2024, 2025):
        for month in range(1, 13):
            count = 40 + (month % 3)
            if low_from_april_2025 and year == 2025 and month >= 4:
                count = 18
            lines.append(f"{year}-{month:02d},{count},{count // 4}")
    path = tmp_path / "extract.csv"
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


def figures(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = run(["figures", "check", *argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_the_table_the_rates_and_the_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = extract(tmp_path, "2023-total,492,120\n2024-total,500,120\n")
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("year,recorded_crimes,positive_outcomes\n2023,120,43\n2024,120,30\n")
    code, out = figures(capsys, str(path), "--outcomes", str(outcomes))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[2].split() == ["Month", "2023", "2024", "2025"]
    assert lines[3].split() == ["January", "41", "(10)", "41", "(10)", "41", "(10)"]
    assert "Total" in out and "492 (120)" in out
    rate_line = next(line for line in lines if line.startswith("Investigation outcome rate"))
    assert rate_line.split()[-2:] == ["36%", "25%"]  # 43/120 and 30/120, whole percentages
    assert "[totals_mismatch] 2024: the stated total is 500 occurrences" in out
    assert "[fall_on_year] 2025:" in out and "[level_shift] From 2025-04" in out

    code, out = figures(capsys, str(path), "--outcomes", str(outcomes), "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["years"]["2023"] == {
        "occurrences": 492,
        "crimes": 120,
        "stated_occurrences": 492,
        "stated_crimes": 120,
        "positive_outcomes": 43,
        "rate": 0.36,
    }
    assert summary["years"]["2025"]["stated_occurrences"] is None
    assert summary["years"]["2025"]["rate"] is None
    checks = {(f["check"], f["period"]) for f in summary["findings"]}
    assert ("totals_mismatch", "2024") in checks and ("fall_on_year", "2025") in checks
    assert all(set(f) == {"check", "period", "message"} for f in summary["findings"])


def test_a_steady_extract_has_no_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = figures(capsys, str(extract(tmp_path, low_from_april_2025=False)), "--json")
    assert code == 0 and json.loads(out)["findings"] == []


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("month,occurrences\n2024-01,3\n", "extract.csv:1: the first line must be"),
        ("month,occurrences,crimes\n2024-13,3,1\n", "extract.csv:2: '2024-13' is not a month"),
        ("month,occurrences,crimes\n2024-01,3,x\n", "extract.csv:2: crimes 'x' is not a whole"),
        (
            "month,occurrences,crimes\n2024-01,3,1\n2024-01,4,1\n",
            "extract.csv:3: 2024-01 is given twice",
        ),
        ("month,occurrences,crimes\n2024-01,3,5\n", "extract.csv:2: 5 crimes among 3"),
        ("month,occurrences,crimes\n2024-01,-3,1\n", "extract.csv:2: occurrences '-3'"),
        ("month,occurrences,crimes\n", "the file gives no month"),
        ("\xff\xfe", "not UTF-8"),
    ],
)
def test_a_malformed_extract_is_exit_2_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, said: str
) -> None:
    path = tmp_path / "extract.csv"
    path.write_bytes(content.encode("latin-1"))
    code, out = figures(capsys, str(path))
    assert code == 2 and said in out, out
    assert "Traceback" not in out


def test_a_fifo_or_a_missing_file_is_refused_without_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, out = figures(capsys, str(fifo))
    assert code == 2 and "not a regular file" in out
    code, out = figures(capsys, str(tmp_path / "nowhere.csv"))
    assert code == 2 and "not found" in out
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("year,recorded_crimes,positive_outcomes\n2024,10,11\n")
    code, out = figures(capsys, str(extract(tmp_path)), "--outcomes", str(outcomes))
    assert code == 2 and "outcomes.csv:2: 11 positive outcomes of 10 crimes" in out
