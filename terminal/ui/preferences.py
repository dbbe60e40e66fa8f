"""Saving the few settings the window changes (language, theme, kiosk) to settings.toml.

Values the owner wrote by hand stay; only the named ones change. The values
are checked against their declarations first, so a bad value never lands in
the file.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from terminal.settings import Settings


def save_preferences(data_dir: Path, settings: Settings, **changes: Any) -> Settings:
    """Write ``changes`` into ``data_dir/settings.toml``; returns the settings with them applied."""
    updated = settings.with_values(**changes)  # raises SettingsError for a bad value
    path = data_dir / "settings.toml"
    current: dict[str, Any] = {}
    if path.exists():
        with path.open("rb") as fh:
            current = tomllib.load(fh)
    current.update(changes)
    lines = [f"{name} = {json.dumps(value, ensure_ascii=False)}\n" for name, value in current.items()]
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, path)
    return updated
