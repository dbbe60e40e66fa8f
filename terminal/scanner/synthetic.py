"""Synthetic camera frames of QR codes: for the demo camera, tests and the benchmark.

A frame is a counter-top background with a printed card or a phone screen
warped onto it in perspective, then spoiled the ways real webcams spoil
them: blur, sensor noise, glare, dark mode (light modules on black), small
symbols. Every random choice comes from a ``numpy.random.Generator`` the
caller passes in, so a seed reproduces a frame exactly.
"""

from __future__ import annotations

import dataclasses
import functools

import cv2
import numpy as np
import qrcode
import qrcode.constants

FRAME_SIZE = (1280, 720)

_EC_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


@dataclasses.dataclass(frozen=True)
class Spoilers:
    """How a frame is degraded; the benchmark reports rates against these."""

    symbol_px: float = 240.0  # side of the symbol (without quiet zone) in the frame
    tilt: float = 0.0  # 0..1, strength of the perspective skew
    angle: float = 0.0  # in-plane rotation, degrees
    blur: float = 0.0  # gaussian sigma in pixels
    motion: int = 0  # motion-blur length in pixels
    noise: float = 0.0  # sensor-noise sigma in grey levels
    glare: float = 0.0  # 0..1, peak brightness of a specular blob on the symbol
    dark_mode: bool = False  # phone in dark mode: light modules on a dark screen
    phone: bool = False  # a phone screen instead of a printed card
    contrast: float = 1.0  # <1 washes the symbol out (bright room, dim screen)


@dataclasses.dataclass(frozen=True)
class SyntheticFrame:
    image: np.ndarray  # BGR uint8
    text: str | None  # what the symbol encodes; None when there is no symbol
    corners: np.ndarray | None  # 4x2 float32, symbol corners in the frame
    spoilers: Spoilers


@functools.lru_cache(maxsize=256)
def qr_modules(text: str, ec: str = "M") -> np.ndarray:
    """The symbol's modules as a bool matrix (True = dark), no quiet zone."""
    qr = qrcode.QRCode(border=0, error_correction=_EC_LEVELS[ec])
    qr.add_data(text)
    qr.make(fit=True)
    matrix = np.array(qr.get_matrix(), dtype=bool)
    matrix.setflags(write=False)
    return matrix


def _symbol_patch(text: str, module_px: int, dark_mode: bool, ec: str) -> np.ndarray:
    """Grey symbol with a 4-module quiet zone, ``module_px`` pixels per module."""
    modules = np.pad(qr_modules(text, ec), 4)
    grey = np.where(modules, 20, 245).astype(np.uint8)
    if dark_mode:
        grey = np.where(modules, 235, 12).astype(np.uint8)
    return np.kron(grey, np.ones((module_px, module_px), np.uint8))


def _card_patch(text: str, spoilers: Spoilers, ec: str) -> tuple[np.ndarray, np.ndarray]:
    """A card or phone with the symbol on it, and the symbol's corners on it."""
    n = qr_modules(text, ec).shape[0]
    module_px = 8
    symbol = _symbol_patch(text, module_px, spoilers.dark_mode, ec)
    quiet = 4 * module_px
    side = symbol.shape[0]
    if spoilers.phone:
        margin_x, margin_top, margin_bottom = 24, 120, 200
        bezel = 14
        body = np.full((side + margin_top + margin_bottom, side + 2 * margin_x, 3), 0, np.uint8)
        screen_colour = (12, 12, 12) if spoilers.dark_mode else (245, 245, 245)
        body[bezel:-bezel, bezel:-bezel] = screen_colour
        # a header bar the way wallet apps show the shop's name
        header = (60, 60, 60) if spoilers.dark_mode else (200, 140, 40)
        cv2.rectangle(body, (bezel, bezel + 20), (body.shape[1] - bezel, margin_top - 30), header, -1)
    else:
        margin_x, margin_top, margin_bottom = 40, 70, 60
        body = np.full((side + margin_top + margin_bottom, side + 2 * margin_x + 260, 3), 0, np.uint8)
        body[:] = (235, 238, 240)
        cv2.rectangle(body, (0, 0), (body.shape[1], 50), (40, 90, 200), -1)
        cv2.putText(body, "LOYALTY", (side + 2 * margin_x, 130), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (40, 40, 40), 3)
        cv2.putText(body, text[-10:-5] + "-" + text[-5:], (side + 2 * margin_x, 200),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.9, (60, 60, 60), 2)
    body[margin_top:margin_top + side, margin_x:margin_x + side] = symbol[..., None]
    first = quiet
    last = quiet + n * module_px
    corners = np.float32([
        [margin_x + first, margin_top + first],
        [margin_x + last, margin_top + first],
        [margin_x + last, margin_top + last],
        [margin_x + first, margin_top + last],
    ])
    return body, corners


