"""The owner area, a page of the counter window: "Back to counter" on top, a list of pages on the left,
the chosen page on the right.

A new page is a class taking the ``OwnerContext`` with a ``refresh()`` and, when it says anything, a
``feedback`` (``FeedbackLabel``); it joins ``PAGE_NAMES``, ``self.pages`` and the titles in ``_build_pages``.
"""

from __future__ import annotations

from typing import Protocol, cast

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.services.facade import Services
from terminal.ui.operations import OperationRunner
from terminal.ui.owner.adjust_page import AdjustPage
from terminal.ui.owner.campaign_page import CampaignPage
from terminal.ui.owner.context import GrantRequest, OwnerContext
from terminal.ui.owner.customers_page import CustomersPage
from terminal.ui.owner.enroll_page import EnrollPage
from terminal.ui.owner.history_page import HistoryPage
from terminal.ui.owner.program_page import ProgramPage
from terminal.ui.owner.report_page import ReportPage
from terminal.ui.owner.staff_page import StaffPage
from terminal.ui.owner.sync_page import SyncPage
from terminal.ui.owner.void_page import VoidPage

PAGE_NAMES = ("report", "customers", "staff", "adjust", "void", "program", "campaigns", "enroll", "history",
              "sync")



class OwnerPage(Protocol):
    """What the area needs of a page besides being a QWidget: it reloads what it shows."""

    def refresh(self) -> None: ...

class OwnerArea(QWidget):
    """Every owner task, one page each. Calls needing the owner's PIN ask through ``request_owner_grant``.

    "Back to counter" closes the area (the counter window deletes it, and the owner's grant goes with it).

    ``paired(PairingResult)`` after the owner connected this terminal to a hub.
    """

    paired = Signal(object)

    def __init__(self, services: Services, runner: OperationRunner, request_owner_grant: GrantRequest,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ownerArea")
        self._retranslate_pending = False
        self.ctx = OwnerContext(services, runner, request_owner_grant, self)
        self.nav = QListWidget()
        self.nav.setObjectName("ownerNav")
        self.nav.setStyleSheet("QListWidget#ownerNav { outline: 0; }"  # no dotted focus box over the selection
                               "QListWidget#ownerNav::item { min-height: 48px; padding: 0 12px; border: none; }")
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.nav.setFont(font)
        self.stack = QStackedWidget()
        self.heading = QLabel()
        self.heading.setObjectName("ownerHeading")
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.back_button = QPushButton()
        self.back_button.setObjectName("ownerBack")
        self.back_button.clicked.connect(self.close)
        self.pages: dict[str, QWidget] = {}
        self._build_pages()
        self.nav.currentRowChanged.connect(self._row_changed)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.heading, 1)
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self._set_title()
        self.ctx.load_store()  # queued first, so every page's reads find the store's time zone known
        self.show_page("report")

    def _build_pages(self) -> None:
        while self.stack.count():
            holder = self.stack.widget(0)
            if holder is None:
                break
            self.stack.removeWidget(holder)
            holder.deleteLater()
        sync_page = SyncPage(self.ctx)
        sync_page.paired.connect(self.paired)
        self.pages = {
            "report": ReportPage(self.ctx), "staff": StaffPage(self.ctx), "adjust": AdjustPage(self.ctx),
            "void": VoidPage(self.ctx), "program": ProgramPage(self.ctx), "campaigns": CampaignPage(self.ctx),
            "enroll": EnrollPage(self.ctx),
            "history": HistoryPage(self.ctx), "sync": sync_page, "customers": CustomersPage(self.ctx),
        }
        titles = {
            "report": self.tr("Reports"), "staff": self.tr("Staff and PINs"),
            "adjust": self.tr("Adjust points"), "void": self.tr("Void an entry"),
            "program": self.tr("Program settings"), "campaigns": self.tr("Campaigns"),
            "enroll": self.tr("Enroll and print cards"),
            "history": self.tr("History and export"), "sync": self.tr("Hub and sync"),
            "customers": self.tr("Customers"),
        }
        self.nav.blockSignals(True)
        self.nav.clear()
        for name in PAGE_NAMES:
            self.nav.addItem(titles[name])
            self.stack.addWidget(self._scrolling(self.pages[name]))
        self.nav.blockSignals(False)
        self.nav.setFixedWidth(max(220, self.nav.sizeHintForColumn(0) + 32))

    @staticmethod
    def _scrolling(page: QWidget) -> QScrollArea:
        # A page taller than a small screen scrolls inside the area instead of pushing it past the screen;
        # its message line is scrolled into view whenever it says something.
        holder = QScrollArea()
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidgetResizable(True)
        holder.setWidget(page)
        feedback = getattr(page, "feedback", None)
        if feedback is not None and hasattr(feedback, "shown"):
            feedback.shown.connect(lambda: holder.ensureWidgetVisible(feedback))
        return holder

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        # Pages write their texts once; on a language switch they are simply built again.
        # Several translators arrive at once, so the rebuild waits for the last of them.
        if event.type() == QEvent.Type.LanguageChange and not self._retranslate_pending:
            self._retranslate_pending = True
            QTimer.singleShot(0, self, self._retranslate)  # the context object cancels it if the area goes
        super().changeEvent(event)

    def _set_title(self) -> None:
        self.setWindowTitle(self.tr("Owner area – Loyalty Terminal"))
        self.heading.setText(self.tr("Owner area"))
        self.back_button.setText(self.tr("← Back to counter"))

    def _retranslate(self) -> None:
        self._retranslate_pending = False
        self._set_title()
        current = self.current_page_name()
        self._build_pages()
        self.nav.setCurrentRow(-1)
        self.show_page(current)

    def show_page(self, name: str) -> QWidget:
        """Show and refresh one page: report, staff, adjust, void, program, enroll, history or sync."""
        if name not in self.pages:
            raise ValueError(f"no owner page {name!r}; pages are {', '.join(PAGE_NAMES)}")
        row = PAGE_NAMES.index(name)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # refreshes through _row_changed
        else:
            self._page(name).refresh()
        return self.pages[name]

    def _page(self, name: str) -> OwnerPage:
        return cast(OwnerPage, self.pages[name])  # every page class defines refresh()

    def current_page_name(self) -> str:
        return PAGE_NAMES[self.stack.currentIndex()]

    def forget_grant(self) -> None:
        """Drop the owner's remembered PIN confirmation (call when the owner area closes)."""
        self.ctx.forget_grant()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        # Leaving the owner area ends the owner's session: the next visit asks for the PIN again.
        self.forget_grant()
        super().hideEvent(event)

    def _row_changed(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)
            if self.ctx.runner.running:  # a window closing under the area changes the row once more
                self._page(PAGE_NAMES[row]).refresh()
