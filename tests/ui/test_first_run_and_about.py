"""First run (administrator + one-time recovery key) and the About dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from screening_app import __version__
from screening_app.app import sign_in
from screening_app.domain.passwords import MIN_ACCOUNT_PASSWORD, account_password_hint
from screening_app.services.access import create_database
from screening_app.services.model import FAST_KDF
from screening_app.ui.about import AboutDialog, about_text
from screening_app.ui.accessibility import missing_accessible_names
from screening_app.ui.first_run import FirstRunDialog, RecoveryKeyDialog

pytestmark = pytest.mark.gui


def test_first_run_creates_the_admin_and_shows_the_key_once(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.db"
    shown: list[str] = []

    def record(dialog: RecoveryKeyDialog) -> int:
        assert not dialog.go.isEnabled()  # cannot continue before ticking "stored safely"
        dialog.stored.setChecked(True)
        assert dialog.go.isEnabled()
        shown.append(dialog.key)
        return 1

    monkeypatch.setattr(RecoveryKeyDialog, "exec", record)
    dialog = FirstRunDialog(
        lambda name, password: create_database(path, name, password, kdf=FAST_KDF),
        account_password_hint,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert missing_accessible_names(dialog) == []
    dialog.password.setText("a-long-admin-password")
    dialog.repeat.setText("a-different-one")
    dialog.submit()
    assert "different" in dialog.error.text() and not path.exists()
    dialog.repeat.setText("a-long-admin-password")
    # The hint speaks of the account minimum, not the referral PDF's twelve characters.
    dialog.password.setText("short")
    assert f"at least {MIN_ACCOUNT_PASSWORD} characters" in dialog.strength.text()
    assert "PDF" not in dialog.strength.text()
    dialog.password.setText("a-long-admin-password")
    assert dialog.strength.text().startswith("Strong")
    dialog.submit()
    qtbot.waitUntil(lambda: bool(shown))
    assert dialog.admin_name == "admin" and len(shown[0]) == 29
    sign_in(path, "admin", "a-long-admin-password", kdf=FAST_KDF).close()


def test_about_names_version_forms_and_licences(qtbot: QtBot) -> None:
    text = about_text([("cse-risk-screening", 1, "CSE risk screening")])
    assert __version__ in text and "cse-risk-screening version 1" in text
    assert "LGPL" in text and "DejaVu" in text and "MIT" in text and "reportlab" in text
    dialog = AboutDialog([("cse-risk-screening", 1, "CSE risk screening")])
    qtbot.addWidget(dialog)
    assert missing_accessible_names(dialog) == []
