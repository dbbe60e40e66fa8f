"""Optional: real QR photos beside the project (../shared/qr-samples); skipped when absent."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from terminal.scanner.decoders import make_decoder
from terminal.scanner.pipeline import FrameDecoder

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "qr-samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"no real photos at {SAMPLES}")

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


def images(folder_glob):
    return sorted(p for p in SAMPLES.glob(folder_glob) if p.suffix.lower() in IMAGE_SUFFIXES)


def load(path):
    return cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)


def matches(detections, expected: bytes) -> bool:
    return any(d.data == expected or (d.text is not None and d.text.encode("utf-8") == expected) for d in detections)


def test_pipeline_reads_at_least_as_many_photos_as_raw_zxing():
    raw, ours = make_decoder("zxing"), FrameDecoder(make_decoder("zxing"), budget_ms=None)
    raw_hits = ours_hits = 0
    for path in images("qrcode-*/*"):
        expected = path.with_suffix(".txt").read_bytes()
        gray = load(path)
        raw_hits += matches(raw.decode(gray), expected)
        ours_hits += matches(ours.decode(gray).detections, expected)
    assert ours_hits >= raw_hits >= 50


def test_no_decoder_finds_a_code_in_the_false_positive_photos(backend):
    decoder = FrameDecoder(make_decoder(backend), budget_ms=None)
    for path in images("falsepositives-*/*"):
        gray = load(path)
        if gray is None or gray.size == 0:  # a few are 1-pixel images OpenCV will not open
            gray = np.zeros((1, 1), np.uint8)
        assert decoder.decode(gray).detections == (), path.name
