"""Opening the owner area (built in ``terminal.ui.owner``) behind an owner PIN."""

from __future__ import annotations

import importlib
import importlib.util
import logging

log = logging.getLogger(__name__)


def owner_area_class() -> type | None:
    """``terminal.ui.owner.OwnerArea``, or None while this build has no owner area."""
    if importlib.util.find_spec("terminal.ui.owner") is None:
        return None
    try:
        module = importlib.import_module("terminal.ui.owner")
    except ImportError:
        log.exception("the owner area could not be loaded")
        return None
    return getattr(module, "OwnerArea", None)
