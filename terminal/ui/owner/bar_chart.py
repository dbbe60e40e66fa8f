"""A small grouped bar chart drawn with QPainter (QtCharts is not part of PySide6-Essentials)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

SERIES_COLOURS = ("#2e7d32", "#1565c0", "#ef6c00", "#c62828", "#6a1b9a")
MAX_BAR_WIDTH = 72  # one staff member's bars would otherwise fill the page


class BarChart(QWidget):
    """Groups (one per staff member) of bars (one per series), with a legend and a shared scale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[str] = []
        self.series: list[str] = []
        self.values: list[list[int]] = []  # values[group][series]
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(180)

    def set_data(self, groups: list[str], series: list[str], values: list[list[int]]) -> None:
        self.groups, self.series, self.values = groups, series, values
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(480, 240)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802, ARG002 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        metrics = painter.fontMetrics()
        line = metrics.height()
        legend_top = 4
        x = 8
        for index, name in enumerate(self.series):
            painter.fillRect(QRectF(x, legend_top + 3, line - 6, line - 6), QColor(SERIES_COLOURS[index % 5]))
            painter.setPen(text)
            painter.drawText(int(x + line), legend_top + metrics.ascent(), name)
            x += line + metrics.horizontalAdvance(name) + 16
        # a line of headroom above the tallest bar keeps its value label clear of the legend
        plot = QRectF(8, legend_top + 2 * line + 8, self.width() - 16, self.height() - 3 * line - 20)
        peak = max((v for row in self.values for v in row), default=0)
        if not self.groups or peak <= 0 or plot.height() <= 0:
            painter.setPen(text)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("Nothing recorded on this day."))
            painter.end()
            return
        group_width = plot.width() / len(self.groups)
        bar_width = min(MAX_BAR_WIDTH, group_width * 0.8 / max(1, len(self.series)))
        for g, (label, row) in enumerate(zip(self.groups, self.values, strict=True)):
            left = plot.left() + g * group_width + (group_width - bar_width * len(row)) / 2
            for s, value in enumerate(row):
                height = plot.height() * value / peak
                bar = QRectF(left + s * bar_width, plot.bottom() - height, bar_width * 0.9, height)
                painter.fillRect(bar, QColor(SERIES_COLOURS[s % 5]))
                if value:
                    painter.setPen(text)
                    painter.drawText(QRectF(bar.left() - 10, bar.top() - line, bar.width() + 20, line),
                                     Qt.AlignmentFlag.AlignCenter, str(value))
            painter.setPen(text)
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(group_width))
            painter.drawText(QRectF(plot.left() + g * group_width, plot.bottom() + 4, group_width, line),
                             Qt.AlignmentFlag.AlignCenter, shown)
        painter.setPen(QColor("#888888"))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.end()
