"""A page's message lines, each beside the buttons whose results it shows.

An owner page with several groups of buttons has one ``FeedbackLabel`` per group, so every
action answers next to the button that caused it. When one line speaks the others fall
silent (one message on the page at a time, never a stale one far away), and the line is
scrolled into view inside the owner area's scrolling page. ``latest`` is the line that spoke
last: the page's ``feedback``, for whoever reads "the page's message".
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QScrollArea, QWidget

from terminal.ui.owner.widgets import FeedbackLabel


class FeedbackSpots(QObject):
    def __init__(self, owner: QWidget, *labels: FeedbackLabel) -> None:
        super().__init__(owner)
        self.labels = labels
        self.latest = labels[0]
        for label in labels:
            label.shown.connect(lambda label=label: self._spoke(label))

    def _spoke(self, label: FeedbackLabel) -> None:
        self.latest = label
        for other in self.labels:
            if other is not label and other.text():
                other.clear_message()
        scroller = label.parentWidget()
        while scroller is not None and not isinstance(scroller, QScrollArea):
            scroller = scroller.parentWidget()
        if scroller is not None:
            scroller.ensureWidgetVisible(label)

    def clear(self) -> None:
        for label in self.labels:
            label.clear_message()
