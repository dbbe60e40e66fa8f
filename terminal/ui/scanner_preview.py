"""The camera preview for the counter window: live picture, code outline, camera state in words."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Slot
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from terminal.scanner.events import CameraState, CameraStatus, PreviewFrame
from terminal.scanner.worker import CameraScanner

_OUTLINE_COLOURS = {"card": QColor(40, 200, 90), "not_card": QColor(230, 120, 30), "reading": QColor(240, 200, 40)}


class ScannerPreview(QWidget):
    """Shows a ``CameraScanner``: ``attach(scanner)``, then it updates itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 160)
        self._scanner: CameraScanner | None = None
        self._frame: PreviewFrame | None = None
        self._image: QImage | None = None
        self._status = CameraStatus(CameraState.STOPPED, "The camera is off.")
        self.setAccessibleName(self.tr("Camera preview"))

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
        self.setAccessibleDescription(self.status_text())
        self.update()

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
        headline = self.status_text()
        detail = "" if self._status.state == CameraState.RUNNING else self._status.message
        font = QFont(self.font())
        font.setPointSizeF(max(11.0, self.height() / 28))
        font.setBold(True)
        painter.setFont(font)
        line = painter.fontMetrics().height()
        small = QFont(font)
        small.setBold(False)
        small.setPointSizeF(font.pointSizeF() * 0.8)
        band_h = line * (2.4 if not detail else 3.6)
        band = QRectF(0, self.height() - band_h, self.width(), band_h)
        painter.fillRect(band, QColor(0, 0, 0, 170))
        painter.setPen(QColor("white"))
        margin = line * 0.6
        text_rect = band.adjusted(margin, margin * 0.5, -margin, -margin * 0.5)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, headline)
        if detail:
            painter.setFont(small)
            detail_rect = text_rect.adjusted(0, line * 1.1, 0, 0)
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            painter.drawText(detail_rect, flags, detail)
