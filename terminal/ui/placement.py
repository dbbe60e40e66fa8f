"""Where windows go: sized from the screen they are on and the font, dialogs centred on their parent.

Tills run anything from 1024x600 to 1920x1080, so nothing here uses fixed
pixels: a window's preferred size is counted in lines of its font, capped by
the screen's available geometry (the screen less panels and docks).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QGuiApplication, QScreen
from PySide6.QtWidgets import QDialog, QWidget

# the counter reads best at about 64 x 40 lines of its font (about 1150 x 720 with the 15 px base font)
WINDOW_LINES = QSize(64, 40)
ROOMY = 1.3  # a screen this much larger than the preferred size gets a window; a smaller one, all of it


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


def frame_geometry(widget: QWidget) -> QRect:
    """The window's rectangle with the window manager's frame, asked of the window system itself
    (QWidget's own figure lags: on X11 it reads 1x1 until the frame's size has been sent)."""
    window = widget.window()
    handle = window.windowHandle()
    if handle is not None and window.isVisible():
        return handle.frameGeometry()
    return window.frameGeometry()


def is_framed(widget: QWidget) -> bool:
    """Whether the window manager has put its frame around ``widget`` (a 1x1 frame means: not yet)."""
    frame, inner = frame_geometry(widget), widget.geometry()
    return (widget.isVisible() and frame.size() != inner.size() and frame.width() >= inner.width()
            and frame.height() >= inner.height())


def frame_margins(widget: QWidget) -> QSize:
    """What the window manager adds around the window (title bar, borders); a guess before it is shown."""
    if is_framed(widget):
        return frame_geometry(widget).size() - widget.geometry().size()
    line = QFontMetrics(widget.font()).height()
    return QSize(line // 2, line * 2)  # a title bar is a line or two high on every window manager


def preferred_window_size(widget: QWidget, lines: QSize = WINDOW_LINES) -> QSize:
    widget.ensurePolished()  # the style sheet's font (scaled to the screen), not the platform default
    line = QFontMetrics(widget.font()).height()
    return QSize(lines.width() * line, lines.height() * line)


def fit_main_window(window: QWidget, lines: QSize = WINDOW_LINES) -> None:
    """Size a top-level window for its screen before it is shown, and keep it on the screen after.

    On a screen well larger than the preferred size (1920x1080) the window
    gets that size, centred; on smaller ones (1366x768, 1280x800, 1024x600)
    it is maximized, so the window manager fits it exactly between its
    panels and the counter gets every pixel.
    """
    area = available_geometry(window)
    wanted = preferred_window_size(window, lines).expandedTo(window.minimumSizeHint())
    room = area.size() - frame_margins(window)
    roomy = wanted.width() * ROOMY <= room.width() and wanted.height() * ROOMY <= room.height()
    if roomy:
        window.resize(wanted)
        frame = QRect(QPoint(0, 0), wanted + frame_margins(window))
        frame.moveCenter(area.center())
        window.move(frame.topLeft())
    else:
        window.resize(wanted.boundedTo(room))
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    _install(window, dialog=False)


def fit_on_screen(window: QWidget) -> None:
    """Keep a top-level window no larger than its screen's available area (less the frame)."""
    room = available_geometry(window).size() - frame_margins(window)
    window.setMaximumSize(room.expandedTo(window.minimumSize()).expandedTo(QSize(1, 1)))


