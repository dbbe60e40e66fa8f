"""Where windows go: sized from the screen they are on and the font, dialogs centred on their parent.

Tills run anything from 1024x600 to 1920x1080, so nothing here uses fixed
pixels: a window's preferred size is counted in lines of its font, capped by
the screen's available geometry (the screen less panels and docks).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication, QScreen
from PySide6.QtWidgets import QDialog, QWidget

# the counter reads best at about 72 x 45 lines of its font (1296 x 810 with the 15 px base font)
WINDOW_LINES = QSize(72, 45)


def screen_of(widget: QWidget | None) -> QScreen:
    """The screen ``widget`` (or its window, or its parent's) is on; the primary screen otherwise."""
    while widget is not None:
        handle = widget.window().windowHandle()
        if handle is not None and handle.screen() is not None:
            return handle.screen()
        if widget.screen() is not None and widget.isVisible():
            return widget.screen()
        widget = widget.parentWidget()
    return QGuiApplication.primaryScreen()


def available_geometry(widget: QWidget | None) -> QRect:
    return screen_of(widget).availableGeometry()


def frame_margins(widget: QWidget) -> QSize:
    """What the window manager adds around the window (title bar, borders); a guess before it is shown."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    if widget.isVisible() and frame.size() != inner.size():
        return frame.size() - inner.size()
    line = QFontMetrics(widget.font()).height()
    return QSize(line // 2, line * 2)  # a title bar is a line or two high on every window manager


def preferred_window_size(widget: QWidget, lines: QSize = WINDOW_LINES) -> QSize:
    line = QFontMetrics(widget.font()).height()
    return QSize(lines.width() * line, lines.height() * line)


def fit_main_window(window: QWidget, lines: QSize = WINDOW_LINES) -> None:
    """Size a top-level window for its screen before it is shown.

    Where the preferred size fits, the window gets it, centred; where it does
    not (1366x768, 1024x600), the window is maximized so the window manager
    fits it exactly between its panels.
    """
    area = available_geometry(window)
    wanted = preferred_window_size(window, lines).expandedTo(window.minimumSizeHint())
    room = area.size() - frame_margins(window)
    if wanted.width() <= room.width() and wanted.height() <= room.height():
        window.resize(wanted)
        frame = QRect(QPoint(0, 0), wanted + frame_margins(window))
        frame.moveCenter(area.center())
        window.move(frame.topLeft())
    else:
        window.resize(wanted.boundedTo(room))
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def fit_on_screen(window: QWidget) -> None:
    """Keep a top-level window no larger than its screen's available area (less the frame)."""
    room = available_geometry(window).size() - frame_margins(window)
    window.setMaximumSize(room.expandedTo(QSize(1, 1)))


def centre_on(window: QWidget, anchor: QWidget | None) -> None:
    """Move ``window`` so it is centred on ``anchor``'s window, or on the screen without one; never off screen."""
    area = available_geometry(anchor if anchor is not None else window)
    frame = QRect(QPoint(0, 0), window.size() + frame_margins(window))
    if anchor is not None and anchor.window().isVisible():
        frame.moveCenter(anchor.window().frameGeometry().center())
    else:
        frame.moveCenter(area.center())
    frame.moveLeft(max(area.left(), min(frame.left(), area.right() + 1 - frame.width())))
    frame.moveTop(max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height())))
    window.move(frame.topLeft())


class _Centring(QObject):
    """Centres its dialog when it shows and whenever its size changes while shown (content loaded later)."""

    def __init__(self, dialog: QWidget) -> None:
        super().__init__(dialog)
        self._dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._dialog and event.type() in (QEvent.Type.Show, QEvent.Type.Resize):
            if event.type() == QEvent.Type.Show:
                fit_on_screen(self._dialog)
            if self._dialog.isVisible() and not self._dialog.isMaximized() and not self._dialog.isFullScreen():
                centre_on(self._dialog, self._dialog.parentWidget())
        return False


def centre_on_parent(dialog: QDialog | QWidget) -> QDialog | QWidget:
    """Make ``dialog`` open centred on its parent's window and no larger than the screen; returns it."""
    if dialog.findChild(_Centring, options=Qt.FindChildOption.FindDirectChildrenOnly) is None:
        dialog.installEventFilter(_Centring(dialog))
    return dialog
