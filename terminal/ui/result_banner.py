"""The result of the last action: green with the new balance, red with the reason; flashes when set.

It names the card and its holder above the result, so whoever reads it from
across the counter knows whose result it is, and a large mark (✓ or ✕) shows
success or refusal at a glance. A text given as a function is worded again
when the window's language changes, so a switch leaves no message behind in
the old language.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from terminal.ui.theme import repolish

FLASHES = 3
FLASH_MS = 140
MARK_SCALE = 2.0  # the mark's size, in multiples of the banner text's height
MARKS = {"ok": "✓", "refused": "✕", "idle": ""}

Text = str | Callable[[], str]  # a function words the message in the current language


class ResultBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ResultBanner")
        self.mark = QLabel()
        self.mark.setObjectName("BannerMark")
        self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subject = QLabel()
        self.subject.setObjectName("BannerSubject")
        self.subject.setWordWrap(True)
        self.label = QLabel()
        self.label.setObjectName("BannerText")
        self.label.setWordWrap(True)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.subject)
        texts.addWidget(self.label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addWidget(self.mark)
        layout.addLayout(texts, 1)
        self.kind = "idle"
        self._retell: Callable[[], str] | None = None
        self._flashes_left = 0
        self._timer = QTimer(self)
        self._timer.setInterval(FLASH_MS)
        self._timer.timeout.connect(self._toggle)
        self._set_props("idle", False)
        self.subject.hide()
        self.mark.hide()

    def text(self) -> str:
        return self.label.text()

    def show_success(self, text: Text, subject: str = "") -> None:
        self._show("ok", text, subject, flash=True)

    def show_refusal(self, text: Text, subject: str = "") -> None:
        self._show("refused", text, subject, flash=True)

    def show_info(self, text: Text, subject: str = "") -> None:
        self._show("idle", text, subject, flash=False)

    def _show(self, kind: str, text: Text, subject: str, flash: bool) -> None:
        self.kind = kind
        self._retell = text if callable(text) else None
        self.subject.setText(subject)
        self.subject.setVisible(bool(subject))
        self._set_text(text() if callable(text) else text)
        self.mark.setText(MARKS[kind])
        self.mark.setVisible(bool(MARKS[kind]))
        self._size_mark()
        self._timer.stop()
        self._flashes_left = FLASHES * 2 if flash else 0
        self._set_props(kind, flash)
        if flash:
            self._timer.start()

    def _set_text(self, text: str) -> None:
        self.label.setText(text)
        subject = self.subject.text()
        self.setAccessibleDescription(f"{subject}: {text}" if subject else text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange and self._retell is not None:
            self._set_text(self._retell())
        super().changeEvent(event)

    def _size_mark(self) -> None:
        # sized from the text's own font, so it follows the theme and the screen's font size; a
        # style sheet on the mark itself, since the theme's "* { font-size }" outranks setFont
        pixels = max(16, round(self.label.fontMetrics().height() * MARK_SCALE))
        self.mark.setStyleSheet(f"font-size: {pixels}px; font-weight: 800;")

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
