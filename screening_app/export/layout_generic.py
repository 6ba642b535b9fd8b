"""The referral's sections for a form version without a tailored layout: every section of the
form in order, every relevant question with its answer. Plainer than the tailored layout, but it
never leaves an answer out.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from screening_app.domain.forms import Section as FormSection
from screening_app.export.blocks import Cell, Kit, Section, kv_table, text_block
from screening_app.export.wording import format_date, initials

# Common names for the child's name questions; a generic form may use others.
_FIRST_NAMES = ("child_first_name", "first_name")
_LAST_NAMES = ("child_last_name", "last_name")


def header_identity(kit: Kit) -> str:
    """The page header's subject: a child's initials and date of birth (never the full name),
    or the place or group a context screening is of."""
    if kit.form.subject == "context":
        return f"Place or group: {kit.form.subject_name(kit.data.answers)}"
    first = next((kit.value(q) for q in _FIRST_NAMES if kit.value(q)), None)
    last = next((kit.value(q) for q in _LAST_NAMES if kit.value(q)), None)
    born = format_date(kit.value(kit.form.age.date_of_birth or ""))
    return f"Child: {initials(first, last)}  ·  born {born}"


def sections(kit: Kit) -> list[Section]:
    return [Section(s.title, _content(kit, s)) for s in kit.form.sections if not s.score_group]


def _content(kit: Kit, section: FormSection) -> list[Flowable]:
    relevant = kit.result.evaluation.relevant
    rows: list[tuple[str, Cell]] = []
    blocks: list[Flowable] = []
    for question in section.questions:
        if question.id not in relevant:
            continue
        if question.type == "long_text":
            value = kit.value(question.id)
            blocks += text_block(kit, question.label, value if isinstance(value, str) else None)
        else:
            rows.append((question.label, kit.words(question.id)))
    out: list[Flowable] = [kv_table(kit, rows)] if rows else []
    return out + blocks
