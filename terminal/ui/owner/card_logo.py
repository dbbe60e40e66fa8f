"""The logo printed on customers' cards: one image file in the data folder, checked and bounded.

Kept outside the database (a picture is not ledger data and does not sync):
``card_logo.png`` next to the store's database, written privately and
atomically. What the owner picks is checked before anything is written — a
file of at most 5 MB that Qt reads as an image of at most 6000 x 6000 pixels
(read in a worker, never on the GUI thread) — and stored scaled down to at
most 600 pixels a side, so every later print reads a small file.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader

from terminal.domain.errors import ErrorCode, LoyaltyError

LOGO_FILE = "card_logo.png"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_SOURCE_SIDE = 6000
MIN_SOURCE_SIDE = 16
STORED_SIDE = 600


def logo_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOGO_FILE


def _refuse(message: str) -> LoyaltyError:
    return LoyaltyError(ErrorCode.INVALID_INPUT, message)


def read_image(path: Path, max_bytes: int = MAX_FILE_BYTES) -> QImage:
    """``path`` as an image, or a refusal saying what is wrong with it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(f"Could not read {path}: {exc.strerror or exc}.") from None
    if size > max_bytes:
        raise _refuse(f"{path.name} is {size // 1024:,} KB; a logo file has at most {max_bytes // 1024 // 1024} MB. "
                      "Save a smaller copy (PNG or JPEG) and pick that.")
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    dimensions = reader.size()
    if not reader.canRead() or not dimensions.isValid():
        raise _refuse(f"{path.name} is not an image this program can read. Pick a PNG or JPEG file.")
    if max(dimensions.width(), dimensions.height()) > MAX_SOURCE_SIDE:
        raise _refuse(f"{path.name} is {dimensions.width()} x {dimensions.height()} pixels; a logo has at most "
                      f"{MAX_SOURCE_SIDE} pixels a side. Save a smaller copy and pick that.")
    if min(dimensions.width(), dimensions.height()) < MIN_SOURCE_SIDE:
        raise _refuse(f"{path.name} is only {dimensions.width()} x {dimensions.height()} pixels; it would print "
                      "as a blur. Pick a larger image.")
    image = reader.read()
    if image.isNull():
        raise _refuse(f"{path.name} could not be read as an image ({reader.errorString()}). Pick a PNG or "
                      "JPEG file.")
    return image


def save_logo(data_dir: Path, source: Path) -> QImage:
    """Check ``source``, store it (scaled) as the card logo and return what was stored."""
    image = read_image(Path(source))
    if max(image.width(), image.height()) > STORED_SIDE:
        image = image.scaled(QSize(STORED_SIDE, STORED_SIDE), Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    target = logo_path(data_dir)
    partial = target.with_name(f".{LOGO_FILE}.part.png")  # the suffix tells Qt the format
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    if not image.save(str(partial)):
        partial.unlink(missing_ok=True)
        raise _refuse(f"Could not write the logo into {data_dir}. Check that the data folder can be written.")
    os.replace(partial, target)
    return image


def load_logo(data_dir: Path) -> QImage | None:
    """The stored logo, or None when there is none (or it can no longer be read: cards print without)."""
    path = logo_path(data_dir)
    if not path.is_file():
        return None
    try:
        return read_image(path)
    except LoyaltyError:
        return None


def remove_logo(data_dir: Path) -> None:
    logo_path(data_dir).unlink(missing_ok=True)
