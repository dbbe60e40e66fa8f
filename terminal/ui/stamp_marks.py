"""A card's stamps drawn as N marks, the collected ones filled.

The marks are sized from the font (so they follow the screen's font size,
not fixed pixels) and wrap into rows when the panel is narrow.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

MARK_EM = 2.0  # a mark's diameter in line heights of the widget's font
MOST_PER_ROW = 10


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

    def _mark(self) -> int:
        return max(12, round(self.fontMetrics().height() * MARK_EM))

    def _step(self) -> int:
        mark = self._mark()
        return mark + max(3, mark // 5)

    def _shown(self) -> int:
        return max(self.target, self.filled, 1)

    def _per_row(self, width: int) -> int:
        return max(1, min(self._shown(), (width + self._step() - self._mark()) // self._step()))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        per_row = min(self._shown(), MOST_PER_ROW)
        rows = -(-self._shown() // per_row)
        return QSize(per_row * self._step(), rows * self._step())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(min(self._shown(), 3) * self._step(), self._step())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return -(-self._shown() // self._per_row(width)) * self._step()

    def _fitting(self) -> tuple[int, int, int]:
        """Mark size, step and marks per row that show every mark in the space the layout gave.

        A layout may give less height than heightForWidth asked for (a short screen); smaller marks
        then keep every stamp visible rather than cutting the last row off.
        """
        mark = self._mark()
        while True:
            step = mark + max(3, mark // 5)
            per_row = max(1, min(self._shown(), (self.width() + step - mark) // step))
            rows = -(-self._shown() // per_row)
            if rows * step <= self.height() + step - mark or mark <= 8:
                return mark, step, per_row
            mark -= 1

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802, ARG002 (Qt's name and signature)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dark = self.palette().window().color().lightness() < 128
        ink = QColor("#d99a5b") if dark else QColor("#6b3f1d")
        empty = QColor("#4a453f") if dark else QColor("#d9cfc3")
        mark, step, per_row = self._fitting()
        pen = max(2, mark // 14)
        for i in range(max(self.target, self.filled)):
            row, col = divmod(i, per_row)
            rect = QRectF(col * step + pen, row * step + pen, mark - 2 * pen, mark - 2 * pen)
            painter.setPen(QPen(ink if i < self.filled else empty, pen))
            painter.setBrush(ink if i < self.filled else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(rect)
        painter.end()
