"""What every owner page shares: services, the runner, the owner's grant, and store facts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.auth import Grant
from terminal.services.context import StoreFacts
from terminal.services.facade import Services
from terminal.ui.operations import OperationRunner
from terminal.ui.owner import file_places

_GRANT_UNUSABLE = frozenset({ErrorCode.NOT_PERMITTED, ErrorCode.STAFF_LOCKED, ErrorCode.STAFF_INACTIVE,
                             ErrorCode.STAFF_NOT_FOUND, ErrorCode.PIN_DISABLED})

GrantRequest = Callable[[Callable[[Grant], None]], None]


class OwnerContext(QObject):
    """Runs owner calls in the background, asking for the owner's PIN only when needed.

    A grant is kept while it lasts (``grant_seconds``); when a call is refused
    because it expired, the owner is asked again and the call is retried once.
    """

    store_loaded = Signal(object)  # StoreFacts

    def __init__(self, services: Services, runner: OperationRunner, request_owner_grant: GrantRequest,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self._request_grant = request_owner_grant
        self._grant: Grant | None = None
        self.store: StoreFacts | None = None
        self.counter_card: Callable[[], str | None] = lambda: None  # the card on the counter, set by the window
        file_places.keep_in(services.ctx.db.path.parent)  # save dialogs start where this till saved last

    def load_store(self) -> None:
        self.runner.run(self.services.owner_views.store, on_success=self._store_ready, owner=self)

    def _store_ready(self, store: StoreFacts) -> None:
        self.store = store
        self.store_loaded.emit(store)

    def local_time(self, when: datetime | None) -> str:
        if when is None:
            return ""
        tz = self.store.tz if self.store else None
        return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    def now(self) -> datetime:
        return self.services.ctx.clock.now()  # the services' clock (a test's manual clock), no I/O

    def forget_grant(self) -> None:
        self._grant = None

    def run(self, fn: Callable[[], Any], on_success: Callable[[Any], None] | None,
            on_failure: Callable[[LoyaltyError], None] | None, owner: QObject) -> None:
        """A call that needs no PIN (reads)."""
        self.runner.run(fn, on_success=on_success, on_failure=on_failure, owner=owner)

    def run_granted(self, fn: Callable[[Grant], Any], on_success: Callable[[Any], None] | None,
                    on_failure: Callable[[LoyaltyError], None] | None, owner: QObject) -> None:
        """A call that needs the owner's grant: ``fn(grant)`` runs in the worker."""
        def attempt(grant: Grant, retried: bool) -> None:
            self._grant = grant

            def failed(error: LoyaltyError) -> None:
                if error.code is ErrorCode.GRANT_EXPIRED and not retried:
                    self._grant = None
                    self._request_grant(lambda fresh: attempt(fresh, True))
                else:
                    if error.code in _GRANT_UNUSABLE:
                        self._grant = None  # e.g. a cashier's PIN was entered: ask again next time
                    if on_failure is not None:
                        on_failure(error)

            self.runner.run(lambda: fn(grant), on_success=on_success, on_failure=failed, owner=owner)

        if self._grant is not None:
            attempt(self._grant, False)
        else:
            self._request_grant(lambda grant: attempt(grant, True))
