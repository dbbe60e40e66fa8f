"""Drawing a customer's card with QPainter: on screen, to a printer, or to a PDF.

One painting function serves all three, so what the owner previews is what
prints. The card is ID-1 size (85.6 x 54 mm, like a bank card, the CR80 of
card printers); the QR sits on the right with its quiet zone, the code in
readable groups under it, the store's logo (if the owner picked one) above
the store's name. Once the till is paired with a hub, a second, smaller QR in
the lower left opens the card's customer page on a phone
(terminal/services/customer_page.py). An A4 sheet holds 10 cards edge to edge with cut marks in
the margins, one mark on each cutting line.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QMessageBox, QWidget

from terminal.services.owner_views import CardLayout

CARD_MM = QSizeF(85.6, 54.0)
PDF_DPI = 600


def paint_card(painter: QPainter, rect: QRectF, card: CardLayout, logo: QImage | None = None) -> None:
    painter.save()
    painter.fillRect(rect, QColor("white"))
    unit = rect.height() / 54.0  # one millimetre of the card, in device units
    painter.setPen(QColor("#999999"))
    painter.drawRoundedRect(rect.adjusted(unit / 2, unit / 2, -unit / 2, -unit / 2), 3 * unit, 3 * unit)

    qr_side = rect.height() - 14 * unit
    qr_rect = QRectF(rect.right() - qr_side - 3 * unit, rect.top() + 3 * unit, qr_side, qr_side)
    _paint_qr(painter, qr_rect, card.modules)

    text_left = rect.left() + 5 * unit
    text_width = qr_rect.left() - text_left - 2 * unit
    painter.setPen(QColor("black"))
    # With the customer page's QR in the lower left, the lines above it sit closer together.
    rows = (6, 16, 25, 9, 7) if not card.page_modules else (4, 12, 18, 8, 6)
    top = rect.top()
    if logo is not None and not logo.isNull():
        logo_at, logo_height = (4, 11) if not card.page_modules else (3, 7)
        _paint_logo(painter, QRectF(text_left, top + logo_at * unit, text_width, logo_height * unit), logo)
        top += (logo_height - 1) * unit
    name_at, program_at, holder_at, name_height, line_height = rows
    _text(painter, QRectF(text_left, top + name_at * unit, text_width, name_height * unit), card.store_name,
          4.2 * unit, True)
    _text(painter, QRectF(text_left, top + program_at * unit, text_width, line_height * unit), card.program_name,
          3.2 * unit)
    if card.holder:
        _text(painter, QRectF(text_left, top + holder_at * unit, text_width, line_height * unit), card.holder,
              3.2 * unit)
    if card.page_modules:
        _paint_page_qr(painter, rect, unit, text_left, qr_rect.left() - 2 * unit, card.page_modules)
    code_rect = QRectF(qr_rect.left() - 6 * unit, qr_rect.bottom() + 1 * unit, qr_side + 9 * unit, 7 * unit)
    code_font = QFont("monospace")
    code_font.setStyleHint(QFont.StyleHint.Monospace)
    code_font.setPixelSize(max(1, round(3.6 * unit)))
    code_font.setBold(True)
    painter.setFont(code_font)
    painter.drawText(code_rect, Qt.AlignmentFlag.AlignCenter, card.code_text)
    painter.restore()


PAGE_QR_MM = 19  # the customer page's QR: its modules stay about 0.3 mm, which phone cameras read


def _paint_page_qr(painter: QPainter, rect: QRectF, unit: float, left: float, right: float,
                   modules: tuple[tuple[bool, ...], ...]) -> None:
    side = PAGE_QR_MM * unit
    box = QRectF(left - 1.5 * unit, rect.bottom() - side - 2 * unit, side, side)
    _paint_qr(painter, box, modules)
    painter.setPen(QColor("black"))
    caption_left = box.right() + 0.5 * unit
    caption = QRectF(caption_left, box.top() + side / 2 - 6 * unit, right - caption_left, 12 * unit)
    font = QFont()
    font.setPixelSize(max(1, round(2.6 * unit)))
    painter.setFont(font)
    text = QCoreApplication.translate("CardPrint", "Your card online: scan with your phone")
    painter.drawText(caption, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                     text)


def _paint_logo(painter: QPainter, box: QRectF, logo: QImage) -> None:
    scale = min(box.width() / logo.width(), box.height() / logo.height())
    size = QSizeF(logo.width() * scale, logo.height() * scale)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(QRectF(box.topLeft(), size), logo)


def _paint_qr(painter: QPainter, rect: QRectF, modules: tuple[tuple[bool, ...], ...]) -> None:
    count = len(modules)
    size = rect.width() / count
    painter.fillRect(rect, QColor("white"))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # crisp module edges
    black = QColor("black")
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                # Each module overlaps its neighbour by a hair so no seams show between them.
                painter.fillRect(QRectF(QPointF(rect.left() + x * size, rect.top() + y * size),
                                        QSizeF(size * 1.02, size * 1.02)), black)


def _text(painter: QPainter, rect: QRectF, text: str, pixel_size: float, bold: bool = False) -> None:
    font = QFont()
    font.setPixelSize(max(1, round(pixel_size)))
    font.setBold(bold)
    painter.setFont(font)
    shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)


def card_image(card: CardLayout, width_px: int = 856, logo: QImage | None = None) -> QImage:
    height = round(width_px * CARD_MM.height() / CARD_MM.width())
    image = QImage(width_px, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_card(painter, QRectF(0, 0, width_px, height), card, logo)
    painter.end()
    return image


def _page_layout() -> QPageLayout:
    return QPageLayout(QPageSize(CARD_MM, QPageSize.Unit.Millimeter, "ID-1"), QPageLayout.Orientation.Portrait,
                       QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def _paint_on(device: QPagedPaintDevice, card: CardLayout, logo: QImage | None = None) -> bool:
    painter = QPainter()
    if not painter.begin(device):
        return False
    try:
        paint_card(painter, QRectF(0, 0, device.width(), device.height()), card, logo)
    finally:
        painter.end()
    return True


def card_pdf(card: CardLayout, logo: QImage | None = None) -> bytes:
    """A one-page PDF of the card at its real size (made in memory; the caller writes the file)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(_page_layout())
    writer.setTitle(f"{card.store_name} {card.code_text}")
    writer.setCreator("Loyalty Terminal")
    _paint_on(writer, card, logo)
    del writer  # the PDF is finished when its writer goes
    return bytes(buffer.data().data())


