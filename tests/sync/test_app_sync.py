"""The counter window wired to the syncer: status bar, push after an action, a card fetched from the hub,
an unknown card collecting while offline, pairing from the owner area. Real hub over loopback."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from real_terminal import OWNER, RealTerminal
from sqlalchemy import func, select

from sync.hub import admin
from sync.hub.schema import entries
from sync.status import SyncState
from terminal.app import TerminalApp
from terminal.domain.clock import ManualClock
from terminal.domain.codes import new_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.ui.context import UiContext
from terminal.ui.main_window import MainWindow
from terminal.ui.operations import OperationRunner
from terminal.ui.pin_pad import PinPadDialog
from terminal.ui.pyside_compat import make_singletons_immortal

make_singletons_immortal()  # PySide 6.12.0 on Python 3.11 loses references to None/True

pytestmark = [
    pytest.mark.parametrize("hub_db_url", ["sqlite"], indirect=True),  # the wiring, not the database
    # the offscreen platform says these for top-level windows and raise(); not our warnings
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints", "This plugin does not support raise"),
]


def _pin(qtbot, name: str, pin: str) -> None:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PinPadDialog), timeout=5000)
    pad = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: bool(pad.staff), timeout=5000)
    pad.select_staff(name)
    qtbot.keyClicks(pad.pin, pin)
    qtbot.keyClick(pad.pin, Qt.Key.Key_Return)


def _look_up(qtbot, window: MainWindow, code: str) -> None:
    window.page.code_field.setText(code)
    qtbot.keyClick(window.page.code_field, Qt.Key.Key_Return)


def _hub_entries(engine, code: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(entries).where(entries.c.card == code)).scalar_one()


@pytest.fixture
def shell(qtbot, hub, hub_engine, merchant, tmp_path, monkeypatch):
    """The app's composition root on a paired till (the camera is absent here: it says so and retries)."""
    # the till's clock agrees with the hub's: a till far from the hub's time refuses stamps (issue 12)
    term = RealTerminal.founded(tmp_path / "a", ManualClock(datetime.now(UTC)))
    term.pair(hub.url, hub_engine, merchant.store_id)
    term.sync()
    app = TerminalApp(QApplication.instance(), argparse.Namespace(demo=False, kiosk=False), term.data_dir,
                      term.services.ctx.settings, term.services)
    app.start()
    qtbot.waitExposed(app.window)
    yield term, app
    app.shutdown()  # stops the syncer, the camera and the runner, and closes the services


def test_status_bar_goes_online_and_an_action_is_pushed_at_once(qtbot, shell, hub_engine):
    term, app = shell
    indicator = app.window.sync_indicator
    qtbot.waitUntil(lambda: indicator.status is not None and indicator.status.state is SyncState.ONLINE,
                    timeout=10000)
    assert indicator.text().startswith("Online")
    code = term.enroll()
    _look_up(qtbot, app.window, code)
    qtbot.waitUntil(lambda: app.window.page.card_panel.view is not None, timeout=5000)
    app.window.page.buttons["stamp"].click()
    _pin(qtbot, *OWNER)
    qtbot.waitUntil(lambda: app.window.page.card_panel.view.balance.stamps == 1, timeout=5000)
    # pushed because the flow said so, long before the periodic pull (30 s) would have
    qtbot.waitUntil(lambda: _hub_entries(hub_engine, code) == 2, timeout=5000)  # enroll + stamp
    qtbot.waitUntil(lambda: indicator.status.pending == 0, timeout=5000)


def test_a_card_enrolled_at_another_till_is_fetched_from_the_hub_when_scanned(qtbot, shell, hub, hub_engine,
                                                                              merchant):
    term, app = shell
    other = RealTerminal.joined(term.data_dir.parent / "b", hub.url, hub_engine, merchant.store_id)
    try:
        code = other.enroll("Bea")
        other.earn(code, 1200)
        other.sync()
        there = other.balance(code)
    finally:
        other.close()
    assert there[1] > 0
    indicator = app.window.sync_indicator
    qtbot.waitUntil(lambda: indicator.status is not None and indicator.status.state is SyncState.ONLINE,
                    timeout=10000)
    _look_up(qtbot, app.window, code)
    qtbot.waitUntil(lambda: app.window.page.card_panel.view is not None, timeout=10000,
                    )
    view = app.window.page.card_panel.view
    assert (view.code, view.holder, view.balance.points) == (code, "Bea", there[1])


def test_an_unknown_card_collects_while_offline_but_cannot_redeem(qtbot, tmp_path, hub, hub_engine,
                                                                    merchant):
    term = RealTerminal.founded(tmp_path / "a")
    term.pair(hub.url, hub_engine, merchant.store_id)
    term.sync()
    term.go_offline_for(term.services.ctx.settings.offline_after_minutes + 5)
    runner = OperationRunner()
    store = term.services.ctx.store
    window = MainWindow(UiContext(term.services, runner, store),
                        term.services.ctx.settings)
    qtbot.addWidget(window)
    window.show()
    try:
        code = new_code()
        _look_up(qtbot, window, code)
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=5000)
        box = QApplication.activeModalWidget()
        assert box.objectName() == "OfflineCardQuestion"
        box.button(QMessageBox.StandardButton.Yes).click()
        _pin(qtbot, *OWNER)
        qtbot.waitUntil(lambda: window.page.card_panel.view is not None
                        and window.page.card_panel.view.code == code, timeout=5000)
        window.page.buttons["stamp"].click()
        _pin(qtbot, *OWNER)
        qtbot.waitUntil(lambda: window.page.card_panel.view.balance.stamps == 1, timeout=5000)
        assert term.balance(code) == (1, 0)
        reward = next(o.reward for o in term.services.counter.card(code).rewards if o.reward.cost_points)
        term.services.owner.adjust(term.grant(), code, reward.cost_points, "welcome gift")
        with pytest.raises(LoyaltyError, match="redeem once the terminal has synced") as refused:
            term.services.counter.redeem(term.grant(), code, reward.reward_id)
        assert refused.value.code is ErrorCode.OFFLINE_LIMIT
    finally:
        window.close()
        runner.shutdown()
        term.close()


def test_owner_pairs_the_till_from_the_owner_area(qtbot, tmp_path, hub, hub_engine, merchant):
    term = RealTerminal.founded(tmp_path / "a")
    app = TerminalApp(QApplication.instance(), argparse.Namespace(demo=False, kiosk=False), term.data_dir,
                      term.services.ctx.settings, term.services)
    try:
        app.start()
        qtbot.waitExposed(app.window)
        indicator = app.window.sync_indicator
        qtbot.waitUntil(lambda: indicator.text() == "Not connected to a hub", timeout=5000)
        app.window.open_owner_area("sync")
        _pin(qtbot, *OWNER)
        qtbot.waitUntil(lambda: app.window.owner_area is not None, timeout=5000)
        page = app.window.owner_area.pages["sync"]
        qtbot.waitUntil(lambda: "not connected" in page.link_label.text(), timeout=5000)
        dialog = page.open_pairing()
        dialog.url_edit.setText(hub.url)
        dialog.code_edit.setText(admin.add_terminal(hub_engine, merchant.store_id, "Till A").code)
        dialog.pair_button.click()
        qtbot.waitUntil(lambda: indicator.status is not None and indicator.status.state is SyncState.ONLINE,
                        timeout=15000)
        qtbot.waitUntil(lambda: "Syncs with" in page.link_label.text(), timeout=5000)
        app.window.owner_area.close()
    finally:
        app.shutdown()
