"""The card's customer page QR, shown big at the counter for the customer's phone to scan.

For a customer whose card has no second QR yet (printed before the till was
paired, or before this version) or who lost the card's paper: the same
address the printed card carries. The address is signed in the worker (the
chain key may sit in the OS keyring); a till not paired yet says so instead.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from terminal.domain.codes import format_code
from terminal.services.customer_page import customer_page_url
from terminal.services.owner_views import qr_modules
from terminal.ui.operations import OperationRunner

MODULE_PX = 6  # ~1.6 mm on a 96 dpi screen: a phone reads it from 20-40 cm


def qr_image(modules: tuple[tuple[bool, ...], ...], module_px: int = MODULE_PX) -> QImage:
    side = len(modules) * module_px
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(QRectF(x * module_px, y * module_px, module_px, module_px), QColor("black"))
    painter.end()
    return image


class CustomerPageDialog(QDialog):
    """Shows the QR of ``url`` (or, with None, why there is none) until closed."""

    def __init__(self, code: str, url: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerPageDialog")
        self.url = url
        self.setWindowTitle(self.tr("Customer page of %1").replace("%1", format_code(code)))
        layout = QVBoxLayout(self)
        self.message = QLabel()
        self.message.setObjectName("Message")
        self.message.setWordWrap(True)
        self.qr = QLabel()
        self.qr.setObjectName("CustomerPageQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if url is None:
            self.message.setText(self.tr("This till is not linked to a hub yet, so the card has no customer page. "
                                         "Connect it under Owner area (F9) > Hub and sync, then show the QR again."))
        else:
            self.message.setText(self.tr("Let the customer scan this with their phone's camera: it opens "
                                         "their card's page (balance, next reward, recent visits)."))
            self.image = qr_image(qr_modules(url, low_correction=True))
            self.qr.setPixmap(QPixmap.fromImage(self.image))
        layout.addWidget(self.message)
        layout.addWidget(self.qr, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        layout.addWidget(buttons)


def open_customer_page_qr(runner: OperationRunner, services, code: str,  # noqa: ANN001 - the Services facade
                          parent: QWidget, shown=None, failed=None) -> None:  # noqa: ANN001 - callbacks
    """Sign the address in the worker, then show the dialog (modal to ``parent``'s window);
    ``shown(dialog)`` once it is open, ``failed(error)`` when the key could not be read."""

    def show(url: str | None) -> None:
        dialog = CustomerPageDialog(code, url, parent.window())
        dialog.setModal(True)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        if shown is not None:
            shown(dialog)

    runner.run(lambda: customer_page_url(services.ctx, code), on_success=show, on_failure=failed, owner=parent)
