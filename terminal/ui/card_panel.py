"""The card on screen: holder, status, stamps, points, tier, rewards redeemable now.

Large type: the cashier and the customer read it from arm's length. Compact
enough for a 1024x600 till: one line each for the holder (elided, the full
name in the tooltip) and for the code with the program, numbers with their
captions beside them.
``card_painted(code)`` fires once the first paint of a newly shown card is
done (the benchmark measures scan -> painted with it).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.codes import format_code
from terminal.services.counter import CardView
from terminal.ui.campaign_text import running_line
from terminal.ui.context import number, window_locale
from terminal.ui.retranslating import Retranslating
from terminal.ui.stamp_marks import StampMarks
from terminal.ui.theme import repolish


def _label(name: str, text: str = "", wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


class ElidedLabel(QLabel):
    """One line that ends in "…" when it does not fit; then the tooltip has it all.

    ``text()`` is the full text, whatever is painted."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self._elide()

    def text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("Wi…"), metrics.height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self._full) + 2, metrics.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self.width()))
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")


class CardPanel(Retranslating, QFrame):
    card_painted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CardPanel")
        self.view: CardView | None = None
        self._paint_pending = False
        self.holder = ElidedLabel("HolderName")
        self.code = _label("CardCode")
        self.status = _label("CardStatus")
        self.program = ElidedLabel("ProgramName")
        self.stamps = StampMarks()
        self.stamps_caption = _label("BigCaption")
        self.points = _label("BigNumber")
        self.points_caption = _label("BigCaption")
        self.tier = _label("BigNumber")
        self.tier_caption = _label("BigCaption")
        self.expiring = _label("PointsExpiring", wrap=True)
        self.rewards = _label("RewardsNow", wrap=True)
        self.next_reward = _label("NextReward", wrap=True)
        self.campaigns = _label("CampaignsNow", wrap=True)  # "Double points until 17:00"
        self.campaigns.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.empty = _label("EmptyCard", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._build()
        self.retranslate()
        self.clear()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.holder, 1)
        top.addWidget(self.status)
        card = QHBoxLayout()
        card.addWidget(self.code)
        card.addWidget(self.program, 1)
        numbers = QHBoxLayout()
        for number_label, caption in ((self.points, self.points_caption), (self.tier, self.tier_caption)):
            numbers.addWidget(number_label)
            numbers.addWidget(caption, 0, Qt.AlignmentFlag.AlignBottom)
            numbers.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        numbers.addStretch(1)
        layout = QVBoxLayout(self)
        margin = self.fontMetrics().height()
        layout.setContentsMargins(margin, margin // 2, margin, margin // 2)
        layout.setSpacing(max(2, margin // 4))
        layout.addLayout(top)
        layout.addLayout(card)
        layout.addWidget(self.stamps)
        layout.addWidget(self.stamps_caption)
        layout.addLayout(numbers)
        layout.addWidget(self.expiring)
        layout.addWidget(self.rewards)
        layout.addWidget(self.next_reward)
        layout.addWidget(self.campaigns)
        layout.addWidget(self.empty, 1)
        layout.addStretch(0)

    def retranslate(self) -> None:
        self.empty.setText(self.tr("Hold a loyalty card up to the camera, scan it, or type its code."))
        self.points_caption.setText(self.tr("points"))
        self.tier_caption.setText(self.tr("tier"))
        if self.view is not None:
            self._fill(self.view)

    def clear(self) -> None:
        self.view = None
        for widget in (self.holder, self.code, self.status, self.program, self.stamps, self.stamps_caption,
                       self.points, self.points_caption, self.tier, self.tier_caption, self.rewards,
                       self.next_reward, self.campaigns, self.expiring):
            widget.hide()
        self.empty.show()

    def show_card(self, view: CardView) -> None:
        self.view = view
        self.empty.hide()
        self._fill(view)
        self._paint_pending = True
        self.update()

    def _fill(self, view: CardView) -> None:
        kind = view.program.kind
        self.holder.setText(view.holder or self.tr("Guest card"))
        self.code.setText(format_code(view.code))
        self.status.setText(self._status_text(view.status))
        self.status.setProperty("status", view.status)
        repolish(self.status)
        self.program.setText(view.program.name)
        self.stamps.set_stamps(view.balance.stamps, view.program.stamps_target)
        self.stamps_caption.setText(self.tr("%1 of %2 stamps").replace("%1", number(view.balance.stamps))
                                    .replace("%2", number(view.program.stamps_target)))
        self.points.setText(number(view.balance.points))
        self.tier.setText(view.tier.name if view.tier else "–")
        now = [o.reward.name for o in view.rewards if o.affordable]
        self.rewards.setText(self.tr("Can redeem now: %1").replace("%1", ", ".join(now)) if now
                             else self.tr("No reward yet"))
        self.rewards.setProperty("ready", "true" if now else "false")
        repolish(self.rewards)
        self.next_reward.setText(self._next_reward_text(view))
        for widget in (self.holder, self.code, self.status, self.program, self.rewards, self.next_reward):
            widget.show()
        for widget in (self.stamps, self.stamps_caption):
            widget.setVisible(kind.has_stamps)
        for widget in (self.points, self.points_caption, self.tier, self.tier_caption):
            widget.setVisible(kind.has_points)
        self.expiring.setText(self._expiring_text(view))
        self.expiring.setVisible(kind.has_points and view.expiring.points > 0)
        self.tier.setVisible(kind.has_points and bool(view.program.tiers))
        self.tier_caption.setVisible(kind.has_points and bool(view.program.tiers))
        self._fill_campaigns(view)

    def _fill_campaigns(self, view: CardView) -> None:
        if not view.program.active:
            self.campaigns.setText(self.tr("%1 was retired: this card takes no new stamps, points or rewards.")
                                   .replace("%1", view.program.name))
        else:
            self.campaigns.setText(running_line(view.campaigns_now))
        self.campaigns.setVisible(bool(self.campaigns.text()))

    def _next_reward_text(self, view: CardView) -> str:
        """How far the card is from the cheapest reward it cannot have yet, e.g. "4 more stamps for Free coffee"."""
        bal = view.balance
        gaps = []
        for option in view.rewards:
            reward = option.reward
            if option.affordable or option.reason is None or not (reward.cost_stamps or reward.cost_points):
                continue
            if reward.cost_stamps > bal.stamps and not reward.cost_points:
                gaps.append((0, reward.cost_stamps - bal.stamps, reward.name))
            elif reward.cost_points > bal.points and not reward.cost_stamps:
                gaps.append((1, reward.cost_points - bal.points, reward.name))
        if not gaps:
            return ""
        kind, missing, name = min(gaps, key=lambda g: (g[1] if g[0] == 0 else g[1] / 100, g[0]))
        # English needs its singular; Indonesian words both the same (it has no plural form)
        if kind == 0:
            text = self.tr("1 more stamp for %2") if missing == 1 else self.tr("%1 more stamps for %2")
        else:
            text = self.tr("1 more point for %2") if missing == 1 else self.tr("%1 more points for %2")
        return text.replace("%1", number(missing)).replace("%2", name)

    def _expiring_text(self, view: CardView) -> str:
        soon = view.expiring
        if not soon.points or soon.first_day is None:
            return ""
        day = window_locale().toString(QDate(soon.first_day.year, soon.first_day.month, soon.first_day.day),
                                       QLocale.FormatType.ShortFormat)
        return (self.tr("%1 points expire within 30 days (the first on %2)")
                .replace("%1", number(soon.points)).replace("%2", day))

    def _status_text(self, status: str) -> str:
        return {"active": self.tr("Active"), "suspended": self.tr("Suspended"),
                "blocked": self.tr("Blocked")}.get(status, status)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if self._paint_pending and self.view is not None:
            self._paint_pending = False
            self.card_painted.emit(self.view.code)
