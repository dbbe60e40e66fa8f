"""Redeem: the card's rewards; those it cannot have now are greyed with the reason."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from terminal.services.counter import CardView, RewardOption
from terminal.ui.context import number
from terminal.ui.refusals import reward_reason
from terminal.ui.retranslating import Retranslating


class RedeemDialog(Retranslating, QDialog):
    """``reward_chosen(reward_id, name)`` when the cashier picks an affordable reward."""

    reward_chosen = Signal(str, str)
    pay_with_points = Signal()  # the program takes points as money: the cashier chose to pay part of a bill

    def __init__(self, view: CardView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RedeemDialog")
        self.view = view
        self.title = QLabel()
        self.title.setObjectName("DialogTitle")
        self.title.setWordWrap(True)
        self.buttons: list[QPushButton] = []
        self.reasons: list[QLabel] = []
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.title)
        for option in view.rewards:
            button = QPushButton()
            button.setProperty("role", "reward")
            button.setAutoDefault(True)
            button.setEnabled(option.affordable)
            button.clicked.connect(lambda _=False, o=option: self._chosen(o))
            reason = QLabel(reward_reason(option, view.balance))
            reason.setObjectName("RewardReason")
            reason.setWordWrap(True)
            reason.setVisible(not option.affordable)
            self.buttons.append(button)
            self.reasons.append(reason)
            layout.addWidget(button)
            layout.addWidget(reason)
        self.pay_points = QPushButton()
        self.pay_points.setProperty("role", "reward")
        self.pay_points.setVisible(view.program.points_money is not None and view.balance.points > 0)
        self.pay_points.clicked.connect(self._pay_with_points)
        layout.addWidget(self.pay_points)
        self.cancel = QPushButton()
        self.cancel.setProperty("role", "action")
        self.cancel.setProperty("variant", "secondary")
        self.cancel.clicked.connect(self.reject)
        layout.addSpacing(8)
        layout.addWidget(self.cancel)
        self.retranslate()
        # keyboard alone: the first reward the card can have takes focus, Enter takes it, Esc cancels
        first = next((b for b in self.buttons if b.isEnabled()),
                     self.pay_points if not self.pay_points.isHidden() else self.cancel)
        first.setDefault(True)
        first.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Redeem"))
        self.title.setText(self.tr("Which reward for %1?").replace("%1", self.view.holder or self.tr("this card"))
                           if self.view.rewards else self.tr("This program has no rewards yet."))
        for option, button in zip(self.view.rewards, self.buttons, strict=True):
            text = f"{option.reward.name}  ·  {self._cost(option)}"
            button.setText(text)
            button.setToolTip(text)
        self.pay_points.setText(self.tr("Pay part of the bill with points…"))
        self.cancel.setText(self.tr("Cancel"))

    def _cost(self, option: RewardOption) -> str:
        reward = option.reward
        parts = []
        if reward.cost_stamps:
            parts.append(self.tr("1 stamp") if reward.cost_stamps == 1
                         else self.tr("%1 stamps").replace("%1", number(reward.cost_stamps)))
        if reward.cost_points:
            parts.append(self.tr("1 point") if reward.cost_points == 1
                         else self.tr("%1 points").replace("%1", number(reward.cost_points)))
        return " + ".join(parts)

    def _pay_with_points(self) -> None:
        self.accept()
        self.pay_with_points.emit()

    def _chosen(self, option: RewardOption) -> None:
        self.reward_chosen.emit(option.reward.reward_id, option.reward.name)
        self.accept()
