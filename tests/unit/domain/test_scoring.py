"""Scoring: section scores, band boundaries, rules R1-R5, judgement and operative band."""

from __future__ import annotations

from typing import Any

import pytest

from screening_app.domain.forms import Form
from screening_app.domain.scoring import score
from tests.conftest import base_answers

VULNERABILITIES = [
    "v_substance_use",
    "v_education",
    "v_mental_health",
    "v_sexual_health",
    "v_victimisation",
    "v_crime_asb",
    "v_learning_disability",
    "v_isolation",
    "v_household",
    "v_identity",
]
MODERATE = [
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
]
SIGNIFICANT = [
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
]
# Vulnerabilities that do not also trigger R4 (learning disability does)
PLAIN_V = [v for v in VULNERABILITIES if v != "v_learning_disability"]


def with_yes(ids: list[str], **extra: Any) -> dict[str, Any]:
    return base_answers(**{i: "yes" for i in ids}, **extra)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "low"),
        (5, "low"),
        (6, "mild"),
        (10, "mild"),
        (11, "moderate"),
        (15, "moderate"),
        (16, "significant"),
        (20, "significant"),
    ],
)
def test_band_boundaries(form: Form, total: int, band: str) -> None:
    # 19 points from plain vulnerabilities and moderate indicators, then calculated v_missing.
    asked = min(total, len(PLAIN_V) + len(MODERATE))
    extra = {"missing_count_12m": total - asked}
    result = score(form, with_yes((PLAIN_V + MODERATE)[:asked], **extra))
    assert result.total == total
    assert result.calculated_band == band
    # a 15-year-old with moderate indicators but no learning disability: only R4 could fire, and
    # it does not, so the final band is the calculated band
    assert result.fired_rules == []
    assert result.final_band == band


@pytest.mark.parametrize(
    ("answer", "points"), [("no", 0), ("current", 5), ("historic", 1), ("both", 6)]
)
def test_timed_indicator_points(form: Form, answer: str, points: int) -> None:
    result = score(form, base_answers(s_gangs=answer))
    assert result.section_scores["significant"] == points
    assert result.total == points


def test_unknown_scores_zero(form: Form) -> None:
    result = score(form, base_answers(v_substance_use="unknown", m_images="unknown"))
    assert result.total == 0
    assert result.breakdown == []


def test_calculated_vulnerabilities_score(form: Form) -> None:
    result = score(
        form, base_answers(missing_count_12m=2, missing_count_3m=0, care_status="looked_after")
    )
    assert result.section_scores["vulnerabilities"] == 2
    assert [b.id for b in result.breakdown] == ["v_missing", "v_looked_after"]


def test_irrelevant_answers_do_not_count(form: Form) -> None:
    # missing_found_elsewhere is not scored anyway; check a relevant-only question stays out
    result = score(form, base_answers(missing_found_elsewhere="yes"))
    assert "missing_found_elsewhere" not in result.evaluation.values


def test_worked_check_from_the_specification(form: Form) -> None:
    answers = base_answers(
        child_dob="2011-06-15",
        v_substance_use="yes",
        v_education="yes",
        missing_count_12m=2,
        m_older_associates="yes",
        m_unexplained_items="yes",
        s_controlling_adult="current",
        s_online_grooming="historic",
    )
    result = score(form, answers)
    assert (result.age, result.total) == (15, 11)
    assert result.section_scores == {"vulnerabilities": 3, "moderate": 2, "significant": 6}
    assert result.calculated_band == result.final_band == "moderate"
    assert result.reassess_by == "2027-02-20"
    assert result.action.startswith("Refer to the SCU the same working day")


def rule_ids(form: Form, **answers: Any) -> list[str]:
    return [r.id for r in score(form, base_answers(**answers)).fired_rules]


def test_r1_disclosure_sets_significant(form: Form) -> None:
    result = score(form, base_answers(disclosure="yes"))
    assert [r.id for r in result.fired_rules] == ["R1"]
    assert (result.calculated_band, result.final_band) == ("low", "significant")
    assert result.reassess_by == "2026-12-20"  # one month for significant


