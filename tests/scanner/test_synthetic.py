import numpy as np

from terminal.scanner import synthetic

from .conftest import PAYLOADS


def test_same_seed_same_frames():
    a = synthetic.frame_set("hard", 3, seed=4, texts=PAYLOADS)
    b = synthetic.frame_set("hard", 3, seed=4, texts=PAYLOADS)
    for x, y in zip(a, b, strict=True):
        assert np.array_equal(x.image, y.image)
        assert x.spoilers == y.spoilers


def test_frames_are_720p_bgr_with_corners_inside():
    frame = synthetic.frame_set("clean", 1, seed=1, texts=PAYLOADS)[0]
    assert frame.image.shape == (720, 1280, 3)
    assert frame.image.dtype == np.uint8
    assert ((frame.corners >= -1) & (frame.corners <= [1281, 721])).all()


def test_no_symbol_frame_has_no_corners():
    rng = np.random.default_rng(2)
    frame = synthetic.render(None, synthetic.Spoilers(noise=5), rng)
    assert frame.corners is None and frame.text is None


def test_dark_mode_inverts_the_symbol():
    rng = np.random.default_rng(3)
    light = synthetic.render(PAYLOADS[0], synthetic.Spoilers(symbol_px=200), np.random.default_rng(3))
    dark = synthetic.render(PAYLOADS[0], synthetic.Spoilers(symbol_px=200, dark_mode=True), rng)
    x0, y0 = light.corners.min(axis=0).astype(int)
    x1, y1 = light.corners.max(axis=0).astype(int)
    assert light.image[y0:y1, x0:x1].mean() > dark.image[y0:y1, x0:x1].mean()
