"""The Links view: the same links as a table (keyboard, screen reader) and a drawing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from screening_app.ui.accessibility import missing_accessible_names
from screening_app.ui.links_view import LinksView
from tests.conftest import open_app
from tests.unit.test_links import linked  # noqa: F401  (fixture)

pytestmark = pytest.mark.gui


def test_the_table_and_the_drawing_show_the_links(
    qtbot: QtBot,
    db_path: Path,
    linked: dict[str, str],  # noqa: F811
) -> None:
    sol = open_app(db_path, "sol")
    opened: list[str] = []
    view = LinksView(sol, opened.append)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.table.rowCount() == 4, timeout=10_000)
    assert missing_accessible_names(view) == []
    rows = [[view.table.item(r, c).text() for c in range(4)] for r in range(view.table.rowCount())]
    assert ["Phone", "+447700900123", "exact", f"{linked['kit']}, {linked['rowan']}"] in [
        [r[0], r[1], r[2], ", ".join(sorted(r[3].split(", ")))] for r in rows
    ]
    texts = {item.toPlainText() for item in view.scene.items() if hasattr(item, "toPlainText")}
    assert linked["kit"] in texts and "Vehicle: AB12CDE" in texts
    view.strength.setCurrentIndex(view.strength.findData("possible"))
    assert {r.strength for r in view.shown()} == {"possible"}
    assert view.table.rowCount() == 2
    sol.close()


def test_a_link_opens_a_screening_or_a_childs_record(
    qtbot: QtBot,
    db_path: Path,
    linked: dict[str, str],  # noqa: F811  (the fixture)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QInputDialog

    sol = open_app(db_path, "sol")
    screenings: list[str] = []
    children: list[str] = []
    view = LinksView(sol, screenings.append, open_child=children.append)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.table.rowCount() == 4, timeout=10_000)
    view.table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][-1], True))
    view.open_chosen()
    view.open_chosen(child=True)
    assert screenings and children and screenings == children  # the last screening of the link
    assert screenings[0] in view.shown()[0].references
    sol.close()
