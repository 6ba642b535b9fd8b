"""Type sizes, colours and paragraph styles of the referral.

One clear hierarchy: a 16 pt title, 11.5 pt numbered section headings with a rule, 9.5 pt body,
8.5 pt grey labels. Band colours follow the band's rank (green to red), but the band is always
written as a word too, because referrals are printed in black and white and read by people who
do not see red and green apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from screening_app.export.fonts import FontSet

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
HEADING = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef1f4")
GRID = colors.HexColor("#c8ced6")
DANGER = colors.HexColor("#b00020")

# (background, text) from the lowest band to the highest.
BAND_PALETTE = (
    (colors.HexColor("#2e7d32"), colors.white),  # green
    (colors.HexColor("#f2c744"), INK),  # yellow: dark text for contrast
    (colors.HexColor("#e06c00"), colors.white),  # amber
    (colors.HexColor("#b71c1c"), colors.white),  # red
)

PAGE_MARGIN = 18 * mm
LABEL_WIDTH = 50 * mm


def band_colours(rank: int, count: int) -> tuple[colors.Color, colors.Color]:
    """Colours for the band of ``rank`` among ``count`` bands (spread over the palette)."""
    if count <= 1:
        return BAND_PALETTE[-1]
    index = round(rank * (len(BAND_PALETTE) - 1) / (count - 1))
    return BAND_PALETTE[max(0, min(index, len(BAND_PALETTE) - 1))]


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_bold: ParagraphStyle
    label: ParagraphStyle
    small: ParagraphStyle
    caption: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    band_word: ParagraphStyle
    band_caption: ParagraphStyle
    danger: ParagraphStyle
    cell_head: ParagraphStyle
    centre: ParagraphStyle


def make_styles(fonts: FontSet) -> Styles:
    regular, bold = fonts.regular, fonts.bold
    body = ParagraphStyle(
        "body", fontName=regular, fontSize=9.5, leading=12.5, textColor=INK, spaceAfter=2
    )
    return Styles(
        body=body,
        body_bold=ParagraphStyle("body-bold", parent=body, fontName=bold),
        label=ParagraphStyle(
            "label", parent=body, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=0
        ),
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        caption=ParagraphStyle(
            "caption", parent=body, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=4
        ),
        title=ParagraphStyle(
            "title", parent=body, fontName=bold, fontSize=16, leading=20, textColor=HEADING
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontSize=9, leading=12, textColor=MUTED, spaceAfter=8
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=bold,
            fontSize=11.5,
            leading=14,
            textColor=HEADING,
            spaceBefore=12,
            spaceAfter=4,
            keepWithNext=1,
        ),
        band_word=ParagraphStyle(
            "band-word", parent=body, fontName=bold, fontSize=19, leading=23, alignment=TA_CENTER
        ),
        band_caption=ParagraphStyle(
            "band-caption", parent=body, fontName=bold, fontSize=8, leading=10, alignment=TA_CENTER
        ),
        danger=ParagraphStyle("danger", parent=body, fontName=bold, textColor=DANGER, fontSize=10),
        cell_head=ParagraphStyle(
            "cell-head", parent=body, fontName=bold, fontSize=8.5, leading=11, spaceAfter=0
        ),
        centre=ParagraphStyle("centre", parent=body, alignment=TA_CENTER, spaceAfter=0),
    )
