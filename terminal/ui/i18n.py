"""Loading the window's language: every ``resources/i18n/*_<lang>.qm`` plus Qt's own strings.

Each part of the window ships its own catalogue (ours, the owner area's, the
sync widgets', and ``qt_*`` for Qt's own buttons and file dialog where PySide6
ships no ``qtbase_*.qm``), so all of them are loaded. Installing or removing a
translator makes Qt send ``LanguageChange`` to every widget, which
retranslates itself.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from terminal.ui.resources import i18n_dir

log = logging.getLogger(__name__)

LANGUAGES = ("en", "id")  # English is the source language: it needs no catalogue


class Translations:
    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = "en"

    def set_language(self, language: str) -> list[str]:
        """Switch to ``language``; returns the catalogue files loaded."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self.language = language if language in LANGUAGES else "en"
        # numbers follow the language (1,500 / 1.500); set before the translators, whose
        # LanguageChange makes every widget refill its text
        QLocale.setDefault(QLocale(self.language))
        loaded: list[str] = []
        if self.language == "en":
            return loaded
        files = sorted(i18n_dir().glob(f"*_{self.language}.qm"))
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for path in [*files, f"{qt_dir}/qtbase_{self.language}.qm"]:
            translator = QTranslator(self._app)
            if translator.load(str(path)):
                self._app.installTranslator(translator)
                self._installed.append(translator)
                loaded.append(str(path))
            elif path in files:
                log.warning("translation %s could not be loaded", path)
        return loaded
