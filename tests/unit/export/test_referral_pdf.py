"""The referral PDF: content, escaping, encryption, pages, metadata and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from screening_app.cli import run
from screening_app.domain.forms import Form
from screening_app.domain.scoring import score
from screening_app.errors import ExportError
from screening_app.export.model import ReferralInput, ReviewInfo
from screening_app.export.referral_pdf import (
    encrypt_pdf,
    render_referral,
    write_referral,
)
from tests.conftest import base_answers, load_example
from tests.forms.test_forms import all_examples

HEADINGS = (
    "Referral: risk of child sexual exploitation (CSE)",
    "RISK BAND",
    "Call 999 if the child is in immediate danger.",
    "Referrer",
    "Consent and information sharing",
    "Schedule 1, Part 2, paragraph 18",
    "The child",
    "Missing episodes",
    "Models of CSE",
    "The child's own words",
    "The concern",
    "Strengths and protective factors",
    "People, vehicles, places and online accounts of concern",
    "Score breakdown",
    "never replaces, professional judgement",
    "Professional judgement",
    "Supervisor review",
    "Signatures",
    "OFFICIAL-SENSITIVE",
)


def make_input(form: Form, answers: dict[str, Any], **kw: Any) -> ReferralInput:
    return ReferralInput(
        form=form,
        answers=answers,
        result=score(form, answers),
        reference=kw.pop("reference", "CSE-2026-000042"),
        generated_at=dt.datetime(2026, 11, 24, 9, 30),
        **kw,
    )


def pages_text(pdf: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    if password is not None:
        reader.decrypt(password)
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces as single spaces."""
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("path", all_examples(), ids=lambda p: p.stem)
def test_examples_have_every_section_and_key_values(form: Form, path: Path) -> None:
    doc = load_example(path)
    answers = doc["answers"]
    data = make_input(form, answers)
    text = flat(" ".join(pages_text(render_referral(data))))
    for heading in HEADINGS:
        assert heading in text, heading
    result = data.result
    assert form.band(result.operative_band).label.upper() in text
    assert f"Total score {result.total}" in text
    assert answers["child_first_name"] in text and answers["child_last_name"] in text
    assert answers["practitioner_name"] in text
    assert flat(answers["concern_summary"]) in text
    for item in result.breakdown:
        if item.points:
            assert item.label in text


def test_rules_fired_are_in_plain_words(form: Form) -> None:
    doc = load_example(next(p for p in all_examples() if p.stem == "under-13-rule"))
    data = make_input(form, doc["answers"])
    text = flat(" ".join(pages_text(render_referral(data))))
    assert data.result.fired_rules
    for rule in data.result.fired_rules:
        assert flat(rule.reason) in text


