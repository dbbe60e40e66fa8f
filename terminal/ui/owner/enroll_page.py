"""Enroll a customer and print their card (to a printer or a PDF file); reprint an existing card.

A pre-printed card is enrolled by scanning or typing its code (its check
character is verified). Cards enrolled or shown here gather on an A4 sheet
(10 a page, cut marks) for an office printer; blank cards can be enrolled
for a sheet in one go. The owner may pick a logo that every card shows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.owner_views import CardLayout, ProgramDetails
from terminal.services.private_files import open_private_binary
from terminal.ui.customer_refusals import describe_customer
from terminal.ui.owner.card_logo import load_logo, remove_logo, save_logo
from terminal.ui.owner.card_print import card_image, card_pdf, print_card, print_sheet, sheet_pdf
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.feedback_spots import FeedbackSpots
from terminal.ui.owner.file_places import remember, suggested_path
from terminal.ui.owner.widgets import FeedbackLabel

PREVIEW_WIDTH = 428
MAX_BLANK_CARDS = 100


class EnrollPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.card: CardLayout | None = None
        self.program = QComboBox()
        self.holder_field = QLineEdit(placeholderText=self.tr("Customer's name (optional)"))
        self.code_field = QLineEdit(placeholderText=self.tr("Pre-printed card: scan or type its code (optional)"))
        self.code_field.setToolTip(self.code_field.placeholderText())
        self.code_field.returnPressed.connect(self.enroll)
        self.logo: QImage | None = None
        self.sheet: list[CardLayout] = []
        self.blank_count = QSpinBox(minimum=1, maximum=MAX_BLANK_CARDS, value=10)
        self.blank_button = QPushButton(self.tr("Enroll blank cards for the sheet"))
        self.blank_button.clicked.connect(self.enroll_blank_cards)
        self.sheet_label = QLabel()
        self.sheet_print_button = QPushButton(self.tr("Print sheet…"))
        self.sheet_print_button.clicked.connect(self.print_sheet_to_printer)
        self.sheet_pdf_button = QPushButton(self.tr("Save sheet as PDF…"))
        self.sheet_pdf_button.clicked.connect(self.save_sheet_pdf)
        self.sheet_clear_button = QPushButton(self.tr("Empty the sheet"))
        self.sheet_clear_button.clicked.connect(self.clear_sheet)
        self.logo_label = QLabel()
        self.logo_button = QPushButton(self.tr("Choose logo…"))
        self.logo_button.clicked.connect(self.choose_logo)
        self.logo_remove_button = QPushButton(self.tr("Remove logo"))
        self.logo_remove_button.clicked.connect(self.drop_logo)
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
        # Each group of buttons answers on its own line: the card's (enroll, show), the outputs'
        # (print, PDF, logo) and the sheet's; the page's ``feedback`` is the one that spoke last.
        self.card_feedback = FeedbackLabel()
        self.output_feedback = FeedbackLabel()
        self.sheet_feedback = FeedbackLabel()
        self.spots = FeedbackSpots(self, self.output_feedback, self.card_feedback, self.sheet_feedback)

        form = QFormLayout()
        form.addRow(self.tr("Program"), self.program)
        form.addRow(self.tr("Holder"), self.holder_field)
        form.addRow(self.tr("Card code"), self.code_field)
        enroll_row = QHBoxLayout()
        enroll_row.addWidget(self.enroll_button)
        enroll_row.addWidget(self.card_feedback, 1)
        form.addRow(enroll_row)
        reprint = QHBoxLayout()
        reprint.addWidget(QLabel(self.tr("Reprint a card:")))
        reprint.addWidget(self.reprint_field, 1)
        reprint.addWidget(self.reprint_button)
        outputs = QHBoxLayout()
        outputs.addWidget(self.print_button)
        outputs.addWidget(self.pdf_button)
        outputs.addStretch(1)
        outputs.addWidget(self.logo_label)
        outputs.addWidget(self.logo_button)
        outputs.addWidget(self.logo_remove_button)
        blank = QHBoxLayout()
        blank.addWidget(self.blank_count)
        blank.addWidget(self.blank_button)
        blank.addStretch(1)
        sheet = QHBoxLayout()
        sheet.addWidget(self.sheet_label, 1)
        sheet.addWidget(self.sheet_print_button)
        sheet.addWidget(self.sheet_pdf_button)
        sheet.addWidget(self.sheet_clear_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(reprint)
        layout.addWidget(self.preview, 1)
        layout.addLayout(outputs)
        layout.addWidget(self.output_feedback)
        layout.addLayout(blank)
        layout.addLayout(sheet)
        layout.addWidget(self.sheet_feedback)
        self._set_card(None)
        self._show_sheet()
        self._show_logo(None)

    @property
    def feedback(self) -> FeedbackLabel:
        return self.spots.latest

    def refresh(self) -> None:
        self.ctx.run(self.ctx.services.owner_views.programs, self._show_programs, self.card_feedback.show_error, self)
        data_dir = self.data_dir
        self.ctx.run(lambda: load_logo(data_dir), self._show_logo, self.output_feedback.show_error, self)

    @property
    def data_dir(self) -> Path:
        return self.ctx.services.ctx.db.path.parent

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
            self.card_feedback.show_error(self.tr("There is no program to enroll into yet. Set one up first."))
            return
        holder = self.holder_field.text().strip() or None
        code = self.code_field.text().strip() or None
        services = self.ctx.services

        def enroll_and_lay_out(grant) -> CardLayout:  # noqa: ANN001
            enrolled = services.enrollment.enroll(grant, program_id, holder, code=code)
            return services.owner_views.card_layout(enrolled.code)

        self.card_feedback.clear_message()
        self.ctx.run_granted(enroll_and_lay_out, self._enrolled, self.card_feedback.show_error, self)

    def _enrolled(self, card: CardLayout) -> None:
        self._set_card(card)
        self.holder_field.clear()
        self.code_field.clear()
        self.card_feedback.show_ok(self.tr("Card %1 is enrolled. Print it or save it as PDF.")
                                   .replace("%1", card.code_text))

    def show_existing(self) -> None:
        code = self.reprint_field.text().strip()
        if not code:
            self.card_feedback.show_error(self.tr("Type or scan the card code."))
            return
        self.ctx.run(lambda: self.ctx.services.owner_views.card_layout(code), self._set_card,
                     self.card_feedback.show_error, self)

    def _set_card(self, card: CardLayout | None) -> None:
        self.card = card
        self.print_button.setEnabled(card is not None)
        self.pdf_button.setEnabled(card is not None)
        if card is not None:
            self.preview.setPixmap(QPixmap.fromImage(card_image(card, PREVIEW_WIDTH, self.logo)))
            self._add_to_sheet([card])

    def print_to_printer(self) -> None:
        if self.card is not None and print_card(self.card, self, self.logo, save_pdf=self.save_pdf):
            self.output_feedback.show_ok(self.tr("Sent to the printer."))

    # -- the A4 sheet -----------------------------------------------------------------
    def _add_to_sheet(self, cards: list[CardLayout]) -> None:
        on_sheet = {c.code for c in self.sheet}
        self.sheet.extend(c for c in cards if c.code not in on_sheet)
        self._show_sheet()

    def _show_sheet(self) -> None:
        count = len(self.sheet)
        pages = (count + 9) // 10
        self.sheet_label.setText(self.tr("On the A4 sheet: %1 cards (%2 pages)").replace("%1", str(count))
                                 .replace("%2", str(pages)))
        for button in (self.sheet_print_button, self.sheet_pdf_button, self.sheet_clear_button):
            button.setEnabled(count > 0)

    def clear_sheet(self) -> None:
        self.sheet = []
        self._show_sheet()

    def enroll_blank_cards(self) -> None:
        program_id = self.program.currentData()
        if program_id is None:
            self.sheet_feedback.show_error(self.tr("There is no program to enroll into yet. Set one up first."))
            return
        count = self.blank_count.value()
        services = self.ctx.services

        def enroll_all(grant) -> list[CardLayout]:  # noqa: ANN001
            codes = [services.enrollment.enroll(grant, program_id, None).code for _ in range(count)]
            return [services.owner_views.card_layout(code) for code in codes]

        def enrolled(cards: list[CardLayout]) -> None:
            self._add_to_sheet(cards)
            self.sheet_feedback.show_ok(self.tr("%1 blank cards are enrolled and on the sheet.")
                                  .replace("%1", str(len(cards))))

        self.sheet_feedback.clear_message()
        self.ctx.run_granted(enroll_all, enrolled, self.sheet_feedback.show_error, self)

    def print_sheet_to_printer(self) -> None:
        if self.sheet and print_sheet(self.sheet, self, self.logo, save_pdf=self.save_sheet_pdf):
            self.sheet_feedback.show_ok(self.tr("Sent to the printer."))

    def save_sheet_pdf(self) -> None:
        if not self.sheet:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save sheet as PDF"),
                                              suggested_path(f"cards-{len(self.sheet)}.pdf"),
                                              self.tr("PDF files (*.pdf)"))
        if path:
            remember(path)
            cards, logo = list(self.sheet), self.logo
            # up to 10 pages at 600 dpi: in the worker
            self._save(path, lambda: sheet_pdf(cards, logo), self.sheet_feedback)

    # -- the logo -------------------------------------------------------------------------
    def _show_logo(self, logo: QImage | None) -> None:
        self.logo = logo
        self.logo_label.setText(self.tr("Logo: yes") if logo is not None else self.tr("Logo: none"))
        self.logo_remove_button.setEnabled(logo is not None)
        if self.card is not None:
            self.preview.setPixmap(QPixmap.fromImage(card_image(self.card, PREVIEW_WIDTH, logo)))

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the logo for the cards"), "",
                                              self.tr("Images (*.png *.jpg *.jpeg)"))
        if not path:
            return
        data_dir = self.data_dir

        def stored(logo: QImage) -> None:
            self._show_logo(logo)
            self.output_feedback.show_ok(self.tr("The logo is saved; every card printed from now on shows it."))

        self.ctx.run(lambda: save_logo(data_dir, Path(path)), stored,
                     lambda error: self.output_feedback.show_error(describe_customer(error)), self)

    def drop_logo(self) -> None:
        data_dir = self.data_dir
        def removed(_: object) -> None:
            self._show_logo(None)
            self.output_feedback.show_ok(self.tr("The logo is removed."))

        self.ctx.run(lambda: remove_logo(data_dir), removed, self.output_feedback.show_error, self)

    def save_pdf(self) -> None:
        if self.card is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save card as PDF"), suggested_path(
            f"card-{self.card.code}.pdf"), self.tr("PDF files (*.pdf)"))
        if not path:
            return
        remember(path)
        card, logo = self.card, self.logo
        self._save(path, lambda: card_pdf(card, logo), self.output_feedback)

    def _save(self, path: str, make_pdf: Callable[[], bytes], feedback: FeedbackLabel) -> None:
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.ctx.run(lambda: _write_file(Path(path), make_pdf()),
                     lambda _: feedback.show_ok(self.tr("Saved %1.").replace("%1", path)),
                     lambda _: feedback.show_error(
                         self.tr("Could not write %1. Pick a folder you can write to.").replace("%1", path)), self)


def _write_file(path: Path, data: bytes) -> None:
    try:
        with open_private_binary(path) as fh:  # cards carry holders' names: readable by the owner only
            fh.write(data)
    except OSError as exc:  # the page shows its own message; the runner would log a traceback otherwise
        raise LoyaltyError(ErrorCode.INVALID_INPUT, str(exc)) from None
