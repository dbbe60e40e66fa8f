"""Asking before a change to a card's balance, in the words of its consequence ("Ana Lima: 6 → 5 stamps")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from terminal.domain.codes import format_code, normalize_code
from terminal.domain.errors import LoyaltyError
from terminal.services.counter import CardView
from terminal.ui.context import number

NON_BREAKING_HYPHEN = "\u2011"


def unbroken_code(text: str) -> str:
    """A card code dashed with a non-breaking hyphen, so a wrapped message never splits it.

    Text that is not a card code (a typing slip the service will refuse) is shown as typed.
    """
    try:
        return format_code(normalize_code(text)).replace("-", NON_BREAKING_HYPHEN)
    except LoyaltyError:
        return text


def card_name(view: CardView) -> str:
    """``Ana Lima (7K3QP-9ZX2M)``, or the dashed code alone when the card has no holder."""
    code = format_code(view.code)
    return f"{view.holder} ({code})" if view.holder else code


def balance_change(view: CardView, stamps: int, points: int) -> str:
    """What ``stamps`` and ``points`` more would make of the card: ``Ana Lima (…): 6 → 5 stamps``."""
    parts = []
    held = view.balance
    if stamps:
        text = QCoreApplication.translate("OwnerConfirm", "%1 → %2 stamps")
        parts.append(text.replace("%1", number(held.stamps)).replace("%2", number(held.stamps + stamps)))
    if points:
        text = QCoreApplication.translate("OwnerConfirm", "%1 → %2 points")
        parts.append(text.replace("%1", number(held.points)).replace("%2", number(held.points + points)))
    return f"{card_name(view)}: {', '.join(parts)}"


def goes_below_zero(view: CardView, stamps: int, points: int) -> bool:
    return view.balance.stamps + stamps < 0 or view.balance.points + points < 0


def balance_now(view: CardView) -> str:
    """``Ana Lima (…) now has 5 stamps and 120 points`` (what the program counts)."""
    held = []
    if view.program.kind.has_stamps:
        held.append(QCoreApplication.translate("OwnerConfirm", "%1 stamps").replace("%1", number(view.balance.stamps)))
    if view.program.kind.has_points:
        held.append(QCoreApplication.translate("OwnerConfirm", "%1 points").replace("%1", number(view.balance.points)))
    joined = QCoreApplication.translate("OwnerConfirm", " and ").join(held)
    return QCoreApplication.translate("OwnerConfirm", "%1 now has %2.").replace("%1", card_name(view)).replace(
        "%2", joined)


class ConfirmBox(QMessageBox):
    """A question with a named action button and Cancel; ``on_yes()`` only when the action is chosen.

    Opened window-modal and not blocking (``open``), so the GUI keeps running behind it.
    """

    def __init__(self, parent: QWidget, title: str, text: str, action: str, on_yes: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("ownerConfirm")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(title)
        self.setText(text)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.yes_button = self.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = self.addButton(QCoreApplication.translate("OwnerConfirm", "Cancel"),
                                            QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.cancel_button)  # Enter alone never changes a balance
        self.setEscapeButton(self.cancel_button)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._on_yes = on_yes
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: object) -> None:
        if button is self.yes_button:
            self._on_yes()
