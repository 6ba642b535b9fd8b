"""Fuzz answers through validation, scoring and the referral PDF.

Valid answers with arbitrary text (any Unicode, markup, control characters) must render; the
text must come out of the PDF as typed (where the font can draw it). Nothing but the project's
own errors may escape.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from screening_app.domain.answers import validate
from screening_app.domain.forms import Form
from screening_app.domain.scoring import score
from screening_app.errors import ScreeningError
from screening_app.export.model import ReferralInput
from screening_app.export.referral_pdf import render_referral
from tests.conftest import TODAY, base_answers

TEXT_FIELDS = (
    "child_known_as",
    "child_address",
    "concern_summary",
    "protective_factors",
    "persons_of_concern",
    "child_words",
)
words = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=120,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.dictionaries(st.sampled_from(TEXT_FIELDS), words, min_size=1, max_size=4),
    st.sampled_from(["no", "yes", "not_known"]),
)
def test_any_text_renders_a_referral(form: Form, texts: dict[str, str], danger: str) -> None:
    answers: dict[str, Any] = base_answers(immediate_danger=danger)
    answers.update({k: v for k, v in texts.items() if v.strip()})
    try:
        validate(form, answers, TODAY)
        data = ReferralInput(
            form=form,
            answers=answers,
            result=score(form, answers),
            reference="CSE-2026-000009",
            generated_at=dt.datetime(2026, 11, 24, 12, 0),
        )
        pdf = render_referral(data)
    except ScreeningError:
        return
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Score breakdown" in text
    ascii_words = [w for v in texts.values() for w in v.split() if w.isascii() and w.isalnum()]
    for word in ascii_words[:5]:
        assert word in text
