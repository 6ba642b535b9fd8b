"""An area profile is made to be published: tried as an attacker, no hidden count can be worked
out from the totals, and the total cannot be got back from another table when it is hidden."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from screening_app.domain.profile import HIDDEN, AreaProfile, Dimension, publishable


def possible_values(shown: list[str], total: int) -> list[set[int]]:
    """What an attacker who knows the rule can say of each hidden count: every assignment of
    values of at least 1 (a 0 is shown) that makes the table add up to ``total``."""
    hidden = [i for i, text in enumerate(shown) if text == HIDDEN]
    rest = total - sum(int(text) for text in shown if text != HIDDEN)
    found: list[set[int]] = [set() for _ in hidden]
    for values in itertools.product(range(1, rest + 1), repeat=len(hidden)):
        if sum(values) == rest:
            for slot, value in enumerate(values):
                found[slot].add(value)
    return found


def profile_of(partitions: list[list[int]], total: int) -> AreaProfile:
    dimensions = [
        Dimension(f"d{n}", [(f"row {i}", c) for i, c in enumerate(counts)], True)
        for n, counts in enumerate(partitions)
    ]
    dimensions.append(Dimension("models", [("gang", min(total, 3)), ("online", total)], False))
    return AreaProfile("Area", "area", "2026-01", "2026-12", "team North", total, total, dimensions)


def split(total: int, parts: list[int]) -> list[int]:
    """``total`` children spread over len(parts) rows in proportion to ``parts``."""
    weights = [p + 1 for p in parts]
    counts = [total * w // sum(weights) for w in weights]
    counts[0] += total - sum(counts)
    return counts


@settings(max_examples=300, deadline=None)
@given(
    total=st.integers(min_value=1, max_value=16),
    shapes=st.lists(st.lists(st.integers(0, 6), min_size=2, max_size=5), min_size=1, max_size=3),
)
def test_no_hidden_count_can_be_worked_out_from_the_totals(
    total: int, shapes: list[list[int]]
) -> None:
    partitions = [split(total, shape) for shape in shapes]
    shown = publishable(profile_of(partitions, total))
    for counts, dimension in zip(partitions, shown.dimensions, strict=False):
        texts = [value for _label, value in dimension.rows]
        for count, text in zip(counts, texts, strict=True):
            assert text == HIDDEN or text == str(count)  # shown counts are true
            assert not (1 <= count <= 4) or text == HIDDEN  # every small count is hidden
        if shown.children == HIDDEN:
            # the total hidden: no partition may give it back by adding up
            assert HIDDEN in texts or sum(counts) == 0
            continue
        assert int(shown.children) == total
        for values in possible_values(texts, total):
            assert len(values) >= 2, (counts, texts)  # never pinned to one value
    models = shown.dimensions[-1].rows
    assert models[0][1] == (HIDDEN if 1 <= min(total, 3) <= 4 else str(min(total, 3)))


def test_five_children_one_in_each_row_hides_the_total_and_a_count_everywhere() -> None:
    shown = publishable(profile_of([[1, 1, 1, 1, 1], [5, 0, 0]], 5))
    assert shown.children == HIDDEN
    assert [v for _l, v in shown.dimensions[0].rows] == [HIDDEN] * 5
    assert next(v for _l, v in shown.dimensions[1].rows) == HIDDEN  # else 5 gives the total


def test_a_single_small_count_is_protected_by_a_second_one() -> None:
    shown = publishable(profile_of([[2, 30, 12]], 44))
    assert [v for _l, v in shown.dimensions[0].rows] == [HIDDEN, "30", HIDDEN]
    assert shown.children == "44"
    assert possible_values([HIDDEN, "30", HIDDEN], 44) == [set(range(1, 14)), set(range(1, 14))]


def test_a_tiny_area_hides_everything() -> None:
    shown = publishable(profile_of([[3, 0, 0]], 3))
    assert shown.children == shown.screenings == HIDDEN
    assert [v for _l, v in shown.dimensions[0].rows] == [HIDDEN, "0", "0"]
