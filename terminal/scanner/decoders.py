"""QR decoders behind one small interface, with no Qt.

Each backend takes a greyscale ``numpy`` image and returns what it read as
``Detection`` objects (raw bytes, text when the bytes are text, and the
symbol's four corners). A backend that cannot be loaded raises
``DecoderUnavailable`` with a sentence saying how to get it.
"""

from __future__ import annotations

import abc
import dataclasses
from typing import Any

import cv2
import numpy as np

from terminal.scanner.config import BACKENDS

Point = tuple[float, float]


class DecoderUnavailable(RuntimeError):
    """A decoder backend cannot be used here; ``message`` says how to fix it."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


@dataclasses.dataclass(frozen=True)
class Detection:
    data: bytes
    text: str | None  # None when the bytes are not UTF-8 text
    # corners clockwise on screen, in image pixels; zxing and OpenCV start at the
    # symbol's own top-left corner, zbar does not say which corner is which
    points: tuple[Point, ...]
    decoder: str

    def scaled(self, factor: float, offset: Point = (0.0, 0.0)) -> Detection:
        """The same detection in the coordinates of a larger or shifted image."""
        points = tuple((x * factor + offset[0], y * factor + offset[1]) for x, y in self.points)
        return dataclasses.replace(self, points=points)


def _text_of(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _clockwise(points: tuple[Point, ...]) -> tuple[Point, ...]:
    # zbar lists its outline anticlockwise on screen; overlays want one convention
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True))
    return points if area >= 0 else points[::-1]


class Decoder(abc.ABC):
    name: str = ""

    @abc.abstractmethod
    def decode(self, gray: np.ndarray) -> list[Detection]:
        """Every QR symbol found in a 2-D uint8 image; empty when none."""

    def scan(self, gray: np.ndarray) -> tuple[list[Detection], bool]:
        """What ``decode`` finds, and whether a symbol was located but could not be read.

        The second value lets the pipeline spend its rescue steps where a code
        probably is; a backend that cannot tell says False.
        """
        return self.decode(gray), False


class ZxingDecoder(Decoder):
    """zxing-cpp: the fastest and most tolerant here; reads dark mode natively."""

    name = "zxing"

    def __init__(self, binarizer: str = "local") -> None:
        import zxingcpp

        self._zx = zxingcpp
        self._formats = zxingcpp.BarcodeFormat.QRCode
        # "global" (one threshold for the image) reads some washed-out and glared
        # symbols the default local-average threshold loses
        self._binarizer = {
            "local": zxingcpp.Binarizer.LocalAverage,
            "global": zxingcpp.Binarizer.GlobalHistogram,
        }[binarizer]

    def decode(self, gray: np.ndarray) -> list[Detection]:
        return self.scan(gray)[0]

    def scan(self, gray: np.ndarray) -> tuple[list[Detection], bool]:
        # try_rotate only matters for 1-D codes; QR finder patterns are rotation-free.
        # return_errors costs nothing measurable and reports symbols found but not read.
        # Plain text: control characters stay characters (HRI mode spells them "<SOH>")
        found = self._zx.read_barcodes(gray, formats=self._formats, try_rotate=False,
                                       binarizer=self._binarizer, return_errors=True,
                                       text_mode=self._zx.TextMode.Plain)
        return [self._detection(b) for b in found if b.valid], any(not b.valid for b in found)

    def _detection(self, barcode: Any) -> Detection:  # a zxingcpp.Barcode (the module has no stubs)
        pos = barcode.position
        corners = (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        data = bytes(barcode.bytes)
        # zxing honours the symbol's character set (ECI, Shift JIS...), so its text beats ours
        is_binary = barcode.content_type == self._zx.ContentType.Binary
        text = None if is_binary else barcode.text
        return Detection(data, text, tuple((float(p.x), float(p.y)) for p in corners), self.name)


ZBAR_INSTALL_HINT = (
    "The zbar decoder needs the zbar library, which is not installed. "
    "Install it (Debian/Ubuntu: sudo apt-get install libzbar0; macOS: brew install zbar; "
    "Windows: it comes with pyzbar) or choose the zxing decoder."
)


class ZbarDecoder(Decoder):
    """pyzbar over the zbar C library, when that library is installed."""

    name = "zbar"

    def __init__(self) -> None:
        try:
            from pyzbar import pyzbar
        except ImportError as exc:  # pyzbar itself, or libzbar behind it, is missing
            raise DecoderUnavailable(self.name, ZBAR_INSTALL_HINT) from exc
        self._pyzbar = pyzbar
        self._symbols = [pyzbar.ZBarSymbol.QRCODE]

    def decode(self, gray: np.ndarray) -> list[Detection]:
        gray = np.ascontiguousarray(gray)
        found = self._pyzbar.decode(gray, symbols=self._symbols)
        return [self._detection(r) for r in found]

    def _detection(self, result: Any) -> Detection:  # a pyzbar Decoded (the module has no stubs)
        # zbar lists the outline as a polygon; its four corners are what an overlay needs
        points = tuple((float(p.x), float(p.y)) for p in result.polygon)
        if len(points) != 4:
            r = result.rect
            points = ((r.left, r.top), (r.left + r.width, r.top),
                      (r.left + r.width, r.top + r.height), (r.left, r.top + r.height))
        return Detection(result.data, _text_of(result.data), _clockwise(points), self.name)


class OpenCvDecoder(Decoder):
    """OpenCV's ArUco-based QR detector: no extra library, slower, less tolerant."""

    name = "opencv"

    def __init__(self) -> None:
        if not hasattr(cv2, "QRCodeDetectorAruco"):
            raise DecoderUnavailable(
                self.name,
                "This OpenCV has no QR detector. Install opencv-python-headless 4.8 or newer "
                "or choose the zxing decoder.",
            )
        self._detector = cv2.QRCodeDetectorAruco()

    def decode(self, gray: np.ndarray) -> list[Detection]:
        try:
            # the Bytes variant: the str one throws on symbols that are not UTF-8
            ok, payloads, points, _ = self._detector.detectAndDecodeBytesMulti(gray)
        except cv2.error:  # odd sizes (1xN images) make the detector throw
            return []
        if not ok or points is None:
            return []
        return [
            Detection(bytes(data), _text_of(bytes(data)), tuple((float(x), float(y)) for x, y in quad),
                      self.name)
            for data, quad in zip(payloads, points, strict=True)
            if data
        ]


