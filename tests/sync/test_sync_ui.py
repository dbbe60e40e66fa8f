"""The Qt side of sync: bridge signals on the GUI thread, the pairing dialog, the overdrafts page."""

from __future__ import annotations

import threading

import pytest
from real_terminal import RealTerminal

from sync.hub import admin
from sync.status import SyncState
from terminal.services.overdrafts import OverdraftService
from terminal.services.sync_link import SyncLink
from terminal.ui.operations import OperationRunner
from terminal.ui.overdrafts_page import OverdraftsPage
from terminal.ui.pairing_dialog import PairingDialog
from terminal.ui.sync_bridge import SyncBridge


@pytest.fixture
def runner(qtbot):
    made = OperationRunner()
    yield made
    made.shutdown()


@pytest.fixture
def founded(hub, hub_engine, merchant, tmp_path):
    term = RealTerminal.founded(tmp_path / "a")
    yield term
    term.close()


def test_pairing_dialog_pairs_an_existing_store_then_joins_a_fresh_one(qtbot, runner, founded, hub, hub_engine,
                                                                       merchant, tmp_path):
    dialog = PairingDialog(founded.services, runner)
    qtbot.addWidget(dialog)
    dialog.url_edit.setText(hub.url)
    dialog.code_edit.setText("nonsense-code")
    dialog.pair_button.click()
    qtbot.waitUntil(lambda: dialog.pair_button.isEnabled() and "refused" in dialog.message.text(), timeout=10000)
    dialog.code_edit.setText(admin.add_terminal(hub_engine, merchant.store_id, "Till A").code)
    with qtbot.waitSignal(dialog.paired, timeout=10000) as paired:
        dialog.pair_button.click()
    assert paired.args[0].joined is False
    founded.sync()

    fresh = RealTerminal(tmp_path / "b")
    try:
        join = PairingDialog(fresh.services, runner)
        qtbot.addWidget(join)
        join.url_edit.setText(hub.url)
        join.code_edit.setText(admin.add_terminal(hub_engine, merchant.store_id, "Till B").code)
        with qtbot.waitSignal(join.paired, timeout=10000) as joined:
            join.pair_button.click()
        assert joined.args[0].joined and fresh.services.initialised
        assert {s.name for s in fresh.services.staff.list()} == {"Olga"}
    finally:
        fresh.close()


def test_bridge_emits_status_on_the_gui_thread(qtbot, runner, founded, hub, hub_engine, merchant):
    link = SyncLink(founded.services)
    bridge = SyncBridge(link, runner)
    threads = []
    bridge.status_changed.connect(lambda status: threads.append((threading.current_thread(), status)))
    with qtbot.waitSignal(bridge.status_changed, timeout=5000) as first:
        bridge.start()
    assert first.args == [None]  # not paired yet: the status bar shows "not connected"
    founded.pair(hub.url, hub_engine, merchant.store_id)
    bridge.restart()
    qtbot.waitUntil(lambda: any(s is not None and s.state is SyncState.ONLINE for _, s in threads), timeout=10000)
    founded.enroll()
    bridge.notify_local_change()
    qtbot.waitUntil(lambda: threads[-1][1] is not None and threads[-1][1].pending == 0, timeout=10000)
    assert {t for t, _ in threads} == {threading.main_thread()}
    bridge.stop()


def test_overdrafts_page_lists_flags_from_the_hub(qtbot, runner, founded, hub, hub_engine, merchant):
    founded.pair(hub.url, hub_engine, merchant.store_id)
    code = founded.enroll()
    reward = next(o.reward for o in founded.services.counter.card(code).rewards if o.reward.cost_points)
    founded.services.owner.adjust(founded.grant(), code, reward.cost_points, "test")
    founded.sync()
    # The hub alone sees what another till spent: an entry from a second terminal overdraws the card.
    other = RealTerminal.joined(founded.data_dir.parent / "b", hub.url, hub_engine, merchant.store_id,
                                founded.clock)
    try:
        founded.services.counter.redeem(founded.grant(), code, reward.reward_id)
        other.services.counter.redeem(other.grant(), code, reward.reward_id)
        founded.sync()
        other.sync()
        founded.sync()  # the other till's redemption arrives here too
    finally:
        other.close()
    page = OverdraftsPage(OverdraftService(founded.services.auth), runner, founded.services.ctx.store.tz)
    qtbot.addWidget(page)
    page.show_for(founded.grant())
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10000)
    assert page.table.item(0, 0).text().replace("-", "") == code
    assert page.table.item(0, 3).text() == str(-reward.cost_points)
    assert page.table.item(0, 5).text() == f"0 stamps, {-reward.cost_points:,} points"
    # the owner evens the card out: the flag stays on record, marked settled
    founded.services.owner.adjust(founded.grant(), code, reward.cost_points, "shared with the kiosk")
    page.refresh()
    qtbot.waitUntil(lambda: page.table.item(0, 5).text().startswith("settled"), timeout=10000)