def test_r2_immediate_danger_sets_significant(form: Form) -> None:
    result = score(form, base_answers(immediate_danger="yes"))
    assert [r.id for r in result.fired_rules] == ["R2"]
    assert result.final_band == "significant"
    assert "999" in result.action


@pytest.mark.parametrize(
    ("dob", "fires"),
    [("2013-11-21", True), ("2013-11-20", False)],  # 12 the day before the 13th birthday
)
def test_r3_under_13_with_a_significant_indicator(form: Form, dob: str, fires: bool) -> None:
    result = score(form, base_answers(child_dob=dob, s_online_grooming="historic"))
    assert ("R3" in [r.id for r in result.fired_rules]) is fires
    assert result.final_band == ("significant" if fires else "low")


def test_r3_does_not_fire_without_a_significant_indicator(form: Form) -> None:
    assert "R3" not in rule_ids(form, child_dob="2016-01-01", s_gangs="no")


@pytest.mark.parametrize(
    ("answers", "fires"),
    [
        ({"child_dob": "2016-01-01", "m_images": "yes"}, True),
        ({"v_learning_disability": "yes", "m_images": "yes"}, True),
        ({"v_learning_disability": "yes", "s_gangs": "historic"}, True),
        ({"v_learning_disability": "yes"}, False),
        ({"m_images": "yes"}, False),
        ({"child_dob": "2016-01-01", "m_images": "unknown"}, False),
    ],
)
def test_r4_under_13_or_learning_disability_with_an_indicator(
    form: Form, answers: dict[str, Any], fires: bool
) -> None:
    result = score(form, base_answers(**answers))
    assert ("R4" in [r.id for r in result.fired_rules]) is fires
    if fires:
        assert form.band_rank(result.final_band) >= form.band_rank("mild")


def test_r4_raises_a_low_total_to_mild(form: Form) -> None:
    result = score(form, base_answers(v_learning_disability="yes", m_images="yes"))
    assert (result.total, result.calculated_band, result.final_band) == (2, "low", "mild")


@pytest.mark.parametrize(
    ("answer", "fires"), [("current", True), ("both", True), ("historic", False), ("no", False)]
)
def test_r5_recent_exchange_means_at_least_moderate(form: Form, answer: str, fires: bool) -> None:
    result = score(form, base_answers(s_exchange=answer))
    assert ("R5" in [r.id for r in result.fired_rules]) is fires
    assert result.final_band == ("moderate" if fires else "low")


def test_a_rule_fires_even_when_it_does_not_change_the_band(form: Form) -> None:
    answers = with_yes(PLAIN_V + MODERATE[:7], s_exchange="current")  # 16 + 5 = 21: significant
    result = score(form, answers)
    assert result.calculated_band == "significant"
    assert [r.id for r in result.fired_rules] == ["R5"]


def test_rules_are_listed_in_order(form: Form) -> None:
    assert rule_ids(
        form, disclosure="yes", immediate_danger="yes", child_dob="2016-01-01", s_exchange="current"
    ) == ["R1", "R2", "R3", "R4", "R5"]


def test_under_13_example_fires_r3_and_r4(form: Form) -> None:
    result = score(
        form,
        base_answers(
            child_dob="2014-09-30", m_secretive_online="yes", s_online_grooming="historic"
        ),
    )
    assert [r.id for r in result.fired_rules] == ["R3", "R4"]
    assert (result.total, result.calculated_band, result.final_band) == (2, "low", "significant")


