"""Today's report: actions and refusals per staff member, suspicious patterns, and a chart."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QListWidget, QPushButton, QSplitter, QVBoxLayout, QWidget

from terminal.domain.codes import format_code
from terminal.services.daily_report import DailyReport, StaffDay, Suspicion, SuspicionKind
from terminal.ui.owner.bar_chart import BarChart
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel, fill_table, make_table


class ReportPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: DailyReport | None = None
        self.day_field = QDateEdit(calendarPopup=True)
        self.day_field.setDisplayFormat("yyyy-MM-dd")
        self.day_picked = False
        self.day_field.dateChanged.connect(self._day_changed)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.table = make_table([self.tr("Staff"), self.tr("Stamps"), self.tr("Points earned"),
                                 self.tr("Redemptions"), self.tr("Voids"), self.tr("Adjustments"),
                                 self.tr("Refusals"), self.tr("Wrong PINs")])
        self.suspicions = QListWidget()
        self.chart = BarChart()
        self.feedback = FeedbackLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Day")))
        top.addWidget(self.day_field)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        # The table gets the page's whole width (eight columns); the chart and the list share the row below.
        below = QSplitter()
        below.addWidget(self.chart)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel(self.tr("Worth a look")))
        side_layout.addWidget(self.suspicions)
        below.addWidget(side)
        below.setStretchFactor(0, 3)
        below.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.feedback)
        layout.addWidget(self.table, 1)
        layout.addWidget(below, 1)

    def _day_changed(self) -> None:
        self.day_picked = True
        self.refresh()

    def chosen_day(self) -> date | None:
        """The picked day, or None for the store's today (until the owner picks one)."""
        if not self.day_picked:
            return None
        d = self.day_field.date()
        return date(d.year(), d.month(), d.day())

    def refresh(self) -> None:
        day = self.chosen_day()
        self.ctx.run(lambda: self.ctx.services.daily_report.report(day), self.show_report,
                     self.feedback.show_error, self)

    def show_report(self, report: DailyReport) -> None:
        self.report = report
        self.day_field.blockSignals(True)
        self.day_field.setDate(QDate(report.day.year, report.day.month, report.day.day))
        self.day_field.blockSignals(False)
        rows = list(report.staff)
        fill_table(self.table, [self._row(r.name, r) for r in rows]
                   + ([self._row(self.tr("All staff"), report.totals)] if rows else []))
        self.suspicions.clear()
        for suspicion in report.suspicions:
            self.suspicions.addItem(self.describe(suspicion))
        if not report.suspicions:
            self.suspicions.addItem(self.tr("Nothing unusual."))
        self.chart.set_data([r.name for r in rows],
                            [self.tr("Stamps"), self.tr("Purchases"), self.tr("Redemptions"), self.tr("Refusals")],
                            [[r.stamps, r.earns, r.redemptions, r.refusals] for r in rows])

    @staticmethod
    def _row(name: str, r: StaffDay) -> list[str]:
        return [name, *(str(v) for v in (r.stamps, r.points_earned, r.redemptions, r.voids, r.adjustments,
                                         r.refusals, r.pin_failures))]

    def describe(self, s: Suspicion) -> str:
        texts = {
            SuspicionKind.REPEAT_STAMPS: self.tr("%1 stamped card %3 %2 times."),
            SuspicionKind.MANY_REFUSALS: self.tr("%1 was refused %2 times (cooldowns, limits, balances)."),
            SuspicionKind.MANY_VOIDS: self.tr("%1 voided %2 entries."),
            SuspicionKind.MANY_PIN_FAILURES: self.tr("%2 wrong PINs were typed for %1."),
        }
        return (texts[s.kind].replace("%1", s.staff_name).replace("%2", str(s.count))
                .replace("%3", format_code(s.card) if s.card else ""))
