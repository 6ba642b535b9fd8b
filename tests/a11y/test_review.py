"""A supervisor's review by keyboard alone, through the accessibility bus: the queue, a
screening opened from it, the Return dialog, the statistics, the referral as text."""

from __future__ import annotations

import pytest

from tests.a11y.conftest import sign_in
from tests.a11y.harness import App, duplicate_names, named, spoken_name, unnamed_controls
from tests.a11y.test_screening import tab_to

pytestmark = pytest.mark.a11y


def test_a_review_by_keyboard(demo: App) -> None:
    sign_in(demo, "supervisor")
    demo.keys("ctrl+r")
    demo.wait_for(lambda tree: named(tree, "label", "Review queue"))
    focused = demo.focused()
    assert focused is not None and focused["name"] == "Review queue"  # the heading, first
    tree = demo.tree()
    assert unnamed_controls(tree) == [] and duplicate_names(tree) == []
    waiting = tab_to(demo, "Screenings waiting for review")  # into the table (its first row)
    assert waiting is not None
    demo.keys("Down", "Return")  # the second row: someone else's, so this supervisor reviews
    demo.wait_for(lambda tree: named(tree, "push button", "Return for changes"))
    opened = demo.focused()
    assert opened is not None and opened["name"] == "Answers"  # the opened page's heading
    tab_to(demo, "Return for changes", back=True)
    with demo.listening() as heard:
        demo.keys("Return")  # the dialog
        box = demo.wait_for(
            lambda tree: next(
                (
                    n
                    for n in tree
                    if n["role"] == "text" and n["name"].startswith("What needs changing")
                ),
                None,
            )
        )
        assert box is not None
        demo.keys("Tab")  # leaves the box: Tab does not type a tab
        after = demo.focused()
        assert after is not None and after["role"] == "push button", after
        demo.keys("Return")  # OK with nothing typed
        demo.wait_for(lambda tree: any("Say what needs changing" in n["name"] for n in tree))
    assert any(
        e["type"] == "object:announcement" and "Say what needs changing" in e["data"] for e in heard
    )
    demo.type("Please add the date of the last missing episode.")
    demo.keys("Tab", "Return")
    demo.wait_for(lambda tree: any("Returned for changes by" in n["name"] for n in tree))


def test_statistics_and_the_referral_text_by_keyboard(demo: App) -> None:
    sign_in(demo, "supervisor")
    demo.keys("ctrl+shift+s")
    demo.wait_for(lambda tree: named(tree, "label", "Statistics"))
    tree = demo.tree()
    assert unnamed_controls(tree) == [] and duplicate_names(tree) == []
    table = tab_to(demo, "Figures by month")
    assert table is not None
    demo.keys("Tab")
    after = demo.focused()
    assert after is not None and not spoken_name(after).startswith("Figures by month")
    demo.keys("ctrl+shift+l")  # back to the list; open the newest approved screening
    demo.wait_for(lambda tree: named(tree, "label", "Screenings"))
    tab_to(demo, "Status")
    demo.keys("Down", "Down")  # "Approved"
    tab_to(demo, "Screenings")
    demo.keys("Return")
    demo.wait_for(lambda tree: named(tree, "push button", "Referral PDF"))
    demo.keys("ctrl+p")
    text = demo.wait_for(
        lambda tree: next((n for n in tree if n["name"].startswith("Text of referral")), None),
        timeout=30,
    )
    assert text["text"].startswith("Page 1 of") and "RISK BAND" in text["text"]
