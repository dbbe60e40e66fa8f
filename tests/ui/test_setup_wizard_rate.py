"""The setup wizard proposes an earning rate that suits the store's currency."""

from __future__ import annotations

from terminal.services.facade import open_services
from terminal.ui.operations import OperationRunner
from terminal.ui.setup_wizard import SetupWizard


def test_the_points_template_names_the_rate_for_the_currency(qtbot, data_dir, clock) -> None:
    services = open_services(data_dir, clock=clock)
    runner = OperationRunner()
    try:
        wizard = SetupWizard(services, runner)
        qtbot.addWidget(wizard)
        page = wizard.program_page
        wizard.store_page.currency.setCurrentText("IDR")
        page.initializePage()
        assert page.radios["points"].text() == "Points: 1 point for every 1,000 IDR spent"  # not 10 per rupiah
        wizard.store_page.currency.setCurrentText("EUR")
        page.initializePage()
        assert page.radios["points"].text() == "Points: 10 points for every 1.00 EUR spent"
        wizard.store_page.currency.setCurrentText("??")
        page.initializePage()
        assert "EUR" in page.radios["points"].text()  # the store page refuses it; the text stays readable
    finally:
        runner.shutdown()
        services.close()
