"""Say a change out loud to screen readers (WCAG 4.1.3, status messages).

Qt 6.8+ sends ``QAccessibleAnnouncementEvent`` over the accessibility bus (AT-SPI's
``object:announcement``), which Orca and NVDA read without moving focus. "Assertive" interrupts
what is being read: for an error that stops the user, a band rising to significant, or a Call
999 warning; "polite" waits its turn: for everything else.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


def announce(widget: QWidget, text: str, *, assertive: bool = False) -> None:
    """Announce ``text`` from ``widget`` (which must be shown)."""
    if not text.strip() or not QAccessible.isActive():
        return
    event = QAccessibleAnnouncementEvent(widget, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)
