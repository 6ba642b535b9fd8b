"""What one sync did, in words for the command line and the window's status."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SyncReport:
    sent: int = 0
    received: int = 0
    decisions_sent: int = 0
    decisions_received: int = 0
    outcomes_sent: int = 0
    outcomes_received: int = 0
    removed: int = 0  # screenings whose content the retention period removed here
    witnessed: int = 0  # deletions decided here that the server witnessed
    deleted: int = 0  # screenings another computer of the team deleted, removed here
    notes: list[str] = field(default_factory=list)  # what was done besides (the team key)
    # screenings received at one of the two highest bands, in words, to alert a supervisor
    urgent: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def urgent_words(self) -> str:
        """The alert for a supervisor: the screenings that arrived at a high band."""
        if not self.urgent:
            return ""
        count = len(self.urgent)
        return (
            f"{count} new screening{'' if count == 1 else 's'} to review at a high band: "
            + "; ".join(self.urgent[:3])
            + (" …" if count > 3 else "")
        )

    def lines(self) -> list[str]:
        out = [
            f"Sent {self.sent} screening(s), {self.decisions_sent} decision(s) and "
            f"{self.outcomes_sent} outcome(s); received {self.received} screening(s), "
            f"{self.decisions_received} decision(s) and {self.outcomes_received} outcome(s)."
        ]
        if self.urgent:
            out.append(self.urgent_words())
        if self.removed:
            out.append(
                f"Removed the content of {self.removed} approved screening(s) from this "
                "computer under your organisation's retention period (the server keeps it)."
            )
        if self.witnessed:
            out.append(f"The team server witnessed {self.witnessed} deletion(s) made here.")
        if self.deleted:
            out.append(
                f"Removed {self.deleted} screening(s) that a supervisor deleted at the end of "
                "their retention period (their tombstones stay)."
            )
        return out + self.notes + self.problems
