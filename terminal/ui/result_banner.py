"""The result of the last action: green with the new balance, red with the reason; flashes when set."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from terminal.ui.theme import repolish

FLASHES = 3
FLASH_MS = 140


class ResultBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ResultBanner")
        self.label = QLabel()
        self.label.setObjectName("BannerText")
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 10)
        layout.addWidget(self.label)
        self.kind = "idle"
        self._flashes_left = 0
        self._timer = QTimer(self)
        self._timer.setInterval(FLASH_MS)
        self._timer.timeout.connect(self._toggle)
        self._set_props("idle", False)

    def text(self) -> str:
        return self.label.text()

    def show_success(self, text: str) -> None:
        self._show("ok", text, flash=True)

    def show_refusal(self, text: str) -> None:
        self._show("refused", text, flash=True)

    def show_info(self, text: str) -> None:
        self._show("idle", text, flash=False)

    def _show(self, kind: str, text: str, flash: bool) -> None:
        self.kind = kind
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self._timer.stop()
        self._flashes_left = FLASHES * 2 if flash else 0
        self._set_props(kind, flash)
        if flash:
            self._timer.start()

    def _toggle(self) -> None:
        self._flashes_left -= 1
        if self._flashes_left <= 0:
            self._timer.stop()
            self._set_props(self.kind, False)
            return
        self._set_props(self.kind, self._flashes_left % 2 == 0)

    def _set_props(self, kind: str, flash: bool) -> None:
        self.setProperty("kind", kind)
        self.setProperty("flash", "true" if flash else "false")
        repolish(self)
        for child in self.findChildren(QLabel):
            repolish(child)
