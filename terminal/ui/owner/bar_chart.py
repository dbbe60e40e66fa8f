"""The report's charts, drawn with pyqtgraph: grouped bars (this period and the one before) and a trend.

pyqtgraph (and the numpy it needs) loads with this module, which the report
page imports only when it first shows a report, so the counter's cold start
never pays for it (tests/test_startup_imports.py). Why pyqtgraph and not Qt
Charts: README, "Charts".
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedLayout, QWidget

SERIES_COLOURS = ("#1565c0", "#9e9e9e", "#2e7d32", "#ef6c00", "#c62828", "#6a1b9a")


class _Chart(QWidget):
    """A pyqtgraph plot with a legend, or a sentence when there is nothing to draw."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[str] = []  # legend texts, as shown
        self.plot = pg.PlotWidget(background=self.palette().base().color())
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.25)
        self.legend = self.plot.addLegend(offset=(8, 4), colCount=2)
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.plot)
        self.stack.addWidget(self.empty)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(200)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(480, 260)

    def _clear(self) -> None:
        self.plot.clear()
        self.legend.clear()
        self.series = []

    def _show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)

    def _ticks(self, labels: list[str], every: int = 1) -> None:
        axis = self.plot.getAxis("bottom")
        axis.setTicks([[(i, label) for i, label in enumerate(labels) if i % every == 0]])
        axis.setTextPen(self.palette().windowText().color())
        self.plot.getAxis("left").setTextPen(self.palette().windowText().color())


class BarChart(_Chart):
    """Groups of bars (one bar per series in each group) on a shared scale."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[str] = []
        self.values: list[list[int]] = []  # values[group][series]

    def set_data(self, groups: list[str], series: list[str], values: list[list[int]], empty_text: str = "") -> None:
        self._clear()
        self.groups, self.values = groups, values
        if not groups or not any(v for row in values for v in row):
            self._show_empty(empty_text)
            return
        count = max(1, len(series))
        width = 0.8 / count
        for s, name in enumerate(series):
            xs = [g - 0.4 + width * (s + 0.5) for g in range(len(groups))]
            bars = pg.BarGraphItem(x=xs, height=[row[s] for row in values], width=width * 0.9,
                                   brush=QColor(SERIES_COLOURS[s % len(SERIES_COLOURS)]), pen=None, name=name)
            self.plot.addItem(bars)
            self.series.append(name)
        self._ticks(groups)
        self.plot.setXRange(-0.6, len(groups) - 0.4, padding=0)
        peak = max(v for row in values for v in row)
        self.plot.setYRange(0, peak * 1.35, padding=0)  # headroom: the legend sits above the bars
        self.stack.setCurrentWidget(self.plot)


class TrendChart(_Chart):
    """Lines over the days of a period, each series beside its value in the period before (dashed)."""

    def set_data(self, labels: list[str], lines: list[tuple[str, list[int]]], empty_text: str = "") -> None:
        self._clear()
        if not labels or not any(v for _name, values in lines for v in values):
            self._show_empty(empty_text)
            return
        for s, (name, values) in enumerate(lines):
            colour = QColor(SERIES_COLOURS[(s // 2 * 2 + 2) % len(SERIES_COLOURS)])
            dashed = s % 2 == 1  # every second line is the previous period of the line before
            pen = pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
            self.plot.plot(list(range(len(values))), values, pen=pen, name=name)
            self.series.append(name)
        self._ticks(labels, every=max(1, -(-len(labels) // 10)))
        peak = max(v for _name, values in lines for v in values)
        self.plot.setXRange(0, max(1, len(labels) - 1))
        self.plot.setYRange(0, peak * 1.45, padding=0)  # headroom for the legend
        self.stack.setCurrentWidget(self.plot)