_CLASSES: dict[str, type[Decoder]] = {
    "zxing": ZxingDecoder,
    "zbar": ZbarDecoder,
    "opencv": OpenCvDecoder,
}


def make_decoder(name: str) -> Decoder:
    """The backend called ``name``; "auto" is the best one that loads here."""
    if name == "auto":
        for candidate in BACKENDS:
            try:
                return make_decoder(candidate)
            except DecoderUnavailable:
                continue
        raise DecoderUnavailable("auto", "No QR decoder could be loaded. Reinstall the application.")
    try:
        cls = _CLASSES[name]
    except KeyError:
        choices = ", ".join(("auto", *BACKENDS))
        raise DecoderUnavailable(name, f"There is no decoder called {name!r}; choose one of {choices}.") from None
    try:
        return cls()
    except ImportError as exc:
        raise DecoderUnavailable(
            name,
            f"The {name} decoder is not installed ({exc}). "
            "Reinstall the application or choose another decoder.",
        ) from exc


def available_backends() -> dict[str, str | None]:
    """Each backend's name, mapped to None when it works or to why it does not."""
    status: dict[str, str | None] = {}
    for name in BACKENDS:
        try:
            make_decoder(name)
        except DecoderUnavailable as exc:
            status[name] = exc.message
        else:
            status[name] = None
    return status


def to_gray(image: np.ndarray) -> np.ndarray:
    """A 2-D uint8 view of a camera frame (BGR, BGRA or already grey)."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)

