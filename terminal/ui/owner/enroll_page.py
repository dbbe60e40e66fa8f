"""Enroll a customer and print their card (to a printer or a PDF file); reprint an existing card."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.owner_views import CardLayout, ProgramDetails
from terminal.ui.owner.card_print import card_image, card_pdf, print_card
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.file_places import remember, suggested_path
from terminal.ui.owner.widgets import FeedbackLabel

PREVIEW_WIDTH = 428


class EnrollPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.card: CardLayout | None = None
        self.program = QComboBox()
        self.holder_field = QLineEdit(placeholderText=self.tr("Customer's name (optional)"))
        self.enroll_button = QPushButton(self.tr("Enroll new card"))
        self.enroll_button.clicked.connect(self.enroll)
        self.reprint_field = QLineEdit(placeholderText=self.tr("Card code"))
        self.reprint_button = QPushButton(self.tr("Show card"))
        self.reprint_button.clicked.connect(self.show_existing)
        self.preview = QLabel(self.tr("The new card appears here."))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(round(PREVIEW_WIDTH * 54 / 85.6))
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.clicked.connect(self.print_to_printer)
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        self.pdf_button.clicked.connect(self.save_pdf)
        self.feedback = FeedbackLabel()

        form = QFormLayout()
        form.addRow(self.tr("Program"), self.program)
        form.addRow(self.tr("Holder"), self.holder_field)
        form.addRow(self.enroll_button)
        reprint = QHBoxLayout()
        reprint.addWidget(QLabel(self.tr("Reprint a card:")))
        reprint.addWidget(self.reprint_field, 1)
        reprint.addWidget(self.reprint_button)
        outputs = QHBoxLayout()
        outputs.addWidget(self.print_button)
        outputs.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(reprint)
        layout.addWidget(self.preview, 1)
        layout.addLayout(outputs)
        layout.addWidget(self.feedback)
        self._set_card(None)

    def refresh(self) -> None:
        self.ctx.run(self.ctx.services.owner_views.programs, self._show_programs, self.feedback.show_error, self)

    def _show_programs(self, programs: list[ProgramDetails]) -> None:
        current = self.program.currentData()
        self.program.clear()
        for details in programs:
            self.program.addItem(details.program.name, details.program.program_id)
        if current is not None and (index := self.program.findData(current)) >= 0:
            self.program.setCurrentIndex(index)

    def enroll(self) -> None:
        program_id = self.program.currentData()
        if program_id is None:
            self.feedback.show_error(self.tr("There is no program to enroll into yet. Set one up first."))
            return
        holder = self.holder_field.text().strip() or None
        services = self.ctx.services

        def enroll_and_lay_out(grant) -> CardLayout:  # noqa: ANN001
            return services.owner_views.card_layout(services.enrollment.enroll(grant, program_id, holder).code)

        self.feedback.clear_message()
        self.ctx.run_granted(enroll_and_lay_out, self._enrolled, self.feedback.show_error, self)

    def _enrolled(self, card: CardLayout) -> None:
        self._set_card(card)
        self.holder_field.clear()
        self.feedback.show_ok(self.tr("Card %1 is enrolled. Print it or save it as PDF.").replace("%1", card.code_text))

    def show_existing(self) -> None:
        code = self.reprint_field.text().strip()
        if not code:
            self.feedback.show_error(self.tr("Type or scan the card code."))
            return
        self.ctx.run(lambda: self.ctx.services.owner_views.card_layout(code), self._set_card,
                     self.feedback.show_error, self)

    def _set_card(self, card: CardLayout | None) -> None:
        self.card = card
        self.print_button.setEnabled(card is not None)
        self.pdf_button.setEnabled(card is not None)
        if card is not None:
            self.preview.setPixmap(QPixmap.fromImage(card_image(card, PREVIEW_WIDTH)))

    def print_to_printer(self) -> None:
        if self.card is not None and print_card(self.card, self, save_pdf=self.save_pdf):
            self.feedback.show_ok(self.tr("Sent to the printer."))

    def save_pdf(self) -> None:
        if self.card is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save card as PDF"), suggested_path(
            f"card-{self.card.code}.pdf"), self.tr("PDF files (*.pdf)"))
        if not path:
            return
        remember(path)
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        pdf = card_pdf(self.card)
        self.ctx.run(lambda: _write_file(Path(path), pdf),
                     lambda _: self.feedback.show_ok(self.tr("Saved %1.").replace("%1", path)),
                     lambda _: self.feedback.show_error(
                         self.tr("Could not write %1. Pick a folder you can write to.").replace("%1", path)), self)


def _write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:  # the page shows its own message; the runner would log a traceback otherwise
        raise LoyaltyError(ErrorCode.INVALID_INPUT, str(exc)) from None
