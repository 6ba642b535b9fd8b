"""The partnership's three outcome measures, defined once (docs/STATISTICS.md), for the
desktop's figures, the server's and the panel report alike.

Each outcome code has a **measure**: what it says about the police and safeguarding response.

- ``investigation_positive``: a police investigation ended in a result the Home Office outcome
  framework counts as positive (charge or summons, caution or out-of-court disposal, community
  resolution, taken into consideration, Outcome 22);
- ``investigation``: a police investigation, with another result or none yet (evidential
  difficulties, Outcomes 15, 16 and 21, responsibility transferred);
- ``disruption``: a disruption (an abduction warning notice, a sexual risk order, a closure
  notice, visits to addresses of concern, other);
- ``scu_referral``: a referral to the police Safeguarding Coordination Unit;
- ``safeguarding``: a referral to children's social care or early help, a strategy discussion;
- ``none``: no further action, other.

Form version 3 declares the measure of each of its outcomes; versions 1 and 2 predate the
field, and their codes keep the meaning :data:`EARLIER_MEASURES` gives them.

The three rates, never mixed:

- **investigation outcome rate** = screenings with a positive investigation result ÷
  screenings with a police investigation;
- **disruption rate** = screenings with a disruption ÷ screenings with a police investigation
  or an SCU referral (a disruption counts only among those), shown beside the
  **with-disruption rate** = screenings with a positive result or a disruption ÷ the same;
- **safeguarding action rate** = screenings at moderate or above with an SCU, children's
  social care or early help referral or a strategy discussion ÷ screenings at moderate or
  above.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import get_args

from screening_app.domain.forms import Form, Measure

MEASURES: tuple[str, ...] = get_args(Measure)
EARLIER_MEASURES = {
    "referred_scu": "scu_referral",
    "referred_early_help": "safeguarding",
    "strategy_discussion": "safeguarding",
    "disruption_activity": "disruption",
    "police_investigation": "investigation",
    "no_further_action": "none",
    "other": "none",
    "charge_summons": "investigation_positive",
    "caution": "investigation_positive",
    "community_resolution": "investigation_positive",
    "nfa_evidential": "investigation",
    "nfa_victim_not_supporting": "investigation",
    "cawn": "disruption",
    "sexual_risk_order": "disruption",
    "visits_addresses_of_concern": "disruption",
    "other_disruption": "disruption",
}
RATES = (
    ("investigation_outcome_rate", "Investigation outcome rate"),
    ("disruption_rate", "Disruption rate"),
    ("with_disruption_rate", "Investigation outcome or disruption"),
    ("safeguarding_action_rate", "Safeguarding action rate"),
)


def measures_of(forms: Iterable[Form]) -> dict[str, str]:
    """Each outcome code's measure: as the forms declare it (a later version wins), else as
    earlier versions meant it, else ``none``."""
    found = dict(EARLIER_MEASURES)
    for form in sorted(forms, key=lambda f: f.version):
        for outcome in form.outcomes:
            found[outcome.code] = outcome.measure or found.get(outcome.code, "none")
    return found


def high_bands(form: Form) -> frozenset[str]:
    """The bands at "moderate or above": from the form's moderate band up (bands run from the
    lowest to the highest); the upper half when a form has no band called moderate."""
    codes = list(form.band_codes())
    start = codes.index("moderate") if "moderate" in codes else len(codes) // 2
    return frozenset(codes[start:])


@dataclass
class OutcomeTally:
    """Counts behind the three rates for one period; counts add up across periods."""

    screenings: int = 0
    investigated: int = 0
    investigation_positive: int = 0
    investigated_or_scu: int = 0
    disrupted: int = 0
    positive_or_disrupted: int = 0
    moderate_or_above: int = 0
    safeguarding_action: int = 0

    def add_profile(self, high: bool, kinds: set[str], count: int) -> None:
        """``count`` screenings alike: at moderate or above or not, with outcomes of ``kinds``."""
        positive = "investigation_positive" in kinds
        investigated = positive or "investigation" in kinds
        either = investigated or "scu_referral" in kinds
        disrupted = "disruption" in kinds
        self.screenings += count
        self.investigated += count if investigated else 0
        self.investigation_positive += count if positive else 0
        self.investigated_or_scu += count if either else 0
        self.disrupted += count if either and disrupted else 0
        self.positive_or_disrupted += count if either and (positive or disrupted) else 0
        if high:
            self.moderate_or_above += count
            acted = "scu_referral" in kinds or "safeguarding" in kinds
            self.safeguarding_action += count if acted else 0

    def __iadd__(self, other: OutcomeTally) -> OutcomeTally:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    def rate(self, name: str) -> float | None:
        """One of :data:`RATES` by name, to three places; None when its base is 0."""
        part, whole = {
            "investigation_outcome_rate": (self.investigation_positive, self.investigated),
            "disruption_rate": (self.disrupted, self.investigated_or_scu),
            "with_disruption_rate": (self.positive_or_disrupted, self.investigated_or_scu),
            "safeguarding_action_rate": (self.safeguarding_action, self.moderate_or_above),
        }[name]
        return round(part / whole, 3) if whole else None

    def base(self, name: str) -> int:
        """The number a rate is taken over (what small-number suppression looks at)."""
        return {
            "investigation_outcome_rate": self.investigated,
            "disruption_rate": self.investigated_or_scu,
            "with_disruption_rate": self.investigated_or_scu,
            "safeguarding_action_rate": self.moderate_or_above,
        }[name]


def tally(
    profiles: Iterable[tuple[str, str | None, Iterable[str], int]],
    measures: dict[str, str],
    high: frozenset[str],
) -> dict[str, OutcomeTally]:
    """Per period, the tally of ``profiles``: (period, operative band, outcome codes, how many
    screenings share that band and those codes) — what both databases group screenings by."""
    out: dict[str, OutcomeTally] = {}
    for period, band, codes, count in profiles:
        kinds = {measures.get(code, "none") for code in codes}
        out.setdefault(period, OutcomeTally()).add_profile(band in high, kinds, count)
    return out


def percent(value: float | None, base: int, suppressed: bool) -> str:
    """A rate as a whole percentage with what it is taken over ("40% of 12"); "of <5" when
    that base is 1 to 4 and small numbers are suppressed."""
    if value is None:
        return ""
    if suppressed and 1 <= base <= 4:
        return "of <5"
    return f"{value:.0%} of {base}"


RATE_NAMES = ("investigation_outcome_rate", "disruption_rate", "safeguarding_action_rate")
