"""The None/True reference workaround: long runs of void calls and emits must not abort the process."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QObject, QTimer, Signal
from terminal.ui.pyside_compat import make_singletons_immortal, references_lost
lost = references_lost()
make_singletons_immortal()
class P(QObject):
    fired = Signal()
p, t = P(), QTimer()
for _ in range(200_000):
    t.stop()
    p.fired.emit()
print("lost" if lost else "kept", "survived")
"""


def test_many_void_calls_and_emits_do_not_abort_the_interpreter() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("survived")
