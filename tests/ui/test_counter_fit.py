"""The counter and its dialogs fit a 1024x600 till (client area about 1024x560), in both languages.

Offscreen geometry, not a real X server: it checks that the layouts' own
minimums fit and that nothing visible is cut; the X11 test checks the rest.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from terminal.domain.staff import Role
from terminal.ui.earn_dialog import EarnDialog
from terminal.ui.i18n import Translations
from terminal.ui.pin_pad import PinPadDialog
from terminal.ui.redeem_dialog import RedeemDialog
from terminal.ui.theme import apply_theme
from tests.ui.conftest import IGNORE_OFFSCREEN, look_up

pytestmark = IGNORE_OFFSCREEN
SCREEN_W, CLIENT_H = 1024, 560
DIALOG_H = 600 - 40  # a dialog's frame and the panel of a small window manager take the rest


@pytest.fixture(params=["en", "id"])
def language(request, qapp) -> Iterator[str]:
    translations = Translations(QApplication.instance())
    translations.set_language(request.param)
    apply_theme(QApplication.instance(), "light")  # the theme's fonts and minimum sizes count
    yield request.param
    translations.set_language("en")
    QLocale.setDefault(QLocale(QLocale.Language.C))
    QApplication.instance().setStyleSheet("")


def problems(top: QWidget) -> list[str]:
    found = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, QLabel | QPushButton | QLineEdit):
            continue
        corner = widget.mapTo(top, widget.rect().bottomRight())
        origin = widget.mapTo(top, widget.rect().topLeft())
        name = f"{type(widget).__name__} {widget.objectName()} {getattr(widget, 'text', lambda: '')()!r}"
        if origin.x() < 0 or origin.y() < 0 or corner.x() >= top.width() or corner.y() >= top.height():
            found.append(f"off screen: {name}")
        elif isinstance(widget, QPushButton) and widget.width() < widget.sizeHint().width() and not widget.toolTip():
            found.append(f"cut: {name}")
        elif isinstance(widget, QLabel) and widget.text() and not widget.toolTip():
            if widget.wordWrap():
                if widget.height() < widget.heightForWidth(widget.width()):
                    found.append(f"cut (wrapped): {name}")
            elif widget.width() < widget.sizeHint().width():
                found.append(f"cut: {name}")
    return found


def test_the_counter_fits_1024x560_with_everything_showing(qtbot, window, services, owner, program_id,
                                                           language) -> None:
    code = services.enrollment.enroll(owner, program_id, "Ana Lima Pereira da Silva Santos").code
    services.owner.adjust(owner, code, 1500, "welcome gift", stamps=1)
    look_up(qtbot, window, code)
    window.page.switch_offer.offer(code)
    window.page.banner.show_success("Stamp added: 1 of 8 stamps. Ready to redeem: Free lunch.",
                                    window.flow._subject(window.page.card_panel.view))
    window.resize(SCREEN_W, CLIENT_H)
    qtbot.waitUntil(lambda: window.height() <= CLIENT_H)  # the layout's minimum lets it
    assert window.minimumSizeHint().height() <= CLIENT_H and window.minimumSizeHint().width() <= SCREEN_W
    QApplication.processEvents()
    assert problems(window) == []
    holder = window.page.card_panel.holder
    assert holder.text() == "Ana Lima Pereira da Silva Santos"  # painted elided, the tooltip has it all
    stamp = window.page.buttons["stamp"]
    assert stamp.width() >= stamp.sizeHint().width()  # "Tambah stempel (F2)" is never cut


def _fits(qtbot, dialog: QDialog) -> None:
    dialog.adjustSize()
    QApplication.processEvents()
    layout = dialog.layout()
    assert dialog.minimumSizeHint().width() <= SCREEN_W
    assert layout.totalHeightForWidth(dialog.width()) <= DIALOG_H
    dialog.resize(dialog.width(), layout.totalHeightForWidth(dialog.width()))
    QApplication.processEvents()
    assert problems(dialog) == []


def test_the_pin_pad_fits_with_six_staff_and_the_unlock_button(qtbot, ui, services, owner, cashier, language) -> None:
    for name in ("Dina Maharani", "Eko", "Fitri", "Gita"):
        services.staff.add(owner, name, Role.CASHIER, "8462")
    pad = PinPadDialog(ui, "Undo the stamp of 10:00 on Ana Lima Pereira da Silva? Carl can confirm with their "
                           "own PIN until 10:02; otherwise an owner.", subject="Ana Lima · 7K3QP-9ZX2M",
                       request_owner_grant=lambda *_: None)
    qtbot.addWidget(pad)
    pad.show()
    qtbot.waitUntil(lambda: len(pad.staff) == 6)
    pad.unlock.show()
    _fits(qtbot, pad)


def test_the_amount_and_redeem_dialogs_fit(qtbot, ui, services, card, language) -> None:
    earn = EarnDialog(ui, card)
    qtbot.addWidget(earn)
    earn.show()
    _fits(qtbot, earn)
    redeem = RedeemDialog(services.counter.card(card))
    qtbot.addWidget(redeem)
    redeem.show()
    _fits(qtbot, redeem)
