"""Campaigns of a program: the list (running, scheduled, over), a new campaign, ending one.

Only the fields that fit the chosen kind are shown. How a campaign combines with tiers is said
on the page, as the counter applies it (terminal.domain.campaigns).
"""

from __future__ import annotations

from datetime import date, time
from typing import cast

from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.campaigns import Campaign, CampaignKind
from terminal.domain.errors import LoyaltyError
from terminal.domain.money import parse_amount
from terminal.domain.programs import Program, parse_multiplier
from terminal.ui import campaign_text
from terminal.ui.context import window_locale
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel, fill_table, make_table

KINDS = tuple(CampaignKind)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class CampaignPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.programs: list[Program] = []
        self.shown: list[Campaign] = []
        self.feedback = FeedbackLabel()
        self.program_choice = QComboBox()
        self.program_choice.currentIndexChanged.connect(self._show_selected)
        self.table = make_table([self.tr("Campaign"), self.tr("Gives"), self.tr("Days"), self.tr("Weekdays"),
                                 self.tr("Hours"), self.tr("Now")])
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.setMinimumHeight(self.fontMetrics().height() * 7)
        self.table.setMaximumHeight(self.fontMetrics().height() * 12)  # the form and its buttons stay in view
        self.end_button = QPushButton(self.tr("End selected campaign"))
        self.end_button.clicked.connect(self.end_selected)
        self._build_form()
        self.rules_note = QLabel(wordWrap=True)
        self.add_button = QPushButton(self.tr("Add campaign"))
        self.add_button.clicked.connect(self.add_campaign)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.end_button)
        buttons.addWidget(self.feedback, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.program_choice)
        layout.addWidget(self.table)
        layout.addWidget(self.form_box)
        layout.addLayout(buttons)
        layout.addWidget(self.rules_note)
        self._kind_changed()
        self._selection_changed()

    def _build_form(self) -> None:
        self.form_box = QGroupBox(self.tr("New campaign"))
        self.name = QLineEdit(placeholderText=self.tr("e.g. Double points on Tuesdays"))
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(campaign_text.kind_name(kind), kind.value)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.multiplier = QLineEdit(campaign_text.multiplier(200))
        self.points = QSpinBox(maximum=1_000_000)
        self.points.setValue(50)
        self.stamps = QSpinBox(minimum=0, maximum=100)
        self.stamps.setValue(1)
        self.min_spend = QLineEdit(placeholderText="20.00")
        self.first_day, self.last_day = QDateEdit(), QDateEdit()
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        days = QHBoxLayout()
        days.addWidget(self.first_day)
        days.addWidget(QLabel("–"))
        days.addWidget(self.last_day)
        days.addStretch(1)
        self.weekdays: list[QCheckBox] = []
        weekdays = QGridLayout()  # two rows: full day names fit a small screen
        locale = window_locale()
        for n in range(7):
            box = QCheckBox(locale.dayName(n + 1, QLocale.FormatType.LongFormat))  # Qt counts Monday as 1
            self.weekdays.append(box)
            weekdays.addWidget(box, n // 4, n % 4)
        self.some_hours = QCheckBox(self.tr("Only between"))
        self.starts_at, self.ends_at = QTimeEdit(QTime(9, 0)), QTimeEdit(QTime(17, 0))
        for hour in (self.starts_at, self.ends_at):
            hour.setDisplayFormat("HH:mm")
        self.some_hours.toggled.connect(self._hours_toggled)
        hours = QHBoxLayout()
        hours.addWidget(self.some_hours)
        hours.addWidget(self.starts_at)
        hours.addWidget(QLabel("–"))
        hours.addWidget(self.ends_at)
        hours.addStretch(1)
        self._hours_toggled(False)
        self.form = QFormLayout(self.form_box)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow(self.tr("Points multiplier"), self.multiplier)
        self.form.addRow(self.tr("Bonus points"), self.points)
        self.form.addRow(self.tr("Bonus stamps"), self.stamps)
        self.form.addRow(self.tr("For purchases of at least"), self.min_spend)
        self.form.addRow(self.tr("Days"), days)
        self.form.addRow(self.tr("Weekdays (none: every day)"), weekdays)
        self.form.addRow(self.tr("Hours"), hours)

    # -- reading -------------------------------------------------------------------
    def refresh(self) -> None:
        self.ctx.run(lambda: [s.program for s in self.ctx.services.programs.summaries(include_retired=False)],
                     self._show_programs, self.feedback.show_error, self)

    def _show_programs(self, programs: list[Program]) -> None:
        current = self.program_choice.currentData()
        self.programs = programs
        self.program_choice.blockSignals(True)
        self.program_choice.clear()
        for p in programs:
            self.program_choice.addItem(p.name, p.program_id)
        index = self.program_choice.findData(current) if current is not None else 0
        self.program_choice.setCurrentIndex(max(index, 0))
        self.program_choice.blockSignals(False)
        today = self.ctx.now().astimezone(self.ctx.store.tz if self.ctx.store else None).date()
        if self.first_day.date() < _qdate(today):
            self.first_day.setDate(_qdate(today))
            self.last_day.setDate(_qdate(today).addDays(30))
        self._show_selected()

    def selected_program(self) -> Program | None:
        index = self.program_choice.currentIndex()
        return self.programs[index] if 0 <= index < len(self.programs) else None

    @property
    def currency(self) -> str:
        return self.ctx.store.currency if self.ctx.store else "EUR"

    def _show_selected(self) -> None:
        program = self.selected_program()
        if program is None or self.ctx.store is None:
            return
        tz, now = self.ctx.store.tz, self.ctx.now()
        # running and scheduled first, then the ones that are over
        self.shown = sorted(program.campaigns, key=lambda c: (c.is_over(now, tz), c.first_day, c.name))
        locale = window_locale()
        rows = []
        for c in self.shown:
            state = (self.tr("running") if c.is_active(now, tz)
                     else self.tr("over") if c.is_over(now, tz) else self.tr("scheduled"))
            weekdays = ", ".join(locale.dayName(d + 1, QLocale.FormatType.LongFormat) for d in sorted(c.weekdays))
            hours = f"{c.starts_at:%H:%M}–{c.ends_at:%H:%M}" if c.starts_at and c.ends_at else self.tr("all day")
            rows.append([c.name, campaign_text.what(c, self.currency), f"{c.first_day} – {c.last_day}",
                         weekdays or self.tr("every day"), hours, state])
        fill_table(self.table, rows)
        kind_ok = {CampaignKind.EXTRA_STAMP: program.kind.has_stamps}
        model = cast(QStandardItemModel, self.kind.model())  # a QComboBox's own model
        for n, kind in enumerate(KINDS):
            fits = kind_ok.get(kind, program.kind.has_points or kind.once)
            model.item(n).setEnabled(fits)
        if not model.item(self.kind.currentIndex()).isEnabled():
            self.kind.setCurrentIndex(next(n for n in range(len(KINDS)) if model.item(n).isEnabled()))
        self.rules_note.setText(self.tr(
            "How bonuses combine: a campaign multiplier applies to the purchase's base points, then the card's "
            "tier multiplier (a %2 campaign and a %3 tier give %4); when two multipliers run at once, the "
            "higher one counts. Fixed, spend, first-visit and birthday bonuses are added as they are. Each bonus "
            "is an entry of its own in the history, naming the campaign, and does not count toward tiers. Days "
            "and hours are the store's time (%1).").replace("%1", self.ctx.store.tz.key)
            .replace("%2", campaign_text.multiplier(200)).replace("%3", campaign_text.multiplier(125))
            .replace("%4", campaign_text.multiplier(250)))
        self._kind_changed()
        self._selection_changed()

    def _kind_changed(self) -> None:
        kind = CampaignKind(self.kind.currentData())
        program = self.selected_program()
        has_points = program.kind.has_points if program else True
        has_stamps = program.kind.has_stamps if program else True
        self.form.setRowVisible(self.multiplier, kind is CampaignKind.MULTIPLIER)
        self.form.setRowVisible(self.points, kind in (CampaignKind.FIXED_BONUS, CampaignKind.SPEND_BONUS)
                                or (kind.once and has_points))
        self.form.setRowVisible(self.stamps, kind is CampaignKind.EXTRA_STAMP or (kind.once and has_stamps))
        self.form.setRowVisible(self.min_spend, kind is CampaignKind.SPEND_BONUS)

    def _hours_toggled(self, on: bool) -> None:
        self.starts_at.setEnabled(on)
        self.ends_at.setEnabled(on)

    def selected(self) -> Campaign | None:
        rows = self.table.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows and rows[0].row() < len(self.shown) else None

    def _selection_changed(self) -> None:
        c = self.selected()
        over = c is None or (self.ctx.store is not None and c.is_over(self.ctx.now(), self.ctx.store.tz))
        self.end_button.setEnabled(not over)

    # -- writing -------------------------------------------------------------------
    def campaign(self) -> Campaign:
        """The campaign as the form says (raises LoyaltyError saying what to fix)."""
        kind = CampaignKind(self.kind.currentData())
        visible = self.form.isRowVisible
        hours = (self.starts_at.time(), self.ends_at.time()) if self.some_hours.isChecked() else None
        return Campaign(
            campaign_id="", name=self.name.text().strip(), kind=kind,
            first_day=_date(self.first_day.date()), last_day=_date(self.last_day.date()),
            weekdays=tuple(n for n, box in enumerate(self.weekdays) if box.isChecked()),
            starts_at=time(hours[0].hour(), hours[0].minute()) if hours else None,
            ends_at=time(hours[1].hour(), hours[1].minute()) if hours else None,
            multiplier_percent=parse_multiplier(self.multiplier.text()) if visible(self.multiplier) else 100,
            points=self.points.value() if visible(self.points) else 0,
            stamps=self.stamps.value() if visible(self.stamps) else 0,
            min_spend_minor=(parse_amount(self.min_spend.text(), self.currency, 10**12)
                             if visible(self.min_spend) else 0),
        ).check()

    def add_campaign(self) -> None:
        program = self.selected_program()
        if program is None:
            return
        try:
            campaign = self.campaign()
        except LoyaltyError as exc:
            self.feedback.show_error(exc.message)
            return
        program_id = program.program_id

        def added(_: object) -> None:
            self.name.clear()  # a second click must not add the same campaign twice
            self._done(self.tr("Campaign %1 added.").replace("%1", campaign.name))

        self.ctx.run_granted(lambda g: self.ctx.services.campaigns.add(g, program_id, campaign), added,
                             self.feedback.show_error, self)

    def end_selected(self) -> None:
        c = self.selected()
        if c is None:
            return
        self.ctx.run_granted(lambda g: self.ctx.services.campaigns.end(g, c.campaign_id),
                             lambda _: self._done(self.tr("%1 has ended.").replace("%1", c.name)),
                             self.feedback.show_error, self)

    def _done(self, message: str) -> None:
        self.feedback.show_ok(message)
        self.refresh()
