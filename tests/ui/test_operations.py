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


def test_a_refusal_can_be_said_inline_instead_of_in_a_dialog(
    qtbot: QtBot, parent: QWidget, shown: list[str]
) -> None:
    said: list[str] = []
    ended: list[str] = []

    def refuse() -> None:
        raise ScreeningError("Not now.")

    Op(parent, refuse).refused(lambda exc: said.append(exc.message)).after(
        lambda: ended.append("ended")
    ).run()
    qtbot.waitUntil(lambda: said == ["Not now."])
    assert shown == [] and ended == ["ended"]


def test_a_bug_in_the_work_reaches_the_error_handler_and_is_never_swallowed(
    qtbot: QtBot, parent: QWidget, shown: list[str]
) -> None:
    said: list[str] = []
    ended: list[str] = []

    def broken() -> None:
        raise KeyError("a bug")

    with qtbot.captureExceptions() as raised:
        Op(parent, broken).refused(lambda exc: said.append(exc.message)).after(
            lambda: ended.append("ended")
        ).run()
        qtbot.waitUntil(lambda: len(raised) == 1)
    assert raised[0][0] is KeyError
    assert said == [] and shown == []  # not worded as a refusal
    assert ended == ["ended"]  # the button is enabled again all the same


def test_a_bug_in_one_delivery_does_not_lose_the_deliveries_queued_behind_it(
    qtbot: QtBot,
) -> None:
    """Deliveries reach the GUI thread in batches; an Op whose delivery were dropped would never
    end (a lock screen left waiting for its password check)."""
    from screening_app.ui.background import on_gui_thread

    ran: list[str] = []

    def broken() -> None:
        ran.append("broken")
        raise KeyError("a bug")

    with qtbot.captureExceptions() as raised:
        # queued from one worker thread so that all three land in the same batch
        worker = threading.Thread(
            target=lambda: [
                on_gui_thread(c) for c in (broken, lambda: ran.append("2"), lambda: ran.append("3"))
            ]
        )
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(ran) == 3)
    assert ran == ["broken", "2", "3"]
    assert [kind for kind, *_ in raised] == [KeyError]


def test_the_window_reaches_the_thread_pool_only_through_op() -> None:
    """One road for background work (ui/operations.py); background.py keeps the pool."""
    from pathlib import Path

    ui = Path(operations.__file__).parent
    users = {
        path.relative_to(ui).as_posix()
        for path in ui.rglob("*.py")
        if "run_in_background" in path.read_text(encoding="utf-8")
        or "QThreadPool" in path.read_text(encoding="utf-8")
    }
    assert users == {"operations.py", "background.py"}


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
        done = "saved"  # a block that raises nothing runs as it is
    assert done == "saved" and not quiet.failed and len(shown) == 1


def test_guarded_lets_a_bug_through(parent: QWidget, shown: list[str]) -> None:
    with pytest.raises(KeyError, match=r"'a bug, for the error handler'"), guarded(parent):
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
