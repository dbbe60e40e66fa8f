"""Run Python's cycle collector on the GUI thread only.

CPython collects cycles in whichever thread crosses an allocation
threshold. Here that is often the OperationRunner's worker, the camera or
the syncer; a collection there can free the Python side of QObjects caught
in reference cycles (closures connected to signals, pages rebuilt on a
language switch) from the wrong thread, and Qt crashes (seen: a segfault
during a runner job while the owner area rebuilt its pages). As calibre and
pyqtgraph do, automatic collection is switched off and a GUI-thread timer
collects with the same thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


def collect_like_python(threshold: tuple[int, int, int]) -> None:
    """One step of CPython's own policy: the youngest generation first, older ones when due."""
    young, middle, old = gc.get_count()
    if young > threshold[0]:
        gc.collect(0)
        if middle > threshold[1]:
            gc.collect(1)
            if old > threshold[2]:
                gc.collect(2)


class GuiThreadCollector(QObject):
    """Create on the GUI thread after QApplication; ``stop()`` gives collection back to Python."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.was_enabled = gc.isenabled()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(lambda: collect_like_python(self.threshold))
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.was_enabled:
            gc.enable()
