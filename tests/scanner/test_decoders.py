import builtins

import numpy as np
import pytest

from terminal.scanner import decoders
from terminal.scanner.decoders import DecoderUnavailable, make_decoder, to_gray
from terminal.scanner.synthetic import Spoilers, render

from .conftest import PAYLOADS


def _corner_error(found, truth) -> float:
    found = np.array(found, dtype=np.float32)
    return float(min(np.abs(np.roll(found, k, axis=0) - truth).max() for k in range(4)))


def test_each_backend_reads_a_clean_frame_with_its_corners(backend):
    rng = np.random.default_rng(11)
    frame = render(PAYLOADS[0], Spoilers(symbol_px=240, angle=8), rng)
    found = make_decoder(backend).decode(to_gray(frame.image))
    assert [d.text for d in found] == [PAYLOADS[0]]
    assert found[0].decoder == backend
    assert _corner_error(found[0].points, frame.corners) < 12
    assert _signed_area(found[0].points) > 0  # clockwise on screen, like the overlay expects


def _signed_area(points) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True))


@pytest.mark.parametrize("image", [
    np.zeros((720, 1280), np.uint8),
    np.full((720, 1280), 255, np.uint8),
    np.random.default_rng(5).integers(0, 256, (720, 1280), dtype=np.uint8),
    np.zeros((1, 100), np.uint8),
])
def test_blank_and_noise_give_nothing(backend, image):
    assert make_decoder(backend).decode(image) == []


def test_auto_prefers_zxing():
    assert make_decoder("auto").name == "zxing"


def test_unknown_backend_is_refused_in_words():
    with pytest.raises(DecoderUnavailable) as info:
        make_decoder("quagga")
    assert "zxing" in info.value.message


def test_missing_zbar_library_says_how_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_zbar(name, *args, **kwargs):
        if name.startswith("pyzbar"):
            raise ImportError("Unable to find zbar shared library")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_zbar)
    with pytest.raises(DecoderUnavailable) as info:
        decoders.ZbarDecoder()
    assert "libzbar0" in info.value.message
    assert "zxing" in info.value.message


def test_available_backends_lists_every_backend():
    status = decoders.available_backends()
    assert set(status) == set(decoders.BACKENDS)
    assert status["zxing"] is None


def test_to_gray_accepts_grey_bgr_and_bgra():
    bgr = np.zeros((4, 6, 3), np.uint8)
    assert to_gray(bgr).shape == (4, 6)
    assert to_gray(np.zeros((4, 6, 4), np.uint8)).shape == (4, 6)
    grey = np.zeros((4, 6), np.uint8)
    assert to_gray(grey) is grey


def test_binary_symbols_have_bytes_but_no_text(backend):
    import qrcode

    qr = qrcode.QRCode(border=4, box_size=8)
    qr.add_data(b"\x8d\xff\x00LT1:")
    qr.make()
    image = np.where(np.array(qr.get_matrix()), 0, 255).astype(np.uint8)
    image = np.kron(image, np.ones((8, 8), np.uint8))
    found = make_decoder(backend).decode(image)
    for detection in found:  # a backend may miss it; what it reports must be honest
        assert detection.text is None or detection.text.encode() == detection.data