def printer_available() -> bool:
    return bool(QPrinterInfo.availablePrinterNames())


class NoPrinterBox(QMessageBox):
    """No printer is set up: say so and offer the PDF instead. Qt's print dialog would otherwise offer only
    "print to file", into the home folder, without a word."""

    def __init__(self, parent: QWidget | None, save_pdf: Callable[[], None] | None) -> None:
        super().__init__(parent)
        self.setObjectName("noPrinter")
        self.setIcon(QMessageBox.Icon.Information)
        self.setWindowTitle(QCoreApplication.translate("CardPrint", "No printer"))
        self.setText(QCoreApplication.translate(
            "CardPrint", "No printer is set up on this computer. Save the card as a PDF and print it from any "
            "computer, or add a printer in the system's settings and try again."))
        self.pdf_button = None
        if save_pdf is not None:
            self.pdf_button = self.addButton(QCoreApplication.translate("CardPrint", "Save as PDF…"),
                                             QMessageBox.ButtonRole.AcceptRole)
            self.pdf_button.clicked.connect(save_pdf)
        self.addButton(QCoreApplication.translate("CardPrint", "Close"), QMessageBox.ButtonRole.RejectRole)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)


def print_card(card: CardLayout, parent: QWidget | None = None, logo: QImage | None = None,
               save_pdf: Callable[[], None] | None = None) -> bool:
    """Ask for a printer and print the card; False when the owner cancels or printing fails.

    With no printer set up it says so, offering ``save_pdf`` when given, and returns False.
    """
    printer = _chosen_printer(_page_layout(), parent, save_pdf)
    return printer is not None and _paint_on(printer, card, logo)


def _chosen_printer(layout: QPageLayout, parent: QWidget | None,
                    save_pdf: Callable[[], None] | None) -> QPrinter | None:
    """The printer the owner picks for ``layout``; None when cancelled, or when there is no printer
    (said in a box that offers ``save_pdf``)."""
    if not printer_available():
        NoPrinterBox(parent, save_pdf).open()
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(layout)
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None


