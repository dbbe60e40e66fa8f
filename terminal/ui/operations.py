"""Run service calls off the GUI thread and bring the outcome back by signal.

Like Anki's ``CollectionOp`` on a one-worker pool: every call goes through
one worker thread, so database writes happen one at a time and a slow PIN
check never freezes the window. Results and errors are delivered on the GUI
thread. A ``LoyaltyError`` reaches the failure callback as it is; anything
else is logged with its traceback and reaches the widget only as a plain
message, so no traceback is ever shown at the counter.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from terminal.domain.errors import ErrorCode, LoyaltyError

log = logging.getLogger(__name__)

UNEXPECTED_MESSAGE = ("Something went wrong and nothing was changed. Try again; if it keeps happening, "
                      "ask the owner to check the log.")

Success = Callable[[Any], None]
Failure = Callable[[LoyaltyError], None]


@dataclass
class _Job:
    fn: Callable[[], Any]
    on_success: Success | None
    on_failure: Failure | None
    owner: QObject | None


class OperationRunner(QObject):
    """One background worker for service calls. Call ``shutdown()`` before exit."""

    _finished = Signal(object, object, object)  # job, value, error
    idle = Signal()  # emitted on the GUI thread whenever the queue runs dry

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._pending = 0
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._work, name="loyalty-operations", daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def run(self, fn: Callable[[], Any], on_success: Success | None = None,
            on_failure: Failure | None = None, owner: QObject | None = None) -> None:
        """Queue ``fn``; call back on the GUI thread unless ``owner`` was deleted meanwhile."""
        if not self._thread.is_alive():
            raise RuntimeError("the operation runner was shut down")
        self._pending += 1
        self._jobs.put(_Job(fn, on_success, on_failure, owner))

    def shutdown(self, timeout: float = 10.0) -> None:
        """Finish the job in hand, drop the rest, and stop the worker thread."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            value = error = None
            try:
                value = job.fn()
            except LoyaltyError as exc:
                error = exc
            except Exception:  # logged, then shown as a plain message
                log.exception("background operation failed")
                error = LoyaltyError(ErrorCode.UNEXPECTED, UNEXPECTED_MESSAGE)
            if not shiboken6.isValid(self):
                return
            self._finished.emit(job, value, error)

    # A declared slot: PySide6 (6.8 on) can crash delivering a signal emitted on a Python thread to an
    # undecorated method (PYSIDE-3124); one full test run in many died so, on the GUI thread, here.
    @Slot(object, object, object)
    def _deliver(self, job: _Job, value: Any, error: LoyaltyError | None) -> None:
        self._pending -= 1
        try:
            if job.owner is not None and not shiboken6.isValid(job.owner):
                return
            if error is None:
                if job.on_success is not None:
                    job.on_success(value)
            elif job.on_failure is not None:
                job.on_failure(error)
            else:
                log.warning("unhandled operation error: %s", error.message)
        finally:
            if self._pending == 0:
                self.idle.emit()
