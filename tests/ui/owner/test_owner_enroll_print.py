"""Enrollment and card printing: the PDF is real, and its QR decodes to the new card."""

from __future__ import annotations

import numpy as np
import pypdfium2
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from terminal.domain.codes import payload_for
from terminal.domain.ledger import EntryKind
from terminal.scanner.decoders import make_decoder
from terminal.services.reports import HistoryFilter
from terminal.ui.owner.card_print import card_image


def _decode_pdf(path) -> list[str]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        assert len(pdf) == 1
        width_pt, height_pt = pdf[0].get_size()
        assert abs(width_pt / 72 * 25.4 - 85.6) < 0.5 and abs(height_pt / 72 * 25.4 - 54) < 0.5  # ID-1 card
        pixels = pdf[0].render(scale=300 / 72).to_numpy()
    finally:
        pdf.close()
    gray = pixels[..., :3].mean(axis=2).astype(np.uint8)
    return [d.text for d in make_decoder("zxing").decode(gray)]


def test_enroll_and_print_to_pdf(qtbot, area, services, tmp_path, monkeypatch, settle) -> None:
    page = area.show_page("enroll")
    settle()
    assert page.program.count() == 1
    assert not page.pdf_button.isEnabled()
    page.holder_field.setText("Dewi Lestari")
    qtbot.mouseClick(page.enroll_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "ok", page.feedback.text()
    code = page.card.code
    view = services.counter.card(code)
    assert view.holder == "Dewi Lestari"
    assert [e.kind for e in services.reports.history(HistoryFilter(card=code))] == [EntryKind.ENROLL]
    assert page.card.code_text in page.feedback.text() and page.card.store_name == "Test Café"

    target = tmp_path / "out" / "card"  # no .pdf: the page adds it
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF files (*.pdf)"))
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    settle()
    pdf = target.with_suffix(".pdf")
    assert page.feedback.state == "ok", page.feedback.text()
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert _decode_pdf(pdf) == [payload_for(code)]
    # the on-screen preview is painted by the same code
    image = card_image(page.card)
    image = image.convertToFormat(image.Format.Format_Grayscale8)
    gray = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    gray = gray[:, : image.width()]
    assert [d.text for d in make_decoder("zxing").decode(np.ascontiguousarray(gray))] == [payload_for(code)]


def test_reprint_and_bad_codes(qtbot, area, services, card, tmp_path, monkeypatch, settle) -> None:
    page = area.show_page("enroll")
    settle()
    page.reprint_field.setText("nonsense")
    qtbot.mouseClick(page.reprint_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "error" and page.card is None
    page.reprint_field.setText(card)
    qtbot.mouseClick(page.reprint_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.card.code == card and page.card.holder == "Ann"
    unwritable = tmp_path / "missing-folder" / "card.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(unwritable), ""))
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "error" and "Could not write" in page.feedback.text()
