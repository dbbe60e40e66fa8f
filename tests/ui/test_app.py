"""Start-up and window-wide behaviour: the wizard, the smoke-test exit, language, settings, sync indicator."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWizard

from sync.status import SyncState, SyncStatus
from terminal.app import SHOWN_LINE, TerminalApp
from terminal.domain.staff import Role
from terminal.services.catalog import list_programs
from terminal.services.facade import open_services
from terminal.settings import load_settings
from terminal.ui.i18n import Translations
from terminal.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import IGNORE_OFFSCREEN, look_up

pytestmark = IGNORE_OFFSCREEN
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shell(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LOYALTY_CAMERA", "demo")  # no webcam here; the demo camera shows made-up cards
    data_dir = tmp_path / "fresh"
    settings = load_settings(data_dir)
    services = open_services(data_dir, settings)
    app = TerminalApp(QApplication.instance(), argparse.Namespace(demo=False, kiosk=False), data_dir, settings,
                      services)
    yield app
    app.shutdown()


def _fill_wizard(wizard, pin_again: str) -> None:
    wizard.store_page.name.setText("Warung Kopi Sari")
    wizard.store_page.timezone.setCurrentText("Asia/Jakarta")
    wizard.store_page.currency.setCurrentText("IDR")
    wizard.next()
    wizard.owner_page.name.setText("Sari")
    wizard.owner_page.pin.setText("3816")
    wizard.owner_page.pin_again.setText(pin_again)
    wizard.next()


def test_wizard_on_an_empty_data_dir_makes_a_working_store(qtbot, shell) -> None:
    shell.start()
    wizard = shell.wizard
    assert wizard is not None and shell.window is None
    _fill_wizard(wizard, pin_again="3817")
    assert wizard.currentPage() is wizard.owner_page  # different PINs: the wizard stays
    assert "differ" in wizard.owner_page.message.text()
    wizard.owner_page.pin_again.setText("3816")
    wizard.next()
    wizard.program_page.radios["points"].setChecked(True)
    with qtbot.waitSignal(wizard.store_created, timeout=10_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()

    services = shell.services
    assert services.ctx.store.name == "Warung Kopi Sari" and services.ctx.store.currency == "IDR"
    window = shell.window
    assert window is not None and window.isVisible()
    assert window.status.store_label.text() == "Warung Kopi Sari"
    owner = services.staff.list()[0]
    assert (owner.name, owner.role) == ("Sari", Role.OWNER)
    grant = services.auth.verify_pin(owner.staff_id, "3816")
    with services.ctx.db.read() as session:
        program = list_programs(session)[0]
    code = services.enrollment.enroll(grant, program.program_id, "Rina").code
    look_up(qtbot, window, code)
    assert window.page.buttons["earn"].isEnabled() and not window.page.buttons["stamp"].isEnabled()


def test_quit_after_shown_prints_the_line_and_exits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOYALTY_QUIT_AFTER_SHOWN": "1", "LOYALTY_CAMERA": "demo"}
    done = subprocess.run([sys.executable, "-m", "terminal", "--demo", "--data-dir", str(tmp_path / "demo")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert SHOWN_LINE in done.stdout.splitlines()
    assert "Traceback" not in done.stderr


def test_language_switch_changes_visible_text_and_is_saved(qtbot, window, card, tmp_path: Path) -> None:
    look_up(qtbot, window, card)
    window.translations = Translations(QApplication.instance())
    window.data_dir = tmp_path / "prefs"
    stamp = window.page.buttons["stamp"]
    assert stamp.text().startswith("Add stamp")
    try:
        dialog = window.open_settings()
        assert isinstance(dialog, SettingsDialog)
        dialog.language.setCurrentIndex(dialog.language.findData("id"))
        dialog.apply.click()
        qtbot.waitUntil(lambda: stamp.text().startswith("Tambah stempel"))
        assert window.page.card_panel.points_caption.text() == "poin"
        assert window.sync_indicator.text() == "Tidak terhubung ke hub"
        assert window.owner_button.text() == "Pemilik (F9)"
        qtbot.waitUntil(lambda: (window.data_dir / "settings.toml").exists())
        assert load_settings(window.data_dir).language == "id"
    finally:
        window.translations.set_language("en")
    qtbot.waitUntil(lambda: stamp.text().startswith("Add stamp"))


def test_every_catalogue_of_the_language_is_loaded() -> None:
    translations = Translations(QApplication.instance())
    try:
        loaded = [Path(p).name for p in translations.set_language("id")]
    finally:
        translations.set_language("en")
    shipped = sorted(p.name for p in (ROOT / "resources" / "i18n").glob("*_id.qm"))
    assert "loyalty_id.qm" in shipped
    assert [name for name in loaded if name in shipped] == shipped


def test_sync_indicator_states(window, services) -> None:
    indicator = window.sync_indicator
    assert indicator.text() == "Not connected to a hub"
    synced = datetime(2026, 3, 10, 8, 5, tzinfo=UTC)
    indicator.show_status(SyncStatus(SyncState.ONLINE, pending=3, last_sync_at=synced.isoformat()))
    local = synced.astimezone(services.ctx.store.tz)
    assert indicator.text().startswith("Online · 3 pending · last sync ")
    assert f"{local:%H:%M}" in indicator.text()
    indicator.show_status(SyncStatus(SyncState.OFFLINE, pending=12, last_error="The hub cannot be reached."))
    assert indicator.text() == "Offline · 12 pending · never synced"
    assert indicator.toolTip() == ("The hub cannot be reached. This till keeps working and sends its changes "
                                   "once the hub answers.")
    assert indicator.property("state") == "offline"
    indicator.show_status(SyncStatus(SyncState.ONLINE, pending=6_000, catchup_done=2_000, catchup_total=8_000,
                                     last_sync_at=synced.isoformat()))
    assert indicator.text().startswith("Online · 6,000 pending · catching up 25% · last sync ")


def test_demo_run_command_stamps_a_demo_card_with_the_demo_pin(qtbot, tmp_path: Path) -> None:
    """What the README promises: ``--demo``, a card appears from the demo camera, Sam stamps it with 4829."""
    from PySide6.QtCore import Qt

    from terminal.services.demo import DEMO_CASHIER
    from tests.ui.conftest import enter_pin, open_pad

    data_dir = tmp_path / "demo"
    settings = load_settings(data_dir)  # camera "auto": no webcam answers here, so the demo camera stands in
    shell = TerminalApp(QApplication.instance(), argparse.Namespace(demo=True, kiosk=False), data_dir, settings,
                        open_services(data_dir, settings))
    try:
        shell.start()
        window = shell.window
        qtbot.waitUntil(lambda: shell.scanner is not None and window.page.card_panel.view is not None, timeout=15_000)
        view = window.page.card_panel.view
        assert view.program.kind.has_stamps and view.holder
        before = view.balance.stamps
        qtbot.mouseClick(window.page.buttons["stamp"], Qt.MouseButton.LeftButton)
        enter_pin(qtbot, open_pad(qtbot), DEMO_CASHIER[0], DEMO_CASHIER[1])
        qtbot.waitUntil(lambda: window.page.banner.kind == "ok", timeout=5000)
        assert shell.services.counter.card(view.code).balance.stamps == before + 1
    finally:
        shell.shutdown()


def test_owner_button_opens_the_owner_area_after_an_owner_pin(qtbot, window) -> None:
    from PySide6.QtCore import Qt

    from terminal.ui.owner_entry import owner_area_class
    from tests.conftest import OWNER_PIN
    from tests.ui.conftest import enter_pin, open_pad

    if owner_area_class() is None:
        pytest.skip("this build has no owner area")
    qtbot.mouseClick(window.owner_button, Qt.MouseButton.LeftButton)
    pad = open_pad(qtbot)
    assert pad.owners_only and [s.name for s in pad.staff] == ["Olga"]
    enter_pin(qtbot, pad, "Olga", OWNER_PIN)
    qtbot.waitUntil(lambda: window.owner_area is not None and window.owner_area.isVisible())
    assert window.status.staff_label.text() == "Last confirmed by Olga"
    window.owner_area.close()


def test_points_past_their_expiry_expire_when_the_window_opens(qtbot, tmp_path: Path, monkeypatch) -> None:
    from datetime import UTC, datetime, timedelta

    from terminal.domain.clock import ManualClock
    from terminal.domain.ledger import EntryKind
    from terminal.services.catalog import list_programs
    from terminal.services.reports import HistoryFilter

    monkeypatch.setenv("LOYALTY_CAMERA", "demo")
    data_dir = tmp_path / "expiry"
    settings = load_settings(data_dir)
    clock = ManualClock(datetime.now(UTC) - timedelta(days=31))
    services = open_services(data_dir, settings, clock)
    services.init_store(name="Kedai", timezone="Asia/Jakarta", currency="EUR", owner_name="Sari",
                        owner_pin="3816", template="points")
    owner = services.auth.verify_pin(services.staff.list()[0].staff_id, "3816")
    with services.ctx.db.read() as session:
        program_id = list_programs(session)[0].program_id
    services.owner.edit_program(owner, program_id, points_expiry_days=30)
    code = services.enrollment.enroll(owner, program_id, "Ann").code
    services.counter.earn(owner, code, 1000)
    clock.advance(timedelta(days=31))
    shell = TerminalApp(QApplication.instance(), argparse.Namespace(demo=False, kiosk=False), data_dir, settings,
                        services)
    try:
        shell.start()
        qtbot.waitUntil(lambda: services.counter.card(code).balance.points == 0, timeout=10_000)
        assert shell.expiry_timer.isActive()
        assert next(e.kind for e in services.reports.history(HistoryFilter(card=code))) is EntryKind.EXPIRE
    finally:
        shell.shutdown()


@pytest.mark.parametrize("setting", ["on", "off"])
def test_the_counter_flow_gets_the_apps_sound_port(qtbot, tmp_path: Path, monkeypatch, setting: str) -> None:
    from terminal.ui.sounds import Silent, find_player

    monkeypatch.setenv("LOYALTY_SOUNDS", setting)
    data_dir = tmp_path / "demo"
    settings = load_settings(data_dir)
    shell = TerminalApp(QApplication.instance(), argparse.Namespace(demo=True, kiosk=False), data_dir, settings,
                        open_services(data_dir, settings))
    try:
        shell.start()
        assert shell.window.flow.sounds is shell.sounds
        no_player = find_player() is None and sys.platform != "win32"
        assert isinstance(shell.sounds, Silent) is (setting == "off" or no_player)
        assert shell.wedge is not None
        flipped = "on" if setting == "off" else "off"
        shell.window.settings_applied.emit(shell.settings.with_values(sounds=flipped))
        assert shell.window.flow.sounds is shell.sounds and shell.settings.sounds == flipped
        assert isinstance(shell.sounds, Silent) is (flipped == "off" or no_player)
    finally:
        shell.shutdown()


@pytest.mark.parametrize(("env", "words"), [
    ({"QT_QPA_PLATFORM": "nosuchplatform"}, "no display plugin called 'nosuchplatform'"),
    ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": None}, "there is no X display"),
], ids=["unknown-platform", "no-display"])
def test_a_window_that_cannot_open_says_why_in_one_sentence(tmp_path: Path, env: dict, words: str) -> None:
    run_env = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    for name in [k for k, v in env.items() if v is None]:
        run_env.pop(name, None)
    data_dir = tmp_path / "not-yet"
    done = subprocess.run([sys.executable, "-m", "terminal", "--data-dir", str(data_dir)], cwd=ROOT, env=run_env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert words in lines[0] and "python packaging/system_deps.py" in lines[0]
    assert "Traceback" not in done.stderr and "could not load the Qt platform plugin" not in done.stderr
    assert not data_dir.exists()  # refused before anything was created


def test_a_missing_x11_library_is_named_with_the_fix(tmp_path: Path) -> None:
    from terminal.display_check import FIX, display_problem

    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.skip("no C compiler to build a plugin with a missing library")
    source = tmp_path / "empty.c"
    source.write_text("int loyalty_nothing(void) { return 0; }\n")
    gone = tmp_path / "libloyaltygone.so"
    platforms = tmp_path / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    subprocess.run([gcc, "-shared", "-fPIC", "-o", str(gone), str(source)], check=True)
    subprocess.run([gcc, "-shared", "-fPIC", "-o", str(platforms / "libqxcb.so"), str(source),
                    "-Wl,--no-as-needed", f"-L{tmp_path}", "-lloyaltygone"], check=True)
    gone.unlink()  # the plugin now needs a library that is not installed, like libxcb-cursor on a bare server
    problem = display_problem({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}, plugins_dir=tmp_path / "plugins")
    assert problem is not None
    assert "libloyaltygone.so" in problem and FIX in problem
    assert "cannot open shared object" not in problem


def test_a_display_qt_can_use_is_no_problem() -> None:
    import ctypes.util

    from terminal.display_check import display_problem

    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    if ctypes.util.find_library("xcb-cursor") is None:
        pytest.skip("the X libraries are not installed here")
    assert display_problem({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":0"}) is None
