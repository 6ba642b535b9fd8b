"""The typed background operation and the guard every page uses for service calls."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from screening_app.errors import ScreeningError, WorkflowError
from screening_app.ui import operations
from screening_app.ui.operations import Changes, Newest, Op, guarded


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the person would have seen in an error dialog."""
    messages: list[str] = []
    monkeypatch.setattr(
        operations, "show_error", lambda _parent, exc: messages.append(exc.lines()[0])
    )
    return messages


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_work_runs_off_the_gui_thread_and_the_result_arrives_on_it(
    qtbot: QtBot, parent: QWidget
) -> None:
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["work"] = threading.get_ident()
        return 42

    results: list[int] = []

    def show(result: int) -> None:
        seen["show"] = threading.get_ident()
        results.append(result)

    Op(parent, work).success(show).run()
    qtbot.waitUntil(lambda: results == [42])
    assert seen["work"] != gui
    assert seen["show"] == gui


def test_a_changing_op_tells_subscribers_only_after_it_succeeds(
    qtbot: QtBot, parent: QWidget, shown: list[str]
) -> None:
    changes = Changes()
    heard: list[str] = []
    changes.changed.connect(lambda: heard.append("changed"))

    done: list[str] = []
    Op(parent, lambda: "saved").changing(changes).success(done.append).run()
    qtbot.waitUntil(lambda: done == ["saved"])
    assert heard == ["changed"]

    def refuse() -> str:
        raise WorkflowError("This screening was already approved.")

    Op(parent, refuse).changing(changes).run()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert heard == ["changed"]  # a failed change announces nothing
    assert shown == ["This screening was already approved."]


def test_a_custom_failure_replaces_the_dialog(
    qtbot: QtBot, parent: QWidget, shown: list[str]
) -> None:
    failures: list[BaseException] = []

    def refuse() -> None:
        raise ScreeningError("Not now.")

    Op(parent, refuse).failure(failures.append).run()
    qtbot.waitUntil(lambda: len(failures) == 1)
    assert shown == []


def test_the_busy_indicator_shows_only_while_work_runs(qtbot: QtBot, parent: QWidget) -> None:
    busy = QWidget(parent)
    release = threading.Event()
    done: list[bool] = []
    parent.show()
    Op(parent, lambda: release.wait(5)).with_busy(busy).success(done.append).run()
    assert busy.isVisible()
    release.set()
    qtbot.waitUntil(lambda: done == [True])
    assert not busy.isVisible()


def test_guarded_shows_a_screening_error_and_says_it_failed(
    parent: QWidget, shown: list[str]
) -> None:
    with guarded(parent) as guard:
        raise WorkflowError("Only a draft can be discarded.")
    assert guard.failed
    assert shown == ["Only a draft can be discarded."]
    with guarded(parent) as quiet:
        pass
    assert not quiet.failed


def test_guarded_lets_a_bug_through(parent: QWidget, shown: list[str]) -> None:
    with pytest.raises(KeyError), guarded(parent):
        raise KeyError("a bug, for the error handler")
    assert shown == []


def test_only_the_newest_reading_reaches_its_handler() -> None:
    shown: list[str] = []
    readings = Newest()
    first = readings.start()(shown.append)
    second = readings.start()(shown.append)
    second("after the change")
    first("before the change, finishing late")  # dropped: it would undo what was just said
    assert shown == ["after the change"]
