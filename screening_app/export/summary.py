"""The top of page one: title, and the summary box an officer reads in thirty seconds.

The box says the band as a word in large type (its colour only repeats it), what to do now, how
the band was reached (score, rules, the referrer's judgement), who the child and the referrer are,
and always "Call 999 if the child is in immediate danger".
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from screening_app.domain.contacts import with_999
from screening_app.domain.scoring import not_known_words
from screening_app.export.blocks import Kit
from screening_app.export.styles import DANGER, GRID, LABEL_WIDTH, SHADE, band_colours
from screening_app.export.wording import format_date, format_datetime

DANGER_TINT = colors.HexColor("#fdecee")


def title_block(kit: Kit) -> list[Flowable]:
    styles = kit.styles
    reference = escape(kit.data.reference)
    produced = format_datetime(kit.data.generated_at)
    to = (
        "To the police and the community safety partnership"
        if kit.form.subject == "context"
        else "To the police Safeguarding Coordination Unit (SCU)"
    )
    return [
        Paragraph(_title(kit), styles.title),
        Paragraph(
            f"{to} &#183; Reference <b>{reference}</b> &#183; Produced {produced}",
            styles.subtitle,
        ),
    ]


def _title(kit: Kit) -> str:
    if kit.form.subject == "context":  # contextual safeguarding: where, not who
        return "Place or group screening: where children may be exploited"
    if kit.form.counts_not_known:  # version 4 screens every kind of exploitation
        return "Referral: risk of child exploitation"
    return "Referral: risk of child sexual exploitation (CSE)"


def band_label(kit: Kit, code: str) -> str:
    try:
        return kit.form.band(code).label
    except KeyError:
        return code


def summary_box(kit: Kit, identity: list[tuple[str, str]], alert: str | None) -> Table:
    """The boxed summary; ``identity`` rows name the child and referrer, ``alert`` is urgent."""
    styles, result = kit.styles, kit.result
    operative = result.operative_band
    rank, count = kit.form.band_rank(operative), len(kit.form.bands)
    background, ink = band_colours(rank, count)
    band_word = band_label(kit, operative).upper()
    caption = "PROVISIONAL RISK BAND" if result.provisional else "RISK BAND"
    band_cell = [
        Paragraph(f'<font color="{_hex(ink)}">{caption}</font>', styles.band_caption),
        Paragraph(
            f'<font color="{_hex(ink)}">{escape(band_word)}</font>',
            _fitted(styles.band_word, band_word, LABEL_WIDTH - 14),
        ),
    ]
    action_cell: list[Flowable] = [
        Paragraph("Recommended action", styles.label),
        kit.text(result.action, styles.body_bold),
    ]
    if result.reassess_by:
        action_cell.append(
            Paragraph(f"Screen again by {format_date(result.reassess_by)}.", styles.small)
        )
    rows: list[list[object]] = [
        [band_cell, action_cell],
        [kit.text("How the band was reached", styles.label), kit.text(reached(kit))],
        [kit.text("Rules that raised the concern", styles.label), _rules_cell(kit)],
    ]
    if result.routes:  # version 4: harm already happening is referred now, whatever the score
        reasons: list[Flowable] = [kit.text(f"• {route.reason}") for route in result.routes]
        rows.insert(1, [kit.text("Refer now because", styles.label), reasons])
    if kit.form.types:  # version 4: the types of exploitation the answers show
        shown = kit.form.types_words(result.types)
        rows.insert(1, [kit.text("Types of exploitation", styles.label), kit.text(shown)])
    if result.counts_not_known:
        words = not_known_words(len(result.not_known), result.provisional)
        rows.append(
            [kit.text("Not known", styles.label), kit.text(words or "None: every sign answered.")]
        )
    for prompt in result.prompts:  # version 4: an NRM referral when trafficking signs show
        rows.insert(
            2, [kit.text("Also due", styles.label), kit.text(prompt.reason, styles.body_bold)]
        )
    if result.low_band_note:
        rows.append([kit.text("Remember", styles.label), kit.text(result.low_band_note)])
    rows += [[kit.text(label, styles.label), kit.text(value or "-")] for label, value in identity]
    place = kit.form.subject == "context"
    urgent = [kit.text(with_999(kit.data.contacts, place=place), styles.danger)]
    if alert:
        urgent.insert(0, kit.text(alert, styles.danger))
    rows.append([urgent, ""])
    table = Table(rows, colWidths=[LABEL_WIDTH, kit.width - LABEL_WIDTH], hAlign="LEFT")
    last = len(rows) - 1
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, background),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 0), (0, 0), "MIDDLE"),
                ("BACKGROUND", (0, 0), (0, 0), background),
                ("BACKGROUND", (0, 1), (0, last - 1), SHADE),
                ("LINEBELOW", (0, 0), (-1, last - 1), 0.4, GRID),
                ("SPAN", (0, last), (1, last)),
                ("BACKGROUND", (0, last), (1, last), DANGER_TINT),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, 0), 7),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 7),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TEXTCOLOR", (0, last), (-1, last), DANGER),
            ]
        )
    )
    return table


def reached(kit: Kit) -> str:
    """Score, calculated band, rules and judgement in one or two plain sentences."""
    r = kit.result
    calculated, final = band_label(kit, r.calculated_band), band_label(kit, r.final_band)
    judged, operative = band_label(kit, r.judged_band), band_label(kit, r.operative_band)
    text = f"Score {r.total} gives the calculated band {calculated}."
    if r.final_band != r.calculated_band:
        text += f" Rules raised it to {final}."
    rank = kit.form.band_rank
    if r.judged_band == r.final_band:
        return text + f" The referrer's professional judgement is also {judged}."
    if rank(r.judged_band) > rank(r.final_band):
        return text + f" The referrer judged the risk higher, {judged}, and that band applies."
    if r.awaiting_approval:
        return text + (
            f" The referrer judged it lower ({judged}); a lower judgement needs a supervisor's"
            f" approval, so {final} applies until then."
        )
    if r.operative_band == r.judged_band:
        return text + f" The referrer judged it lower ({judged}) and a supervisor approved it."
    return text + (
        f" The referrer judged it lower ({judged}), but a band set by a rule cannot be lowered,"
        f" so {operative} applies."
    )


def _rules_cell(kit: Kit) -> list[Flowable]:
    fired = kit.result.fired_rules
    if not fired:
        return [kit.text("None. The band comes from the score.")]
    modes = {rule.id: rule.mode for rule in kit.form.rules}
    out: list[Flowable] = []
    for rule in fired:
        band = band_label(kit, rule.band)
        effect = (
            f"sets the band to {band}"
            if modes.get(rule.id) == "set"
            else (f"raises the band to at least {band}")
        )
        out.append(kit.text(f"• {rule.reason} ({effect})"))
    return out


def _fitted(style: ParagraphStyle, word: str, width: float) -> ParagraphStyle:
    """``style`` shrunk so ``word`` fits on one line (a band word must never break)."""
    natural = pdfmetrics.stringWidth(word, style.fontName, style.fontSize)
    if natural <= width:
        return style
    size = style.fontSize * width / natural
    return ParagraphStyle(f"{style.name}-fit", parent=style, fontSize=size, leading=size * 1.2)


def _hex(colour: colors.Color) -> str:
    return "#" + str(colour.hexval())[2:]
