"""The screens before and around the work: first run on a new computer, and the administrator's
window — every control named, none two alike, and Tab reaching the way on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.a11y.conftest import sign_in
from tests.a11y.harness import App, Bus, duplicate_names, named, unnamed_controls

pytestmark = pytest.mark.a11y


def test_first_run_is_named_and_a_mismatch_is_announced(bus: Bus, tmp_path: Path) -> None:
    app = App(bus, tmp_path / "data")  # no database yet: the set-up dialog
    try:
        app.wait_for(lambda tree: named(tree, "push button", "Create the database"), timeout=30)
        tree = app.tree()
        assert unnamed_controls(tree) == [] and duplicate_names(tree) == []
        with app.listening() as heard:
            app.move_focus("Tab")  # from the user name to the password
            app.type("admin-password-1")
            app.move_focus("Tab")
            app.type("admin-password-2")
            app.keys("Return")
            app.wait_for(lambda t: any("passwords are different" in n["name"] for n in t))
        assert any(e["type"] == "object:announcement" and "different" in e["data"] for e in heard)
    finally:
        app.close()


def test_the_administrators_window_is_named(demo: App) -> None:
    sign_in(demo, "admin")
    demo.wait_for(lambda tree: any(n["role"] == "page tab" for n in tree), timeout=30)
    tree = demo.tree()
    assert unnamed_controls(tree) == [] and duplicate_names(tree) == []
