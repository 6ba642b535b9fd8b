"""Referral PDF vs a bare reportlab document of the same text, in the same run.

The referral does more (fonts embedded, escaping, tables, two-pass page numbering); the goal is
that it costs at most twice a plain document of the same words and stays under 150 ms.
Run: ``python -m benchmarks.bench_referral``.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from benchmarks.common import Measure, median_time, print_table
from screening_app.domain.registry import FormRegistry
from screening_app.domain.scoring import score
from screening_app.export.model import ReferralInput
from screening_app.export.referral_pdf import render_referral
from screening_app.paths import forms_dir

CONCERN = "Seen with older associates near the station after dark; new phone and clothes. " * 40


def _answers() -> dict[str, Any]:
    return {
        "child_first_name": "Kit",
        "child_last_name": "Fictional",
        "child_dob": "2011-03-10",
        "screening_date": "2026-11-20",
        "practitioner_name": "Lee Teacher",
        "practitioner_role": "teacher",
        "practitioner_agency": "Example School",
        "practitioner_contact": "01000 000000",
        "missing_count_3m": 1,
        "missing_count_12m": 3,
        "v_substance_use": "yes",
        "m_older_associates": "yes",
        "s_controlling_adult": "current",
        "cse_models": ["boyfriend_girlfriend"],
        "disclosure": "no",
        "immediate_danger": "no",
        "concern_summary": CONCERN,
        "protective_factors": "Trusted teacher; attends football club. " * 20,
    }


def _bare(text: str) -> bytes:
    out = io.BytesIO()
    style = getSampleStyleSheet()["BodyText"]
    doc = SimpleDocTemplate(out, pagesize=A4)
    doc.build([Paragraph(line, style) for line in text.splitlines() if line.strip()])
    return out.getvalue()


def run() -> list[Measure]:
    form = FormRegistry(forms_dir()).get("cse-risk-screening", 1)
    answers = _answers()
    data = ReferralInput(
        form=form,
        answers=answers,
        result=score(form, answers),
        reference="CSE-2026-000001",
        generated_at=dt.datetime(2026, 11, 24, 9, 0),
    )
    pdf = render_referral(data)  # also warms the font registration
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    pages = len(reader.pages)
    referral = median_time(lambda: render_referral(data), repeats=9)
    bare = median_time(lambda: _bare(text), repeats=9)
    return [
        Measure(
            f"Referral PDF ({pages} pages)",
            referral,
            bare,
            "s",
            "≤ 2× and < 150 ms",
            "bare reportlab, same text",
        )
    ]


if __name__ == "__main__":
    print_table(run())
