"""The on-screen number keys shared by the PIN pad and the amount keypad.

One layout everywhere, as on phones and card terminals: 1-2-3 on top, 7-8-9
above the bottom row. A cashier's fingers learn one pad, not two.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QPushButton

DIGIT_ROWS = ("123", "456", "789")


def key_button(text: str, role: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("role", role)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing keeps going to the field being filled
    return button


def keypad(keys: str, on_key: Callable[[str], None]) -> tuple[QGridLayout, dict[str, QPushButton]]:
    """Digits 1-9 in rows of three, 1-2-3 on top, then the other keys of ``keys`` as the bottom row.

    ``keys`` names the bottom row (``"C0<"``, ``".0<"``); digits 1-9 in it are
    ignored, so ``"123456789C0<"`` and ``"789456123C0<"`` give the same pad.
    Each click calls ``on_key(key)``.
    """
    bottom = "".join(key for key in keys if key not in "123456789")
    if len(bottom) > 3:
        raise ValueError(f"a keypad's bottom row has at most three keys, not {bottom!r}")
    grid = QGridLayout()
    buttons: dict[str, QPushButton] = {}
    for row, keys_in_row in enumerate((*DIGIT_ROWS, bottom)):
        for column, key in enumerate(keys_in_row):
            button = key_button(key, "key")
            button.clicked.connect(lambda _=False, k=key: on_key(k))
            buttons[key] = button
            grid.addWidget(button, row, column)
    return grid, buttons
