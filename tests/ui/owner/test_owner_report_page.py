"""The period report in the owner area: figures beside the period before, charts, staff, export; the demo."""

from __future__ import annotations

from datetime import date, timedelta

from openpyxl import load_workbook
from PySide6.QtCore import QDate
from PySide6.QtGui import QImage

from terminal.services.demo import DEMO_OWNER, seed_demo
from terminal.services.facade import open_services
from terminal.ui.owner import OwnerArea, file_places
from tests.ui.conftest import IGNORE_OFFSCREEN

pytestmark = IGNORE_OFFSCREEN


def _table(table) -> dict[str, list[str]]:
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, table.columnCount())]
            for r in range(table.rowCount())}


def test_a_months_report_with_the_month_before(qtbot, area, services, owner, cashier, card, clock, settle) -> None:
    services.counter.earn(cashier, card, 1500)            # 10 March: 150 points
    for n in range(3):
        if n:
            clock.advance(timedelta(minutes=16))
            cashier = services.auth.verify_pin(cashier.staff_id, "5820")
        services.counter.stamp(cashier, card)
    page = area.show_page("report")
    settle()
    report = page.report
    assert (report.first, report.last) == (date(2026, 3, 1), date(2026, 3, 31))  # the store's month, by default
    figures = _table(page.figures)
    assert figures["Points earned"] == ["150", "0", "+150"]
    assert figures["Stamps"] == ["3", "0", "+3"]
    assert figures["New cards"][0] == "1" and figures["Active members"][0] == "1"
    assert figures["Breakage"] == ["0.0 %", "–", ""]
    staff = _table(page.staff_table)
    assert staff["Carl"] == ["3", "150", "0", "0"] and staff["Olga"][3] == "1"  # Olga enrolled the card
    assert [page.suspicions.item(i).text() for i in range(page.suspicions.count())] == [
        f"2026-03-10: Carl stamped card {card[:5]}-{card[5:]} 3 times."]
    # the charts, built with the first report: this month beside the one before, and the days
    assert page.comparison.series == ["This period", "Previous period"]
    assert page.comparison.values[0] == [3, 0]
    assert len(page.trend.series) == 4
    for chart in (page.comparison, page.trend):
        image = QImage(chart.size(), QImage.Format.Format_RGB32)
        chart.render(image)  # paints without warnings (warnings fail the test)

    page.period_choice.setCurrentIndex(0)  # Day
    page.from_field.setDate(QDate(2026, 3, 9))
    settle()
    assert (page.report.first, page.report.last) == (date(2026, 3, 9), date(2026, 3, 9))
    assert _table(page.figures)["Points earned"][0] == "0"
    assert page.comparison.stack.currentWidget() is page.comparison.empty
    assert page.suspicions.item(0).text() == "Nothing unusual."


def test_a_custom_period_that_ends_before_it_starts_is_refused_in_view(qtbot, area, settle) -> None:
    page = area.show_page("report")
    settle()
    page.period_choice.setCurrentIndex(3)  # Custom
    assert page.to_field.isEnabled()
    page.to_field.setDate(QDate(2026, 3, 1))
    page.from_field.setDate(QDate(2026, 3, 5))
    settle()
    assert page.feedback.state == "error" and page.feedback.text()


def test_the_export_asks_for_the_pin_and_opens_in_openpyxl(qtbot, area, services, owner, card, grants, settle,
                                                          tmp_path) -> None:
    services.counter.earn(owner, card, 2000)
    page = area.show_page("report")
    settle()
    asked = grants.count
    path = tmp_path / "march.xlsx"
    page.export_to(str(path), "xlsx")
    settle()
    assert grants.count == asked + 1
    assert page.feedback.state == "ok" and str(path) in page.feedback.text()
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Section", "Item")
    figures = {r[1]: (r[2], r[3]) for r in rows[1:] if r[0] == "Figures"}
    assert figures["Points earned"] == (200, 0) and figures["New cards"] == (1, 0)
    assert file_places.last_folder() == tmp_path  # the next save dialog starts there
    page.export_to(str(tmp_path / "no-such-folder" / "r.csv"), "csv")
    settle()
    assert page.feedback.state == "error" and "no-such-folder" in page.feedback.text()


def test_owner_area_on_the_demo_store(qtbot, tmp_path, runner, settle) -> None:
    """What the screenshots script does: open the owner area of the demo store on its report."""
    demo = open_services(tmp_path / "demo")
    try:
        seed_demo(demo)
        owner_id = next(s.staff_id for s in demo.staff.list() if s.name == DEMO_OWNER[0])
        area = OwnerArea(demo, runner, lambda cb: runner.run(lambda: demo.auth.verify_pin(owner_id, DEMO_OWNER[1]),
                                                             on_success=cb))
        qtbot.addWidget(area)
        settle()
        report = area.show_page("report")
        settle()
        # the demo's history lies in the past six days: a custom period of the last seven
        today = demo.ctx.clock.now().astimezone(demo.ctx.store.tz).date()
        report.period_choice.setCurrentIndex(3)
        report.from_field.setDate(QDate(*(today - timedelta(days=6)).timetuple()[:3]))
        report.to_field.setDate(QDate(today.year, today.month, today.day))
        settle()
        assert report.report.figures.active_members >= 1 and "Olivia" in _table(report.staff_table)
        for name in ("staff", "program", "history", "enroll"):
            area.show_page(name)
            settle()
        assert area.pages["history"].table.rowCount() > 10
        assert area.pages["program"].program_choice.count() == 2
    finally:
        demo.close()
