"""The typeface the referral is set in: DejaVu Sans, shipped in ``resources/fonts``.

reportlab's built-in Helvetica has no ł, ŵ or Arabic, so a referral about a child called Łucja or
Dafydd would print boxes. DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew and Arabic. The fonts
are embedded (as subsets) in every PDF, so the page looks the same on any computer.

reportlab keeps registered fonts in its own process-wide table; registration here is idempotent,
so building a :class:`FontSet` twice costs only the glyph-table lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from screening_app.errors import ExportError, Problem

REGULAR_FILE = "DejaVuSans.ttf"
BOLD_FILE = "DejaVuSans-Bold.ttf"
REGULAR_NAME = "ReferralSans"
BOLD_NAME = "ReferralSans-Bold"


@dataclass(frozen=True)
class FontSet:
    """Registered font names and the characters both faces can draw."""

    regular: str
    bold: str
    charset: frozenset[int]

    def can_draw(self, char: str) -> bool:
        """True when the character has a glyph in both faces.

        Characters outside the Basic Multilingual Plane are refused even when the font has them:
        reportlab writes a malformed text map for them, so they would be drawn but lost when the
        PDF text is copied or searched. They get a visible written fallback instead.
        """
        code = ord(char)
        return code <= 0xFFFF and code in self.charset


def load_fonts(fonts_dir: Path) -> FontSet:
    """Register DejaVu Sans regular and bold from ``fonts_dir`` (idempotent)."""
    regular = _register(REGULAR_NAME, fonts_dir / REGULAR_FILE)
    bold = _register(BOLD_NAME, fonts_dir / BOLD_FILE)
    # <b> inside Paragraph markup picks the bold face; there is no italic face, so italic maps
    # to the upright one rather than failing.
    addMapping(REGULAR_NAME, 0, 0, REGULAR_NAME)
    addMapping(REGULAR_NAME, 1, 0, BOLD_NAME)
    addMapping(REGULAR_NAME, 0, 1, REGULAR_NAME)
    addMapping(REGULAR_NAME, 1, 1, BOLD_NAME)
    charset = frozenset(_codes(regular)) & frozenset(_codes(bold))
    return FontSet(regular=REGULAR_NAME, bold=BOLD_NAME, charset=charset)


def _register(name: str, path: Path) -> TTFont:
    if name in pdfmetrics.getRegisteredFontNames():
        return pdfmetrics.getFont(name)
    if not path.is_file():
        raise ExportError(
            "font file missing",
            [Problem(f"the font file {path.name} is missing; reinstall the app", "fonts")],
        )
    try:
        font = TTFont(name, str(path))
    except Exception as exc:  # reportlab raises TTFError or plain errors for a damaged file
        raise ExportError(
            "font file damaged",
            [
                Problem(
                    f"the font file {path.name} cannot be read ({exc.__class__.__name__}); "
                    "reinstall the app",
                    "fonts",
                )
            ],
        ) from None
    pdfmetrics.registerFont(font)
    return font


def _codes(font: TTFont) -> list[int]:
    return list(font.face.charToGlyph)
