"""A card's stamps drawn as N marks, the collected ones filled."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

MARK_PX = 46
GAP_PX = 10


class StampMarks(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filled = 0
        self.target = 0
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # rows wrap on narrow panels: the height follows the width
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_stamps(self, filled: int, target: int) -> None:
        self.filled, self.target = filled, target
        self.setAccessibleName(self.tr("%1 of %2 stamps").replace("%1", str(filled)).replace("%2", str(target)))
        self.updateGeometry()
        self.update()

    def _per_row(self) -> int:
        return max(1, min(self.target, (self.width() + GAP_PX) // (MARK_PX + GAP_PX)))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        per_row = min(max(self.target, 1), 10)
        rows = -(-max(self.target, 1) // per_row)
        return QSize(per_row * (MARK_PX + GAP_PX), rows * (MARK_PX + GAP_PX))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(5 * (MARK_PX + GAP_PX), MARK_PX + GAP_PX)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        per_row = max(1, min(max(self.target, 1), (width + GAP_PX) // (MARK_PX + GAP_PX)))
        return -(-max(self.target, 1) // per_row) * (MARK_PX + GAP_PX)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802, ARG002 (Qt's name and signature)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dark = self.palette().window().color().lightness() < 128
        ink = QColor("#d99a5b") if dark else QColor("#6b3f1d")
        empty = QColor("#4a453f") if dark else QColor("#d9cfc3")
        per_row = self._per_row()
        shown = max(self.target, self.filled)
        for i in range(shown):
            row, col = divmod(i, per_row)
            rect = QRectF(col * (MARK_PX + GAP_PX) + 2, row * (MARK_PX + GAP_PX) + 2, MARK_PX - 4, MARK_PX - 4)
            painter.setPen(QPen(ink if i < self.filled else empty, 3))
            painter.setBrush(ink if i < self.filled else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(rect)
        painter.end()
