"""The background-operation helper: results and errors come back on the GUI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QWidget

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.ui.operations import UNEXPECTED_MESSAGE, OperationRunner


@pytest.fixture
def runner(qtbot):
    r = OperationRunner()
    yield r
    r.shutdown()


def test_result_arrives_on_gui_thread(qtbot, runner: OperationRunner) -> None:
    seen = []
    worker_threads = []

    def work() -> int:
        worker_threads.append(threading.current_thread())
        return 42

    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.run(work, on_success=lambda v: seen.append((v, threading.current_thread())))
    assert seen == [(42, threading.main_thread())]
    assert worker_threads[0] is not threading.main_thread()
    assert not runner.busy


def test_loyalty_error_is_passed_through(qtbot, runner: OperationRunner) -> None:
    errors = []

    def refuse() -> None:
        raise LoyaltyError(ErrorCode.COOLDOWN_ACTIVE, "Stamped 4 minutes ago.")

    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.run(refuse, on_failure=errors.append)
    assert [e.code for e in errors] == [ErrorCode.COOLDOWN_ACTIVE]


def test_unexpected_error_becomes_plain_message(qtbot, runner: OperationRunner, caplog) -> None:
    errors = []
    with qtbot.waitSignal(runner.idle, timeout=5000):
        runner.run(lambda: 1 / 0, on_failure=errors.append)
    assert errors[0].code is ErrorCode.UNEXPECTED and errors[0].message == UNEXPECTED_MESSAGE
    assert "ZeroDivisionError" in caplog.text  # the traceback goes to the log, not the screen


def test_jobs_run_in_order(qtbot, runner: OperationRunner) -> None:
    order = []
    with qtbot.waitSignal(runner.idle, timeout=5000):
        for i in range(20):
            runner.run(lambda i=i: i, on_success=order.append)
    assert order == list(range(20))


def test_deleted_owner_gets_no_callback(qtbot, runner: OperationRunner) -> None:
    gate = threading.Event()
    widget = QWidget()
    called = []
    runner.run(gate.wait, on_success=called.append, owner=widget)
    widget.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(widget), timeout=2000)
    with qtbot.waitSignal(runner.idle, timeout=5000):
        gate.set()
    assert called == []


def test_shutdown_stops_the_thread(qtbot) -> None:
    r = OperationRunner()
    r.shutdown()
    with pytest.raises(RuntimeError):
        r.run(lambda: None)
