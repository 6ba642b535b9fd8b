"""The Links view: the same links as a table (keyboard, screen reader) and a drawing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from screening_app.ui.accessibility import missing_accessible_names
from screening_app.ui.links_view import LinksView
from tests.conftest import load_example, open_app
from tests.unit.test_links import (
    V2,
    linked,  # noqa: F401  (fixture)
    submit,
)

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
    phone = next(r for r in rows if r[0] == "Phone")
    assert phone[1:3] == ["07700 900123", "exact"]  # as people write it, not the stored key
    # the children by name, each with the screening that links them
    assert sorted(phone[3].split("; ")) == sorted(
        [f"Robin Example ({linked['kit']})", f"Sky Example ({linked['rowan']})"]
    )
    texts = {item.toPlainText() for item in view.scene.items() if hasattr(item, "toPlainText")}
    assert f"Robin Example\n{linked['kit']}" in texts and "Vehicle: AB12 CDE" in texts
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.table.setFocus()
    QApplication.processEvents()  # the first layout (and its fit) done
    before = view.drawing.transform().m11()
    qtbot.keyClick(view.table, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.drawing.transform().m11() == pytest.approx(before * 0.8)  # zoomed out
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


def test_a_child_screened_twice_is_one_node_of_the_drawing(
    qtbot: QtBot,
    db_path: Path,
    linked: dict[str, str],  # noqa: F811
) -> None:
    again = submit(db_path, "kit", "Robin", [{"kind": "phone", "number": "07700900123"}])
    sol = open_app(db_path, "sol")
    view = LinksView(sol, lambda _r: None)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.table.rowCount() == 4, timeout=10_000)
    phone = next(link for link in view.found if link.entity_kind == "phone")
    assert set(phone.references) == {linked["kit"], linked["rowan"], again}
    assert phone.children[again].node == phone.children[linked["kit"]].node  # the same child
    boxes = [
        item.toPlainText()
        for item in view.scene.items()
        if hasattr(item, "toPlainText") and item.toPlainText().startswith("Robin")
    ]
    assert boxes == ["\n".join(["Robin Example", *sorted([linked["kit"], again])])]
    sol.close()


def test_submitting_looks_for_links_off_the_gui_thread_and_says_one_was_found(
    qtbot: QtBot,
    db_path: Path,
    linked: dict[str, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from PySide6.QtWidgets import QMessageBox

    from screening_app.services.links import LinksService
    from screening_app.ui.operations import Changes
    from screening_app.ui.screening_page import ScreeningPage

    kit = open_app(db_path, "kit")
    answers = load_example(V2)["answers"]
    answers.update(
        child_first_name="Wren", entities_of_concern=[{"kind": "phone", "number": "07700 900123"}]
    )
    draft = kit.screenings.start()
    assert draft.form_version == 4  # a new screening uses the newest form
    newest = kit.registry.latest("cse-risk-screening")
    answers = {q: v for q, v in answers.items() if q in newest.index}  # what version 4 asks
    for question, value in answers.items():
        kit.screenings.save_answer(draft.row.id, question, value)
    threads: list[threading.Thread] = []
    looked = LinksService.a_supervisor_will_be_told

    def spy(self: LinksService, screening_id: int) -> bool:
        threads.append(threading.current_thread())
        return looked(self, screening_id)

    monkeypatch.setattr(LinksService, "a_supervisor_will_be_told", spy)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    page = ScreeningPage(kit, kit.screenings.get(draft.row.id), Changes())
    qtbot.addWidget(page)
    monkeypatch.setattr(ScreeningPage, "_submit_anyway", lambda _self, _missing: True)
    page.submit()
    assert not page.isEnabled()  # submitted: nothing to press while links are looked for
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert threads and threads[0] is not threading.main_thread()
    assert "a supervisor will be told of a possible link" in told[0]
    assert page.isEnabled()
    kit.close()


def test_another_team_holding_the_same_phone_is_shown_by_name_and_whom_to_ask(
    qtbot: QtBot,
    db_path: Path,
    linked: dict[str, str],  # noqa: F811
) -> None:
    """What the team server last said (tests/server/test_organisation_links.py proves the
    saying): the phone of North's screenings is also in two of South's."""
    from screening_app.storage import org_links_repo

    sol = open_app(db_path, "sol")
    kit_id = sol.screenings.id_of(linked["kit"])
    with sol.session.write("test") as db:
        org_links_repo.replace_links(
            db, [("ab" * 32, kit_id, "phone", "+447700900123", "South", 2, "lou")]
        )
    view = LinksView(sol, lambda _r: None)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.table.rowCount() == 4, timeout=10_000)
    rows = [[view.table.item(r, c).text() for c in range(5)] for r in range(view.table.rowCount())]
    phone = next(r for r in rows if r[0] == "Phone")
    assert phone[4] == "Team South (2 screenings, ask lou)"
    others = [r[4] for r in rows if r[0] != "Phone"]
    assert others == ["", "", ""]
    texts = {item.toPlainText() for item in view.scene.items() if hasattr(item, "toPlainText")}
    assert "Team South (2 screenings, ask lou)" in texts
    sol.close()


def test_a_drawing_of_over_500_nodes_is_laid_out_cluster_by_cluster(qtbot: QtBot) -> None:
    """networkx lays out 500 nodes or more with SciPy, which the app does not ship: the drawing
    lays out each cluster on its own (rings for a large one), side by side: no two children's
    boxes on one another, and clusters apart."""
    from PySide6.QtWidgets import QGraphicsScene

    from screening_app.services.links import Child, Link
    from screening_app.ui.links_drawing import draw

    def link(kind: str, key: str, references: list[str]) -> Link:
        children = {r: Child(r, f"Child {r}") for r in references}
        return Link(kind, key, "exact", references, children)

    big = link("phone", "+447700900001", [f"B-{i:04d}" for i in range(450)])
    small = [link("vehicle", f"AB{i:02d}CDE", [f"S-{i}-a", f"S-{i}-b"]) for i in range(200)]
    scene = QGraphicsScene()
    draw(scene, [big, *small])
    boxes = [  # the children's boxes (each holds its label; an entity's label stands alone)
        item
        for item in scene.items()
        if type(item).__name__ == "QGraphicsRectItem" and item.childItems()
    ]
    assert len(boxes) == 450 + 400  # every child drawn
    frames = {}
    for item in boxes:
        text = item.childItems()[0].toPlainText()
        frames[text.split("\n")[1]] = item.sceneBoundingRect()
    ring = [frames[f"B-{i:04d}"] for i in range(450)]
    ring_area = ring[0].united(ring[1])
    for frame in ring[2:]:
        ring_area = ring_area.united(frame)
    pair = frames["S-0-a"].united(frames["S-0-b"])
    assert not ring_area.intersects(pair)  # the clusters sit apart
    touching = [(a, b) for i, a in enumerate(ring) for b in ring[i + 1 :] if a.intersects(b)]
    assert touching == []  # 450 children of one phone: none drawn on another
