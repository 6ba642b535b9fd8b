"""Fixtures of the accessibility tests (marker ``a11y``): one bus per session, a fresh demo app
per test. Where the tools are missing the tests are skipped, except under ``.ci/run``
(``CSE_A11Y_REQUIRED=1``), where a missing tool is a failure."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.a11y.harness import App, Bus, missing_tools, named


@pytest.fixture(scope="session")
def bus() -> Iterator[Bus]:
    missing = missing_tools()
    if missing:
        message = f"accessibility tools missing: {', '.join(missing)}"
        if os.environ.get("CSE_A11Y_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    started = Bus()
    started.start()
    yield started
    started.stop()


@pytest.fixture
def demo(bus: Bus, tmp_path: Path) -> Iterator[App]:
    """The demo, its sign-in dialog on screen."""
    app = App(bus, tmp_path / "data", "--demo")
    app.wait_for(lambda tree: named(tree, "push button", "Sign in"), timeout=30)
    yield app
    app.close()


def sign_in(app: App, user: str = "demo") -> None:
    """Sign in by keyboard alone, as a screen reader user would."""
    app.wait_for(lambda tree: named(tree, "password text", "Password"))
    focused = app.focused()
    if focused is not None and focused["name"] == "Password":
        app.keys("shift+Tab")  # the name was filled in: back to it
    app.keys("ctrl+a")
    app.type(user)
    app.keys("Tab")
    app.type("demo-password")
    app.keys("Return")
    if user != "admin":  # the administrator's window has no screenings
        app.wait_for(lambda tree: named(tree, "push button", "New screening"), timeout=30)