# ---- A4 sheets --------------------------------------------------------------------------

A4_MM = QSizeF(210.0, 297.0)
SHEET_COLUMNS, SHEET_ROWS = 2, 5
CARDS_PER_SHEET = SHEET_COLUMNS * SHEET_ROWS
_MARK_GAP_MM, _MARK_LENGTH_MM = 2.0, 6.0  # a mark stops short of the cards, so no stub shows on a card


def sheet_slots() -> list[QRectF]:
    """Where each card of a sheet goes, in millimetres from the page's top left, row by row."""
    left = (A4_MM.width() - SHEET_COLUMNS * CARD_MM.width()) / 2
    top = (A4_MM.height() - SHEET_ROWS * CARD_MM.height()) / 2
    return [QRectF(left + c * CARD_MM.width(), top + r * CARD_MM.height(), CARD_MM.width(), CARD_MM.height())
            for r in range(SHEET_ROWS) for c in range(SHEET_COLUMNS)]


def _cut_marks(painter: QPainter, mm: float) -> None:
    slots = sheet_slots()
    left, top = slots[0].left(), slots[0].top()
    right, bottom = slots[-1].right(), slots[-1].bottom()
    xs = sorted({round(s.left(), 3) for s in slots} | {round(s.right(), 3) for s in slots})
    ys = sorted({round(s.top(), 3) for s in slots} | {round(s.bottom(), 3) for s in slots})
    pen = QPen(QColor("black"))
    pen.setWidthF(0.2 * mm)
    painter.setPen(pen)
    for x in xs:  # vertical cuts: marks in the top and bottom margins
        painter.drawLine(QPointF(x * mm, (top - _MARK_GAP_MM - _MARK_LENGTH_MM) * mm),
                         QPointF(x * mm, (top - _MARK_GAP_MM) * mm))
        painter.drawLine(QPointF(x * mm, (bottom + _MARK_GAP_MM) * mm),
                         QPointF(x * mm, (bottom + _MARK_GAP_MM + _MARK_LENGTH_MM) * mm))
    for y in ys:  # horizontal cuts: marks in the left and right margins
        painter.drawLine(QPointF((left - _MARK_GAP_MM - _MARK_LENGTH_MM) * mm, y * mm),
                         QPointF((left - _MARK_GAP_MM) * mm, y * mm))
        painter.drawLine(QPointF((right + _MARK_GAP_MM) * mm, y * mm),
                         QPointF((right + _MARK_GAP_MM + _MARK_LENGTH_MM) * mm, y * mm))


def _paint_sheets(device: QPagedPaintDevice, cards: list[CardLayout], logo: QImage | None) -> bool:
    painter = QPainter()
    if not painter.begin(device):
        return False
    try:
        mm = device.width() / A4_MM.width()
        for page in range(0, len(cards), CARDS_PER_SHEET):
            if page and not device.newPage():
                return False
            for card, slot in zip(cards[page:page + CARDS_PER_SHEET], sheet_slots(), strict=False):
                paint_card(painter, QRectF(slot.left() * mm, slot.top() * mm, slot.width() * mm,
                                           slot.height() * mm), card, logo)
            _cut_marks(painter, mm)
    finally:
        painter.end()
    return True


def _sheet_layout() -> QPageLayout:
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def sheet_pdf(cards: list[CardLayout], logo: QImage | None = None) -> bytes:
    """A4 pages of cards (10 a page) with cut marks, made in memory."""
    if not cards:
        raise ValueError("a sheet needs at least one card")
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(_sheet_layout())
    writer.setTitle(f"{cards[0].store_name}: {len(cards)} cards")
    writer.setCreator("Loyalty Terminal")
    _paint_sheets(writer, cards, logo)
    del writer
    return bytes(buffer.data().data())


def print_sheet(cards: list[CardLayout], parent: QWidget | None = None, logo: QImage | None = None,
                save_pdf: Callable[[], None] | None = None) -> bool:
    """Ask for a printer and print the cards on A4 sheets; False when cancelled or printing fails.

    With no printer set up it says so, offering ``save_pdf`` when given, and returns False.
    """
    printer = _chosen_printer(_sheet_layout(), parent, save_pdf)
    return printer is not None and _paint_sheets(printer, cards, logo)