class TestJudgement:
    def test_defaults_to_the_final_band(self, form: Form) -> None:
        result = score(form, base_answers(s_exchange="current"))
        assert result.judged_band == result.operative_band == "moderate"
        assert not result.awaiting_approval

    def test_raising_the_band_is_operative_at_once(self, form: Form) -> None:
        result = score(form, base_answers(judged_band="significant"))
        assert (result.final_band, result.judged_band) == ("low", "significant")
        assert result.operative_band == "significant"
        assert result.reassess_by == "2026-12-20"
        assert not result.awaiting_approval

    def test_lowering_waits_for_approval(self, form: Form) -> None:
        answers = base_answers(
            s_exchange="current",
            judged_band="mild",
            judgement_rationale="Exchange was a single shared meal, checked.",
        )
        pending = score(form, answers)
        assert (pending.final_band, pending.judged_band) == ("moderate", "mild")
        assert pending.operative_band == "moderate"
        assert pending.awaiting_approval
        approved = score(form, answers, judgement_approved=True)
        assert approved.operative_band == "mild"
        assert not approved.awaiting_approval

    @pytest.mark.parametrize(
        ("rule", "trigger"),
        [
            ("R1", {"disclosure": "yes"}),
            ("R2", {"immediate_danger": "yes"}),
            ("R3", {"child_dob": "2013-11-21", "s_online_grooming": "historic"}),
        ],
    )
    @pytest.mark.parametrize("judged", ["low", "mild", "moderate"])
    def test_never_below_a_band_set_by_r1_to_r3(
        self, form: Form, rule: str, trigger: dict[str, Any], judged: str
    ) -> None:
        answers = base_answers(
            **trigger,
            judged_band=judged,
            judgement_rationale="A reason that is long enough to count.",
        )
        result = score(form, answers, judgement_approved=True)
        assert rule in [r.id for r in result.fired_rules]
        assert result.judgement_floor == "significant"
        assert result.operative_band == "significant"

    def test_the_r3_floor_ends_on_the_13th_birthday(self, form: Form) -> None:
        answers = base_answers(
            child_dob="2013-11-20",  # 13 today: R3 no longer applies, R4 neither
            s_online_grooming="historic",
            judged_band="low",
            judgement_rationale="A reason that is long enough to count.",
        )
        result = score(form, answers, judgement_approved=True)
        assert result.judgement_floor is None
        assert result.operative_band == "low"

    def test_r4_and_r5_do_not_lock_the_judgement(self, form: Form) -> None:
        answers = base_answers(
            s_exchange="current",
            judged_band="low",
            judgement_rationale="A reason that is long enough to count.",
        )
        result = score(form, answers, judgement_approved=True)
        assert result.judgement_floor is None
        assert result.operative_band == "low"


def test_json_output_has_exactly_the_contract_keys(form: Form) -> None:
    data = score(form, base_answers(v_substance_use="yes")).to_json()
    assert list(data) == [
        "form_id",
        "form_version",
        "age",
        "total",
        "section_scores",
        "calculated_band",
        "fired_rules",
        "final_band",
        "judged_band",
        "operative_band",
        "action",
        "reassess_by",
        "breakdown",
    ]
    assert data["breakdown"] == [{"id": "v_substance_use", "answer": "yes", "points": 1}]


def test_partial_answers_score_without_error(form: Form) -> None:
    result = score(form, {"v_substance_use": "yes"})
    assert (result.age, result.total, result.reassess_by) == (None, 1, None)


def test_the_stored_score_is_read_typed_and_names_what_the_answers_no_longer_give(
    form: Form,
) -> None:
    from screening_app.domain.scoring import StoredScore

    result = score(form, base_answers(v_substance_use="yes"))
    kept = StoredScore.from_snapshot(result.snapshot())
    assert (kept.total, kept.operative_band) == (result.total, result.operative_band)
    assert kept.action == result.action and kept.differs_from(result) == []
    other = score(form, base_answers())
    assert "total" in kept.differs_from(other)
    odd = StoredScore.from_snapshot({"total": True, "operative_band": 3, "awaiting_approval": 1})
    assert (odd.total, odd.operative_band, odd.awaiting_approval, odd.action) == (
        None,
        None,
        False,
        "",
    )  # a snapshot edited into other types is read as nothing, never as a band
