"""The till's side of the customer page: the second QR on a printed card and the counter's big QR.

A real till (not paired, then paired with the real hub over loopback) prints
a card to a real PDF; the scanner's own decoder (zxing-cpp) reads both QRs
from the rendered page, and the address read opens the card's page at the hub.
"""

from __future__ import annotations

import httpx
import numpy as np
import pypdfium2
import pytest
from PySide6.QtGui import QImage
from real_terminal import RealTerminal

from terminal.domain.codes import payload_for
from terminal.scanner.decoders import make_decoder
from terminal.scanner.payload import is_customer_page
from terminal.ui.context import UiContext
from terminal.ui.counter_flow import CounterFlow
from terminal.ui.counter_page import CounterPage
from terminal.ui.customer_page_qr import CustomerPageDialog
from terminal.ui.operations import OperationRunner
from terminal.ui.owner.card_print import card_pdf


@pytest.fixture
def runner(qtbot):
    made = OperationRunner()
    yield made
    made.shutdown()


@pytest.fixture
def founded(hub, tmp_path):
    term = RealTerminal.founded(tmp_path / "till")
    yield term
    term.close()


def _decoded_pdf(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        pixels = document[0].render(scale=300 / 72).to_numpy()   # a 300 dpi print
    finally:
        document.close()
    gray = np.ascontiguousarray(pixels[:, :, :3].mean(axis=2).astype(np.uint8))
    return sorted(d.text for d in make_decoder("zxing").decode(gray))


def _decoded_image(image: QImage) -> list[str]:
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.array(gray.constBits(), dtype=np.uint8).reshape(gray.height(), gray.bytesPerLine())
    return [d.text for d in make_decoder("zxing").decode(np.ascontiguousarray(pixels[:, :gray.width()]))]


def _counter_dialog(qtbot, runner, term: RealTerminal, code: str) -> CustomerPageDialog:
    page = CounterPage()
    qtbot.addWidget(page)
    flow = CounterFlow(UiContext(term.services, runner, term.services.ctx.store), page, lambda *a, **k: None)
    assert not page.customer_page.isEnabled()                 # no card on the counter
    flow.look_up(code)
    qtbot.waitUntil(lambda: page.card_panel.view is not None and page.customer_page.isEnabled(), timeout=10000)
    page.customer_page.click()
    qtbot.waitUntil(lambda: isinstance(flow.dialog, CustomerPageDialog) and flow.dialog.isVisible(), timeout=10000)
    dialog = flow.dialog
    assert flow.in_flow                                        # a scan does not swap the card under it
    dialog.reject()
    qtbot.waitUntil(lambda: not flow.in_flow, timeout=5000)
    return dialog


# The till's side does not depend on the hub's database: SQLite only, to spare CI the PostgreSQL twin.
@pytest.mark.parametrize("hub_db_url", ["sqlite"], indirect=True)
# The offscreen platform cannot size or raise the dialog's window; the dialog still shows.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints", "This plugin does not support raise")
def test_a_paired_till_prints_and_shows_the_page_qr_that_opens_the_card(qtbot, runner, founded, hub, hub_engine,
                                                                        merchant):
    term = founded
    code = term.enroll(holder="Siti Rahayu")
    term.earn(code, 4_200)

    # Not paired: no hub to name, so one QR on the card and a sentence at the counter.
    layout = term.services.owner_views.card_layout(code)
    assert layout.page_url is None and layout.page_modules == ()
    assert _decoded_pdf(card_pdf(layout)) == [payload_for(code)]
    lone = _counter_dialog(qtbot, runner, term, code)
    assert lone.url is None and "not linked to a hub" in lone.message.text()

    term.pair(hub.url, hub_engine, merchant.store_id, name="Front till")
    term.sync()
    layout = term.services.owner_views.card_layout(code)
    read = _decoded_pdf(card_pdf(layout))
    assert len(read) == 2 and payload_for(code) in read
    url = next(text for text in read if text != payload_for(code))
    assert url == layout.page_url and url.startswith(hub.url + "/c/") and is_customer_page(url)

    shown = _counter_dialog(qtbot, runner, term, code)
    assert shown.url == url                                    # the counter shows what the card carries
    assert _decoded_image(shown.image) == [url]                # big and clean enough for a phone
    assert shown.image.width() >= 250

    _stamps, points = term.balance(code)
    with httpx.Client(timeout=10) as phone:
        answer = phone.get(url, headers={"Accept-Language": "id"})
    assert answer.status_code == 200 and '<html lang="id">' in answer.text
    assert f">{points:,}<".replace(",", ".") in answer.text