def centre_on(window: QWidget, anchor: QWidget | None) -> None:
    """Move ``window`` so it is centred on ``anchor``'s window, or on the screen without one; never off screen."""
    area = available_geometry(anchor if anchor is not None else window)
    # The frame's rectangle is worked out, then the window's inside is placed within it: a move of the
    # inside means the same before and after the window manager has framed the window (a move of the
    # frame does not: before the frame exists it moves the inside, and the frame then grows around it).
    if is_framed(window):
        margins = frame_margins(window)
        inside = window.geometry().topLeft() - frame_geometry(window).topLeft()
    elif anchor is not None and anchor.window().isVisible() and is_framed(anchor.window()):
        parent = anchor.window()  # framed as its parent was framed, most likely
        margins = frame_margins(parent)
        inside = parent.geometry().topLeft() - frame_geometry(parent).topLeft()
    else:
        margins = frame_margins(window)
        inside = QPoint(margins.width() // 2, margins.height() - margins.width() // 2)
    frame = QRect(QPoint(0, 0), window.size() + margins)
    if anchor is not None and anchor.window().isVisible():
        frame.moveCenter(frame_geometry(anchor).center())
    else:
        frame.moveCenter(area.center())
    frame.moveLeft(max(area.left(), min(frame.left(), area.right() + 1 - frame.width())))
    frame.moveTop(max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height())))
    handle = window.windowHandle()
    if handle is not None:
        # the inside's position, whatever the frame's state; and the widget's size, not the native window's:
        # while the Show event runs that is still the size it was created with (100x30), and a resize to it
        # left the window manager fitting the dialog to its minimum size, squashing what wanted more room
        handle.setGeometry(QRect(frame.topLeft() + inside, window.size()))
    else:
        window.move(frame.topLeft() + inside)  # not created yet: the inside goes there


class _Placer(QObject):
    """Places its window when it shows and again while the window manager settles it.

    A window manager frames a window after it is mapped, and some place it by
    their own rules too; so for a short while after showing, every move is
    answered by placing the window again. After that a move is the user's.
    A dialog is centred on its parent's window, and again when its size
    changes (content loaded later); a main window is centred on the screen
    and, when it grows (a longer language), pushed back inside it.
    """

    SETTLE_SECONDS = 0.6

    # The state lives in Qt properties, not Python fields: a dialog Qt made itself (QFileDialog's
    # static functions) has a Python wrapper only while Python holds it, and with it goes the wrapper
    # of its placer; the next event then reaches a fresh wrapper with no fields, but the same properties.
    def __init__(self, window: QWidget, dialog: bool) -> None:
        super().__init__(window)
        self.setProperty("dialog", dialog)
        self.setProperty("shown_at", -1.0)

    def _window(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def _dialog(self) -> bool:
        return bool(self.property("dialog"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        window = self._window()
        if window is None or watched is not window:
            return False
        if kind == QEvent.Type.Show:
            self.setProperty("shown_at", time.monotonic())
            if self._dialog():
                fit_on_screen(window)
            self._place()
            # a window manager that settles the window without a move Qt reports: look again
            for fraction in (0.3, 1.0):
                QTimer.singleShot(round(self.SETTLE_SECONDS * 1000 * fraction), self, self._place)
        elif kind == QEvent.Type.Hide:
            self.setProperty("shown_at", -1.0)
        elif kind == QEvent.Type.Move and self._settling():
            self._place()
        elif kind == QEvent.Type.Resize and window.isVisible():
            if self._dialog() or self._settling():
                self._place()
            else:
                keep_inside(window)
        return False

    def _settling(self) -> bool:
        shown_at = float(self.property("shown_at") or -1.0)
        return shown_at >= 0 and time.monotonic() - shown_at < self.SETTLE_SECONDS

    def _place(self) -> None:
        window = self._window()
        if window is not None and window.isVisible() and not window.isMaximized() and not window.isFullScreen():
            centre_on(window, window.parentWidget() if self._dialog() else None)


def keep_inside(window: QWidget) -> None:
    """Move a framed window back inside its screen's available area where it sticks out."""
    if not is_framed(window) or window.isMaximized() or window.isFullScreen():
        return
    area = available_geometry(window)
    frame = frame_geometry(window)
    if not area.contains(frame):
        frame.moveLeft(max(area.left(), min(frame.left(), area.right() + 1 - frame.width())))
        frame.moveTop(max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height())))
        window.move(frame.topLeft())


def _install(window: QWidget, dialog: bool) -> None:
    if window.findChild(_Placer, options=Qt.FindChildOption.FindDirectChildrenOnly) is None:
        window.installEventFilter(_Placer(window, dialog))


def centre_on_parent(dialog: QDialog | QWidget) -> QDialog | QWidget:
    """Make ``dialog`` open centred on its parent's window and no larger than the screen; returns it."""
    _install(dialog, dialog=True)
    return dialog
