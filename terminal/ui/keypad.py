"""The on-screen number keys shared by the PIN pad and the amount keypad."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QPushButton


def key_button(text: str, role: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("role", role)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing keeps going to the field being filled
    return button


def keypad(keys: str, on_key: Callable[[str], None]) -> tuple[QGridLayout, dict[str, QPushButton]]:
    """Three keys a row, in the order given; each click calls ``on_key(key)``."""
    grid = QGridLayout()
    buttons: dict[str, QPushButton] = {}
    for n, key in enumerate(keys):
        button = key_button(key, "key")
        button.clicked.connect(lambda _=False, k=key: on_key(k))
        buttons[key] = button
        grid.addWidget(button, n // 3, n % 3)
    return grid, buttons
