"""The list's words, the status bar's counts and the Overdue filter come from one rule.

Before, with two screenings of one child, the list said "Overdue since …" on the older one while
the status bar and the Overdue filter (which look only at the child's newest) said 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from screening_app.services.model import ListQuery
from screening_app.ui.main_window import MainWindow
from screening_app.ui.screenings_model import COLUMNS
from tests.conftest import open_app, submit_screening

pytestmark = pytest.mark.gui
REASSESS = [key for _label, key in COLUMNS].index("reassess")


def test_list_text_status_bar_and_filter_agree_for_a_child_screened_twice(
    qtbot: QtBot, db_path: Path
) -> None:
    older = submit_screening(db_path, screening_date="2025-06-01")  # its date has passed
    newer = submit_screening(db_path, screening_date="2026-11-20")  # replaces it
    services = open_app(db_path)
    try:
        win = MainWindow(services)
        qtbot.addWidget(win)
        model = win.list_page.model
        texts = {row.id: model.text(row, REASSESS) for row in model.rows}
        due, overdue = services.listing.reassessment_counts()
        shown_overdue = [sid for sid, text in texts.items() if text.startswith("Overdue")]
        assert overdue == len(shown_overdue) == 0
        assert "replaced by a later screening" in texts[older]
        assert not texts[newer].startswith(("Overdue", "Due"))
        assert services.listing.count(ListQuery(due="overdue")) == 0
        assert "0 overdue" in win.statusBar().currentMessage()
        assert f"{due} due" in win.statusBar().currentMessage()
    finally:
        services.close()
