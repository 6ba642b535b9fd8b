"""The app's look: calm, plain, with a strong focus ring; works with light and dark palettes.

Colours come from the palette where they carry no meaning; error and warning boxes use a thick
left border and words ("Error:", "Important:") as well as colour, so no meaning rests on colour.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

FOCUS = "#ffbf47"  # GOV.UK focus yellow: strong on dark backgrounds
FOCUS_ON_LIGHT = "#1d4ed8"  # deep blue: 3:1+ on white and light grey
ERROR = "#b3261e"  # 4.5:1+ on white and light grey
ERROR_ON_DARK = "#ff8a80"  # 4.5:1+ on dark backgrounds

_TEMPLATE = """
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QListView:focus, QListWidget:focus,
QTableView:focus, QGraphicsView:focus,
QAbstractScrollArea:focus, QTabBar::tab:focus {{ border: 3px solid {FOCUS}; }}
QPushButton:focus, QToolButton:focus, QRadioButton:focus, QCheckBox:focus {{
    border: 3px solid {FOCUS}; border-radius: 3px; }}
QToolButton[popupMode="2"] {{ padding-right: 16px; }}
QPushButton {{ padding: 5px 14px; border: 1px solid palette(mid); border-radius: 3px;
    background: palette(button); min-height: 20px; }}
QPushButton:disabled {{ color: palette(mid); }}
QPushButton#primaryButton {{ background: #00703c; color: white; font-weight: bold;
    border: 2px solid #002d18; }}
QPushButton#primaryButton:focus {{ border: 3px solid {FOCUS}; }}
QPushButton#errorLink {{ text-align: left; color: {ERROR}; text-decoration: underline;
    font-weight: bold; border: none; padding: 2px; }}
QPushButton#errorLink:focus {{ background: {FOCUS}; color: palette(base); }}
QFrame#errorSummary {{ border: 4px solid {ERROR}; padding: 8px; }}
QFrame#errorSummary:focus {{ border: 4px solid {FOCUS}; }}
QLabel#errorText {{ color: {ERROR}; font-weight: bold; border-left: 4px solid {ERROR};
    padding-left: 8px; }}
QLabel#errorBanner {{ border-left: 6px solid {ERROR}; padding: 8px; font-weight: bold; }}
QLabel#warningBox {{ border: 3px solid {ERROR}; padding: 8px; font-weight: bold; }}
QLabel#noteBox {{ border-left: 6px solid #1d70b8; padding: 8px; }}
QLabel#callBox {{ border-top: 1px solid #b1b4b6; padding-top: 6px; font-weight: bold; }}
QLabel#bandWord {{ font-size: 16pt; font-weight: bold; }}
QLabel#caption {{ font-style: italic; }}
QLabel#demoBanner {{ background: #1d70b8; color: white; font-weight: bold; padding: 4px 8px; }}
QFrame#scorePanel {{ border-left: 1px solid palette(mid); padding-left: 8px; }}
QLabel#pageHeading {{ border: 3px solid transparent; padding: 0 4px; }}
QLabel#pageHeading:focus, QLabel:focus {{ border: 3px solid {FOCUS}; }}
"""


def stylesheet(dark: bool) -> str:
    return (
        _TEMPLATE.replace("{{", "\x00")
        .replace("}}", "\x01")
        .replace("{FOCUS}", FOCUS if dark else FOCUS_ON_LIGHT)
        .replace("{ERROR}", ERROR_ON_DARK if dark else ERROR)
        .replace("\x00", "{")
        .replace("\x01", "}")
    )


def is_dark(palette: QPalette) -> bool:
    return palette.window().color().lightness() < 128


def apply_style(app: QApplication | QGuiApplication) -> None:
    """Install the stylesheet (the palette itself is left to the system, dark or light).

    Error red is lighter on a dark palette so it keeps a 4.5:1 contrast.
    """
    if isinstance(app, QApplication):
        app.setStyleSheet(stylesheet(is_dark(app.palette())))
