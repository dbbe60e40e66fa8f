"""Fixtures for the owner area: a real store, the real runner, and an owner PIN pad stand-in."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from terminal.ui.operations import OperationRunner
from terminal.ui.owner import OwnerArea

OWNER_PIN = "2741"


@pytest.fixture
def runner(qtbot) -> Iterator[OperationRunner]:
    r = OperationRunner()
    yield r
    r.shutdown()


class GrantRequests:
    """What the counter's PIN pad does for the owner area: verify the owner's PIN in the worker."""

    def __init__(self, services, runner: OperationRunner) -> None:
        self.services = services
        self.runner = runner
        self.count = 0
        self.owner_id = next(s.staff_id for s in services.staff.list() if s.name == "Olga")

    def __call__(self, callback: Callable) -> None:
        self.count += 1
        self.runner.run(lambda: self.services.auth.verify_pin(self.owner_id, OWNER_PIN), on_success=callback)


@pytest.fixture
def grants(services, runner) -> GrantRequests:
    return GrantRequests(services, runner)


@pytest.fixture
def settle(qtbot, runner) -> Callable[[], None]:
    """Wait until every queued service call (and what its callbacks queued) has come back."""
    def wait() -> None:
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    return wait


@pytest.fixture
def area(qtbot, services, runner, grants, settle) -> OwnerArea:
    widget = OwnerArea(services, runner, grants)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    settle()
    return widget
