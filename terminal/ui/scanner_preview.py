"""The camera preview for the counter window: live picture, code outline, camera state in words."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from terminal.scanner.events import CameraState, CameraStatus, PreviewFrame

if TYPE_CHECKING:  # the camera (OpenCV, numpy) loads after the window's first paint
    from terminal.scanner.worker import CameraScanner

_OUTLINE_COLOURS = {"card": QColor(40, 200, 90), "not_card": QColor(230, 120, 30), "reading": QColor(240, 200, 40)}
# the status band may cover at most this share of the picture; longer text is elided
_MAX_BAND_SHARE = 0.6


class ScannerPreview(QWidget):
    """Shows a ``CameraScanner``: ``attach(scanner)``, then it updates itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 160)
        self._scanner: CameraScanner | None = None
        self._frame: PreviewFrame | None = None
        self._image: QImage | None = None
        self._status = CameraStatus(CameraState.STOPPED, "The camera is off.", code="stopped")
        self.setAccessibleName(self.tr("Camera preview"))
        # False when the last paint had to elide the status text (then it is in the tooltip)
        self.status_fits = True

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.setAccessibleName(self.tr("Camera preview"))
            self.setAccessibleDescription(self.full_text())
            self.update()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(640, 360)

    def attach(self, scanner: CameraScanner) -> None:
        self.detach()
        self._scanner = scanner
        scanner.preview_ready.connect(self._pull_preview)
        scanner.status_changed.connect(self.set_status)
        self.set_status(scanner.status)

    def detach(self) -> None:
        if self._scanner is not None:
            self._scanner.preview_ready.disconnect(self._pull_preview)
            self._scanner.status_changed.disconnect(self.set_status)
            self._scanner = None

    @Slot()
    def _pull_preview(self) -> None:
        if self._scanner is not None:
            preview = self._scanner.take_preview()
            if preview is not None:
                self.show_frame(preview)

    def show_frame(self, preview: PreviewFrame) -> None:
        import numpy as np  # loaded by then: frames come from the camera

        image = np.ascontiguousarray(preview.image)
        height, width = image.shape[:2]
        fmt = QImage.Format.Format_BGR888 if image.ndim == 3 else QImage.Format.Format_Grayscale8
        # the QImage borrows the array's memory; keeping the frame keeps the memory alive
        self._image = QImage(image.data, width, height, image.strides[0], fmt)
        self._frame = PreviewFrame(image, preview.outlines, preview.captured_at)
        self.update()

    @Slot(object)
    def set_status(self, status: CameraStatus) -> None:
        self._status = status
        if status.state != CameraState.RUNNING:
            self._frame = self._image = None  # a frozen picture would look like a working camera
        self.setAccessibleDescription(self.full_text())
        self.update()

    def full_text(self) -> str:
        """The headline and, when the camera is not running, the detail: everything the band says."""
        detail = self.detail_text()
        return self.status_text() + ("\n" + detail if detail else "")

    def status_text(self) -> str:
        """The state in words, as shown: e.g. "Camera running – searching for a card"."""
        state = self._status.state
        if state != CameraState.RUNNING:
            return self._headline(state)
        kinds = {o.kind for o in self._frame.outlines} if self._frame else set()
        if "card" in kinds:
            return self.tr("Camera running – card in view")
        if "not_card" in kinds:
            return self.tr("Camera running – that QR code is not a loyalty card")
        return self.tr("Camera running – searching for a card")

    def _headline(self, state: CameraState) -> str:
        return {
            CameraState.STARTING: self.tr("Starting camera"),
            CameraState.NO_CAMERA: self.tr("No camera"),
            CameraState.RETRYING: self.tr("Retrying camera"),
        }.get(state, self.tr("Camera off"))

    def detail_text(self) -> str:
        """The scanner's message in the window's language; empty while the camera runs."""
        status = self._status
        if status.state == CameraState.RUNNING:
            return ""
        source = self._source_name(status.param("source_kind"), status.param("source_name"))
        if status.state == CameraState.STARTING:
            return self.tr("Starting the %1…").replace("%1", source)
        if status.state == CameraState.RETRYING:
            return self.tr("Trying the %1 again…").replace("%1", source)
        if status.state == CameraState.STOPPED:
            return self.tr("The camera is off.")
        problem = self._problem(status, source)
        if problem is None:  # a code this window does not know: the scanner's own words
            return status.message
        try:
            seconds = max(1, math.ceil(float(status.param("seconds", "2"))))
        except ValueError:
            seconds = 2
        if seconds == 1:
            retry = self.tr("Trying again in 1 second; meanwhile, type the card code.")
        else:
            retry = self.tr("Trying again in %1 seconds; meanwhile, type the card code.").replace("%1", str(seconds))
        return problem + " " + retry

    def _source_name(self, kind: str, name: str) -> str:
        if kind == "demo":
            return self.tr("demo camera")
        if kind == "demo_fallback":
            return self.tr("demo camera (no webcam answered)")
        if kind == "video":
            return self.tr("video %1").replace("%1", name)
        return self.tr("camera %1").replace("%1", name).strip()

    def _problem(self, status: CameraStatus, source: str) -> str | None:
        texts = {
            "no_answer": self.tr("No camera answered at %1. Check that it is plugged in and that no other "
                                 "program is using it."),
            "no_picture": self.tr("The %1 is there but sends no picture. Close other programs that may be "
                                  "using it."),
            "not_open": self.tr("The %1 is not open."),
            "picture_stopped": self.tr("The picture from the %1 stopped. Check that its cable is plugged in."),
            "video_missing": self.tr("The video file %2 does not exist. Check the camera setting."),
            "video_unplayable": self.tr("The %1 cannot be played. Use an MP4 or AVI file."),
            "video_unreadable": self.tr("The %1 cannot be read any more."),
            "fault": self.tr("The %1 reported a fault (%3)."),
        }
        text = texts.get(status.code)
        if text is None:
            return None
        text = (text.replace("%1", source).replace("%2", status.param("path"))
                .replace("%3", status.param("fault", "?")))
        return text[:1].upper() + text[1:]  # "%1 is not open" may start with the camera's name

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802, ARG002 (Qt's name and signature)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), QColor(24, 24, 28))
        if self._image is not None and self._frame is not None:
            target = self._fit(self._image.width(), self._image.height())
            painter.drawImage(target, self._image)
            self._draw_outlines(painter, target)
        self._draw_status(painter)
        painter.end()

    def _fit(self, width: int, height: int) -> QRectF:
        scale = min(self.width() / width, self.height() / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _draw_outlines(self, painter: QPainter, target: QRectF) -> None:
        scale = target.width() / self._image.width()
        for outline in self._frame.outlines:
            polygon = QPolygonF(
                [QPointF(target.x() + x * scale, target.y() + y * scale) for x, y in outline.points]
            )
            pen = QPen(_OUTLINE_COLOURS.get(outline.kind, QColor("white")), max(3.0, self.width() / 200))
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(polygon)

    def _draw_status(self, painter: QPainter) -> None:
        headline, detail = self.status_text(), self.detail_text()
        font = QFont(self.font())
        font.setPointSizeF(max(11.0, min(self.height() / 28, self.width() / 40)))
        font.setBold(True)
        small = QFont(font)
        small.setBold(False)
        small.setPointSizeF(font.pointSizeF() * 0.8)
        line = QFontMetrics(font).height()
        margin = line * 0.6
        width = max(1, int(self.width() - 2 * margin))
        wrap = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        head_h = QFontMetrics(font).boundingRect(QRect(0, 0, width, 10_000), wrap, headline).height()
        detail_h = QFontMetrics(small).boundingRect(QRect(0, 0, width, 10_000), wrap, detail).height() if detail else 0
        gap = line * 0.3 if detail else 0
        room = self.height() * _MAX_BAND_SHARE - 2 * margin
        elided = head_h + gap + detail_h > room
        if elided:  # too small a widget for all of it: one line each, the rest in the tooltip
            headline = QFontMetrics(font).elidedText(headline, Qt.TextElideMode.ElideRight, width)
            detail = QFontMetrics(small).elidedText(detail, Qt.TextElideMode.ElideRight, width)
            head_h, detail_h = line, (QFontMetrics(small).height() if detail else 0)
            wrap = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        self.setToolTip(self.full_text() if elided else "")
        band_h = head_h + gap + detail_h + 2 * margin
        band = QRectF(0, self.height() - band_h, self.width(), band_h)
        painter.fillRect(band, QColor(0, 0, 0, 170))
        painter.setPen(QColor("white"))
        painter.setFont(font)
        painter.drawText(QRectF(margin, band.top() + margin, width, head_h), wrap, headline)
        if detail:
            painter.setFont(small)
            painter.drawText(QRectF(margin, band.top() + margin + head_h + gap, width, detail_h), wrap, detail)
        self.status_fits = not elided
