"""Render the app icon from resources/icons/loyalty-terminal.svg into every format a platform wants.

Run after changing the SVG: ``python packaging/icons/make_icons.py``. The
outputs are committed, so a build needs neither this script nor a display.
PNG sizes follow the freedesktop hicolor theme. The .ico and .icns hold
PNG-compressed images (supported since Windows Vista and macOS 10.7) and
are assembled here byte by byte, so no extra tool is needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[1] / "resources" / "icons" / "loyalty-terminal.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_TYPES = {b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic10": 1024}


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def ico(renderer: QSvgRenderer) -> bytes:
    images = [png_bytes(render(renderer, size)) for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    for size, data in zip(ICO_SIZES, images, strict=True):
        side = size % 256  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return header + entries + b"".join(images)


def icns(renderer: QSvgRenderer) -> bytes:
    body = b""
    for kind, size in ICNS_TYPES.items():
        data = png_bytes(render(renderer, size))
        body += kind + struct.pack(">I", len(data) + 8) + data
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - Qt needs one
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"cannot read {SOURCE}", file=sys.stderr)
        return 1
    for size in PNG_SIZES:
        render(renderer, size).save(str(HERE / f"loyalty-terminal-{size}.png"))
    render(renderer, 256).save(str(SOURCE.with_suffix(".png")))
    (HERE / "loyalty-terminal.ico").write_bytes(ico(renderer))
    (HERE / "loyalty-terminal.icns").write_bytes(icns(renderer))
    print(f"icons written to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
