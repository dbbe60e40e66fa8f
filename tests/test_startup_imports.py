"""The counter starts without what it does not need yet (issue 10: cold start <= 1 s, RSS <= 180 MB).

Alembic (with Mako and Pygments) loads only to migrate, OpenCV and numpy with
the camera after the first paint, httpx with the first hub client, qrcode
when a card is printed, pyqtgraph with the owner's first report, openpyxl with
an XLSX export. Each runs in a fresh interpreter: this process has
long imported all of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from terminal.services.facade import open_services
from terminal.store.db import Database, _script_heads, _stamped_revisions, open_database
from tests.conftest import OWNER_PIN

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("alembic", "cv2", "numpy", "httpx", "qrcode", "zxingcpp", "pyqtgraph", "openpyxl")

PRELUDE = f"""
import json, sys
HEAVY = {HEAVY!r}
def loaded():
    return sorted(name for name in HEAVY if name in sys.modules)
report = {{}}
"""

WINDOW = PRELUDE + """
import argparse, time
from pathlib import Path
from terminal.app import TerminalApp
report["import"] = loaded()
from PySide6.QtWidgets import QApplication
from terminal.services.facade import open_services
from terminal.settings import load_settings
app = QApplication([])
data_dir = Path(sys.argv[1])
settings = load_settings(data_dir)
shell = TerminalApp(app, argparse.Namespace(demo=False, kiosk=False), data_dir, settings,
                    open_services(data_dir, settings))
try:
    shell.start()
    report["window"] = loaded()
    deadline = time.monotonic() + 30
    while shell.scanner is None and time.monotonic() < deadline:  # the camera starts after the first paint
        app.processEvents()
        time.sleep(0.01)
    report["camera_started"] = shell.scanner is not None
    report["camera"] = loaded()
finally:
    shell.shutdown()
print(json.dumps(report))
"""


def _run(script: str, *args: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOYALTY_CAMERA": "demo", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def _store(data_dir: Path) -> None:
    services = open_services(data_dir)
    services.init_store(name="Test Café", timezone="Europe/Berlin", currency="EUR", owner_name="Olga",
                        owner_pin=OWNER_PIN, template="hybrid")
    services.close()


def test_the_counter_window_opens_before_opencv_numpy_alembic_httpx_load(tmp_path: Path) -> None:
    _store(tmp_path / "data")
    report = _run(WINDOW, str(tmp_path / "data"))
    assert report["import"] == []
    assert report["window"] == []
    assert report["camera_started"]
    # the camera brings its own, and only its own; an unpaired till never loads httpx
    assert {"cv2", "numpy"} <= set(report["camera"])
    assert not {"alembic", "httpx", "pyqtgraph", "openpyxl"} & set(report["camera"])


def test_a_store_on_the_newest_schema_opens_without_alembic_and_an_old_one_still_migrates(tmp_path: Path) -> None:
    old = Database(tmp_path / "old" / "loyalty.sqlite3", migrate=False)
    old.migrate("0001")
    with old.engine.connect() as conn:
        assert _stamped_revisions(conn) == {"0001"}
    old.close()
    _store(tmp_path / "new")
    script = PRELUDE + """
from terminal.store.db import open_database
for folder in sys.argv[1:]:
    open_database(folder).close()
    report[folder] = loaded()
print(json.dumps(report))
"""
    new, old_dir = str(tmp_path / "new"), str(tmp_path / "old")
    report = _run(script, new, old_dir)
    assert "alembic" not in report[new]
    assert "alembic" in report[old_dir]  # the old one was migrated, by Alembic
    db = open_database(tmp_path / "old")
    assert db.current_revision() == Database.head_revision()
    db.close()


def test_the_schema_heads_read_from_the_scripts_are_alembics() -> None:
    assert _script_heads() == {Database.head_revision()}


def test_httpx_loads_with_the_first_hub_client_not_with_the_sync_modules() -> None:
    script = PRELUDE + """
import sync.client, sync.syncer, terminal.services.sync_link, terminal.services.overdrafts
report["modules"] = loaded()
client = sync.client.HubClient("http://127.0.0.1:9", "token")  # makes no connection
client.close()
report["client"] = loaded()
print(json.dumps(report))
"""
    report = _run(script)
    assert "httpx" not in report["modules"]
    assert "httpx" in report["client"]


def test_printing_a_card_loads_qrcode_when_asked() -> None:
    script = PRELUDE + """
from terminal.services.owner_views import card_layout
report["import"] = loaded()
layout = card_layout("Shop", "Stamps", None, "DEM0CAFE12")
report["printed"] = loaded()
report["dark"] = sum(map(sum, layout.modules))
print(json.dumps(report))
"""
    report = _run(script)
    assert "qrcode" not in report["import"]
    assert "qrcode" in report["printed"] and report["dark"] > 0


def test_pyside_no_longer_keeps_the_source_of_every_later_import_and_answers_the_same() -> None:
    script = PRELUDE + """
import linecache
import PySide6.QtCore
feature = sys.modules["shibokensupport.feature"]
pysides_own = feature._mod_uses_pyside
import terminal.memory
report["applied"] = feature._mod_uses_pyside is terminal.memory._mentions_pyside
import sqlalchemy.orm, terminal.ui.main_window
report["cached"] = sorted(name for name in linecache.cache  # what was imported after PySide6
                         if name.endswith(".py") and ("sqlalchemy" in name or "terminal" in name))
modules = [m for m in list(sys.modules.values()) if m is not None]
report["differ"] = [m.__name__ for m in modules if pysides_own(m) != terminal.memory._mentions_pyside(m)]
report["uses"] = sorted(m.__name__ for m in modules if terminal.memory._mentions_pyside(m))
print(json.dumps(report))
"""
    report = _run(script)
    assert report["applied"]
    assert report["cached"] == []
    assert report["differ"] == []
    assert "terminal.ui.main_window" in report["uses"] and "sqlalchemy.orm" not in report["uses"]
