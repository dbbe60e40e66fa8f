"""Pre-printed cards, A4 sheets with cut marks, and the card logo: real PDFs, real decoders."""

from __future__ import annotations

import numpy as np
import pypdfium2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog

from terminal.domain.codes import format_code, new_code, payload_for
from terminal.domain.errors import LoyaltyError
from terminal.scanner.decoders import make_decoder
from terminal.ui.owner.card_logo import MAX_FILE_BYTES, load_logo, logo_path, save_logo
from terminal.ui.owner.card_print import A4_MM, card_pdf, sheet_pdf, sheet_slots


def _pages(data: bytes, dpi: int = 200) -> list[np.ndarray]:
    pdf = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for page in pdf:
            width_pt, height_pt = page.get_size()
            assert abs(width_pt / 72 * 25.4 - A4_MM.width()) < 0.5 and abs(height_pt / 72 * 25.4 - A4_MM.height()) < 0.5
            pages.append(page.render(scale=dpi / 72).to_numpy()[..., :3].mean(axis=2).astype(np.uint8))
            page.close()
        return pages
    finally:
        pdf.close()


def _decode_slots(gray: np.ndarray, dpi: int) -> list[str]:
    """Decode each card slot on its own: one QR a card, in sheet order."""
    found = []
    px = dpi / 25.4
    for slot in sheet_slots():
        crop = gray[round(slot.top() * px):round(slot.bottom() * px), round(slot.left() * px):round(slot.right() * px)]
        texts = [d.text for d in make_decoder("zxing").decode(np.ascontiguousarray(crop))]
        found.append(texts[0] if texts else None)
    return found


def _logo_file(path, size=(240, 120), colour="#c0392b"):
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path


def test_a_pre_printed_card_is_enrolled_by_its_code_and_a_mistyped_one_is_refused(qtbot, area, services, settle):
    page = area.show_page("enroll")
    settle()
    printed = new_code()
    wrong = printed[:-1] + ("0" if printed[-1] != "0" else "1")  # the check character no longer fits
    page.code_field.setText(format_code(wrong))
    qtbot.mouseClick(page.enroll_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "error" and page.card is None
    page.code_field.setText(format_code(printed).lower())
    page.holder_field.setText("Rina")
    qtbot.keyClick(page.code_field, Qt.Key.Key_Return)  # the scanner's Enter enrolls
    settle()
    assert page.feedback.state == "ok", page.feedback.text()
    assert page.card.code == printed and services.counter.card(printed).holder == "Rina"
    page.code_field.setText(printed)
    qtbot.mouseClick(page.enroll_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "error" and "already enrolled" in page.feedback.text()


def test_blank_cards_for_an_a4_sheet_with_cut_marks_decode_in_place(qtbot, area, services, settle, tmp_path,
                                                                    monkeypatch):
    page = area.show_page("enroll")
    settle()
    page.blank_count.setValue(12)
    qtbot.mouseClick(page.blank_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "ok", page.feedback.text()
    assert len(page.sheet) == 12 and "12" in page.sheet_label.text()
    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.sheet_pdf_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "ok", page.feedback.text()
    first, second = _pages(target.read_bytes())
    codes = [c.code for c in page.sheet]
    assert _decode_slots(first, 200) == [payload_for(c) for c in codes[:10]]
    assert _decode_slots(second, 200)[:2] == [payload_for(c) for c in codes[10:]]
    assert _decode_slots(second, 200)[2:] == [None] * 8
    px = 200 / 25.4
    slot = sheet_slots()[0]
    mark_row = round((slot.top() - 5) * px)  # in the top margin, on the left cutting line
    assert first[mark_row, round(slot.left() * px) - 1:round(slot.left() * px) + 2].min() < 128
    assert first[mark_row, round((slot.left() + 20) * px)] > 200  # nothing between the marks
    for code in codes:
        assert services.counter.card(code).holder is None


def test_the_logo_is_checked_stored_small_and_printed(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    not_image = tmp_path / "notes.png"
    not_image.write_bytes(b"hello, not a picture")
    with pytest.raises(LoyaltyError, match="not an image"):
        save_logo(data_dir, not_image)
    huge = tmp_path / "huge.png"
    huge.write_bytes(b"\0" * (MAX_FILE_BYTES + 1))
    with pytest.raises(LoyaltyError, match="at most 5 MB"):
        save_logo(data_dir, huge)
    tiny = _logo_file(tmp_path / "tiny.png", (8, 8))
    with pytest.raises(LoyaltyError, match="blur"):
        save_logo(data_dir, tiny)
    assert not logo_path(data_dir).exists() and load_logo(data_dir) is None
    big = _logo_file(tmp_path / "logo.png", (1800, 900))
    stored = save_logo(data_dir, big)
    assert (stored.width(), stored.height()) == (600, 300)
    assert (logo_path(data_dir).stat().st_mode & 0o777) == 0o600
    logo = load_logo(data_dir)
    assert logo is not None and logo.width() == 600


def test_a_card_with_a_logo_still_decodes_and_shows_the_logo(services, tmp_path):
    from terminal.services.owner_views import card_layout

    code = new_code()
    layout = card_layout("Kopi Kita", "Stamps", "Rina", code)
    logo = QImage(200, 100, QImage.Format.Format_RGB32)
    logo.fill(QColor("#c0392b"))
    pdf = pypdfium2.PdfDocument(card_pdf(layout, logo))
    try:
        pixels = pdf[0].render(scale=300 / 72).to_numpy()[..., :3]
    finally:
        pdf.close()
    gray = pixels.mean(axis=2).astype(np.uint8)
    assert [d.text for d in make_decoder("zxing").decode(gray)] == [payload_for(code)]
    red = (pixels[..., 2] > 150) & (pixels[..., 1] < 90) & (pixels[..., 0] < 90)  # pdfium renders BGR
    assert red.sum() > 1000  # the logo is on the card
    plain = pypdfium2.PdfDocument(sheet_pdf([layout]))
    try:
        assert len(plain) == 1
    finally:
        plain.close()
