"""The folder a save dialog opens in outlives a restart, per till, and falls back to Documents."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import func, select

from terminal.store.models import LedgerRow
from terminal.ui.owner import OwnerArea, file_places
from tests.ui.conftest import IGNORE_OFFSCREEN

pytestmark = IGNORE_OFFSCREEN


@pytest.fixture(autouse=True)
def documents(tmp_path, monkeypatch):
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(file_places, "documents_folder", lambda: folder)
    file_places.forget()
    yield folder
    file_places.forget()


class SaveDialog:
    """Stands in for the save dialog: records where it opened and answers with ``answer`` (or cancels)."""

    def __init__(self, answer: str = "") -> None:
        self.answer, self.opened_at = answer, []

    def __call__(self, _parent, _title, start, _filters, *a, **k):
        self.opened_at.append(start)
        return self.answer, ""


def _restart(qtbot, services, runner, grants, settle) -> OwnerArea:
    """What a new start of the till does to the owner area: nothing kept in memory, a new area."""
    file_places.forget()
    area = OwnerArea(services, runner, grants)
    qtbot.addWidget(area)
    settle()
    return area


def _rows(services, model) -> int:
    with services.ctx.db.read() as session:
        return session.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def test_the_last_export_folder_is_kept_across_a_restart(qtbot, area, services, runner, grants, settle, tmp_path,
                                                          documents, monkeypatch, data_dir) -> None:
    chosen = tmp_path / "usb" / "exports"
    chosen.mkdir(parents=True)
    dialog = SaveDialog(str(chosen / "ledger.csv"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    page = area.show_page("history")
    settle()
    entries = _rows(services, LedgerRow)
    qtbot.mouseClick(page.ledger_button, Qt.MouseButton.LeftButton)
    settle()
    assert dialog.opened_at == [str(documents / "loyalty-ledger.csv")]  # a first start: Documents
    kept = QSettings(str(data_dir / file_places.PLACES_FILE), QSettings.Format.IniFormat)
    assert kept.value(file_places.LAST_FOLDER_KEY) == str(chosen)  # in the till's own file, not the ledger
    assert _rows(services, LedgerRow) == entries

    again = _restart(qtbot, services, runner, grants, settle)
    report = again.show_page("report")
    settle()
    cancelled = SaveDialog()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", cancelled)
    report.choose_export_file()
    assert cancelled.opened_at[0].startswith(str(chosen / "loyalty-report-"))  # the folder of the last run

    shutil.rmtree(chosen)  # the stick was pulled out: Documents again, not a dialog in a folder that is gone
    restarted = _restart(qtbot, services, runner, grants, settle)
    third = restarted.show_page("history")
    settle()
    dialog = SaveDialog()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    qtbot.mouseClick(third.ledger_button, Qt.MouseButton.LeftButton)
    assert dialog.opened_at == [str(documents / "loyalty-ledger.csv")]


def test_each_till_keeps_its_own_folder(tmp_path, documents) -> None:
    till_a, till_b, folder = tmp_path / "a", tmp_path / "b", tmp_path / "shared"
    for path in (till_a, till_b, folder):
        path.mkdir()
    file_places.keep_in(till_a)
    file_places.remember(folder / "cards.pdf")
    file_places.keep_in(till_b)
    assert file_places.suggested_path("x.pdf") == str(documents / "x.pdf")
    file_places.keep_in(till_a)
    assert file_places.suggested_path("x.pdf") == str(folder / "x.pdf")
