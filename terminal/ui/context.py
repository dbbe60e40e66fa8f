"""What every counter widget needs: the services, the background runner and the store's facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from terminal.services.context import StoreFacts
from terminal.services.facade import Services
from terminal.ui.operations import OperationRunner


@dataclass
class UiContext:
    services: Services
    runner: OperationRunner
    store: StoreFacts
    # fetch_card(code) -> bool, run in the worker: asks the hub for a card this till has not seen
    fetch_card: Callable[[str], bool] | None = None

    def local_time(self, moment: datetime) -> str:
        """A UTC moment as the store's wall-clock time, e.g. "14:32"."""
        return f"{moment.astimezone(self.store.tz):%H:%M}"

    def now(self) -> datetime:
        return self.services.ctx.clock.now()
