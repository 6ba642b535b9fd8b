"""A share of a child's information: with whom, for what, and on what lawful basis.

Sharing a screening with the police or children's social care without consent is lawful in
England and Wales — the Data Protection Act 2018's condition for safeguarding children
(Schedule 1, paragraph 18), and Part 3 for the police — but only when the sharer records why.
So every referral saved or printed, every MACE pack and every POLE export asks, once per share,
who receives it, for what purpose and on which basis; a consent refused and overridden needs the
reason. The share is written into the hash-chained, signed audit trail with the export
(docs/GOVERNANCE.md) and printed at the foot of every page of what is shared.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

BASES: dict[str, str] = {
    "consent_given": "Consent given",
    "consent_not_sought": "Consent not sought: seeking it would put the child at risk",
    "consent_overridden": "Consent refused and overridden",
}
# the exports that are shares (audit actions), in words
SHARE_ACTIONS: dict[str, str] = {
    "referral_saved": "Referral PDF saved",
    "referral_encrypted": "Encrypted referral PDF saved",
    "printed": "Referral printed",
    "mace_pack_saved": "MACE pack saved",
    "mace_pack_encrypted": "Encrypted MACE pack saved",
    "pole_exported": "POLE export saved",
    "transfer_sent": "Transferred to another setting",
}
LAW = "Data Protection Act 2018, Schedule 1 paragraph 18 (safeguarding of children)"
MIN_REASON = 20
MAX_TEXT = 300


class ShareError(ValueError):
    """A share without what it needs: said plainly, naming what is missing."""


@dataclass(frozen=True)
class Share:
    recipient: str  # who receives it: "Northvale Police SCU"
    purpose: str  # what for: "Referral of a child at risk of exploitation"
    basis: str  # a code of :data:`BASES`
    reason: str = ""  # why consent was overridden (or not sought); never a child's name

    def basis_words(self) -> str:
        return BASES[self.basis]

    def footer(self) -> str:
        """The line printed at the foot of every page of what is shared."""
        why = f" ({self.reason})" if self.reason else ""
        return (
            f"Shared with {self.recipient} for {self.purpose}. Basis: {self.basis_words()}{why}. "
            f"{LAW}."
        )

    def as_data(self) -> dict[str, str]:
        return {
            "recipient": self.recipient,
            "purpose": self.purpose,
            "basis": self.basis,
            "reason": self.reason,
        }


def make(recipient: str, purpose: str, basis: str, reason: str = "") -> Share:
    """A checked share; :class:`ShareError` says what is missing, in words."""
    recipient, purpose, reason = (
        " ".join(str(t or "").split()) for t in (recipient, purpose, reason)
    )
    if not recipient:
        raise ShareError("Say who receives it (for example the police SCU or the MASH).")
    if not purpose:
        raise ShareError("Say what it is shared for (for example a referral, or the MACE meeting).")
    if basis not in BASES:
        raise ShareError(
            "Choose the lawful basis: consent given, consent not sought because seeking it would "
            "put the child at risk, or consent refused and overridden."
        )
    if basis == "consent_overridden" and len(reason) < MIN_REASON:
        raise ShareError(
            f"Say why the refusal of consent is overridden (at least {MIN_REASON} characters)."
        )
    for label, text in (
        ("who receives it", recipient),
        ("the purpose", purpose),
        ("the reason", reason),
    ):
        if len(text) > MAX_TEXT:
            raise ShareError(f"Shorten {label} to {MAX_TEXT} characters or fewer.")
    return Share(recipient, purpose, basis, reason)


def detail(share: Share, extra: Mapping[str, Any] | None = None) -> str:
    """The audit row's detail for an export that is a share: the share, and what else the
    export says (how many entities, how many children)."""
    return json.dumps(
        {"share": share.as_data(), **(extra or {})}, ensure_ascii=False, sort_keys=True
    )


def from_detail(text: str) -> tuple[Share | None, dict[str, Any]]:
    """The share recorded in an audit row's detail (None for an export recorded before shares
    were asked for: its detail is plain words), and the rest."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return None, {"note": text}
    if not isinstance(data, dict) or not isinstance(data.get("share"), dict):
        return None, {"note": text}
    found = data.pop("share")
    try:
        share = Share(
            str(found["recipient"]),
            str(found["purpose"]),
            str(found["basis"]),
            str(found.get("reason", "")),
        )
    except KeyError:
        return None, data
    return (share if share.basis in BASES else None), data