HOSTILE = [
    "<b>Ann</b>",
    '<img src="/etc/passwd"/>',
    "Tom &amp; Jerry",
    '<font color="red">x</font>',
    "</para>broken",
    "Łucja Żółć-Gęś",
    "Dafydd ap Gwŵyn ŷ",
    "سارة أحمد",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_renders_literally(form: Form, name: str) -> None:
    answers = base_answers(child_known_as=name, concern_summary=f"Said: {name} end.")
    pdf = render_referral(make_input(form, answers))
    text = " ".join(pages_text(pdf))
    if name.startswith("سارة"):
        # Shaped Arabic comes back as presentation forms in visual order; NFKC folds them back
        # to the letters typed, so every word must be there, whole.
        folded = unicodedata.normalize("NFKC", text)
        assert all(word in folded for word in name.split())
    else:
        assert name in text
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        resources = page.get("/Resources")
        resources = resources.get_object() if isinstance(resources, IndirectObject) else resources
        xobjects = resources.get("/XObject") if resources else None
        assert not xobjects, "no image may be embedded from user text"


def test_emoji_does_not_crash_and_is_named(form: Form) -> None:
    answers = base_answers(concern_summary="Sent 💰 and 🚗 emojis")
    text = flat(" ".join(pages_text(render_referral(make_input(form, answers)))))
    assert "[emoji: money bag]" in text


def test_long_concern_flows_over_pages_with_correct_numbers(form: Form) -> None:
    short = render_referral(make_input(form, base_answers()))
    words = "The child was seen again near the station late at night. "
    long_text = (words * 400)[:20_000]
    long = render_referral(make_input(form, base_answers(concern_summary=long_text)))
    short_pages, long_pages = pages_text(short), pages_text(long)
    assert len(long_pages) > len(short_pages) + 2
    for number, page in enumerate(long_pages, start=1):
        assert f"Page {number} of {len(long_pages)}" in page


def test_header_has_initials_and_dob_never_full_name(form: Form) -> None:
    pdf = render_referral(make_input(form, base_answers()))
    for page in pages_text(pdf)[1:]:
        assert "Child: K. F." in page and "born 10 Mar 2011" in page
        assert "Kit Fictional" not in page.split("\n")[0]


def test_metadata_title_and_no_child_name(form: Form) -> None:
    pdf = render_referral(make_input(form, base_answers()))
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == "CSE referral – CSE-2026-000042"
    assert meta.author == "CSE Screening"
    assert meta.get("/CreationDate")
    assert not any("Kit" in str(v) or "Fictional" in str(v) for v in meta.values())


def test_review_block_shows_reviewer(form: Form) -> None:
    review = ReviewInfo(
        reviewer="Pat Supervisor",
        status="approved",
        band_approved="moderate",
        reviewed_at=dt.datetime(2026, 11, 23, 16, 0),
        comment="Agreed <urgent>",
    )
    data = make_input(form, base_answers(), review=review)
    text = flat(" ".join(pages_text(render_referral(data))))
    assert "Pat Supervisor" in text and "Approved" in text and "Agreed <urgent>" in text


def test_encrypted_opens_only_with_password(form: Form) -> None:
    pdf = encrypt_pdf(render_referral(make_input(form, base_answers())), "correct horse 42")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.is_encrypted
    assert reader.decrypt("wrong").name == "NOT_DECRYPTED"
    assert "Score breakdown" in " ".join(pages_text(pdf, "correct horse 42"))


def test_write_is_atomic_and_refuses_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    write_referral(target, b"%PDF-1.4 first")
    with pytest.raises(ExportError, match="already exists"):
        write_referral(target, b"%PDF-1.4 second")
    assert target.read_bytes() == b"%PDF-1.4 first"
    write_referral(target, b"%PDF-1.4 second", force=True)
    assert target.read_bytes() == b"%PDF-1.4 second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]
    with pytest.raises(ExportError, match="folder does not exist"):
        write_referral(tmp_path / "missing" / "x.pdf", b"x")


def test_cli_writes_encrypted_pdf_and_refuses_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = next(p for p in all_examples() if p.stem == "worked-check")
    out = tmp_path / "referral.pdf"
    pw = tmp_path / "pw.txt"
    pw.write_text("a long shared secret\n", encoding="utf-8")
    assert run(["referral", str(example), "-o", str(out), "--password-file", str(pw)]) == 0
    assert "Score breakdown" in " ".join(pages_text(out.read_bytes(), "a long shared secret"))
    assert run(["referral", str(example), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_cli_invalid_answers_exit_2_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"form_id": "cse-risk-screening", "form_version": 1, "answers": {}}')
    out = tmp_path / "out.pdf"
    assert run(["referral", str(bad), "-o", str(out)]) == 2
    assert not out.exists()
    assert "child_first_name" in capsys.readouterr().err


def test_an_unanswered_question_reads_not_answered_and_consent_is_never_ambiguous(
    form: Form,
) -> None:
    """A blank printed "Not given", which reads as "consent refused" under consent."""
    answers = dict(load_example(all_examples()[0])["answers"])
    for qid in ("parent_aware", "child_aware", "parent_not_aware_reason"):
        answers.pop(qid, None)
    text = flat(" ".join(pages_text(render_referral(make_input(form, answers)))))
    assert "Not given" not in text
    consent = text[text.index("Consent and information sharing") :][:600]
    assert consent.count("Not answered: the practitioner did not record this") == 2
    assert "neither consent given nor refused" in consent


def test_a_version_4_referral_says_types_refer_now_not_known_and_nrm(registry: Any) -> None:
    """What the SCU reads first on a version 4 referral: why it is "refer now", the types of
    exploitation, how many answers are not known, that an NRM referral is due, and the area's
    numbers beside "Call 999"."""
    from screening_app.domain.contacts import make as make_contacts

    four = registry.get("cse-risk-screening", 4)
    answers = base_answers(
        harm_carrying="yes",
        cr_county_lines="recent",
        tr_moved="recent",
        v_education="unknown",
        v_mental_health="unknown",
    )
    numbers = make_contacts("Northvale", {"mash": "01632 960100"})
    text = flat(" ".join(pages_text(render_referral(make_input(four, answers, contacts=numbers)))))
    assert "Referral: risk of child exploitation" in text
    assert "Types of exploitation Criminal exploitation, Trafficking and modern slavery" in text
    assert "Refer now because • The child was found carrying drugs, weapons or money" in text
    assert "2 questions not known" in text
    assert "Also due A National Referral Mechanism (NRM) referral is due" in text
    assert (
        "Call 999 if the child is in immediate danger. Northvale safeguarding contacts: "
        "MASH: 01632 960100." in text
    )
