"""What code knows of the CSE checklist by name: its form id and the few question ids that feed
list columns or that the demo generator fills in (docs/FORMS.md). Everything else about the
checklist is data in ``forms/``.
"""

from __future__ import annotations

from screening_app.domain.forms import Form, Question

FORM_ID = "cse-risk-screening"
CONTEXT_FORM_ID = "context-screening"  # a place, route, online space or group of young people

FIRST_NAME = "child_first_name"
LAST_NAME = "child_last_name"
DATE_OF_BIRTH = "child_dob"
AREA = "la_area"
SCREENING_DATE = "screening_date"
PRACTITIONER_ROLE = "practitioner_role"
PRACTITIONER_AGENCY = "practitioner_agency"
CSE_MODELS = "cse_models"
MISSING_3_MONTHS = "missing_count_3m"
MISSING_12_MONTHS = "missing_count_12m"
DISCLOSURE = "disclosure"
IMMEDIATE_DANGER = "immediate_danger"

NAME_FIELDS = (FIRST_NAME, LAST_NAME)
# Answers copied into the list's columns whenever a draft changes.
LIST_FIELDS = frozenset({*NAME_FIELDS, DATE_OF_BIRTH, AREA, SCREENING_DATE})


def name_fold(first: str, last: str) -> str:
    """How two records of the same child are recognised by name (with the date of birth)."""
    return f"{first} {last}".casefold().strip()


def child_identity(first: str, last: str, dob: str) -> str:
    """The text a child's tag is made from (the team server counts children by that tag)."""
    return f"child|{name_fold(first, last)}|{dob}"


def models_question(form: Form) -> Question | None:
    """The form's question of the models of exploitation (its id is ``CSE_MODELS``), or None
    for a form that does not ask it (a place or group screening). Statistics, area profiles and
    the server's figures all find it here, by its id, not by its place in the form."""
    return form.question(CSE_MODELS) if CSE_MODELS in form.index else None
