"""Turn text a person typed into safe Paragraph markup and flowables.

reportlab's Paragraph parses markup: a name typed as ``<b>Ann</b>`` would turn bold (or crash the
build) and ``<img src="...">`` would embed a local file. Every piece of user text therefore goes
through :func:`to_markup`, which escapes it, and which replaces characters the font cannot draw
with a visible written fallback (``[emoji: money bag]``, ``[U+0000]``) instead of empty boxes.

Arabic and Hebrew are shaped by reportlab itself (``shaping=1`` uses uharfbuzz to join the
letters and order the words right to left); it is switched on only for paragraphs that need it,
because shaping every paragraph would triple the rendering time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from screening_app.export.fonts import FontSet

FALLBACK_COLOUR = "#5a5a5a"
ZWJ = "\u200d"
# Invisible characters that only change how the previous emoji looks (variation selectors,
# skin tones): dropped after an emoji that is written out in words.
_EMOJI_MODIFIERS = frozenset(
    [*range(0xFE00, 0xFE10), *range(0x1F3FB, 0x1F400), *range(0xE0100, 0xE01F0)]
)
# Characters that reorder text without being seen: shown, so nothing can hide in a name.
_BIDI_OVERRIDES = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Scripts reportlab must shape (join letters, order right to left): Hebrew, Arabic, Syriac,
# Thaana, NKo and their presentation forms.
_SHAPED_RANGES = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


@dataclass(frozen=True)
class Run:
    """A stretch of text drawn as typed, or a written stand-in for characters the font lacks."""

    text: str
    fallback: bool = False


def clean(text: str) -> str:
    """Line endings as ``\\n`` and tabs as spaces (Paragraph ignores both anyway)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")


def runs(text: str, fonts: FontSet) -> list[Run]:
    """Split ``text`` into drawable runs and fallback runs (see module docstring)."""
    out: list[Run] = []
    plain: list[str] = []
    for kind, piece in _pieces(text, fonts):
        if kind == "plain":
            plain.append(piece)
            continue
        if plain:
            out.append(Run("".join(plain)))
            plain = []
        out.append(Run(piece, fallback=True))
    if plain:
        out.append(Run("".join(plain)))
    return out


def _pieces(text: str, fonts: FontSet) -> Iterator[tuple[str, str]]:
    i = 0
    while i < len(text):
        char = text[i]
        code = ord(char)
        if char == "\n" or (fonts.can_draw(char) and code not in _BIDI_OVERRIDES):
            yield "plain", char
            i += 1
            continue
        if _is_emoji(char):
            names, i = _emoji_sequence(text, i)
            yield "fallback", f"[emoji: {' + '.join(names)}]"
            continue
        i += 1
        if code in _EMOJI_MODIFIERS:
            continue  # a stray selector on its own draws nothing anyway
        yield "fallback", f"[U+{code:04X}]"


def _is_emoji(char: str) -> bool:
    return unicodedata.category(char) == "So"


def _emoji_sequence(text: str, start: int) -> tuple[list[str], int]:
    """Names of one emoji and any joined to it with ZWJ; returns the index after them."""
    names = [_name(text[start])]
    i = start + 1
    while i < len(text):
        code = ord(text[i])
        if code in _EMOJI_MODIFIERS:
            i += 1
        elif text[i] == ZWJ and i + 1 < len(text) and _is_emoji(text[i + 1]):
            names.append(_name(text[i + 1]))
            i += 2
        else:
            break
    return names, i


def _name(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}").lower()


def to_markup(text: str, fonts: FontSet) -> str:
    """Escaped Paragraph markup for ``text``; fallbacks in grey."""
    parts = []
    for run in runs(clean(text), fonts):
        if run.fallback:
            parts.append(f'<font color="{FALLBACK_COLOUR}">{escape(run.text)}</font>')
        else:
            parts.append(escape(run.text))
    return "".join(parts)


def plain_text(text: str, fonts: FontSet) -> str:
    """``text`` with fallbacks written in, for canvas strings (which are not markup)."""
    return "".join(run.text for run in runs(clean(text), fonts))


def needs_shaping(text: str) -> bool:
    return any(lo <= ord(c) <= hi for c in text for lo, hi in _SHAPED_RANGES)


def is_right_to_left(text: str) -> bool:
    """True when the first strongly directional character is right-to-left (Unicode P2)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def style_for(text: str, style: ParagraphStyle) -> ParagraphStyle:
    """``style``, or a shaped (and right-aligned when RTL) copy for Arabic or Hebrew text."""
    if not needs_shaping(text):
        return style
    changes: dict[str, object] = {"shaping": 1}
    if is_right_to_left(text):
        changes["alignment"] = TA_RIGHT
    return ParagraphStyle(f"{style.name}-shaped", parent=style, **changes)


def paragraph(text: str, style: ParagraphStyle, fonts: FontSet) -> Paragraph:
    """One Paragraph of user text (newlines become line breaks)."""
    markup = to_markup(text, fonts).replace("\n", "<br/>")
    return Paragraph(markup, style_for(text, style))


def paragraphs(text: str, style: ParagraphStyle, fonts: FontSet) -> list[Paragraph]:
    """Long user text as one Paragraph per line, so it flows across pages line by line."""
    lines = [line.strip() for line in clean(text).split("\n")]
    return [Paragraph(to_markup(line, fonts), style_for(line, style)) for line in lines if line]
