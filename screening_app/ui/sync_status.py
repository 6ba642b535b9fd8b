"""The window's side of the team server: sync in the background, say the state in words.

When the database is connected, a label at the right of the status bar says what waits and how
the last round went ("2 waiting to send · last sync 10:42" or "… · server unreachable, will
retry at 10:47"). A round runs off the GUI thread every few minutes and on demand (File → Sync
now); a failure doubles the wait up to half an hour and never blocks the window or loses
anything. The computer signs in to the server with its own key (no password kept).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from screening_app.errors import ScreeningError
from screening_app.services.app_services import AppServices
from screening_app.services.sync_report import SyncReport
from screening_app.ui.announce import announce
from screening_app.ui.operations import Changes, Op

EVERY = dt.timedelta(minutes=5)
LONGEST = dt.timedelta(minutes=30)


class SyncControl(QObject):
    def __init__(self, window: QWidget, services: AppServices, changes: Changes) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.changes = changes
        self.label = QLabel(window)
        self.label.setAccessibleName("Team server")
        self.label.setContentsMargins(16, 0, 0, 0)  # apart from "Signed in: …" beside it
        self.wait = EVERY
        self.running = False
        self.asked = False  # whether the round under way was asked for (File → Sync now)
        self.last = ""
        self.found = ""  # what the last round found, kept until the next one
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)
        self.timer.start(5_000)  # soon after signing in
        self.show_state()

    def show_state(self, extra: str = "") -> None:
        text = self.services.sync.waiting()
        if self.last:
            text += f" · {self.last}"
        extra = extra or self.found
        if extra:
            text += f" · {extra}"
        self.label.setText(text)

    def sync_now(self, asked: bool = False) -> None:
        """A round now. ``asked``: the person asked for it (File → Sync now), so how it ended
        is announced as well as shown; the timer's rounds are only shown."""
        if self.running:
            if asked:
                announce(self.label, "A sync is already under way.")
            return
        self.running = True
        self.asked = asked
        self.show_state("sending and receiving…")
        Op(self.window, self.services.sync.sync).after(self._ended).success(self._done).refused(
            self._failed
        ).run()

    def _ended(self) -> None:
        self.running = False

    def _done(self, report: SyncReport) -> None:
        self.wait = EVERY
        self.last = f"last sync {self.services.clock().strftime('%H:%M')}"
        # a problem first; else what the round found besides (a link with another team, a
        # change of the team key), said once: the label keeps it until the next round
        said = report.problems[:1] or report.notes[-1:]
        self.found = "; ".join(said)
        self.show_state()
        self.label.setToolTip("\n".join(report.problems + report.notes))
        if report.urgent:
            alert = report.urgent_words()
            self.found = alert
            self.show_state()
            announce(self.label, alert, assertive=True)
        elif said:
            announce(self.label, said[0])
        elif self.asked:
            announce(self.label, report.lines()[0])
        if report.received or report.decisions_received or report.notes:
            self.changes.changed.emit()
        self.timer.start(int(self.wait.total_seconds() * 1000))

    def _failed(self, exc: ScreeningError) -> None:
        self.wait = min(self.wait * 2, LONGEST)
        retry = (self.services.clock() + self.wait).strftime("%H:%M")
        reason = "server unreachable" if "reached" in exc.message else exc.message[:80]
        self.found = f"{reason}, will retry at {retry}"
        self.show_state()
        if self.asked:
            announce(self.label, f"The sync did not finish. {exc.message} Next try at {retry}.")
        self.timer.start(int(self.wait.total_seconds() * 1000))
