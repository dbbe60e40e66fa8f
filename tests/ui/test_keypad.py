"""One keypad layout, 1-2-3 on top, for PINs and amounts; combo boxes with 48 px rows."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox

from terminal.ui.keypad import keypad
from terminal.ui.theme import apply_theme, scale_stylesheet


def _rows(keys: str) -> list[str]:
    grid, buttons = keypad(keys, lambda key: None)
    where = {key: grid.getItemPosition(grid.indexOf(button))[:2] for key, button in buttons.items()}
    rows = sorted({row for row, _ in where.values()})
    return ["".join(k for k, (r, c) in sorted(where.items(), key=lambda kv: kv[1][1]) if r == row) for row in rows]


@pytest.mark.parametrize(("keys", "bottom"), [("123456789C0<", "C0<"), ("789456123.0<", ".0<"), (".0<", ".0<")])
def test_digits_are_laid_out_like_a_phone_whatever_order_they_are_given_in(qtbot, keys, bottom) -> None:
    assert _rows(keys) == ["123", "456", "789", bottom]


def test_a_bottom_row_of_more_than_three_keys_is_refused(qtbot) -> None:
    with pytest.raises(ValueError, match="at most three"):
        keypad("C0<.", lambda key: None)


def test_the_pin_pad_and_the_amount_dialog_use_the_same_layout() -> None:
    import inspect

    from terminal.ui import earn_dialog, pin_pad

    for module in (earn_dialog, pin_pad):
        assert "keypad(" in inspect.getsource(module), f"{module.__name__} builds its own keys"


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: popups cannot grab or raise
def test_combo_box_popup_rows_are_touch_sized(qtbot, qapp) -> None:
    apply_theme(qapp, "light", scale=0.5)  # the smallest screen's scale: rows still 48 px
    try:
        box = QComboBox()
        box.addItems(["Light", "Dark", "Follow the system"])
        qtbot.addWidget(box)
        box.show()
        box.showPopup()
        view = box.view()
        qtbot.waitUntil(view.isVisible)
        assert all(view.visualRect(view.model().index(row, 0)).height() >= 48 for row in range(3))
        box.hidePopup()
    finally:
        qapp.setStyleSheet("")


def test_the_stylesheet_scales_but_touch_targets_stay_touchable() -> None:
    qss = "QPushButton { min-height: 64px; font-size: 20px; border: 1px solid; } QLineEdit { min-height: 44px; }"
    small = scale_stylesheet(qss, 0.5)
    assert "min-height: 48px" in small and "font-size: 10px" in small and "1px solid" in small
    assert "QLineEdit { min-height: 44px; }" in small  # a field keeps its own (smaller than 48) height
    assert scale_stylesheet(qss, 1.0) == qss
    assert "min-height: 74px" in scale_stylesheet(qss, 1.15)
