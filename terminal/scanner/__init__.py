"""QR and keyboard-wedge card scanning.

The counter window needs three things:

- ``CameraScanner`` (worker.py): camera -> ``card_scanned(CardScan)``,
  ``not_a_card(Rejection)``, ``status_changed(CameraStatus)``, ``preview_ready()``.
- ``KeyboardWedge`` (wedge_filter.py): handheld USB scanners, same two card signals.
- ``read_manual_entry`` (keyboard_text.py): the manual code field's validation.

Names are loaded on first use, so the Qt-free parts (decoders, payload
checks, the pipeline) can be imported without Qt.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CameraScanner": "terminal.scanner.worker",
    "KeyboardWedge": "terminal.scanner.wedge_filter",
    "ScannerConfig": "terminal.scanner.config",
    "CardScan": "terminal.scanner.events",
    "Rejection": "terminal.scanner.events",
    "CameraState": "terminal.scanner.events",
    "CameraStatus": "terminal.scanner.events",
    "PreviewFrame": "terminal.scanner.events",
    "read_manual_entry": "terminal.scanner.keyboard_text",
    "decode_scanned_text": "terminal.scanner.keyboard_text",
    "open_source": "terminal.scanner.sources",
    "camera_or_demo": "terminal.scanner.sources",
    "DemoSource": "terminal.scanner.demo_source",
    "make_decoder": "terminal.scanner.decoders",
    "available_backends": "terminal.scanner.decoders",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'terminal.scanner' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
