"""The referral's sections for form ``cse-risk-screening`` v1, in the order the SCU reads them.

The layout is tied to the question ids that docs/FORMS.md lists for version 1; every label and
option comes from the form itself. A form this module does not know gets the generic layout
(:mod:`layout_generic`) instead, so no answer is ever left out.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from screening_app.export.blocks import Cell, Kit, Section, answer_rows, kv_table, note, text_block
from screening_app.export.entity_table import entity_table
from screening_app.export.wording import (
    CONSENT_NOT_ANSWERED,
    format_date,
    format_datetime,
    initials,
)

FORM_KEYS = frozenset({("cse-risk-screening", 1), ("cse-risk-screening", 2)})
ENTITIES = "entities_of_concern"  # version 2: a table by kind, before the free text

REFERRER = ("practitioner_name", "practitioner_role", "practitioner_agency", "practitioner_contact")
CONSENT = ("parent_aware", "parent_not_aware_reason", "child_aware")
CHILD = (
    "child_first_name",
    "child_last_name",
    "child_known_as",
    "child_dob",
    "child_gender",
    "child_ethnicity",
    "child_first_language",
    "child_address",
    "child_school",
    "child_nhs_number",
    "la_area",
    "care_status",
)
MISSING = (
    "missing_count_3m",
    "missing_count_12m",
    "missing_last_date",
    "missing_found_elsewhere",
    "missing_return_interview",
)
MODELS = "cse_models"
# (section heading, question shown as a row above the text, free-text question)
FREE_TEXT = (
    ("The child's own words", "disclosure", "child_words"),
    ("The concern", "immediate_danger", "concern_summary"),
    ("Strengths and protective factors", None, "protective_factors"),
    ("People, vehicles, places and online accounts of concern", None, "persons_of_concern"),
)
# Shown elsewhere: the screening date with the referrer, the judgement in the score section.
ELSEWHERE = ("screening_date", "dsl_consulted", "judged_band", "judgement_rationale")

LAWFUL_BASIS = (
    "<b>Sharing without consent.</b> Where a parent, carer or the child is not aware of this "
    "referral, or does not agree to it, the information is shared because the child may be at "
    "risk of significant harm and asking for consent could increase that risk or delay "
    "protection. Lawful basis: Data Protection Act 2018, Schedule 1, Part 2, paragraph 18 "
    "(safeguarding of children and of individuals at risk)."
)


def handles(form_id: str, version: int) -> bool:
    return (form_id, version) in FORM_KEYS


def placed_question_ids() -> frozenset[str]:
    """Every question id this layout prints (a test checks none of v1 is forgotten)."""
    ids = {*REFERRER, *CONSENT, *CHILD, *MISSING, MODELS, *ELSEWHERE, ENTITIES}
    for _title, row, long_text in FREE_TEXT:
        ids.update(q for q in (row, long_text) if q)
    return frozenset(ids)


def header_identity(kit: Kit) -> str:
    """Initials and date of birth for the page header (never the full name)."""
    who = initials(kit.value("child_first_name"), kit.value("child_last_name"))
    return f"Child: {who}  ·  born {format_date(kit.value('child_dob'))}"


def summary_rows(kit: Kit) -> list[tuple[str, str]]:
    """One line on the child and one on the referrer for the summary box."""
    child = _join(
        " ".join(
            str(part)
            for part in (kit.value("child_first_name"), kit.value("child_last_name"))
            if part
        ),
        f"age {kit.result.age}" if kit.result.age is not None else None,
        f"born {format_date(kit.value('child_dob'))}",
        kit.words("la_area"),
        kit.words("care_status"),
    )
    referrer = _join(
        kit.words("practitioner_name"),
        kit.words("practitioner_role"),
        kit.words("practitioner_agency"),
        kit.words("practitioner_contact"),
    )
    return [("Child", child), ("Referrer", referrer)]


def _join(*parts: str | None) -> str:
    return ", ".join(p for p in parts if p)


def sections(kit: Kit) -> list[Section]:
    return [
        Section("Referrer", _referrer(kit)),
        Section("Consent and information sharing", _consent(kit)),
        Section("The child", _child(kit)),
        Section(_section_title(kit, "missing_count_3m", "Missing episodes"), _missing(kit)),
        Section(_section_title(kit, MODELS, "Models of CSE"), _models(kit)),
        *(_free_text(kit, *spec) for spec in FREE_TEXT),
    ]


def _section_title(kit: Kit, question_id: str, fallback: str) -> str:
    try:
        return kit.form.section_of(question_id).title
    except KeyError:
        return fallback


def _referrer(kit: Kit) -> list[Flowable]:
    rows: list[tuple[str, Cell]] = answer_rows(kit, REFERRER)
    rows.append((kit.label("screening_date"), kit.words("screening_date")))
    rows.append(("Referral produced", format_datetime(kit.data.generated_at)))
    rows += answer_rows(kit, ("dsl_consulted",))
    return [kv_table(kit, rows)]


def _consent(kit: Kit) -> list[Flowable]:
    rows = [(label, value or CONSENT_NOT_ANSWERED) for label, value in answer_rows(kit, CONSENT)]
    return [kv_table(kit, rows), _gap(), note(kit, LAWFUL_BASIS)]


def _child(kit: Kit) -> list[Flowable]:
    rows = answer_rows(kit, CHILD)
    dob_label = kit.label("child_dob")
    if kit.result.age is not None:
        on = format_date(kit.value("screening_date"))
        rows = [
            (label, f"{value} (age {kit.result.age} on {on})" if label == dob_label else value)
            for label, value in rows
        ]
    return [kv_table(kit, rows)]


def _missing(kit: Kit) -> list[Flowable]:
    return [kv_table(kit, answer_rows(kit, MISSING))]


def _models(kit: Kit) -> list[Flowable]:
    question = kit.form.question(MODELS)
    chosen = kit.value(MODELS) or []
    if not chosen:
        return [kit.text(question.label, kit.styles.caption), kit.not_given()]
    options = {o.code: o for o in question.options or ()}
    rows = []
    for code in chosen:
        option = options.get(code)
        label = option.label if option else str(code)
        cell: list[Flowable] = [kit.text(label, kit.styles.body_bold)]
        if option and option.help:
            cell.append(kit.text(option.help, kit.styles.label))
        rows.append([Paragraph("•", kit.styles.body), cell])
    table = Table(rows, colWidths=[12, kit.width - 12], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [kit.text(question.label, kit.styles.caption), table]


def _free_text(kit: Kit, title: str, row_id: str | None, text_id: str) -> Section:
    content: list[Flowable] = []
    if row_id and row_id in kit.result.evaluation.relevant:
        content += [kv_table(kit, answer_rows(kit, (row_id,))), _gap()]
    if text_id == "persons_of_concern" and ENTITIES in kit.form.index:
        content += entity_table(kit, kit.value(ENTITIES) or [])
    value = kit.value(text_id)
    content += text_block(kit, kit.label(text_id), value if isinstance(value, str) else None)
    return Section(title, content)


def _gap() -> Flowable:
    return Spacer(1, 5)
