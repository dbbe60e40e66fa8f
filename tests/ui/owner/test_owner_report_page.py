"""Today's report in the owner area: per-staff figures, suspicious patterns, the chart; the demo store."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QImage

from terminal.domain.errors import LoyaltyError
from terminal.services.demo import DEMO_OWNER, seed_demo
from terminal.services.facade import open_services
from terminal.ui.owner import OwnerArea


def _table(page) -> dict[str, list[str]]:
    return {page.table.item(r, 0).text(): [page.table.item(r, c).text() for c in range(1, page.table.columnCount())]
            for r in range(page.table.rowCount())}


def test_report_of_a_seeded_day(qtbot, area, services, owner, cashier, card, clock, settle) -> None:
    for n in range(3):
        if n:
            clock.advance(timedelta(minutes=16))  # past the cooldown
            cashier = services.auth.verify_pin(cashier.staff_id, "5820")
        services.counter.stamp(cashier, card)
    services.counter.earn(cashier, card, 2000)
    with pytest.raises(LoyaltyError):
        services.counter.stamp(cashier, card)  # inside the cooldown
    page = area.show_page("report")
    settle()
    assert page.report.day == date(2026, 3, 10)
    rows = _table(page)
    # columns: stamps, points, redemptions, voids, adjustments, refusals, wrong PINs
    assert rows["Carl"] == ["3", "200", "0", "0", "0", "1", "0"]
    assert rows["All staff"][0] == "3"
    texts = [page.suspicions.item(i).text() for i in range(page.suspicions.count())]
    assert texts == [f"Carl stamped card {card[:5]}-{card[5:]} 3 times."]
    assert page.chart.groups == ["Carl", "Olga"] and page.chart.values[0] == [3, 1, 0, 1]
    image = QImage(page.chart.size(), QImage.Format.Format_RGB32)
    page.chart.render(image)  # paints without warnings (warnings fail the test)

    page.day_field.setDate(page.day_field.date().addDays(-1))  # the day before: nothing
    settle()
    assert page.report.day == date(2026, 3, 9) and page.table.rowCount() == 0
    assert page.suspicions.item(0).text() == "Nothing unusual."


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
        # the demo's history lies in the past days: show the day of its newest entry
        newest = demo.reports.history()[0].at.astimezone(demo.ctx.store.tz).date()
        report.day_field.setDate(QDate(newest.year, newest.month, newest.day))
        settle()
        assert report.table.rowCount() >= 1 and "Olivia" in _table(report)
        for name in ("staff", "program", "history", "enroll"):
            area.show_page(name)
            settle()
        assert area.pages["history"].table.rowCount() > 10
        assert area.pages["program"].program_choice.count() == 2
    finally:
        demo.close()
