"""The counter screen: camera, code field, the card, the result banner and the big actions.

Layout and display only; what the buttons do lives in ``counter_flow``. Actions
that cannot succeed now are disabled with the reason in view (a stamp in its
cooldown counts down to the time it becomes possible), so nobody types a PIN
for nothing; the services check again when an action runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.codes import format_code
from terminal.services.counter import CardView
from terminal.ui.card_panel import CardPanel
from terminal.ui.context import number
from terminal.ui.result_banner import ResultBanner
from terminal.ui.retranslating import Retranslating
from terminal.ui.scanner_preview import ScannerPreview

ACTIONS = ("stamp", "earn", "redeem", "undo")
SHORTCUTS = {"stamp": "F2", "earn": "F3", "redeem": "F4", "undo": "F8"}
NEXT_CUSTOMER_KEY = "Esc"
SWITCH_KEY = "F6"
FIND_KEY = "F5"
COUNTDOWN_MS = 1000


class SwitchOffer(QFrame):
    """"Card X is in view": the camera saw another card while one is being served; or "this card was
    replaced by X": the blocked card on screen handed its balance over to X. Either way one button
    (or F6) serves X."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SwitchOffer")
        self.code: str | None = None
        self.replaces: str | None = None  # the blocked card on screen that ``code`` took over from
        self.label = QLabel()
        self.label.setObjectName("Message")
        self.label.setWordWrap(True)
        self.button = QPushButton()
        self.button.setProperty("role", "toolbar")
        self.button.setObjectName("SwitchCard")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.label, 1)
        self.row.addWidget(self.button)
        self.hide()

    def offer(self, code: str | None, replaces: str | None = None) -> None:
        self.code = code
        self.replaces = replaces if code is not None else None
        self.holder: str | None = None
        self.retranslate()
        self.setVisible(code is not None)

    def name_holder(self, code: str, holder: str | None) -> None:
        """The offered card's holder, once looked up (the offer shows the code until then)."""
        if code == self.code and holder:
            self.holder = holder
            self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(self.tr("Switch (%1)").replace("%1", SWITCH_KEY))
        if self.code is not None and self.replaces is not None:
            self.button.setText(self.tr("Open that card (%1)").replace("%1", SWITCH_KEY))
            text = self.tr("This card was replaced by %1. Open that card?").replace("%1", format_code(self.code))
            self.label.setText(text)
            self.label.setToolTip(text)
            self.button.setToolTip(self.tr("Serve card %1 instead").replace("%1", format_code(self.code)))
        elif self.code is not None:
            if self.holder:
                text = self.tr("The camera sees another card, %1 of %2. Switch to it?").replace(
                    "%1", format_code(self.code)).replace("%2", self.holder)
            else:
                text = self.tr("The camera sees another card, %1. Switch to it?").replace("%1", format_code(self.code))
            self.label.setText(text)
            self.label.setToolTip(text)
            self.button.setToolTip(self.tr("Serve card %1 instead").replace("%1", format_code(self.code)))


