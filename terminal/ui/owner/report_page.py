"""The report over a period: figures beside the period before, charts, tiers, staff, campaigns, export.

The charts (pyqtgraph) are built when the first report arrives, not with the
page, so opening the counter never loads them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.codes import format_code
from terminal.services.daily_report import Suspicion, SuspicionKind
from terminal.services.period_report import (
    FIGURE_NAMES,
    Figures,
    PeriodKind,
    PeriodReport,
    PeriodReportService,
    period_bounds,
    report_table,
)
from terminal.ui.context import number, window_locale
from terminal.ui.owner import file_places
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.feedback_spots import FeedbackSpots
from terminal.ui.owner.widgets import FeedbackLabel, fill_table, make_table

if TYPE_CHECKING:  # the module itself loads pyqtgraph: only with the first report
    from terminal.ui.owner.bar_chart import BarChart, TrendChart

RATIOS = ("earn_burn_ratio", "redemption_rate", "breakage")
PERCENTAGES = ("redemption_rate", "breakage")


def figure_labels() -> dict[str, str]:
    return {
        "stamps": QCoreApplication.translate("ReportPage", "Stamps"),
        "points_earned": QCoreApplication.translate("ReportPage", "Points earned"),
        "points_spent": QCoreApplication.translate("ReportPage", "Points spent"),
        "points_expired": QCoreApplication.translate("ReportPage", "Points expired"),
        "earn_burn_ratio": QCoreApplication.translate("ReportPage", "Earn/burn ratio"),
        "redemptions": QCoreApplication.translate("ReportPage", "Redemptions"),
        "redemption_rate": QCoreApplication.translate("ReportPage", "Redemption rate"),
        "breakage": QCoreApplication.translate("ReportPage", "Breakage"),
        "active_members": QCoreApplication.translate("ReportPage", "Active members"),
        "new_cards": QCoreApplication.translate("ReportPage", "New cards"),
    }


def section_labels() -> dict[str, str]:
    return {
        "figures": QCoreApplication.translate("ReportPage", "Figures"),
        "tiers": QCoreApplication.translate("ReportPage", "Tier mix"),
        "staff": QCoreApplication.translate("ReportPage", "Staff"),
        "campaigns": QCoreApplication.translate("ReportPage", "Campaigns"),
        "no_tier": QCoreApplication.translate("ReportPage", "No tier"),
        "this": QCoreApplication.translate("ReportPage", "This period"),
        "previous": QCoreApplication.translate("ReportPage", "Previous period"),
        "section": QCoreApplication.translate("ReportPage", "Section"),
        "item": QCoreApplication.translate("ReportPage", "Item"),
    }


class ReportPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: PeriodReport | None = None
        self.period_choice = QComboBox()
        for kind, text in ((PeriodKind.DAY, self.tr("Day")), (PeriodKind.WEEK, self.tr("Week")),
                           (PeriodKind.MONTH, self.tr("Month")), (PeriodKind.CUSTOM, self.tr("Custom"))):
            self.period_choice.addItem(text, kind.value)
        self.period_choice.setCurrentIndex(2)
        self.from_field = QDateEdit()
        self.to_field = QDateEdit()
        today = self.ctx.now().date()  # until the first report puts the store's own days in (no I/O here)
        for field in (self.from_field, self.to_field):
            field.setCalendarPopup(True)
            field.setDisplayFormat("yyyy-MM-dd")
            field.setDate(QDate(today.year, today.month, today.day))
        self.day_picked = False  # until the owner picks a day, the report follows the store's today
        self.period_choice.currentIndexChanged.connect(self._period_changed)
        self.from_field.dateChanged.connect(self._day_changed)
        self.to_field.dateChanged.connect(self._day_changed)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.choose_export_file)
        # Refresh answers at the left under its button, Export at the right under its own;
        # the page's ``feedback`` is the one that spoke last.
        self.refresh_feedback = FeedbackLabel()
        self.export_feedback = FeedbackLabel()
        self.export_feedback.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.spots = FeedbackSpots(self, self.refresh_feedback, self.export_feedback)

        self.figures = make_table([self.tr("Figure"), self.tr("This period"), self.tr("Previous period"),
                                   self.tr("Change")])
        self.staff_table = make_table([self.tr("Staff"), self.tr("Stamps"), self.tr("Points earned"),
                                       self.tr("Redemptions"), self.tr("New cards")])
        self.campaign_table = make_table([self.tr("Campaign"), self.tr("Bonuses"), self.tr("Points"),
                                          self.tr("Cards")])
        self.tiers = QListWidget()
        self.suspicions = QListWidget()
        lists: tuple[QWidget, ...] = (self.figures, self.staff_table, self.campaign_table, self.tiers,
                                      self.suspicions)
        for widget in lists:
            widget.setMinimumHeight(150)
        self.comparison: BarChart | None = None  # made with the first report
        self.trend: TrendChart | None = None
        self.comparison_slot = QVBoxLayout()
        self.trend_slot = QVBoxLayout()

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Period")))
        top.addWidget(self.period_choice)
        top.addWidget(QLabel(self.tr("From")))
        top.addWidget(self.from_field)
        top.addWidget(QLabel(self.tr("To")))
        top.addWidget(self.to_field)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.export_button)

        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(self.figures, 0, 0, 1, 2)
        grid.addLayout(self.comparison_slot, 0, 2, 1, 2)
        grid.addLayout(self.trend_slot, 1, 0, 1, 4)
        # two a row, each half the width: the staff table's five columns did not fit a quarter at 1366 px
        for n, (title, widget) in enumerate(((self.tr("Staff"), self.staff_table),
                                             (self.tr("Campaigns"), self.campaign_table),
                                             (self.tr("Tier mix"), self.tiers),
                                             (self.tr("Worth a look"), self.suspicions))):
            row, column = 2 + 2 * (n // 2), 2 * (n % 2)
            grid.addWidget(QLabel(title), row, column, 1, 2)
            grid.addWidget(widget, row + 1, column, 1, 2)
        for column in range(4):
            grid.setColumnStretch(column, 1)
        grid.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)  # the owner area scrolls a page taller than the screen
        messages = QHBoxLayout()
        messages.addWidget(self.refresh_feedback, 1)
        messages.addWidget(self.export_feedback, 1)
        layout.addLayout(top)
        layout.addLayout(messages)
        layout.addWidget(body, 1)
        self._period_changed()

    # -- the period --------------------------------------------------------------------------
    def period_kind(self) -> PeriodKind:
        return PeriodKind(self.period_choice.currentData())

    def _period_changed(self) -> None:
        self.to_field.setEnabled(self.period_kind() is PeriodKind.CUSTOM)
        if self.report is not None or self.day_picked:
            self.refresh()

    def _day_changed(self) -> None:
        self.day_picked = True
        self.refresh()

    @property
    def feedback(self) -> FeedbackLabel:
        return self.spots.latest

    def refresh(self) -> None:
        self.spots.clear()
        service = PeriodReportService(self.ctx.services.ctx)
        kind = self.period_kind()
        # read on the GUI thread; until the owner picks a day, the worker takes the store's today
        picked = (_date(self.from_field.date()), _date(self.to_field.date())) if self.day_picked else None
        first_time = self.comparison is None

        def build() -> PeriodReport:
            if first_time:  # pyqtgraph takes a moment to import: here, not on the GUI thread
                import terminal.ui.owner.bar_chart  # noqa: F401
            anchor, end = picked or (service.today(), service.today())
            return service.report(*period_bounds(kind, anchor, end))

        self.ctx.run(build, self.show_report, self.refresh_feedback.show_error, self)

    # -- showing it --------------------------------------------------------------------------
    def show_report(self, report: PeriodReport) -> None:
        self.report = report
        for field, day in ((self.from_field, report.first), (self.to_field, report.last)):
            field.blockSignals(True)
            field.setDate(QDate(day.year, day.month, day.day))
            field.blockSignals(False)
        self.export_button.setEnabled(True)
        labels = figure_labels()
        fill_table(self.figures, [[labels[name], self.number(report.figures, name),
                                   self.number(report.previous, name), self.change(report, name)]
                                  for name in FIGURE_NAMES])
        # every figure in view without scrolling the table (the page scrolls)
        rows_height = sum(self.figures.rowHeight(r) for r in range(self.figures.rowCount()))
        self.figures.setMinimumHeight(rows_height + self.figures.horizontalHeader().height()
                                      + 2 * self.figures.frameWidth() + 2)
        fill_table(self.staff_table, [[s.name, *(self.whole(v) for v in (s.stamps, s.points_earned,
                                                                          s.redemptions, s.new_cards))]
                                      for s in report.staff])
        fill_table(self.campaign_table, [[c.name or c.campaign_id, self.whole(c.bonuses), self.whole(c.points),
                                          self.whole(c.cards)] for c in report.campaigns])
        self.tiers.clear()
        for tier, count in report.tier_mix:
            self.tiers.addItem(f"{tier or self.tr('No tier')}: {self.whole(count)}")
        if not report.tier_mix:
            self.tiers.addItem(self.tr("No active members."))
        self.suspicions.clear()
        for day, suspicion in report.worth_a_look:
            self.suspicions.addItem(f"{day.isoformat()}: {self.describe(suspicion)}")
        if not report.worth_a_look:
            self.suspicions.addItem(self.tr("Nothing unusual."))
        self._draw(report, labels)

    def _draw(self, report: PeriodReport, labels: dict[str, str]) -> None:
        if self.comparison is None:
            from terminal.ui.owner.bar_chart import BarChart, TrendChart  # pyqtgraph loads here

            comparison, trend = BarChart(), TrendChart()
            self.comparison_slot.addWidget(comparison)
            self.trend_slot.addWidget(trend)
            self.comparison, self.trend = comparison, trend
        assert self.comparison is not None and self.trend is not None
        compared = ("stamps", "redemptions", "active_members", "new_cards")
        self.comparison.set_data(
            [labels[name] for name in compared], [self.tr("This period"), self.tr("Previous period")],
            [[getattr(report.figures, name), getattr(report.previous, name)] for name in compared],
            self.tr("Nothing recorded in these periods."))
        days = [window_locale().toString(QDate(d.day.year, d.day.month, d.day.day), "d MMM") for d in report.days]
        before = list(report.previous_days) + [None] * max(0, len(report.days) - len(report.previous_days))
        self.trend.set_data(days, [
            (self.tr("Points earned"), [d.points_earned for d in report.days]),
            (self.tr("Points earned, period before"), [b.points_earned if b else 0 for b in before][:len(days)]),
            (self.tr("Points spent"), [d.points_spent for d in report.days]),
            (self.tr("Points spent, period before"), [b.points_spent if b else 0 for b in before][:len(days)]),
        ], self.tr("No points earned or spent in these periods."))

    @staticmethod
    def whole(value: int) -> str:
        return number(value)

    def number(self, figures: Figures, name: str) -> str:
        value = getattr(figures, name)
        if value is None:
            return "–"
        if name in PERCENTAGES:
            return window_locale().toString(value * 100, "f", 1) + " %"
        if name in RATIOS:
            return "\u00d7" + window_locale().toString(value, "f", 2)  # the sign of program multipliers
        return self.whole(value)

    def change(self, report: PeriodReport, name: str) -> str:
        now, before = getattr(report.figures, name), getattr(report.previous, name)
        if now is None or before is None or name in RATIOS:
            return ""
        diff = now - before
        return ("+" if diff > 0 else "") + self.whole(diff)

    def describe(self, s: Suspicion) -> str:
        texts = {
            SuspicionKind.REPEAT_STAMPS: self.tr("%1 stamped card %3 %2 times."),
            SuspicionKind.MANY_REFUSALS: self.tr("%1 was refused %2 times (cooldowns, limits, balances)."),
            SuspicionKind.MANY_VOIDS: self.tr("%1 voided %2 entries."),
            SuspicionKind.MANY_PIN_FAILURES: self.tr("%2 wrong PINs were typed for %1."),
        }
        return (texts[s.kind].replace("%1", s.staff_name).replace("%2", str(s.count))
                .replace("%3", format_code(s.card) if s.card else ""))

    # -- export ------------------------------------------------------------------------------
    def choose_export_file(self) -> None:
        if self.report is None:
            return
        xlsx, csv = self.tr("Excel workbook (*.xlsx)"), self.tr("CSV file (*.csv)")
        name = f"loyalty-report-{self.report.first}-{self.report.last}.xlsx"
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export the report"),
                                                   file_places.suggested_path(name), f"{xlsx};;{csv}")
        if path:
            self.export_to(path, "csv" if chosen == csv or path.lower().endswith(".csv") else "xlsx")

    def export_to(self, path: str, fmt: str) -> None:
        """Write the report shown to ``path`` as ``fmt`` (csv or xlsx), after the owner's PIN."""
        report = self.report
        if report is None:
            return
        file_places.remember(path)
        headers, rows = report_table(report, figure_labels(), section_labels())
        title = self.tr("Report")
        services = self.ctx.services

        def write(grant) -> str | None:  # noqa: ANN001
            from terminal.services.spreadsheet import write_table

            services.reports.record_export(grant, report="period", first=str(report.first), last=str(report.last))
            try:
                write_table(path, fmt, headers, rows, sheet_title=title)
            except OSError as exc:  # a folder that is gone, a full disk, a file open elsewhere
                return exc.strerror or str(exc)
            return None

        def written(problem: str | None) -> None:
            if problem is None:
                self.export_feedback.show_ok(self.tr("Saved the report to %1.").replace("%1", path))
            else:
                self.export_feedback.show_error(self.tr("Could not save %1 (%2). Pick another folder or name.")
                                         .replace("%1", path).replace("%2", problem))

        self.ctx.run_granted(write, written, self.export_feedback.show_error, self)


def _date(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())

