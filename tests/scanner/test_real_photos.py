"""Optional: real QR photos beside the project (../shared/qr-samples); skipped when absent."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from terminal.scanner.decoders import make_decoder
from terminal.scanner.pipeline import FrameDecoder

from .conftest import available_backends

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "qr-samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"no real photos at {SAMPLES}")

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


def images(folder_glob):
    return sorted(p for p in SAMPLES.glob(folder_glob) if p.suffix.lower() in IMAGE_SUFFIXES)


def load(path):
    return cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)


def matches(detections, expected: bytes) -> bool:
    return any(d.data == expected or (d.text is not None and d.text.encode("utf-8") == expected) for d in detections)


def test_pipeline_reads_every_photo_any_single_backend_reads():
    # a photo is a card in view: every rescue stage may run (idle=None), with no time budget
    backends = {name: make_decoder(name) for name in available_backends()}
    ours = FrameDecoder(make_decoder("zxing"), budget_ms=None, idle=None)
    union, read = set(), set()
    for path in images("qrcode-*/*"):
        expected = path.with_suffix(".txt").read_bytes()
        gray = load(path)
        if any(matches(decoder.decode(gray), expected) for decoder in backends.values()):
            union.add(path.name)
        ours.reset()  # photos are unrelated: no close-up of the previous one
        if matches(ours.decode(gray).detections, expected):
            read.add(path.name)
    assert len(union) >= 54
    assert union <= read, sorted(union - read)
    assert len(read) > len(union)  # and more: the rescue stages read photos no backend reads alone


def test_no_decoder_finds_a_code_in_the_false_positive_photos(backend):
    decoder = FrameDecoder(make_decoder(backend), budget_ms=None)
    for path in images("falsepositives-*/*"):
        gray = load(path)
        if gray is None or gray.size == 0:  # a few are 1-pixel images OpenCV will not open
            gray = np.zeros((1, 1), np.uint8)
        assert decoder.decode(gray).detections == (), path.name