class CounterPage(Retranslating, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CounterPage")
        self.preview = ScannerPreview()
        self.code_field = QLineEdit()
        self.code_field.setObjectName("CodeField")
        self.code_field.setClearButtonEnabled(True)
        self.look_up = QPushButton()
        self.look_up.setProperty("role", "toolbar")
        self.next_customer = QPushButton()
        self.next_customer.setProperty("role", "toolbar")
        self.next_customer.setObjectName("NextCustomer")
        # Search without a keyboard: beside Next customer, so the left column grows no wider or taller.
        self.find_customer = QPushButton()
        self.find_customer.setProperty("role", "toolbar")
        self.find_customer.setObjectName("FindCustomer")
        self.code_hint = QLabel()
        self.code_hint.setObjectName("BigCaption")
        self.code_hint.setWordWrap(True)
        self.switch_offer = SwitchOffer()
        self.switch_offer.row.setDirection(QVBoxLayout.Direction.TopToBottom)  # narrow column: text above
        self.card_panel = CardPanel()
        self.banner = ResultBanner()
        # The card's customer page, big for the customer's phone (terminal/ui/customer_page_qr.py).
        self.customer_page = QPushButton()
        self.customer_page.setProperty("role", "toolbar")
        self.customer_page.setObjectName("CustomerPageButton")
        self.action_note = QLabel()
        self.action_note.setObjectName("ActionNote")
        self.action_note.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self.reasons: dict[str, str] = {}  # why an action is disabled, in the window's language
        for name in ACTIONS:
            button = QPushButton()
            button.setProperty("role", "action")
            button.setObjectName(f"Action_{name}")
            if name == "undo":
                button.setProperty("variant", "secondary")
            self.buttons[name] = button
        self._now: Callable[[], datetime] | None = None
        self._tz: tzinfo | None = None
        self._countdown = QTimer(self)
        self._countdown.setInterval(COUNTDOWN_MS)
        self._countdown.timeout.connect(self.refresh_availability)
        self._build()
        self.retranslate()
        self.show_view(None)

    def _build(self) -> None:
        # Three columns, so a 1024x600 till shows everything: camera and code entry | the card |
        # the actions stacked; the result banner runs under the card and the actions.
        code_row = QHBoxLayout()
        code_row.addWidget(self.code_field, 1)
        code_row.addWidget(self.look_up)
        left = QVBoxLayout()
        left.addWidget(self.preview, 1)
        left.addLayout(code_row)
        left.addWidget(self.code_hint)
        left.addWidget(self.switch_offer)
        customer_row = QHBoxLayout()
        customer_row.addWidget(self.find_customer, 1)
        customer_row.addWidget(self.next_customer, 1)
        left.addLayout(customer_row)
        middle = QVBoxLayout()
        middle.addWidget(self.card_panel, 1)
        middle.addWidget(self.customer_page, 0, Qt.AlignmentFlag.AlignLeft)
        middle.addWidget(self.action_note)
        actions = QVBoxLayout()
        for name in ACTIONS:
            actions.addWidget(self.buttons[name])
        actions.addStretch(1)
        layout = QGridLayout(self)
        spacing = self.fontMetrics().height() // 2
        layout.setContentsMargins(spacing, spacing // 2, spacing, spacing // 2)
        layout.setSpacing(spacing)
        layout.addLayout(left, 0, 0, 2, 1)
        layout.addLayout(middle, 0, 1)
        layout.addLayout(actions, 0, 2)
        layout.addWidget(self.banner, 1, 1, 1, 2)
        layout.setColumnStretch(0, 4)
        layout.setColumnStretch(1, 5)
        layout.setRowStretch(0, 1)

    def set_clock(self, now: Callable[[], datetime], tz: tzinfo) -> None:
        """Where the countdown of a blocked stamp reads the time (the services' clock, the store's zone)."""
        self._now, self._tz = now, tz
        self.refresh_availability()

    def labels(self) -> dict[str, str]:
        return {"stamp": self.tr("Add stamp"), "earn": self.tr("Earn points"),
                "redeem": self.tr("Redeem"), "undo": self.tr("Undo last")}

    def retranslate(self) -> None:
        self.code_field.setPlaceholderText(self.tr("Card code, e.g. 7K3QP-9ZX2M"))
        self.code_field.setToolTip(self.code_field.placeholderText())  # a narrow field cuts the example
        self.look_up.setText(self.tr("Look up"))
        self.next_customer.setText(self.tr("Next customer (%1)").replace("%1", NEXT_CUSTOMER_KEY))
        self.next_customer.setToolTip(self.tr("Clear the card from the screen for the next customer"))
        self.find_customer.setText(self.tr("Find customer (%1)").replace("%1", FIND_KEY))
        self.find_customer.setToolTip(self.tr("Find a customer by name, phone number or card code (%1)")
                                      .replace("%1", FIND_KEY))
        self.code_hint.setText(self.tr("Scanners and typed codes both work. Press Enter to look up."))
        self.customer_page.setText(self.tr("Customer page QR"))
        self.customer_page.setToolTip(self.tr("Show the QR that opens this card's page on the customer's phone"))
        for name, button in self.buttons.items():
            button.setText(f"{self.labels()[name]} ({SHORTCUTS[name]})")
        self.switch_offer.retranslate()
        self.refresh_availability()
        if self.banner.kind == "idle" and self.card_panel.view is None:
            self.banner.show_info(self.tr("Ready. Scan a card to begin."))

    def show_view(self, view: CardView | None) -> None:
        """Show ``view`` (or no card) and enable the actions that make sense for it."""
        if view is None:
            self.card_panel.clear()
        else:
            self.card_panel.show_card(view)
        self.next_customer.setEnabled(view is not None)
        self.customer_page.setEnabled(view is not None)
        self.refresh_availability()

    # -- what is possible now ----------------------------------------------------------
    def refresh_availability(self) -> None:
        view = self.card_panel.view
        self.reasons = {}
        active = view is not None and view.status == "active" and view.program.active  # retired: the panel says so
        has_stamps = active and view is not None and view.program.kind.has_stamps
        has_points = active and view is not None and view.program.kind.has_points
        redeemable = active and view is not None and view.redeemable
        block = view.stamp_block if has_stamps and view is not None else None
        if block is not None and self._now is not None and self._now() >= block.allowed_at:
            block = None  # the cooldown is over (the service checks again when stamping)
        if block is not None:
            self.reasons["stamp"] = self._stamp_reason(block)
        if active and view is not None and view.rewards and not redeemable:
            self.reasons["redeem"] = self.tr("Nothing can be redeemed yet.")
        self.buttons["stamp"].setEnabled(has_stamps and block is None)
        self.buttons["earn"].setEnabled(has_points)
        self.buttons["redeem"].setEnabled(redeemable)
        self.buttons["undo"].setEnabled(view is not None)
        labels = self.labels()
        for name, button in self.buttons.items():
            reason = self.reasons.get(name)
            button.setToolTip(f"{labels[name]}: {reason}" if reason else labels[name])
        note = " ".join(f"{labels[name]}: {reason}" for name, reason in self.reasons.items())
        self.action_note.setText(note)
        self.action_note.setToolTip(note)
        self.action_note.setVisible(bool(note))
        if block is not None and self._now is not None:
            if not self._countdown.isActive():
                self._countdown.start()
        else:
            self._countdown.stop()

    def _stamp_reason(self, block) -> str:  # noqa: ANN001 - a StampBlock
        when = f"{block.allowed_at.astimezone(self._tz):%H:%M}" if self._tz is not None else ""
        if block.reason == "daily_limit":
            template = (self.tr("today's limit of 1 stamp is reached; next stamp from %2.")
                        if block.stamps_today == 1
                        else self.tr("today's limit of %1 stamps is reached; next stamp from %2."))
            return template.replace("%1", number(block.stamps_today)).replace("%2", when)
        if self._now is None:
            return self.tr("next stamp at %1.").replace("%1", when)
        minutes = max(1, math.ceil((block.allowed_at - self._now()).total_seconds() / 60))
        # "min" reads right for 1 and for 12 in both languages; no plural form needed
        return self.tr("next stamp at %1, in %2 min.").replace("%1", when).replace("%2", number(minutes))

    def focus_code_field(self) -> None:
        self.code_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.code_field.selectAll()
