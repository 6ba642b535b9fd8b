"""Every installed form loads; every example answers file scores to its expected block."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening_app.domain.answers import check_and_score
from screening_app.domain.form_loader import load_form_file
from screening_app.domain.forms import Form
from screening_app.domain.registry import FormRegistry
from screening_app.paths import forms_dir
from tests.conftest import SHARED_EXAMPLES, TODAY, load_example

LOCAL_EXAMPLES = Path(__file__).parent / "examples"


def all_examples() -> list[Path]:
    """The shared examples when present (the contract), else the copies kept with the tests."""
    shared = sorted(SHARED_EXAMPLES.glob("*.json")) if SHARED_EXAMPLES.is_dir() else []
    return shared or sorted(LOCAL_EXAMPLES.glob("*.json"))


@pytest.mark.parametrize(
    "path", sorted(forms_dir().glob("*/v*.yaml")), ids=lambda p: p.parent.name + "/" + p.name
)
def test_every_form_file_loads_and_sits_in_its_place(path: Path) -> None:
    form = load_form_file(path)
    assert path.parent.name == form.form_id
    assert path.name == f"v{form.version}.yaml"


def test_registry_lists_the_checklist(registry: FormRegistry) -> None:
    assert ("cse-risk-screening", 1) in [(f, v) for f, v, _ in registry.available()]


def test_examples_are_present() -> None:
    assert len(all_examples()) >= 2


@pytest.mark.parametrize("path", all_examples(), ids=lambda p: p.stem)
def test_example_scores_to_its_expected_block(path: Path, registry: FormRegistry) -> None:
    data = load_example(path)
    form = registry.get(data["form_id"], data["form_version"])
    result = check_and_score(form, data["answers"], TODAY).to_json()
    for key, expected in data["expected"].items():
        assert result[key] == expected, key


# The checklist of docs/FORMS.md, checked against the shipped v1 file.
SECTION_IDS = {
    "vulnerabilities": [
        "v_substance_use",
        "v_missing",
        "v_education",
        "v_mental_health",
        "v_sexual_health",
        "v_victimisation",
        "v_crime_asb",
        "v_looked_after",
        "v_learning_disability",
        "v_isolation",
        "v_household",
        "v_identity",
    ],
    "moderate": [
        "m_unexplained_items",
        "m_older_associates",
        "m_secretive_online",
        "m_behaviour_change",
        "m_exploited_peers",
        "m_late_nights",
        "m_sexualised",
        "m_injuries",
        "m_images",
        "m_family_conflict",
    ],
    "significant": [
        "s_repeat_missing",
        "s_exchange",
        "s_controlling_adult",
        "s_unknown_adults_cars",
        "s_gangs",
        "s_places_of_concern",
        "s_online_grooming",
        "s_repeat_sexual_health",
        "s_peer_exploitation",
        "s_assault_withdrawn",
    ],
}


@pytest.mark.parametrize("group", sorted(SECTION_IDS))
def test_v1_scored_sections_match_the_specification(form: Form, group: str) -> None:
    section = next(s for s in form.sections if s.score_group == group)
    assert [q.id for q in section.questions] == SECTION_IDS[group]
    expected_points = (
        {"current": 5, "historic": 1, "both": 6} if group == "significant" else {"yes": 1}
    )
    assert all(q.points == expected_points for q in section.questions)


@pytest.mark.parametrize(
    ("qid", "codes"),
    [
        ("child_gender", ["female", "male", "other", "not_known"]),
        (
            "la_area",
            ["bristol", "south_gloucestershire", "north_somerset", "banes", "somerset", "other"],
        ),
        (
            "care_status",
            ["none", "child_in_need", "child_protection_plan", "looked_after", "care_leaver"],
        ),
        (
            "practitioner_role",
            [
                "teacher",
                "school_nurse",
                "health",
                "social_worker",
                "police",
                "youth_worker",
                "other",
            ],
        ),
        (
            "cse_models",
            [
                "imbalance_of_power",
                "boyfriend_girlfriend",
                "peer_on_peer",
                "online_virtual",
                "online_physical_meeting",
                "organised_group_trafficking",
                "gang",
                "not_known",
            ],
        ),
        ("judged_band", ["low", "mild", "moderate", "significant"]),
    ],
)
def test_v1_option_codes_match_the_specification(form: Form, qid: str, codes: list[str]) -> None:
    assert list(form.question(qid).option_codes()) == codes


def test_every_question_and_model_has_help_text(form: Form) -> None:
    assert all(q.help.strip() for q in form.questions())
    models = form.question("cse_models").options or ()
    assert all(o.help.strip() for o in models)


def test_v1_bands_and_rules(form: Form) -> None:
    assert [(b.code, b.min_total, b.reassess_months) for b in form.bands] == [
        ("low", 0, 3),
        ("mild", 6, 3),
        ("moderate", 11, 3),
        ("significant", 16, 1),
    ]
    assert [(r.id, r.band, r.locks_judgement) for r in form.rules] == [
        ("R1", "significant", True),
        ("R2", "significant", True),
        ("R3", "significant", True),
        ("R4", "mild", False),
        ("R5", "moderate", False),
    ]


def test_v1_outcomes_and_which_count_as_positive(form: Form) -> None:
    assert [(o.code, o.positive) for o in form.outcomes] == [
        ("referred_scu", True),
        ("referred_early_help", True),
        ("strategy_discussion", True),
        ("disruption_activity", True),
        ("police_investigation", True),
        ("no_further_action", False),
        ("other", False),
    ]
