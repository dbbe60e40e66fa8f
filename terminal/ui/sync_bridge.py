"""Thin Qt adapter over the Qt-free SyncLink: syncer events become a GUI-thread signal.

The syncer reports on its worker thread; ``status_changed(object)`` carries
the :class:`sync.status.SyncStatus` (or None when the terminal is not
paired) and is always emitted on the GUI thread, ready for
``SyncIndicator.show_status``. Starting reads the keyring, so it goes
through the OperationRunner; stopping is quick (≤ 1 s) and runs inline at exit.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from sync.status import SyncStatus
from terminal.services.sync_link import SyncLink
from terminal.ui.operations import OperationRunner


class SyncBridge(QObject):
    status_changed = Signal(object)  # SyncStatus | None, on the GUI thread
    _relay = Signal(object)          # from the syncer's thread to ours

    def __init__(self, link: SyncLink, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self._runner = runner
        # signal to signal, inside Qt: no Python callable receives on the syncer's thread (see operations.py)
        self._relay.connect(self.status_changed, Qt.ConnectionType.QueuedConnection)
        link.add_listener(self._from_worker)

    def _from_worker(self, status: SyncStatus) -> None:
        self._relay.emit(status)

    def start(self) -> None:
        """Start syncing if paired (in the background); emits None when not paired."""
        def started(running: bool) -> None:
            self.status_changed.emit(self.link.status if running else None)

        self._runner.run(self.link.start, on_success=started, owner=self)

    def restart(self) -> None:
        """After pairing: stop any old syncer and start with the new link."""
        self._runner.run(lambda: (self.link.stop(), self.link.start())[1],
                         on_success=lambda running: self.status_changed.emit(
                             self.link.status if running else None), owner=self)

    def notify_local_change(self) -> None:
        self.link.notify_local_change()

    def sync_now(self) -> None:
        self.link.sync_now()

    def stop(self) -> None:
        self.link.remove_listener(self._from_worker)
        self.link.stop()
