"""The counter screen: camera, code field, the card, the result banner and the big actions.

Layout and display only; what the buttons do lives in ``counter_flow``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from terminal.services.counter import CardView
from terminal.ui.card_panel import CardPanel
from terminal.ui.result_banner import ResultBanner
from terminal.ui.scanner_preview import ScannerPreview

ACTIONS = ("stamp", "earn", "redeem", "undo")
SHORTCUTS = {"stamp": "F2", "earn": "F3", "redeem": "F4", "undo": "F8"}


class CounterPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CounterPage")
        self.preview = ScannerPreview()
        self.code_field = QLineEdit()
        self.code_field.setObjectName("CodeField")
        self.code_field.setClearButtonEnabled(True)
        self.look_up = QPushButton()
        self.look_up.setProperty("role", "toolbar")
        self.code_hint = QLabel()
        self.code_hint.setObjectName("BigCaption")
        self.code_hint.setWordWrap(True)
        self.card_panel = CardPanel()
        self.banner = ResultBanner()
        self.buttons: dict[str, QPushButton] = {}
        for name in ACTIONS:
            button = QPushButton()
            button.setProperty("role", "action")
            button.setObjectName(f"Action_{name}")
            if name == "undo":
                button.setProperty("variant", "secondary")
            self.buttons[name] = button
        self._build()
        self.retranslate()
        self.show_view(None)

    def _build(self) -> None:
        code_row = QHBoxLayout()
        code_row.addWidget(self.code_field, 1)
        code_row.addWidget(self.look_up)
        left = QVBoxLayout()
        left.addWidget(self.preview, 1)
        left.addLayout(code_row)
        left.addWidget(self.code_hint)
        actions = QGridLayout()
        actions.setSpacing(12)
        for n, name in enumerate(ACTIONS):
            actions.addWidget(self.buttons[name], n // 2, n % 2)
        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(self.card_panel, 1)
        right.addWidget(self.banner)
        right.addLayout(actions)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(16)
        layout.addLayout(left, 5)
        layout.addLayout(right, 6)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.code_field.setPlaceholderText(self.tr("Card code, e.g. 7K3QP-9ZX2M"))
        self.look_up.setText(self.tr("Look up"))
        self.code_hint.setText(self.tr("Scanners and typed codes both work. Press Enter to look up."))
        labels = {"stamp": self.tr("Add stamp"), "earn": self.tr("Earn points"),
                  "redeem": self.tr("Redeem"), "undo": self.tr("Undo last")}
        for name, button in self.buttons.items():
            button.setText(f"{labels[name]}  ({SHORTCUTS[name]})")
            button.setToolTip(labels[name])
        if self.banner.kind == "idle" and self.card_panel.view is None:
            self.banner.show_info(self.tr("Ready. Scan a card to begin."))

    def show_view(self, view: CardView | None) -> None:
        """Show ``view`` (or no card) and enable the actions that make sense for it."""
        if view is None:
            self.card_panel.clear()
        else:
            self.card_panel.show_card(view)
        kind = view.program.kind if view else None
        active = view is not None and view.status == "active"
        self.buttons["stamp"].setEnabled(active and kind.has_stamps)
        self.buttons["earn"].setEnabled(active and kind.has_points)
        self.buttons["redeem"].setEnabled(active and bool(view.rewards))
        self.buttons["undo"].setEnabled(view is not None)

    def focus_code_field(self) -> None:
        self.code_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.code_field.selectAll()
