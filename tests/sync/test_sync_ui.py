"""The Qt side of sync: bridge signals on the GUI thread, the pairing dialog, the overdrafts page."""

from __future__ import annotations

import http.server
import socket
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
    qtbot.waitUntil(lambda: dialog.pair_button.isEnabled()
                    and "does not know this pairing code" in dialog.message.text(), timeout=10000)
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


# -- pairing failures are sentences, in the window's language -----------------------------
class _NotAHub(http.server.BaseHTTPRequestHandler):
    """A web server that is not a loyalty hub: 404 for the pairing path, or a web page."""

    page = False

    def do_POST(self):  # http.server's name
        body = b"<html><body>Welcome</body></html>"
        self.send_response(200 if self.page else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    servers = []

    def start(page: bool) -> str:
        handler = type("Handler", (_NotAHub,), {"page": page})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there now: the connection is refused


def _try_pairing(qtbot, dialog: PairingDialog, url: str, code: str = "K7QM2-XR9TB") -> str:
    dialog.url_edit.setText(url)
    dialog.code_edit.setText(code)
    dialog.pair_button.click()
    qtbot.waitUntil(lambda: dialog.pair_button.isEnabled(), timeout=20000)
    return dialog.message.text()


@pytest.fixture
def lone(tmp_path):
    term = RealTerminal.founded(tmp_path / "lone")
    yield term
    term.close()


def test_a_hub_that_does_not_answer_is_a_sentence_not_errno(qtbot, runner, lone):
    dialog = PairingDialog(lone.services, runner)
    qtbot.addWidget(dialog)
    url = _closed_port_url()
    text = _try_pairing(qtbot, dialog, url)
    assert text == f"The hub at {url} did not answer. Check the address and that it is running."
    assert "Errno" not in text and "refused" not in text.lower()


@pytest.mark.parametrize(("page", "words"), [(False, "answers but is not a loyalty hub"),
                                             (True, "answered, but not like a loyalty hub")])
def test_a_web_server_that_is_not_a_hub_is_named(qtbot, runner, lone, web_server, page, words):
    dialog = PairingDialog(lone.services, runner)
    qtbot.addWidget(dialog)
    url = web_server(page)
    text = _try_pairing(qtbot, dialog, url)
    assert text.startswith(url) and words in text and "HTTP" not in text


def test_bad_input_and_failures_are_translated(qtbot, runner, lone):
    from PySide6.QtWidgets import QApplication

    from terminal.ui.i18n import Translations

    translations = Translations(QApplication.instance())
    dialog = PairingDialog(lone.services, runner)
    qtbot.addWidget(dialog)
    english = {"address": _try_pairing(qtbot, dialog, "hub.local"),
               "down": _try_pairing(qtbot, dialog, _closed_port_url())}
    translations.set_language("id")
    try:
        url = _closed_port_url()
        down = _try_pairing(qtbot, dialog, url)
        address = _try_pairing(qtbot, dialog, "hub.local")
        assert dialog.windowTitle() != "Connect to a hub"
    finally:
        translations.set_language("en")
    assert url in down and down != f"The hub at {url} did not answer. Check the address and that it is running."
    assert english["down"].startswith("The hub at ")
    assert address != english["address"] and "https://" in address
    assert "Errno" not in down


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints", "This plugin does not support raise")
def test_the_pairing_dialog_fits_a_small_screen_and_opens_over_its_window(qtbot, runner, lone):
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    area = window.screen().availableGeometry()
    window.setGeometry(area.x() + 40, area.y() + 30, min(700, area.width() - 60), min(500, area.height() - 40))
    window.show()
    dialog = PairingDialog(lone.services, runner, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    frame = dialog.frameGeometry()
    assert area.contains(frame), (area, frame)
    assert abs(frame.center().x() - window.frameGeometry().center().x()) <= 2
    assert abs(frame.center().y() - window.frameGeometry().center().y()) <= 2
    chars = dialog.fontMetrics().averageCharWidth()
    for edit in (dialog.url_edit, dialog.code_edit):
        assert edit.width() >= 16 * chars  # room for an address, not squashed
        assert edit.height() >= edit.minimumSizeHint().height()
    assert dialog.intro.height() >= dialog.intro.heightForWidth(dialog.intro.width())  # the intro is not cut
    heights = (dialog.url_edit.height(), dialog.code_edit.height())
    from terminal.domain.errors import ErrorCode, LoyaltyError

    dialog._failed(LoyaltyError(ErrorCode.INVALID_INPUT, "x", reason="tls", url="https://192.168.100.200:8700"))
    qtbot.waitUntil(lambda: dialog.message.height() >= dialog.message.heightForWidth(dialog.message.width()))
    assert (dialog.url_edit.height(), dialog.code_edit.height()) == heights  # a long message never squashes them
    assert dialog.intro.height() >= dialog.intro.heightForWidth(dialog.intro.width())
    assert area.contains(dialog.frameGeometry())
    dialog.close()
