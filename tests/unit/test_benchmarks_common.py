"""The benchmark table is what goes into the README: its ratios must be right."""

from benchmarks.common import Measure, format_table


def test_ratio_and_table_row() -> None:
    m = Measure("Autosave", 0.003, 0.001, "s", "≤ 3×", "raw upsert")
    assert round(m.ratio, 6) == 3.0
    table = format_table([m])
    assert "| Autosave | 3.0 ms | 1.0 ms (raw upsert) | 3.00× | ≤ 3× |" in table


def test_zero_baseline_is_infinite_not_a_crash() -> None:
    assert Measure("x", 1.0, 0.0, "s", "").ratio == float("inf")
