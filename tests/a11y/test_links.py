"""Form version 2 through the accessibility bus: an entry of concern added by keyboard (the
dialog named, what will be stored read out), and the supervisor's Links view walked."""

from __future__ import annotations

import pytest

from tests.a11y.conftest import sign_in
from tests.a11y.harness import App, duplicate_names, named, unnamed_controls
from tests.a11y.test_screening import tab_to

pytestmark = pytest.mark.a11y


def test_an_entry_of_concern_by_keyboard(demo: App) -> None:
    sign_in(demo)
    demo.keys("ctrl+n")
    demo.wait_for(lambda tree: named(tree, "push button", "Discard draft"))
    tab_to(
        demo, "Sections of the screening", "The child or young person and this screening", back=True
    )
    for _ in range(10):
        demo.move_focus("Down")  # to "What you know, your judgement and next steps"
    entries = tab_to(demo, "People, vehicles")  # the list, named by the question's label
    assert entries["role"] == "list"
    add = demo.move_focus("Tab")
    assert add is not None and add["name"].startswith("Add an entry: People, vehicles")
    demo.keys("Return")
    demo.wait_for(
        lambda tree: named(tree, "combo box", "Person") or named(tree, "dialog", "Entry of concern")
    )
    tree = demo.tree()
    assert unnamed_controls(tree) == [] and duplicate_names(tree) == []
    for _ in range(3):
        demo.keys("Down")  # Person → Vehicle → Place → Phone
    number = tab_to(demo, "Phone number")
    assert number is not None
    demo.type("07700 900123")
    stored = demo.wait_for(
        lambda tree: next((n for n in tree if n["name"].startswith("Linked on: phone")), None)
    )
    assert stored["name"] == "Linked on: phone +447700900123"  # what will be stored, read out
    demo.keys("Return")  # OK
    demo.wait_for(lambda tree: any(n["name"] == "Phone: 07700 900123" for n in tree))


def test_the_links_view_is_named_and_its_table_left_by_one_tab(demo: App) -> None:
    sign_in(demo, "supervisor")
    demo.keys("ctrl+shift+k")
    demo.wait_for(lambda tree: named(tree, "label", "Links between screenings"))
    heading = demo.focused()
    assert heading is not None and heading["name"] == "Links between screenings"
    tree = demo.wait_for(lambda t: t if any(n["role"] == "table cell" for n in t) else None)
    assert unnamed_controls(tree) == [] and duplicate_names(tree) == []
    tab_to(demo, "Links")
    after = demo.move_focus("Tab")
    assert after is not None and after["role"] != "table cell"
