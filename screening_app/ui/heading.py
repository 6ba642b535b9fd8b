"""A page's title, and the top of a page with its way back (WCAG 2.4.3, 2.4.6).

After every change of page, focus goes to its heading: a screen reader reads the title first and
Tab goes on from the top of the page. The heading is not a Tab stop of its own (GOV.UK's
``tabindex=-1``; ClickFocus rather than NoFocus, because Qt will not order the Tab chain from a
NoFocus widget), and shows a focus frame (style.py) like every focused control.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class PageHeading(QLabel):
    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(f"<h2>{escape(title)}</h2>", parent)
        self.setObjectName("pageHeading")
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def take_focus(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)


def page_top(
    page: QWidget, title: str, back: Callable[[], None] | None
) -> tuple[QHBoxLayout, PageHeading]:
    """A row with "Back to the list" (when ``back``) and the page's heading."""
    row = QHBoxLayout()
    heading = PageHeading(title, page)
    if back is not None:
        button = QPushButton("← &Back to the list", page)
        button.setAccessibleName("Back to the list")
        button.setAutoDefault(False)
        button.clicked.connect(back)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(heading, 1)
    return row, heading
