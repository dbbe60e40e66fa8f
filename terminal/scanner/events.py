"""What the scanner reports: plain immutable values, no Qt.

They travel through Qt signals as ``object`` so receivers get typed
attributes instead of positional tuples.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window imports these events long before the camera starts and numpy loads
    import numpy as np

Point = tuple[float, float]


@dataclasses.dataclass(frozen=True)
class CardScan:
    """A card accepted by the scanner, ready for lookup."""

    code: str  # canonical 10-character card code
    source: str  # "camera", "wedge" or "manual"
    points: tuple[Point, ...] = ()  # symbol corners in frame pixels; empty for typed codes
    frame_size: tuple[int, int] | None = None  # (width, height) the points refer to
    decoder: str = ""  # backend (and fallback step) that read it, e.g. "zxing" or "zxing+half"
    # milliseconds: "decode" (this frame), "capture_to_result" (frame taken -> accepted),
    # "confirm" (first read -> accepted)
    timings: Mapping[str, float] = dataclasses.field(default_factory=dict)
    at: float = 0.0  # monotonic seconds when accepted


@dataclasses.dataclass(frozen=True)
class Rejection:
    """Something was read that must not be looked up; ``message`` is for the cashier."""

    source: str
    error_code: str  # terminal.domain.errors.ErrorCode value
    message: str
    points: tuple[Point, ...] = ()
    at: float = 0.0


class CameraState(enum.Enum):
    STARTING = "starting"
    RUNNING = "running"
    NO_CAMERA = "no camera"
    RETRYING = "retrying"
    STOPPED = "stopped"


# Camera status codes (``CameraStatus.code``): the window words each one in its
# own language from the code and ``params``; ``message`` is the English
# sentence, for logs and the command line.
#   starting, running, retrying: {source}; stopped: {}
#   no_camera: the problem's code and params (CameraError) plus {seconds}
SourceParams = tuple[tuple[str, str], ...]


@dataclasses.dataclass(frozen=True)
class CameraStatus:
    state: CameraState
    message: str  # an English sentence: logs, the command line
    source: str = ""  # e.g. "camera 0", "demo camera", "video clip.mp4"
    code: str = ""  # what happened, for the window to put in words: see above
    # the code's values as (name, value) pairs; "source_kind"/"source_name" name the camera
    params: SourceParams = ()

    def param(self, name: str, default: str = "") -> str:
        return dict(self.params).get(name, default)


@dataclasses.dataclass(frozen=True)
class Outline:
    """A symbol drawn on the preview: ``kind`` is "card", "reading" or "not_card"."""

    points: tuple[Point, ...]
    kind: str


@dataclasses.dataclass(frozen=True)
class PreviewFrame:
    image: np.ndarray  # BGR uint8, as captured; do not modify
    outlines: tuple[Outline, ...]
    captured_at: float
