"""The benchmarks keep working as the code changes (figures are not asserted: they are
reported by `make bench`, as ratios against a baseline measured in the same run)."""

from __future__ import annotations

import pytest

from benchmarks import bench_rekey

pytestmark = pytest.mark.slow


def test_the_rekey_benchmark_runs_on_a_small_database() -> None:
    measures = bench_rekey.run(n=200)
    assert [m.unit for m in measures] == ["s", "s"]
    assert all(m.value > 0 and m.baseline > 0 for m in measures)
    assert "2 kept backup" in measures[1].name  # the first sign-out's and a full one


def test_the_server_benchmark_runs_briefly() -> None:
    from benchmarks import bench_server

    measures = bench_server.run(seconds=1, uploads=20, clients=3, workers=2)
    assert len(measures) == 4 and all(m.value > 0 and m.baseline > 0 for m in measures)
    assert "0 errors" in measures[2].name
    assert "GET /health" in measures[3].name  # the lightest request, same clients, same run
