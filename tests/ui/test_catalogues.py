"""Every shipped catalogue is complete and its .qm is compiled from its .ts (run resources/i18n/update.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

I18N = Path(__file__).resolve().parents[2] / "resources" / "i18n"
CATALOGUES = sorted(I18N.glob("*.ts"))


def test_the_three_catalogues_ship() -> None:
    assert {p.stem for p in CATALOGUES} >= {"loyalty_id", "owner_id", "sync_id"}


@pytest.mark.parametrize("ts", CATALOGUES, ids=lambda p: p.stem)
def test_catalogue_is_translated_and_compiled(qapp, ts: Path) -> None:
    translator = QTranslator()
    assert translator.load(str(ts.with_suffix(".qm"))), f"{ts.with_suffix('.qm').name} is missing"
    for context in ET.parse(ts).getroot():
        for message in context.iter("message"):
            source, translation = message.findtext("source"), message.find("translation")
            if translation.get("type") in {"vanished", "obsolete"}:
                continue
            assert translation.get("type") is None and translation.text, (ts.name, source)
            assert translator.translate(context.findtext("name"), source) == translation.text, (ts.name, source)
