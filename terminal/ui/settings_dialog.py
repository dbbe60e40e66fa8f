"""Window settings the staff may change at the counter: language, theme, kiosk mode."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from terminal.ui.retranslating import Retranslating

LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}  # each in its own language: never translated


class SettingsDialog(Retranslating, QDialog):
    """``chosen(dict)`` with ``language``, ``theme`` and ``kiosk`` when the user applies;
    ``hub_requested()`` when the user asks for the hub settings (they sit behind the owner's PIN)."""

    chosen = Signal(dict)
    hub_requested = Signal()

    def __init__(self, language: str, theme: str, kiosk: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.theme = QComboBox()
        for code in ("light", "dark", "system"):
            self.theme.addItem("", code)
        self.theme.setCurrentIndex(max(0, self.theme.findData(theme)))
        self.kiosk = QCheckBox()
        self.kiosk.setChecked(kiosk)
        self.title = QLabel()
        self.title.setObjectName("DialogTitle")
        self.apply = QPushButton()
        self.apply.clicked.connect(self._apply)
        self.cancel = QPushButton()
        self.cancel.clicked.connect(self.reject)
        self.hub = QPushButton()
        self.hub.setObjectName("HubButton")
        self.hub.clicked.connect(self._hub)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(24, 20, 24, 20)
        self.form.setSpacing(14)
        self.form.addRow(self.title)
        self.labels = [QLabel() for _ in range(3)]
        for label, field in zip(self.labels, (self.language, self.theme, self.kiosk), strict=True):
            self.form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hub)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.apply)
        self.form.addRow(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.title.setText(self.tr("Settings"))
        for label, text in zip(self.labels, (self.tr("Language"), self.tr("Theme"), self.tr("Kiosk mode")),
                               strict=True):
            label.setText(text)
        for index, text in enumerate((self.tr("Light"), self.tr("Dark"), self.tr("Follow the system"))):
            self.theme.setItemText(index, text)
        self.kiosk.setText(self.tr("Fill the screen (leave with F11)"))
        self.hub.setText(self.tr("Hub and sync…"))
        self.apply.setText(self.tr("Apply"))
        self.cancel.setText(self.tr("Cancel"))

    def _apply(self) -> None:
        self.chosen.emit({"language": self.language.currentData(), "theme": self.theme.currentData(),
                          "kiosk": "on" if self.kiosk.isChecked() else "off"})
        self.accept()

    def _hub(self) -> None:
        self.reject()
        self.hub_requested.emit()
