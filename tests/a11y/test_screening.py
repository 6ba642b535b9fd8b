"""A screening by keyboard, as a screen reader hears it: the page heading after each page
change, the error summary, the band rising, and Call 999."""

from __future__ import annotations

import pytest

from tests.a11y.conftest import sign_in
from tests.a11y.harness import (
    App,
    Node,
    duplicate_names,
    named,
    on_screen,
    spoken_name,
    unnamed_controls,
)

pytestmark = pytest.mark.a11y


def window_of(app: App) -> Node:
    return app.wait_for(lambda tree: next((n for n in tree if n["role"] == "frame"), None))


def tab_to(app: App, *starts: str, back: bool = False, limit: int = 60) -> Node:
    """Tab (or Shift+Tab) until the focused control's name starts with one of ``starts``."""
    for _ in range(limit):
        focused = app.move_focus("shift+Tab" if back else "Tab")
        if focused and spoken_name(focused).startswith(starts):
            return focused
    raise AssertionError(f"{starts!r} not reached by Tab")


def test_a_screening_by_keyboard_is_heard(demo: App) -> None:
    sign_in(demo)
    demo.keys("ctrl+n")
    demo.wait_for(lambda tree: named(tree, "push button", "Discard draft"))
    window = window_of(demo)
    heading = demo.focused()
    assert heading is not None and heading["name"] == "The child or young person and this screening"
    assert on_screen(heading, window)  # focus can be seen: on the screen, in the window
    tree = demo.tree()
    assert unnamed_controls(tree) == [] and duplicate_names(tree) == []

    with demo.listening() as heard:
        tab_to(demo, "Continue")
        demo.keys("Return")  # nothing answered: the error summary
    summary = demo.focused()
    assert summary is not None and summary["name"] == "There is a problem"
    assert on_screen(summary, window)
    assert any(
        e["type"] == "object:announcement" and "There is a problem" in e["data"] for e in heard
    )
    demo.keys("Tab")
    link = demo.focused()
    assert link is not None and link["name"].startswith("Go to the problem")

    sections = ("Sections of the screening", "The child or young person and this screening")
    tab_to(demo, *sections, back=True)  # the list of sections
    for _ in range(3):  # past "Harm already happening" and "Missing episodes"
        demo.move_focus("Down")  # browsing it keeps focus in it
    assert spoken_name(demo.focused() or {"name": ""}).startswith("Vulnerabilities")
    demo.keys("Tab")
    first = demo.focused()
    assert first is not None and first["role"] == "radio button", first  # no unnamed stop
    with demo.listening() as heard:
        for _ in range(6):  # six vulnerabilities: Mild
            demo.keys("Down", "Up", "Tab")  # the first answer, "Yes", chosen with arrows
    assert any(
        e["type"] == "object:announcement" and "Band now Mild" in e["data"] for e in heard
    ), [e["data"] for e in heard if e["type"] == "object:announcement"]

    tab_to(demo, "Sections of the screening", "Vulnerabilities", back=True)
    for _ in range(3):
        demo.move_focus("Up")  # to the first section: immediate danger is asked first
    assert spoken_name(demo.focused() or {"name": ""}).startswith("The child or young person")
    demo.keys("Tab")
    tab_to(demo, "Is the child in immediate danger now?")
    with demo.listening() as heard:
        demo.keys("Down", "Up")  # "Yes"
    call = [e for e in heard if e["type"] == "object:announcement" and "999" in e["data"]]
    assert call, heard


def answer_focused(app: App, field: Node, today: str) -> None:
    """Answer the field that has focus the way a keyboard user would, by its kind."""
    name = spoken_name(field).lower()
    if field["role"] == "radio button":
        app.keys("Down", "Up")  # the first answer, chosen with arrows
    elif field["role"] == "combo box":
        app.keys("Down")
    elif field["role"] == "check box":
        app.keys("space")
    elif "birth" in name:
        app.type("10/03/2012")
    elif "date" in name:
        app.type(today)
    elif name.startswith("times"):
        app.type("0")
    else:
        app.type("Fictional")


def test_a_whole_screening_is_done_by_keyboard_alone(demo: App) -> None:
    """Continue, follow each problem's link, answer, Continue again; then Submit: a screen
    reader user completes and submits a screening without a mouse."""
    import datetime as dt

    today = dt.date.today().strftime("%d/%m/%Y")
    sign_in(demo)
    demo.keys("ctrl+n")
    demo.wait_for(lambda tree: named(tree, "push button", "Discard draft"))
    for _ in range(60):
        focused = demo.move_focus("alt+c")  # Continue
        if focused is not None and focused["name"] == "There is a problem":
            link = demo.move_focus("Tab")
            assert link is not None and link["name"].startswith("Go to the problem")
            field = demo.move_focus("Return")
            assert field is not None and field["role"] != "push button", field
            answer_focused(demo, field, today)
            continue
        if focused is not None and focused["name"].startswith("Check your answers"):
            break
    else:
        raise AssertionError("the check page was never reached")
    demo.keys("alt+s")  # Submit screening
    question = demo.wait_for(  # the indicators left blank are named before anything is sent
        lambda tree: next((n for n in tree if "Submit anyway?" in n["name"]), None), timeout=20
    )
    assert "not answered: they count as 0" in question["name"]
    demo.keys("alt+s")  # Submit anyway (Go back and answer is the default)
    box = demo.wait_for(
        lambda tree: next((n for n in tree if "was submitted" in n["name"]), None), timeout=20
    )
    assert "What to do now" in box["name"]
    demo.keys("Return")  # closes the message
    demo.wait_for(lambda tree: named(tree, "push button", "Referral PDF"))
