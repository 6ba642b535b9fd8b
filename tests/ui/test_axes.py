"""Chart axes tick at whole numbers only (ticks 0, 2, 4, 6, 9 made a score of 7 read as 6)."""

from __future__ import annotations

import pytest

from screening_app.ui.axes import MOST_TICKS, whole_steps


@pytest.mark.parametrize("highest", [0, 1, 7, 9, 10, 11, 23, 99, 101, 1234, 99_999])
def test_every_tick_is_a_whole_number_and_the_top_holds_the_highest(highest: int) -> None:
    top, ticks = whole_steps(highest)
    step = top / (ticks - 1)
    assert step == int(step) and step in {1, 2, 5} | {
        m * 10**k for m in (1, 2, 5) for k in range(1, 6)
    }
    assert top >= highest and ticks <= MOST_TICKS
    assert top - step < max(highest, 1)  # no empty step above the highest value


def test_a_score_of_seven_gets_a_tick_of_its_own() -> None:
    assert whole_steps(9) == (9, 10)  # 0, 1, … 9: 7 is a tick, never between 6 and 9