def background(rng: np.random.Generator, size: tuple[int, int] = FRAME_SIZE) -> np.ndarray:
    """A counter top: a lit gradient with a few objects lying about."""
    width, height = size
    base = rng.uniform(70, 170)
    gx = np.linspace(-1, 1, width, dtype=np.float32)
    gy = np.linspace(-1, 1, height, dtype=np.float32)[:, None]
    slope_x, slope_y = rng.uniform(-30, 30, 2)
    grey = base + slope_x * gx + slope_y * gy
    tint = rng.uniform(0.85, 1.15, 3)
    frame = cv2.merge([cv2.convertScaleAbs(grey, alpha=float(t)) for t in tint])
    for _ in range(int(rng.integers(2, 7))):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(40, 300)), int(rng.integers(20, 200))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        cv2.rectangle(frame, (x, y), (x + w, y + h), colour, -1)
    for _ in range(int(rng.integers(0, 4))):
        p1 = tuple(int(v) for v in rng.integers(0, max(size), 2))
        p2 = tuple(int(v) for v in rng.integers(0, max(size), 2))
        cv2.line(frame, p1, p2, tuple(int(c) for c in rng.integers(0, 255, 3)), int(rng.integers(1, 6)))
    return frame


def _placement(rng: np.random.Generator, spoilers: Spoilers, symbol_corners: np.ndarray,
               size: tuple[int, int], centre: tuple[float, float] | None) -> np.ndarray:
    """Homography putting the symbol at ``symbol_px`` with the requested skew."""
    width, height = size
    half = spoilers.symbol_px / 2
    if centre is None:
        slack_x = max(0.0, width / 2 - spoilers.symbol_px)
        slack_y = max(0.0, height / 2 - spoilers.symbol_px)
        centre = (width / 2 + rng.uniform(-slack_x, slack_x), height / 2 + rng.uniform(-slack_y, slack_y))
    square = np.float32([[-half, -half], [half, -half], [half, half], [-half, half]])
    # perspective: pull two neighbouring corners in, as if the card leans away
    if spoilers.tilt:
        side = int(rng.integers(0, 4))
        squeeze = spoilers.tilt * 0.35 * half
        for k in (side, (side + 1) % 4):
            square[k] *= 1 - squeeze / half
    theta = np.deg2rad(spoilers.angle)
    rot = np.float32([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    target = square @ rot.T + np.float32(centre)
    return cv2.getPerspectiveTransform(symbol_corners, target.astype(np.float32))


def _glare(frame: np.ndarray, rng: np.random.Generator, centre: np.ndarray, strength: float, radius: float) -> None:
    h, w = frame.shape[:2]
    cx, cy = centre + rng.uniform(-0.4, 0.4, 2) * radius
    sigma = radius * rng.uniform(0.25, 0.5)
    x0, x1 = int(max(0, cx - 3 * sigma)), int(min(w, cx + 3 * sigma))
    y0, y1 = int(max(0, cy - 3 * sigma)), int(min(h, cy + 3 * sigma))
    if x1 <= x0 or y1 <= y0:
        return
    xs = np.arange(x0, x1, dtype=np.float32) - cx
    ys = np.arange(y0, y1, dtype=np.float32)[:, None] - cy
    blob = np.exp(-(xs ** 2 + ys ** 2) / (2 * sigma ** 2)) * strength
    region = frame[y0:y1, x0:x1].astype(np.float32)
    region += (255 - region) * blob[..., None]
    frame[y0:y1, x0:x1] = region.astype(np.uint8)


def _noise(frame: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    noise = rng.standard_normal(frame.shape[:2], dtype=np.float32) * np.float32(sigma)
    return cv2.add(frame, cv2.merge([noise, noise, noise]), dtype=cv2.CV_8U)


def _motion_kernel(length: int, angle: float) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    return kernel / kernel.sum()


def render(text: str | None, spoilers: Spoilers, rng: np.random.Generator, *,
           size: tuple[int, int] = FRAME_SIZE, centre: tuple[float, float] | None = None,
           backdrop: np.ndarray | None = None, ec: str = "M") -> SyntheticFrame:
    """One frame showing ``text`` as a QR symbol (or none when ``text`` is None)."""
    frame = background(rng, size) if backdrop is None else backdrop.copy()
    corners = None
    if text is not None:
        card, symbol_corners = _card_patch(text, spoilers, ec)
        matrix = _placement(rng, spoilers, symbol_corners, size, centre)
        if spoilers.contrast != 1.0:
            card = cv2.convertScaleAbs(card, alpha=spoilers.contrast, beta=128 * (1 - spoilers.contrast))
        # a transparent border leaves the backdrop wherever the card does not land
        cv2.warpPerspective(card, matrix, size, dst=frame, flags=cv2.INTER_AREA,
                            borderMode=cv2.BORDER_TRANSPARENT)
        corners = cv2.perspectiveTransform(symbol_corners[None], matrix)[0]
        if spoilers.glare:
            _glare(frame, rng, corners.mean(axis=0), spoilers.glare, spoilers.symbol_px)
    if spoilers.motion > 1:
        frame = cv2.filter2D(frame, -1, _motion_kernel(spoilers.motion, float(rng.uniform(0, 180))))
    if spoilers.blur:
        frame = cv2.GaussianBlur(frame, (0, 0), spoilers.blur)
    if spoilers.noise:
        frame = _noise(frame, rng, spoilers.noise)
    return SyntheticFrame(frame, text, corners, spoilers)


def clean_spoilers(rng: np.random.Generator) -> Spoilers:
    """A card held still and square-on, as a cashier would on a good day."""
    return Spoilers(
        symbol_px=float(rng.uniform(180, 320)),
        angle=float(rng.uniform(-10, 10)),
        noise=float(rng.uniform(0, 2)),
        phone=bool(rng.random() < 0.3),
    )


def hard_spoilers(rng: np.random.Generator) -> Spoilers:
    """One or more of: small, tilted, blurred, noisy, glare, dark mode."""
    traits = rng.choice(["small", "tilt", "blur", "noise", "glare", "dark", "motion", "dim"],
                        size=int(rng.integers(2, 4)), replace=False)
    phone = "dark" in traits or rng.random() < 0.4
    return Spoilers(
        symbol_px=float(rng.uniform(60, 100) if "small" in traits else rng.uniform(120, 300)),
        tilt=float(rng.uniform(0.4, 0.9)) if "tilt" in traits else 0.0,
        angle=float(rng.uniform(-180, 180)),
        blur=float(rng.uniform(1.2, 2.2)) if "blur" in traits else 0.0,
        motion=int(rng.integers(5, 11)) if "motion" in traits else 0,
        noise=float(rng.uniform(8, 20)) if "noise" in traits else float(rng.uniform(0, 3)),
        glare=float(rng.uniform(0.5, 0.9)) if "glare" in traits else 0.0,
        dark_mode="dark" in traits,
        phone=bool(phone),
        contrast=float(rng.uniform(0.3, 0.5)) if "dim" in traits else 1.0,
    )


def frame_set(kind: str, count: int, seed: int, texts: list[str]) -> list[SyntheticFrame]:
    """``count`` reproducible frames: kind is "clean" or "hard"."""
    rng = np.random.default_rng(seed)
    choose = clean_spoilers if kind == "clean" else hard_spoilers
    return [render(texts[i % len(texts)], choose(rng), rng) for i in range(count)]
