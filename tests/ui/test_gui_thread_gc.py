"""Cycles are collected by a GUI-thread timer, never by whichever thread allocates."""

from __future__ import annotations

import gc
import threading
import weakref

from terminal.ui.gui_thread_gc import GuiThreadCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_worker_garbage_waits_for_the_gui_thread_timer(qtbot) -> None:
    gc.enable()  # as in the app: Python collects automatically until the collector takes over
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()
        freed_on: list[str] = []
        probes: list[weakref.ref] = []

        def worker() -> None:
            for _ in range(5 * collector.threshold[0]):  # far past the threshold for a collection
                node = _Node()
                probes.append(weakref.ref(node, lambda _: freed_on.append(threading.current_thread().name)))
            del node

        thread = threading.Thread(target=worker, name="worker")
        thread.start()
        thread.join()
        assert freed_on == []  # the worker's allocations collected nothing
        qtbot.waitUntil(lambda: len(freed_on) == len(probes), timeout=5000)
        assert set(freed_on) == {threading.main_thread().name}
    finally:
        collector.stop()
    assert gc.isenabled()
    gc.disable()  # back to what the test fixture set
