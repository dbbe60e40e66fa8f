"""Earn points: a numeric keypad for the purchase amount, showing the points before confirming."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from terminal.domain.errors import LoyaltyError
from terminal.domain.money import parse_amount
from terminal.ui.context import UiContext, number, window_locale
from terminal.ui.keypad import keypad
from terminal.ui.refusals import describe
from terminal.ui.theme import repolish


class EarnDialog(QDialog):
    """``amount_chosen(int)`` carries the amount in minor units when the cashier confirms."""

    amount_chosen = Signal(int)

    def __init__(self, ui: UiContext, code: str, parent: QWidget | None = None, subject: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("EarnDialog")
        self.ui = ui
        self.code = code
        self.amount_minor: int | None = None
        self.preview_points: int | None = None
        self._asked = 0  # newest preview request; older answers are ignored
        self.title = QLabel()
        self.title.setObjectName("DialogTitle")
        self.title.setWordWrap(True)
        self.subject = QLabel(subject)  # the card and its holder
        self.subject.setObjectName("Message")
        self.subject.setWordWrap(True)
        self.subject.setVisible(bool(subject))
        self.amount = QLineEdit()
        self.amount.setObjectName("AmountField")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.textChanged.connect(self._amount_changed)
        self.amount.returnPressed.connect(self.confirm)
        self.preview = QLabel()
        self.preview.setObjectName("Preview")
        self.preview.setWordWrap(True)
        self.ok = QPushButton()
        self.ok.setProperty("role", "action")
        self.ok.clicked.connect(self.confirm)
        self.cancel = QPushButton()
        self.cancel.setProperty("role", "action")
        self.cancel.setProperty("variant", "secondary")
        self.cancel.clicked.connect(self.reject)
        self._build()
        self.retranslate()
        self._amount_changed("")

    def _build(self) -> None:
        pad, self.keys = keypad("789456123.0<", self._key)
        self.keys["<"].setText("⌫")
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        # the amount and its points on the left, the keys on the right: fits a 600-pixel screen
        spacing = self.fontMetrics().height() // 2
        amount = QVBoxLayout()
        amount.setSpacing(spacing)
        amount.addWidget(self.title)
        amount.addWidget(self.subject)
        amount.addWidget(self.amount)
        amount.addWidget(self.preview)
        amount.addStretch(1)
        amount.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setSpacing(spacing * 3)
        layout.setContentsMargins(spacing * 2, spacing * 2, spacing * 2, spacing * 2)
        layout.addLayout(amount, 1)
        layout.addLayout(pad)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Earn points"))
        self.title.setText(self.tr("Purchase amount (%1)").replace("%1", self.ui.store.currency))
        # the window's decimal sign (12,50 in Indonesian); the amount is read with either sign
        self.amount.setPlaceholderText(window_locale().toString(0.0, "f", self.ui.store.minor_digits))
        self.keys["."].setText(window_locale().decimalPoint())
        self.ok.setText(self.tr("Next: PIN"))
        self.cancel.setText(self.tr("Cancel"))
        self._show_preview()

    def _key(self, key: str) -> None:
        if key == "<":
            self.amount.backspace()
        else:
            self.amount.insert(window_locale().decimalPoint() if key == "." else key)
        self.amount.setFocus()

    def _amount_changed(self, text: str) -> None:
        self._asked += 1
        self.preview_points = None
        self.amount_minor = None
        self.ok.setEnabled(False)
        if not text.strip():
            self._show_preview()
            return
        store = self.ui.store
        try:
            amount = parse_amount(text, store.currency, self.ui.services.ctx.settings.max_amount_minor)
        except LoyaltyError as exc:
            self._show_preview(describe(exc, store.tz))
            return
        self.amount_minor = amount
        asked = self._asked
        counter = self.ui.services.counter
        self._show_preview(self.tr("Working out the points…"))
        self.ui.runner.run(lambda: counter.preview_points(self.code, amount),
                           on_success=lambda points: self._previewed(asked, points),
                           on_failure=lambda exc: asked == self._asked and self._show_preview(
                               describe(exc, store.tz)),
                           owner=self)

    def _previewed(self, asked: int, points: int) -> None:
        if asked != self._asked:
            return
        self.preview_points = points
        self.ok.setEnabled(points > 0)
        self._show_preview()

    def _show_preview(self, problem: str | None = None) -> None:
        if problem is not None:
            text, error = problem, self.amount_minor is None
        elif self.preview_points is None or self.amount_minor is None:
            text, error = self.tr("Type the amount on the receipt."), False
        elif self.preview_points <= 0:
            text, error = self.tr("%1 is too small to earn a point.").replace(
                "%1", self.ui.money(self.amount_minor)), True
        else:
            template = (self.tr("%1 gives 1 point.") if self.preview_points == 1
                        else self.tr("%1 gives %2 points."))
            text, error = template.replace("%1", self.ui.money(self.amount_minor)).replace(
                "%2", number(self.preview_points)), False
        self.preview.setText(text)
        self.preview.setProperty("kind", "error" if error else "info")
        repolish(self.preview)

    def confirm(self) -> None:
        if self.ok.isEnabled() and self.amount_minor is not None:
            self.amount_chosen.emit(self.amount_minor)
            self.accept()
