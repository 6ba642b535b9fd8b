"""Help → About: version, installed forms, licence and third-party licences."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from screening_app import __version__

THIRD_PARTY = (
    ("Qt 6 and PySide6", "LGPL v3 (dynamically linked; you may replace the Qt libraries)"),
    ("SQLCipher (via sqlcipher3)", "BSD-style licence"),
    ("sqlite-utils", "Apache 2.0"),
    ("reportlab", "BSD licence"),
    ("pypdf", "BSD licence"),
    ("argon2-cffi, cryptography", "MIT / Apache 2.0 and BSD"),
    ("pydantic, PyYAML, platformdirs, uharfbuzz", "MIT / Apache 2.0"),
    ("DejaVu Sans fonts", "Bitstream Vera / DejaVu font licence (resources/fonts)"),
)


def about_text(forms: list[tuple[str, int, str]]) -> str:
    form_lines = "".join(f"<li>{fid} version {ver}: {title}</li>" for fid, ver, title in forms)
    licences = "".join(f"<li>{name}: {text}</li>" for name, text in THIRD_PARTY)
    return (
        f"<h2>CSE Screening {__version__}</h2>"
        "<p>A child sexual exploitation risk screening tool that works offline and keeps "
        "everything in an encrypted database on this computer.</p>"
        f"<p><b>Installed forms</b></p><ul>{form_lines}</ul>"
        "<p><b>Licence:</b> MIT (see the LICENSE file).</p>"
        f"<p><b>Third-party software</b></p><ul>{licences}</ul>"
    )


class AboutDialog(QDialog):
    def __init__(self, forms: list[tuple[str, int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About CSE Screening")
        layout = QVBoxLayout(self)
        text = QLabel(about_text(forms), self)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
