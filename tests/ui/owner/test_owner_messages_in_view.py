"""Every owner action answers next to the button that caused it (issue 11: "every action answers in view")."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QWidget

from tests.ui.conftest import IGNORE_OFFSCREEN

pytestmark = IGNORE_OFFSCREEN


def _in_page(page: QWidget, widget: QWidget, rect: QRect) -> QRect:
    return QRect(widget.mapTo(page, rect.topLeft()), rect.size())


def _text_rect(label: QLabel) -> QRect:
    """Where the message's words are, not the whole width of its line."""
    width = min(label.fontMetrics().horizontalAdvance(label.text()), label.width())
    x = label.width() - width if label.alignment() & Qt.AlignmentFlag.AlignRight else 0
    return QRect(x, 0, width, label.height())


def _assert_beside(page: QWidget, button: QPushButton, label: QLabel) -> None:
    assert label.isVisible() and label.text(), "the message is shown"
    b = _in_page(page, button, button.rect())
    t = _in_page(page, label, _text_rect(label))
    dx = max(0, t.left() - b.right(), b.left() - t.right())
    dy = max(0, t.top() - b.bottom(), b.top() - t.bottom())
    assert dx <= b.width() and dy <= 2 * b.height(), (
        f"{label.text()!r} at {t.getRect()} is far from {button.text()!r} at {b.getRect()}")


def _box_of(widget: QWidget) -> QGroupBox:
    parent = widget.parentWidget()
    while not isinstance(parent, QGroupBox):
        parent = parent.parentWidget()
    return parent


def _shown(qtbot, area, name: str, settle):
    area.resize(1366 - 40, 768 - 80)
    area.show()
    qtbot.waitExposed(area)
    page = area.show_page(name)
    settle()
    return page


def test_staff_messages_sit_in_the_box_of_their_button(qtbot, area, settle) -> None:
    page = _shown(qtbot, area, "staff", settle)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.feedback.state == "error" and "name" in page.feedback.text()
    assert _box_of(page.add_button).isAncestorOf(page.feedback)
    _assert_beside(page, page.add_button, page.feedback)
    page.table.selectRow(0)
    page.rename_field.clear()
    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    assert page.feedback.state == "error" and "new name" in page.feedback.text()
    assert _box_of(page.rename_button).isAncestorOf(page.feedback)
    assert not page.add_feedback.text(), "one message at a time: the older one is gone"


def test_program_page_messages_beside_add_program_save_and_rewards(qtbot, area, settle) -> None:
    page = _shown(qtbot, area, "program", settle)
    qtbot.mouseClick(page.add_program_button, Qt.MouseButton.LeftButton)
    page.template_choice.setCurrentIndex(3)  # a blank stamp card needs a name
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert page.feedback.state == "error" and "needs a name" in page.feedback.text()
    _assert_beside(page, page.create_button, page.feedback)

    rewards = page.rewards
    rewards.name.setText("Tote bag")
    rewards.valid_until.setText("30 April")
    qtbot.mouseClick(rewards.add_button, Qt.MouseButton.LeftButton)
    assert page.feedback.state == "error" and "YYYY-MM-DD" in page.feedback.text()
    assert rewards.isAncestorOf(page.feedback)
    _assert_beside(page, rewards.add_button, page.feedback)

    page.min_amount.setText("two euros")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.feedback.state == "error" and "not an amount" in page.feedback.text()
    _assert_beside(page, page.save_button, page.feedback)


def test_report_export_answers_under_the_export_button(qtbot, area, settle, tmp_path) -> None:
    page = _shown(qtbot, area, "report", settle)
    page.export_to(str(tmp_path / "no-such-folder" / "r.csv"), "csv")
    settle()
    assert page.feedback.state == "error" and "no-such-folder" in page.feedback.text()
    _assert_beside(page, page.export_button, page.feedback)


def test_enroll_answers_beside_enroll_not_under_the_preview(qtbot, area, settle) -> None:
    page = _shown(qtbot, area, "enroll", settle)
    page.code_field.setText("nonsense")
    qtbot.mouseClick(page.enroll_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "error"
    _assert_beside(page, page.enroll_button, page.feedback)
