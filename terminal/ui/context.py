"""What every counter widget needs: the services, the background runner and the store's facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QLocale

from terminal.domain.money import minor_digits
from terminal.services.context import StoreFacts
from terminal.services.facade import Services
from terminal.settings import Settings
from terminal.ui.operations import OperationRunner


def window_locale() -> QLocale:
    """The locale of the window's language (``Translations`` sets it); before any is set, English."""
    locale = QLocale()
    # the bare C locale (a test, a till without LANG) would drop the thousands separator
    if locale.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale


def number(n: int) -> str:
    """A whole number in the window's locale: 1,500 in English, 1.500 in Indonesian."""
    return window_locale().toString(int(n))


def money(minor: int, currency: str) -> str:
    """An amount in minor units, in the window's locale, with the currency code: 12.50 EUR, 12,50 EUR."""
    digits = minor_digits(currency)
    if digits == 0:
        return f"{number(minor)} {currency}"
    return f"{window_locale().toString(minor / 10**digits, 'f', digits)} {currency}"


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

    @property
    def settings(self) -> Settings:
        return self.services.ctx.settings

    def money(self, minor: int) -> str:
        return money(minor, self.store.currency)
