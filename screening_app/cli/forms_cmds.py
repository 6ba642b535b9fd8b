"""``score``, ``validate-form`` and ``forms``: the form engine from the command line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from screening_app.errors import FormError, Problem
from screening_app.paths import forms_dir

if TYPE_CHECKING:
    from screening_app.domain.forms import Form
    from screening_app.domain.scoring import ScoreResult


def register(subparsers: Any) -> None:
    score = subparsers.add_parser("score", help="validate and score an answers file")
    score.add_argument("answers", type=Path, metavar="ANSWERS.json")
    score.add_argument(
        "--form",
        type=Path,
        metavar="FORM",
        help="score against this form file instead of the installed one",
    )
    score.add_argument("--json", action="store_true", help="print the result as JSON")
    score.set_defaults(func=cmd_score)

    validate = subparsers.add_parser("validate-form", help="check a form definition file")
    validate.add_argument("form", type=Path, metavar="FORM")
    validate.set_defaults(func=cmd_validate_form)

    forms = subparsers.add_parser("forms", help="list installed form ids and versions")
    forms.set_defaults(func=cmd_forms)


def cmd_score(args: argparse.Namespace) -> int:
    # Imported per command so that opening the window does not pay for the form engine twice.
    from screening_app.domain.registry import FormRegistry
    from screening_app.services.answers_file import load_answers

    checked = load_answers(args.answers, FormRegistry(forms_dir()), args.form)
    if args.json:
        print(json.dumps(checked.result.to_json(), indent=2, ensure_ascii=False))
    else:
        print(format_result(checked.form, checked.result))
    return 0


def format_result(form: Form, result: ScoreResult) -> str:
    from screening_app.domain.scoring import not_known_words, unanswered_words
    from screening_app.domain.wording import spelt_out

    sections = ", ".join(f"{k} {v}" for k, v in result.section_scores.items())
    rows = [
        ("Age", str(result.age)),
        ("Total", f"{result.total}  ({sections})"),
        ("Calculated band", result.calculated_band),
        ("Rules fired", ", ".join(f"{r.id} ({r.reason})" for r in result.fired_rules) or "none"),
        (
            "Judged band",
            result.judged_band
            + ("  (awaiting supervisor approval)" if result.awaiting_approval else ""),
        ),
        ("Operative band", result.operative_band),
        ("Action", spelt_out(result.action)),
        ("Reassess by", result.reassess_by or "-"),
    ]
    if form.types:
        rows.append(("Types", form.types_words(result.types)))
    if result.routes:
        rows.append(("Refer now because", " ".join(r.reason for r in result.routes)))
    if result.unanswered:
        rows.append(("Not answered", unanswered_words(len(result.unanswered))))
    if result.counts_not_known:
        rows.append(
            ("Not known", not_known_words(len(result.not_known), result.provisional) or "none")
        )
    for prompt in result.prompts:
        rows.append(("Also due", prompt.reason))
    if result.low_band_note:
        rows.append(("Remember", result.low_band_note))
    width = max(len(label) for label, _ in rows) + 2
    lines = [f"{label:<{width}}{value}" for label, value in rows]
    if result.breakdown:
        # for people: each indicator as the form asks it, not its id (``--json`` has the ids)
        lines.append("Points for")
        lines += [f"  {b.points:>2}  {b.label} — {b.answer_text}" for b in result.breakdown]
    lines.append(f"{'Final band':<{width}}{result.final_band.upper()}")
    return "\n".join(lines)


def cmd_validate_form(args: argparse.Namespace) -> int:
    from screening_app.domain.form_loader import load_form_file

    if not args.form.exists():
        raise FormError(
            "form file not found", [Problem("file not found; check the path", str(args.form))]
        )
    form = load_form_file(args.form)
    print(
        f"{args.form.name}: OK ({form.key}, {len(form.sections)} sections, "
        f"{len(form.questions())} questions, {len(form.rules)} rules)"
    )
    return 0


def cmd_forms(args: argparse.Namespace) -> int:
    from screening_app.domain.registry import FormRegistry

    registry = FormRegistry(forms_dir())
    for form_id, version, _path in registry.available():
        form = registry.get(form_id, version)
        print(f"{form_id}\tv{version}\t{form.title}")
    return 0
