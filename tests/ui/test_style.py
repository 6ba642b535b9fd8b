"""Colours carry WCAG 2.2 AA contrast in light and dark palettes."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from screening_app.ui.style import (
    ERROR,
    ERROR_ON_DARK,
    FOCUS,
    FOCUS_ON_LIGHT,
    is_dark,
    stylesheet,
)


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_error_text_contrast_light_and_dark() -> None:
    assert contrast(ERROR, "#ffffff") >= 4.5
    assert contrast(ERROR, "#efefef") >= 4.5
    assert contrast(ERROR_ON_DARK, "#202124") >= 4.5
    assert contrast(ERROR_ON_DARK, "#2b2c2f") >= 4.5


def test_focus_ring_is_visible_on_both() -> None:
    assert contrast(FOCUS, "#202124") >= 3
    assert contrast(FOCUS, "#1d1d1d") >= 3
    assert contrast(FOCUS_ON_LIGHT, "#ffffff") >= 3
    assert contrast(FOCUS_ON_LIGHT, "#efefef") >= 3


def test_stylesheet_picks_the_palette_red() -> None:
    assert ERROR_ON_DARK in stylesheet(dark=True) and ERROR not in stylesheet(dark=True)
    assert ERROR in stylesheet(dark=False)


def test_only_disabled_controls_use_the_faint_mid_grey_for_text() -> None:
    """palette(mid) on the window colour is about 2.3:1, too faint for text people must read."""
    for dark in (False, True):
        for rule in stylesheet(dark).split("}"):
            selector, _, body = rule.partition("{")
            if re.search(r"(?<![-\w])color:\s*palette\(mid\)", body):
                assert ":disabled" in selector, selector.strip()


@pytest.mark.gui
def test_a_focused_button_keeps_its_label_readable(qtbot: QtBot) -> None:
    """The focus ring goes round the button, not over its label (a stylesheet ``outline``
    made Qt paint a block of the focus colour over the text)."""
    holder = QWidget()
    qtbot.addWidget(holder)
    dark = is_dark(holder.palette())
    holder.setStyleSheet(stylesheet(dark))  # on this widget only: the app's is left alone
    layout = QVBoxLayout(holder)
    button = QPushButton("Focused button", holder)
    layout.addWidget(button)
    layout.addWidget(QPushButton("Other", holder))
    holder.show()
    qtbot.waitExposed(holder)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    image = button.grab().toImage()
    ring = QColor(FOCUS if dark else FOCUS_ON_LIGHT)
    inner = [
        image.pixelColor(x, y)
        for x in range(8, image.width() - 8)
        for y in range(8, image.height() - 8)
    ]
    edge = [image.pixelColor(x, 1) for x in range(8, image.width() - 8)]
    assert sum(c == ring for c in edge) > len(edge) // 2  # the ring is there
    assert sum(c == ring for c in inner) < len(inner) // 20  # and not over the label
