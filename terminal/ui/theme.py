"""The QSS theme, light or dark; "system" follows the desktop's colour scheme."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from terminal.ui.resources import theme_dir

THEMES = ("light", "dark", "system")


def resolve_theme(name: str) -> str:
    if name in ("light", "dark"):
        return name
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def apply_theme(app: QApplication, name: str) -> str:
    """Load the theme's stylesheet into ``app``; returns "light" or "dark"."""
    resolved = resolve_theme(name)
    app.setStyle("Fusion")  # the same look on every desktop; QSS styles on top of it
    base = (theme_dir() / "base.qss").read_text(encoding="utf-8")
    colours = (theme_dir() / f"{resolved}.qss").read_text(encoding="utf-8")
    app.setStyleSheet(base + "\n" + colours)
    app.setProperty("theme", resolved)
    return resolved


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property used in a selector changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
