"""The words of each console area, one module per area (``WORDS = {"en": {...}, "id": {...}}``).

``i18n`` merges every module here into its catalogue at import, so an area
adds its words without touching the shared catalogue; a key defined twice
is an error at import, not a silent overwrite.
"""
