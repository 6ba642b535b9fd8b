"""The window of practitioners and supervisors: a shell that switches between pages.

Pages (one module each): the screenings list (``list_page``), an opened screening
(``screening_page``), a child's record (``child_page``), and for supervisors the review queue
(``review_view``) and statistics (``stats_view``). Locking, quick-hide and Help come from
``shell.SafeWindow``; administrators get ``admin_window.AdminWindow`` instead.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from screening_app.domain import checklist
from screening_app.domain.capabilities import Verb
from screening_app.services.app_services import AppServices
from screening_app.services.model import Screening
from screening_app.ui.list_page import ListPage
from screening_app.ui.operations import Changes, Op, guarded
from screening_app.ui.screening_page import ScreeningPage
from screening_app.ui.shell import SafeWindow
from screening_app.ui.team_actions import TeamActions


class MainWindow(SafeWindow):
    def __init__(self, services: AppServices, *, demo: bool = False, idle_minutes: int = 5) -> None:
        super().__init__(services, demo=demo, idle_minutes=idle_minutes)
        self.changes = Changes(self)
        self.list_page = ListPage(services, demo=demo)
        self.list_page.open_requested.connect(self.open_screening)
        self.list_page.new_requested.connect(self.new_screening)
        self.list_page.new_context_requested.connect(self.new_context_screening)
        self.list_page.nothing_selected.connect(
            lambda: self.statusBar().showMessage("Choose a screening in the list first.", 5000)
        )
        self.stack.addWidget(self.list_page)
        self.stack.setCurrentWidget(self.list_page)
        self.screening_page: ScreeningPage | None = None
        self._pages: dict[str, QWidget] = {}
        self.team = TeamActions(self, services, self.changes)
        self.changes.changed.connect(self._refresh_the_list_if_shown)
        self._build_menus()
        self.show_list()
        self.list_page.show_news()

    def home(self) -> QWidget:
        return self.list_page

    def _refresh_the_list_if_shown(self) -> None:
        """Records changed (a sync brought screenings, a review …): the list on screen shows
        them at once; another page refreshes it when it comes back (``show_list``)."""
        if self.stack.currentWidget() is self.list_page:
            self.statusBar().showMessage(self.list_page.refresh())

    @property
    def current(self) -> Screening | None:
        """The screening open on its page (None on the list and the other pages)."""
        return self.screening_page.screening if self.screening_page is not None else None

    def page(self, name: str) -> QWidget | None:
        """A page built on demand: ``queue``, ``stats`` or ``child`` (None until shown)."""
        return self._pages.get(name)

    def save_now(self) -> None:
        if self.screening_page is not None:
            self.screening_page.form_view.flush()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.action(file_menu, "&New screening", QKeySequence.StandardKey.New, self.new_screening)
        self.action(file_menu, "New place or &group screening", "", self.new_context_screening)
        self.action(
            file_menu, "&Open selected", QKeySequence.StandardKey.Open, self.list_page.open_selected
        )
        self.action(file_menu, "&Referral PDF…", QKeySequence.StandardKey.Print, self.referral)
        self.action(file_menu, "Back to the &list", "Ctrl+Shift+L", self.show_list)
        self.action(file_menu, "S&ync now", "Ctrl+Shift+Y", self.team.sync_now)
        self.action(file_menu, "&Connect to a team server…", "", self.team.connect_server)
        self.action(file_menu, "This computer's co&de…", "", self.team.this_computers_code)
        if self.services.can(Verb.RECEIVE_TRANSFER):
            self.action(file_menu, "Recei&ve a transfer…", "", self.receive_transfer)
        self.add_safety_actions(file_menu)
        team = self.team
        reviewing = [  # what the table in domain/capabilities.py lets this user do
            (Verb.REVIEW, "Review &queue", "Ctrl+R", self.show_queue),
            (Verb.SEE_STATISTICS, "&Statistics", "Ctrl+Shift+S", self.show_statistics),
            (Verb.SEE_LINKS, "&Links between screenings", "Ctrl+Shift+K", self.show_links),
            (Verb.GRANT_ACCESS, "&Grant access…", "Ctrl+Shift+G", team.grant_access),
            (Verb.SEE_COMPUTERS, "Team &computers…", "", team.team_computers),
            (Verb.SEE_DISCLOSURES, "&Disclosure log…", "", self.show_disclosures),
            (Verb.SEE_DUE, "Due for review or d&eletion…", "", self.show_retention),
        ]
        allowed = [entry for entry in reviewing if self.services.can(entry[0])]
        if allowed:
            review = bar.addMenu("&Review")
            for _verb, text, key, slot in allowed:
                self.action(review, text, key, slot)
        view = self.add_view_and_help_menus(bar)
        self.action(view, "&Search", QKeySequence.StandardKey.Find, self.focus_search)

    def shortcuts_text(self) -> str:
        return (
            "Ctrl+N new screening · Ctrl+O open the selected screening · Ctrl+F search\n"
            "Ctrl+P referral PDF · Ctrl+Z undo the last answer · F1 in a question's field "
            "shows or hides its help · Ctrl+L lock now\n"
            "F12 or Ctrl+Shift+H quick hide: blanks the window at once; press it again to "
            "return · Ctrl+Q quit\nTab moves between fields; Enter on a list row opens it."
        )

    # -- pages -------------------------------------------------------------------------------
    def show_list(self) -> None:
        self.save_now()
        self.stack.setCurrentWidget(self.list_page)
        self.statusBar().showMessage(self.list_page.refresh())
        self.list_page.heading.take_focus()

    def focus_search(self) -> None:
        self.show_list()
        self.list_page.search.setFocus()

    def new_screening(self, form_id: str = checklist.FORM_ID) -> None:
        with guarded(self) as attempt:
            screening = self.services.screenings.start(form_id)
        if not attempt.failed:
            self.show_screening(screening)

    def show_disclosures(self) -> None:
        """Review → Disclosure log…: every share of the team's screenings, with its basis."""
        from screening_app.ui.disclosure_dialog import DisclosureDialog

        DisclosureDialog(self, self.services).exec()

    def show_retention(self) -> None:
        """Review → Due for review or deletion…: the monthly list, and legal holds."""
        from screening_app.ui.retention_dialog import RetentionDialog

        RetentionDialog(self, self.services).exec()

    def receive_transfer(self) -> None:
        """File → Receive a transfer… (supervisors): a child's screenings from another
        setting, and the receipt for the sender."""
        from screening_app.ui.transfer_dialog import receive_transfer

        receive_transfer(self, self.services, done=self.show_list)

    def new_context_screening(self) -> None:
        """A screening of a place, a route, an online space or a group of young people
        (contextual safeguarding): linked to the children's screenings that name the same
        place or person."""
        self.new_screening(checklist.CONTEXT_FORM_ID)

    def open_screening(self, screening_id: int) -> None:
        with guarded(self) as attempt:
            screening = self.services.screenings.get(screening_id)
        if not attempt.failed:
            self.show_screening(screening)

    def show_screening(self, screening: Screening | None) -> None:
        """Show ``screening`` in a new page (the list again for None, after a discard)."""
        self._drop_screening_page()
        if screening is None:
            self.show_list()
            return
        page = ScreeningPage(self.services, screening, self.changes)
        page.back_requested.connect(self.show_list)
        page.replaced.connect(self.show_screening)
        page.child_requested.connect(self.show_child)
        page.referral_requested.connect(self.referral)
        page.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.screening_page = page
        page.form_view.focus_first()

    def _drop_screening_page(self) -> None:
        old, self.screening_page = self.screening_page, None
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()

    def referral(self) -> None:
        page = self.screening_page
        if page is None or not page.allowed.referral:
            self.statusBar().showMessage("Open a submitted screening to make its referral.", 5000)
            return
        sid, reference = page.screening_id, page.screening.row.reference
        self.statusBar().showMessage("Preparing the referral…")

        def preview(pdf: bytes) -> None:
            from screening_app.ui.referral_view import ReferralView  # QtPdf only when needed

            self.statusBar().clearMessage()
            ReferralView(self.services, sid, reference, pdf, self).exec()

        Op(self, lambda: self.services.referrals.referral_pdf(sid)).success(preview).run()

    def show_child(self, child_id: int) -> None:
        from screening_app.ui.child_page import ChildPage

        with guarded(self) as attempt:
            record = self.services.children.record(child_id)
        if attempt.failed:
            return
        page = ChildPage(self.services, record, self.changes)
        back_to = self.screening_page
        page.back_requested.connect(
            lambda: self.stack.setCurrentWidget(back_to) if back_to else self.show_list()
        )
        page.merged.connect(self.show_child)
        self._replace_page("child", page)
        page.heading.take_focus()  # not the first button ("Merge…")

    def show_queue(self) -> None:
        from screening_app.ui.review_view import ReviewQueue

        queue = self._pages.get("queue")
        if not isinstance(queue, ReviewQueue):
            queue = ReviewQueue(self.services, self.open_screening, back=self.show_list)
            self.changes.changed.connect(queue.refresh)
            self._replace_page("queue", queue)
        queue.refresh()
        self.stack.setCurrentWidget(queue)
        queue.heading.take_focus()

    def show_statistics(self) -> None:
        from screening_app.ui.stats_view import StatisticsView

        view = self._pages.get("stats")
        if not isinstance(view, StatisticsView):
            view = StatisticsView(self.services, self.services.session.today(), back=self.show_list)
            self._replace_page("stats", view)
        self.stack.setCurrentWidget(view)
        view.title.take_focus()

    def show_links(self) -> None:
        from screening_app.ui.links_view import LinksView

        def open_reference(reference: str) -> None:
            with guarded(self) as attempt:
                screening_id = self.services.screenings.id_of(reference)
            if not attempt.failed:
                self.open_screening(screening_id)

        def open_child(reference: str) -> None:
            with guarded(self) as attempt:
                screening = self.services.screenings.get(self.services.screenings.id_of(reference))
            if not attempt.failed and screening.row.child_id is not None:
                self.show_child(screening.row.child_id)

        view = LinksView(self.services, open_reference, back=self.show_list, open_child=open_child)
        self._replace_page("links", view)
        view.heading.take_focus()

    def _replace_page(self, name: str, page: QWidget) -> None:
        old = self._pages.pop(name, None)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        self._pages[name] = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
