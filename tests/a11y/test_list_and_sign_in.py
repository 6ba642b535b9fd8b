"""Signing in and the screenings list, as a screen reader and a keyboard reach them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.a11y.conftest import sign_in
from tests.a11y.harness import App, Bus, duplicate_names, named, tab_walk, unnamed_controls

pytestmark = pytest.mark.a11y


def test_sign_in_is_named_and_a_wrong_password_is_announced(demo: App) -> None:
    tree = demo.tree()
    assert unnamed_controls(tree) == []
    with demo.listening() as heard:
        demo.keys("shift+Tab", "ctrl+a")
        demo.type("demo")
        demo.keys("Tab")
        demo.type("not-the-password")
        demo.keys("Return")
        demo.wait_for(lambda t: any("do not match" in n["name"] + (n["text"] or "") for n in t))
    announced = [e for e in heard if e["type"].startswith("object:announcement")]
    assert any("do not match" in e["data"] for e in announced), heard


def test_tab_leaves_the_list_and_reaches_its_buttons(demo: App) -> None:
    sign_in(demo)
    tree = demo.tree()
    assert unnamed_controls(tree) == [] and duplicate_names(tree) == []
    seen = tab_walk(demo, until="Open / resume")
    in_table = [i for i, (role, _name) in enumerate(seen) if role in ("table", "table cell")]
    assert len(in_table) == 1, seen  # one Tab into the table, the next one out of it
    names = [name for _role, name in seen]
    assert names.index("Sort by") < in_table[0] < names.index("New screening"), seen
    assert "Open / resume" in names


def test_sign_out_lets_someone_else_sign_in_and_the_demo_keeps_its_work(
    bus: Bus, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    app = App(bus, data, "--demo")
    try:
        app.wait_for(lambda tree: named(tree, "push button", "Sign in"), timeout=60)
        sign_in(app, "demo")
        before = shown_count(app)
        app.keys("ctrl+n")  # a new draft, saved at once
        app.wait_for(lambda tree: named(tree, "push button", "Discard draft"))
        app.keys("ctrl+shift+o")  # File → Sign out / switch user
        app.wait_for(lambda tree: named(tree, "push button", "Sign in"))
        sign_in(app, "supervisor")
        assert app.wait_for(lambda tree: named(tree, "menu item", "Review"))
    finally:
        app.close()
    again = App(bus, data, "--demo")  # the demo is opened again: its work is still there
    try:
        again.wait_for(lambda tree: named(tree, "push button", "Sign in"), timeout=60)
        sign_in(again, "demo")
        assert shown_count(again) == before + 1
    finally:
        again.close()


def shown_count(app: App) -> int:
    """The list's "N shown" figure."""
    label = app.wait_for(lambda tree: next((n for n in tree if n["name"].endswith(" shown")), None))
    return int(label["name"].split()[0].rstrip("+"))
