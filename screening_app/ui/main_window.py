"""The main window: the screenings list, the form, the lock and quick-hide.

Views are pages of one stacked widget (list, screening, lock, hidden); menus are built in one
method, so later views (review queue, statistics) slot in with an action and a page.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from screening_app.errors import AnswersError, ScreeningError
from screening_app.services.model import ROLE_LABELS, STATUS_LABELS, Screening
from screening_app.ui.background import run_in_background
from screening_app.ui.dialogs import resize_within_screen
from screening_app.ui.error_handler import show_error
from screening_app.ui.form.view import FormView
from screening_app.ui.lock import HiddenScreen, IdleWatcher, LockScreen, close_dialogs
from screening_app.ui.screenings_model import ScreeningsModel

TITLE = "CSE Screening"
SEARCH_DELAY_MS = 250
IDLE_LOCK_KEY = "idle_lock_minutes"


class DraftSink:
    """Saves each answer of one draft through the screening service as it is given."""

    def __init__(self, services: Any, screening_id: int) -> None:
        self.services = services
        self.screening_id = screening_id

    def save_answer(self, question_id: str, value: object | None) -> None:
        self.services.screenings.save_answer(self.screening_id, question_id, value)

    def save_page(self, page: str) -> None:
        self.services.screenings.save_page(self.screening_id, page)


class MainWindow(QMainWindow):
    def __init__(self, services: Any, *, demo: bool = False, idle_minutes: int = 5) -> None:
        super().__init__()
        self.services = services
        self.demo = demo
        self.setWindowTitle(TITLE + (" – DEMO (fictional data)" if demo else ""))
        resize_within_screen(self, 1280, 820)
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.is_admin = services.user.role == "admin"
        self.list_page = self._build_admin() if self.is_admin else self._build_list()
        self.stack.addWidget(self.list_page)
        self.screening_page = QWidget()
        self.stack.addWidget(self.screening_page)
        user = services.user
        self.lock_screen = LockScreen(user.display_name, services.accounts.verify_password)
        self.lock_screen.unlocked.connect(self.unlock)
        self.stack.addWidget(self.lock_screen)
        self.hidden = HiddenScreen()
        self.stack.addWidget(self.hidden)
        self.form_view: FormView | None = None
        self._pages: dict[str, QWidget] = {}
        self.current: Screening | None = None
        self._before_lock: QWidget = self.list_page
        self._build_menus()
        self.idle = IdleWatcher(idle_minutes, self)
        if self.is_admin:
            self.statusBar().addPermanentWidget(
                QLabel(f"Signed in: {user.display_name} (Administrator)")
            )
            return
        self.idle.idle.connect(self.lock)
        self.statusBar().addPermanentWidget(
            QLabel(f"Signed in: {user.display_name} ({ROLE_LABELS.get(user.role, user.role)})")
        )
        self.refresh()
        self._show_news()

    def _show_news(self) -> None:
        """Reviews of this practitioner's screenings since they last signed in."""
        if self.services.user.role != "practitioner":
            return
        news = self.services.review.news_since_last_sign_in()
        if not news:
            return
        lines = [
            f"{n.reference}: {'returned for changes' if n.decision == 'return' else 'approved'}"
            f" by {n.reviewer}" + (f" — “{n.comment}”" if n.comment else "")
            for n in news[:5]
        ]
        self.news.setText("Since you last signed in:\n" + "\n".join(lines))
        self.news.setVisible(True)

    # -- building ------------------------------------------------------------------------
    def _build_admin(self) -> QWidget:
        from screening_app.ui.admin_view import AdminView

        return AdminView(self.services)

    def _build_list(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        if self.demo:
            banner = QLabel("DEMO – every child, person and screening here is fictional.")
            banner.setObjectName("demoBanner")
            layout.addWidget(banner)
        self.news = QLabel(page)
        self.news.setObjectName("noteBox")
        self.news.setWordWrap(True)
        self.news.setVisible(False)
        layout.addWidget(self.news)
        filters = QHBoxLayout()
        self.search = QLineEdit(page)
        self.search.setPlaceholderText("Search by child's name")
        self.search.setAccessibleName("Search by child's name")
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        filters.addWidget(self.search, 2)
        self.status_filter = self._combo(
            "Status",
            [(None, "Any status")]
            + [(code, label) for code, label in STATUS_LABELS.items() if code != "superseded"],
        )
        form = self.services.registry.latest("cse-risk-screening")
        self.band_filter = self._combo(
            "Band", [(None, "Any band")] + [(b.code, b.label) for b in form.bands]
        )
        self.area_filter = self._combo(
            "Area", [(None, "Any area"), *self.services.screenings.areas()]
        )
        self.due_filter = self._combo(
            "Reassessment",
            [
                ("any", "Any reassessment"),
                ("due_or_overdue", "Due or overdue"),
                ("overdue", "Overdue only"),
            ],
        )
        owners = [(None, "Anyone")] + [
            (u.id, u.display_name) for u in self.services.screenings.owners()
        ]
        self.owner_filter = self._combo("Practitioner", owners)
        self.owner_filter.setVisible(self.services.user.role == "supervisor")
        for combo in (
            self.status_filter,
            self.band_filter,
            self.area_filter,
            self.due_filter,
            self.owner_filter,
        ):
            filters.addWidget(combo, 1)
        layout.addLayout(filters)
        labels = {
            "band": {b.code: b.label for b in form.bands},
            "area": dict(self.services.screenings.areas()),
        }
        self.model = ScreeningsModel(
            self.services.screenings.list, labels, self.services.session.today
        )
        self.table = QTableView(page)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Screenings")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setCornerButtonEnabled(False)
        self.table.horizontalHeader().setAccessibleName("Column headings: choose one to sort")
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.activated.connect(lambda _i: self.open_selected())
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # newest screening first
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        for text, slot in (
            ("&New screening", self.new_screening),
            ("&Open / resume", self.open_selected),
        ):
            button = QPushButton(text, page)
            button.setAccessibleName(text.replace("&", ""))
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.count_label = QLabel(page)
        buttons.addWidget(self.count_label)
        layout.addLayout(buttons)
        return page

    def _combo(self, name: str, items: list[tuple[Any, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(f"Filter: {name}")
        # May narrow (long choices are elided) so the window fits a small or 200 % screen.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        for data, label in items:
            combo.addItem(label, data)
        combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        return combo

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New screening", QKeySequence.StandardKey.New, self.new_screening)
        self._action(file_menu, "&Open selected", QKeySequence.StandardKey.Open, self.open_selected)
        self._action(file_menu, "&Referral PDF…", QKeySequence.StandardKey.Print, self.referral)
        self._action(file_menu, "Back to the &list", "Ctrl+Shift+L", self.show_list)
        file_menu.addSeparator()
        self._action(file_menu, "S&ettings…", QKeySequence.StandardKey.Preferences, self.settings)
        self._action(file_menu, "&Lock now", "Ctrl+L", self.lock)
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        if self.services.user.role == "supervisor":
            review = bar.addMenu("&Review")
            self._action(review, "Review &queue", "Ctrl+R", self.show_queue)
            self._action(review, "&Statistics", "Ctrl+Shift+S", self.show_statistics)
        self._view_and_help_menus(bar)

    def _view_and_help_menus(self, bar: Any) -> None:
        view = bar.addMenu("&View")
        if not self.is_admin:
            self._action(view, "&Search", QKeySequence.StandardKey.Find, self.focus_search)
        hide = self._action(view, "&Quick hide (F12)", "F12", self.toggle_hidden)
        hide.setShortcuts([QKeySequence("F12"), QKeySequence("Ctrl+Shift+H")])
        hide.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.help_menu = bar.addMenu("&Help")
        self._action(
            self.help_menu,
            "&Keyboard shortcuts",
            QKeySequence.StandardKey.HelpContents,
            self.show_shortcuts,
        )
        self._action(self.help_menu, "&About CSE Screening", "", self.show_about)

    def _action(self, menu: Any, text: str, key: Any, slot: Any) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _c=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    # -- list ----------------------------------------------------------------------------
    def apply_filters(self) -> None:
        query = dataclasses.replace(
            self.model.query,
            search=self.search.text(),
            status=self.status_filter.currentData(),
            band=self.band_filter.currentData(),
            area=self.area_filter.currentData(),
            due=self.due_filter.currentData() or "any",
            owner_id=self.owner_filter.currentData(),
        )
        self.model.set_query(query)
        self.count_label.setText(
            f"{len(self.model.rows)}{'+' if self.model.canFetchMore() else ''} shown"
        )

    def refresh(self) -> None:
        self.apply_filters()
        due, overdue = self.services.screenings.reassessment_counts()
        self.statusBar().showMessage(
            f"Reassessments: {overdue} overdue, {due} due in the next 14 days"
        )

    def focus_search(self) -> None:
        self.show_list()
        self.search.setFocus()

    def show_list(self) -> None:
        if self.form_view is not None:
            self.form_view.flush()
        self.stack.setCurrentWidget(self.list_page)
        self.refresh()

    # -- screenings ----------------------------------------------------------------------
    def new_screening(self) -> None:
        try:
            self.show_screening(self.services.screenings.start())
        except ScreeningError as exc:
            show_error(self, exc)

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        if row is None:
            self.statusBar().showMessage("Choose a screening in the list first.", 5000)
            return
        try:
            self.show_screening(self.services.screenings.get(row.id))
        except ScreeningError as exc:
            show_error(self, exc)

    def show_screening(self, screening: Screening) -> None:
        form = self.services.registry.get(screening.form_id, screening.form_version)
        editable = (
            screening.row.status == "draft" and screening.row.owner_id == self.services.user.id
        )
        view = FormView(
            form,
            DraftSink(self.services, screening.row.id),
            answers=screening.answers,
            page=screening.page if editable else None,
            today=self.services.session.today(),
            read_only=not editable,
        )
        view.submit_requested.connect(lambda _a: self.submit())
        view.discard_requested.connect(self.discard)
        page = QWidget()
        layout = QVBoxLayout(page)
        title_row = QHBoxLayout()
        title = QLabel(
            f"<b>{screening.row.reference}</b> – "
            f"{STATUS_LABELS.get(screening.row.status, screening.row.status)}"
        )
        title_row.addWidget(title)
        title_row.addStretch(1)
        header = QHBoxLayout()  # the actions on a row of their own: room for all of them
        actions: list[tuple[str, Any]] = []
        if not editable and screening.row.status != "draft":
            actions.append(("&Referral PDF…", self.referral))
            if screening.row.owner_id == self.services.user.id:
                actions.append(("&Amend…", self.amend))
                actions.append(("Share &with…", self.share))
        if (
            screening.row.status == "submitted"
            and self.services.user.role == "supervisor"
            and screening.row.owner_id != self.services.user.id
        ):
            actions += [("A&pprove…", self.approve), ("R&eturn for changes…", self.return_it)]
        if screening.row.status in ("submitted", "approved", "returned"):
            actions.append(("Add &outcome…", self.add_outcome))
        if screening.row.child_id is not None:
            actions.append(("C&hild record", self.show_child))
        if actions:
            for text, slot in actions:
                button = QPushButton(text)
                button.setAccessibleName(text.replace("&", "").rstrip("…"))
                button.clicked.connect(slot)
                header.addWidget(button)
        header.addStretch(1)
        back = QPushButton("Back to the &list")
        back.setAccessibleName("Back to the list")
        back.clicked.connect(self.show_list)
        title_row.addWidget(back)
        layout.addLayout(title_row)
        if actions:
            layout.addLayout(header)
        for comment in screening.comments:
            note = QLabel(f"{comment.decision.title()} by {comment.author_name}: {comment.text}")
            note.setObjectName("noteBox")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(view, 1)
        self.stack.removeWidget(self.screening_page)
        self.screening_page.deleteLater()
        self.screening_page = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.form_view, self.current = view, screening
        view.focus_first()

    def submit(self) -> None:
        if self.current is None or self.form_view is None:
            return
        try:
            done = self.services.screenings.submit(self.current.row.id)
        except AnswersError as exc:
            self.form_view.show_problems(exc.problems)
            return
        except ScreeningError as exc:
            show_error(self, exc)
            return
        note = ""
        if done.score and done.score.get("awaiting_approval"):
            note = " Your lower judgement is awaiting a supervisor's approval."
        QMessageBox.information(self, "Submitted", f"{done.row.reference} was submitted.{note}")
        self.show_screening(done)

    def discard(self) -> None:
        if self.current is None:
            return
        answer = QMessageBox.question(
            self,
            "Discard this draft?",
            "Discard this draft and every answer in it? This cannot be undone.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
        try:
            self.services.screenings.discard(self.current.row.id)
        except ScreeningError as exc:
            show_error(self, exc)
            return
        self.form_view, self.current = None, None
        self.show_list()

    def amend(self) -> None:
        if self.current is None:
            return
        reason, ok = QInputDialog.getText(
            self, "Amend this screening", "Why does it need changing?"
        )
        if not ok:
            return
        try:
            self.show_screening(self.services.screenings.amend(self.current.row.id, reason))
        except ScreeningError as exc:
            show_error(self, exc)

    def referral(self) -> None:
        if self.current is None or self.current.row.status == "draft":
            self.statusBar().showMessage("Open a submitted screening to make its referral.", 5000)
            return
        current = self.current
        self.statusBar().showMessage("Preparing the referral…")

        def done(pdf: object) -> None:
            from screening_app.ui.referral_view import ReferralView  # QtPdf only when needed

            self.statusBar().clearMessage()
            ReferralView(
                self.services,
                current.row.id,
                current.row.reference,
                bytes(pdf),  # type: ignore[call-overload]
                self,
            ).exec()

        run_in_background(
            self,
            lambda: self.services.screenings.referral_pdf(current.row.id),
            done,
            self._background_error,
        )

    # -- review (supervisors) --------------------------------------------------------------
    def _page(self, name: str, build: Any) -> QWidget:
        page = self._pages.get(name)
        if page is None:
            page = build()
            self._pages[name] = page
            self.stack.addWidget(page)
        return page

    def show_queue(self) -> None:
        from screening_app.ui.review_view import ReviewQueue

        queue = self._page("queue", lambda: ReviewQueue(self.services, self.open_for_review))
        queue.refresh()  # type: ignore[attr-defined]
        self.stack.setCurrentWidget(queue)

    def show_statistics(self) -> None:
        from screening_app.ui.stats_view import StatisticsView

        view = self._page(
            "stats", lambda: StatisticsView(self.services, self.services.session.today())
        )
        self.stack.setCurrentWidget(view)

    def share(self) -> None:
        if self.current is None:
            return
        name, ok = QInputDialog.getText(
            self,
            "Share this screening",
            "User name of the colleague who should be able to see it (read-only):",
        )
        if not ok or not name.strip():
            return
        try:
            self.services.screenings.share(self.current.row.id, name.strip())
        except ScreeningError as exc:
            show_error(self, exc)
            return
        self.statusBar().showMessage(f"Shared with {name.strip()}.", 5000)

    def add_outcome(self) -> None:
        if self.current is None:
            return
        from screening_app.ui.outcome_dialog import OutcomeDialog

        form = self.services.registry.get(self.current.form_id, self.current.form_version)
        dialog = OutcomeDialog(
            [(o.code, o.label) for o in form.outcomes], self.services.session.today(), self
        )
        if dialog.exec() != OutcomeDialog.DialogCode.Accepted:
            return
        code, day, note = dialog.values()
        try:
            self.services.review.add_outcome(self.current.row.id, code, day, note)
        except ScreeningError as exc:
            show_error(self, exc)
            return
        self.statusBar().showMessage("Outcome recorded.", 5000)

    def show_child(self) -> None:
        if self.current is None or self.current.row.child_id is None:
            return
        from screening_app.ui.child_view import ChildView

        try:
            record = self.services.children.record(self.current.row.child_id)
        except ScreeningError as exc:
            show_error(self, exc)
            return
        form = self.services.registry.latest("cse-risk-screening")
        view = ChildView(record, [(b.code, b.label) for b in form.bands])
        page = QWidget()
        layout = QVBoxLayout(page)
        back = QPushButton("Back to the &screening")
        back.setAccessibleName("Back to the screening")
        current = self.current
        back.clicked.connect(lambda: self.show_screening(current))
        row = QHBoxLayout()
        if self.services.user.role == "supervisor":
            merge = QPushButton("&Merge a duplicate record…")
            merge.setAccessibleName("Merge a duplicate record of this child")
            merge.clicked.connect(lambda: self.merge_duplicate(record.child_id))
            row.addWidget(merge)
        row.addStretch(1)
        row.addWidget(back)
        layout.addLayout(row)
        layout.addWidget(view, 1)
        old = self._pages.pop("child", None)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        self._pages["child"] = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    def merge_duplicate(self, child_id: int) -> None:
        """Pick a same-name record to fold into this child's (supervisors; audited)."""
        candidates = self.services.children.possible_duplicates(child_id)
        if not candidates:
            QMessageBox.information(
                self, "No duplicates", "No other record of a child with this name was found."
            )
            return
        labels = [
            f"{name}, born {dob.strftime('%d/%m/%Y') if dob else 'unknown'} ({count} screening(s))"
            for _cid, name, dob, count in candidates
        ]
        choice, ok = QInputDialog.getItem(
            self, "Merge a duplicate record", "Which record is the same child?", labels, 0, False
        )
        if not ok:
            return
        duplicate = candidates[labels.index(choice)][0]
        try:
            self.services.children.merge(child_id, duplicate)
        except ScreeningError as exc:
            show_error(self, exc)
            return
        self.show_child()

    def open_for_review(self, screening_id: int) -> None:
        try:
            self.show_screening(self.services.screenings.get(screening_id))
        except ScreeningError as exc:
            show_error(self, exc)

    def approve(self) -> None:
        if self.current is None:
            return
        password, ok = QInputDialog.getText(
            self,
            "Approve and sign",
            "Type your password to sign this approval:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        sid = self.current.row.id

        def done(_result: object) -> None:
            QMessageBox.information(self, "Approved", "The screening was approved.")
            self.open_for_review(sid)

        run_in_background(
            self, lambda: self.services.review.approve(sid, password), done, self._background_error
        )

    def return_it(self) -> None:
        if self.current is None:
            return
        comment, ok = QInputDialog.getMultiLineText(
            self,
            "Return for changes",
            "What needs changing? The practitioner will see this.",
        )
        if not ok:
            return
        try:
            self.services.review.return_for_changes(self.current.row.id, comment)
        except ScreeningError as exc:
            show_error(self, exc)
            return
        self.open_for_review(self.current.row.id)

    def _background_error(self, exc: BaseException) -> None:
        if isinstance(exc, ScreeningError):
            show_error(self, exc)
        else:
            raise exc

    # -- safety --------------------------------------------------------------------------
    def lock(self) -> None:
        if self.stack.currentWidget() is self.lock_screen:
            return
        if self.form_view is not None:
            self.form_view.flush()
        close_dialogs()
        current = self.stack.currentWidget()
        self._before_lock = self.list_page if current in (self.hidden, None) else current
        self.setWindowTitle(TITLE)
        self.menuBar().setEnabled(False)
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.reset()

    def unlock(self) -> None:
        self.menuBar().setEnabled(True)
        self.setWindowTitle(TITLE + (" – DEMO (fictional data)" if self.demo else ""))
        self.stack.setCurrentWidget(self._before_lock)
        self.idle.timer.start()

    def toggle_hidden(self) -> None:
        if self.stack.currentWidget() is self.lock_screen:
            return
        if self.stack.currentWidget() is self.hidden:
            self.stack.setCurrentWidget(self._before_lock)
            self.setWindowTitle(TITLE + (" – DEMO (fictional data)" if self.demo else ""))
            return
        close_dialogs()
        self._before_lock = self.stack.currentWidget() or self.list_page
        self.stack.setCurrentWidget(self.hidden)
        self.setWindowTitle(" ")

    def settings(self) -> None:
        """The idle-lock delay (stored in the database, shared by everyone on this computer)."""
        current = self.services.settings.get_int(IDLE_LOCK_KEY, 5)
        minutes, ok = QInputDialog.getInt(
            self,
            "Settings",
            "Lock the app after this many minutes without use:",
            current,
            1,
            60,
        )
        if not ok:
            return
        try:
            self.services.settings.set_int(IDLE_LOCK_KEY, minutes)
        except ScreeningError as exc:
            show_error(self, exc)
            return
        self.idle.set_minutes(minutes)
        self.statusBar().showMessage(
            f"The app now locks after {minutes} minutes without use.", 5000
        )

    def show_shortcuts(self) -> None:
        QMessageBox.information(
            self,
            "Keyboard shortcuts",
            (
                "Ctrl+N new screening · Ctrl+O open the selected screening · Ctrl+F search\n"
                "Ctrl+P referral PDF · Ctrl+Z undo the last answer · Ctrl+L lock now\n"
                "F12 or Ctrl+Shift+H quick hide: blanks the window at once; press it again to "
                "return · Ctrl+Q quit\nTab moves between fields; Enter on a list row opens it."
            ),
        )

    def show_about(self) -> None:
        from screening_app.ui.about import AboutDialog

        registry = self.services.registry
        forms = [(fid, ver, registry.get(fid, ver).title) for fid, ver, _ in registry.available()]
        AboutDialog(forms, self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.form_view is not None:
            self.form_view.flush()  # nothing is unsaved after this: every answer autosaves
        event.accept()
