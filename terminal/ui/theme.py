"""The QSS theme, light or dark; "system" follows the desktop's colour scheme.

The stylesheets' sizes are as written on a screen about 900 px high; on a smaller or
larger screen every size in them (fonts, paddings, heights) is scaled to the
screen's available height, except that a touch target never shrinks below
48 px. So a 1024x600 till gets the same screen as a 1280x800 one, smaller.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from terminal.ui.resources import theme_dir

THEMES = ("light", "dark", "system")
DESIGN_HEIGHT = 860  # the available height at which the stylesheets' sizes are used as written
SCALE_RANGE = (0.78, 1.15)  # smaller than this is unreadable at arm's length; larger wastes a big screen
TOUCH_TARGET_PX = 48
TOUCH_FLOOR_FROM_PX = 36  # min-heights from this up are things to tap: buttons, fields, check boxes
_PX = re.compile(r"(?P<prop>[a-z-]+):(?P<values>[^;{}]*?\d+px[^;{}]*)(?=[;}])")
_NUMBER = re.compile(r"(\d+)px")


def resolve_theme(name: str) -> str:
    if name in ("light", "dark"):
        return name
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def screen_scale(available_height: int | None = None) -> float:
    """How much the stylesheet's sizes are scaled for a screen with this available height (primary screen)."""
    if available_height is None:
        screen = QGuiApplication.primaryScreen()
        available_height = screen.availableGeometry().height() if screen is not None else DESIGN_HEIGHT
    low, high = SCALE_RANGE
    return round(min(high, max(low, available_height / DESIGN_HEIGHT)), 2)


def scale_stylesheet(qss: str, scale: float) -> str:
    """Every ``Npx`` times ``scale``; a touch target's min-height (36 px or more) never shrinks below
    48 px, or below its own value when that is smaller."""
    if scale == 1.0:
        return qss

    def one_declaration(match: re.Match) -> str:
        prop = match["prop"]

        def one_number(number: re.Match) -> str:
            value = int(number[1])
            scaled = max(1, round(value * scale)) if value > 1 else value  # hairlines stay hairlines
            if prop == "min-height" and value >= TOUCH_FLOOR_FROM_PX:  # a finger does not shrink with the screen
                scaled = max(min(value, TOUCH_TARGET_PX), scaled)
            return f"{scaled}px"

        return f"{prop}:{_NUMBER.sub(one_number, match['values'])}"

    return _PX.sub(one_declaration, qss)


def stylesheet(resolved: str, scale: float) -> str:
    base = (theme_dir() / "base.qss").read_text(encoding="utf-8")
    colours = (theme_dir() / f"{resolved}.qss").read_text(encoding="utf-8")
    qss = scale_stylesheet(base + "\n" + colours, scale)
    return qss.replace("THEME_DIR", theme_dir().as_posix()).replace("THEME", resolved)


def apply_theme(app: QApplication, name: str, scale: float | None = None) -> str:
    """Load the theme's stylesheet into ``app``, sized for the primary screen unless ``scale`` is given;
    returns "light" or "dark"."""
    resolved = resolve_theme(name)
    app.setStyle("Fusion")  # the same look on every desktop; QSS styles on top of it
    app.setStyleSheet(stylesheet(resolved, screen_scale() if scale is None else scale))
    app.setProperty("theme", resolved)
    return resolved


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property used in a selector changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
