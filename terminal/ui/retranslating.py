"""One place for Qt's LanguageChange: a widget words its texts in ``retranslate()`` and this calls it.

Installing or removing a translator makes Qt send ``LanguageChange`` to every widget; a widget that
mixes this in (before its Qt base class) words its texts again then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    _Base = QWidget
else:
    _Base = object


class Retranslating(_Base):
    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
