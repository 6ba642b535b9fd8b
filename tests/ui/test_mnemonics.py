"""No two controls on screen answer the same Alt+letter, menus included: with two, Qt presses
neither — it moves the focus between them (a keyboard user pressing Alt+R for "Referral PDF"
got the Review menu or nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QMainWindow, QMenuBar, QTabBar
from pytestqt.qtbot import QtBot

from screening_app.ui.admin_window import AdminWindow
from screening_app.ui.form.view import CHECK_PAGE
from screening_app.ui.main_window import MainWindow
from screening_app.ui.stats_view import StatisticsView
from tests.conftest import ADMIN_PW, USER_PW, open_app, submit_screening

pytestmark = pytest.mark.gui


def clashes(win: QMainWindow) -> dict[str, list[str]]:
    """The Alt letters that more than one visible control, tab or menu of ``win`` holds."""
    held: dict[str, list[str]] = {}
    controls = [*win.findChildren(QAbstractButton), *win.findChildren(QLabel)]
    texts = [w.text() for w in controls if w.isVisibleTo(win)]
    for bar in win.findChildren(QTabBar):
        if bar.isVisibleTo(win):
            texts += [f"tab {bar.tabText(n)}" for n in range(bar.count())]
    texts += [f"menu {a.text()}" for a in win.findChild(QMenuBar).actions()]
    for text in texts:
        letter = re.search(r"&([^&\s])", text)
        if letter:
            held.setdefault(letter.group(1).lower(), []).append(text)
    return {letter: texts for letter, texts in held.items() if len(texts) > 1}


@contextmanager
def shown(
    qtbot: QtBot, db_path: Path, user: str, password: str = USER_PW, kind: type = MainWindow
) -> Iterator[QMainWindow]:
    """``user``'s window, signed in and shown."""
    services = open_app(db_path, user, password)
    try:
        win = kind(services)
        qtbot.addWidget(win)
        win.show()
        yield win
    finally:
        services.close()


def test_each_page_of_a_supervisor_s_window_has_each_alt_letter_once(
    qtbot: QtBot, db_path: Path
) -> None:
    submitted = submit_screening(db_path)
    with shown(qtbot, db_path, "sol") as win:
        assert isinstance(win, MainWindow)
        assert clashes(win) == {}, "the list"
        win.open_screening(submitted)  # with Approve, Return, Add outcome, Child record
        assert clashes(win) == {}, "a submitted screening, as its reviewer sees it"
        for show in (win.show_queue, win.show_statistics, win.show_links):
            show()
            assert clashes(win) == {}, show.__name__
        win.show_statistics()  # as on a computer connected to a team server: "Figures for"
        figures = win.page("stats")
        assert isinstance(figures, StatisticsView)
        for label in figures.findChildren(QLabel):
            if label.buddy() is figures.whose:
                label.setVisible(True)
        figures.whose.setVisible(True)
        assert clashes(win) == {}, "statistics, connected"


def test_the_administrator_s_window_has_each_alt_letter_once(qtbot: QtBot, db_path: Path) -> None:
    with shown(qtbot, db_path, "admin", ADMIN_PW, AdminWindow) as win:
        assert clashes(win) == {}


def test_each_page_of_the_form_has_each_alt_letter_once(qtbot: QtBot, db_path: Path) -> None:
    submitted = submit_screening(db_path)
    with shown(qtbot, db_path, "kit") as win:
        assert isinstance(win, MainWindow)
        win.open_screening(submitted)  # its author's: Amend, Share with, Referral PDF…
        assert clashes(win) == {}, "a submitted screening, as its author sees it"
        win.new_screening()
        assert win.screening_page is not None
        view = win.screening_page.form_view
        for section in [*view.pages, CHECK_PAGE]:
            view.go_to(section)
            assert clashes(win) == {}, section
