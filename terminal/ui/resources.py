"""Where ``resources/`` (theme, translations, icons) is: beside the code, or inside the bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data files here
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent.parent / "resources"


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def theme_dir() -> Path:
    return resources_dir() / "theme"


def icon_path() -> Path:
    return resources_dir() / "icons" / "loyalty-terminal.png"
