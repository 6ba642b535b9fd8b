"""Transfer to another setting in the window: from the child's page (named supervisor, a
password, the share, the file), File → Receive a transfer… at the other setting (the receipt
saved), and the receipt kept from the disclosure log, which then says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

import screening_app.ui.transfer_dialog as transfer_ui
from screening_app.domain import disclosure
from screening_app.services.model import ListQuery
from screening_app.ui.accessibility import missing_accessible_names
from screening_app.ui.child_page import ChildPage
from screening_app.ui.disclosure_dialog import DisclosureDialog
from screening_app.ui.transfer_dialog import TransferDialog
from tests.conftest import make_database, open_app, submit_screening
from tests.ui.test_review_ui import page_of, shown

pytestmark = pytest.mark.gui
PHRASE = "a long phrase sent apart"


def test_a_transfer_made_received_and_its_receipt_kept_in_the_window(
    qtbot: QtBot, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = submit_screening(db_path)
    out, receipt = tmp_path / "kit.cse-transfer", tmp_path / "receipt.json"
    sol = open_app(db_path, "sol")
    win = shown(qtbot, sol)
    win.open_screening(first)
    page_of(win).open_child()
    child_page = win.page("child")
    assert isinstance(child_page, ChildPage)

    def fill(dialog: TransferDialog) -> int:
        assert missing_accessible_names(dialog) == []
        # not connected to a team server: only a password can seal it, and it is chosen
        assert not dialog.by_keys.isEnabled() and dialog.by_password.isChecked()
        assert dialog.password.isEnabled()
        dialog.to.setText("lou")
        dialog.by_password.setChecked(True)
        dialog.password.setText(PHRASE)
        dialog.again.setText("a different phrase")
        dialog._check()
        assert "The two passwords differ" in dialog.error.text()
        dialog.again.setText(PHRASE)
        dialog._check()
        return int(dialog.result())

    monkeypatch.setattr(TransferDialog, "exec", fill)
    share = disclosure.make("Westbrook Academy DSL", "a move of school", "consent_given")
    monkeypatch.setattr(transfer_ui, "ask_share", lambda *_a: share)
    monkeypatch.setattr(transfer_ui, "save_path", lambda *_a: out)
    button = next(b for b in child_page.findChildren(QPushButton) if "Transfer" in b.text())
    button.click()
    qtbot.waitUntil(lambda: child_page.saved.isVisibleTo(child_page), timeout=10_000)
    assert out.exists()
    win.close()
    sol.close()

    other = make_database(tmp_path / "westbrook", (("lou", "supervisor", "Westbrook"),))
    lou = open_app(other, "lou")
    win = shown(qtbot, lou)
    told: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(out), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: (PHRASE, True))
    monkeypatch.setattr(transfer_ui, "save_path", lambda *_a: receipt)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    win.receive_transfer()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert told[0].startswith("From sol (North): 1 screening(s) are stored as CSE-2026-000001.")
    assert "The receipt is saved as receipt.json: send it to sol." in told[0]
    assert receipt.exists()
    assert [r.child_name for r in lou.listing.list(ListQuery())] == ["Kit Fictional"]
    win.close()
    lou.close()

    sol = open_app(db_path, "sol")
    win = shown(qtbot, sol)
    opened: list[DisclosureDialog] = []
    monkeypatch.setattr(DisclosureDialog, "exec", lambda self: opened.append(self) or 0)
    win.show_disclosures()
    log = opened[0]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(receipt), ""))
    log.keep_receipt()
    qtbot.waitUntil(
        lambda: log.status.text().startswith("Receipt kept: lou received"), timeout=10_000
    )
    assert log.table.item(0, 2).text().startswith("Transferred to another setting (receipt: lou,")
    assert missing_accessible_names(log) == []
    sol.close()
