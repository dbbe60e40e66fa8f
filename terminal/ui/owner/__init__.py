"""The owner area: staff, adjustments, voids, program settings, enrollment, history and reports."""

from terminal.ui.owner.area import PAGE_NAMES, OwnerArea

__all__ = ["PAGE_NAMES", "OwnerArea"]
