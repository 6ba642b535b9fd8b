"""Whole-number chart axes: a value axis whose ticks fall between whole numbers misreads
(ticks 0, 2, 4, 6, 9 made a score of 7 look like 6), so every tick is a whole number."""

from __future__ import annotations

from PySide6.QtCharts import QValueAxis

MOST_TICKS = 11


def whole_steps(highest: int) -> tuple[int, int]:
    """(top of the axis, number of ticks) for values from 0 to ``highest``: a step of 1, 2 or 5
    times a power of ten, the top a whole number of steps, at most ``MOST_TICKS`` ticks."""
    highest = max(1, highest)
    scale = 1
    while True:
        for step in (scale, 2 * scale, 5 * scale):
            top = -(-highest // step) * step
            if top // step + 1 <= MOST_TICKS:
                return top, top // step + 1
        scale *= 10


def set_whole_range(axis: QValueAxis, highest: int) -> None:
    top, ticks = whole_steps(highest)
    axis.setRange(0, top)
    axis.setTickCount(ticks)
    axis.setLabelFormat("%d")
