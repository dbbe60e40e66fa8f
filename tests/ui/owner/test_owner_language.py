"""The owner area in Indonesian: the shipped catalogue is complete, compiled, and switches live."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

I18N = Path(__file__).resolve().parents[3] / "resources" / "i18n"
SAME_IN_BOTH = {"PIN", "Program"}


@pytest.fixture
def indonesian(qapp):
    translator = QTranslator()
    assert translator.load(str(I18N / "owner_id.qm"))
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_catalogue_is_complete_and_compiled(indonesian) -> None:
    messages = [(ctx.findtext("name"), m.findtext("source"), m.find("translation"))
                for ctx in ET.parse(I18N / "owner_id.ts").getroot() for m in ctx.iter("message")]
    assert len(messages) > 150
    for context, source, translation in messages:
        assert translation.get("type") is None and translation.text, (context, source)
        compiled = indonesian.translate(context, source)
        assert compiled == translation.text, (context, source)  # the .qm is built from this .ts
        assert compiled != source or source in SAME_IN_BOTH, (context, source)


def test_language_switch_rebuilds_the_pages(qtbot, area, indonesian, settle) -> None:
    area.show_page("staff")
    settle()
    assert area.nav.item(0).text() == "Reports"
    QCoreApplication.installTranslator(indonesian)
    qtbot.waitUntil(lambda: area.nav.item(0).text() == "Laporan", timeout=3000)
    settle()
    assert area.current_page_name() == "staff"
    assert area.pages["staff"].add_button.text() == "Tambah staf"
    assert area.pages["staff"].table.rowCount() == 1  # the rebuilt page loaded its data again
