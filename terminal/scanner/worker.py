"""``CameraScanner``: the Qt face of the camera scanner.

Capture and decoding each run in their own thread; the decoder always takes
the newest frame from a one-slot mailbox, so it works at whatever rate this
machine sustains and never on stale frames. Threads hand results to the GUI
thread through a queued signal, and the public signals are emitted there,
so receivers never run in a worker thread whatever they connect.
"""

from __future__ import annotations

import logging
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from terminal.memory import release_free_memory
from terminal.scanner.capture import CaptureThread
from terminal.scanner.config import ScannerConfig
from terminal.scanner.confirm import Confirmer
from terminal.scanner.decoders import Decoder, DecoderUnavailable, make_decoder
from terminal.scanner.events import CameraState, CameraStatus, Outline, PreviewFrame
from terminal.scanner.mailbox import LatestOnly
from terminal.scanner.pipeline import FrameDecoder, ScanPipeline
from terminal.scanner.sources import Frame, FrameSource, open_source

log = logging.getLogger(__name__)

# outlines older than this are gone from the preview: the card has moved on
OUTLINE_TTL_S = 0.5
# a decoder that fails on every frame would log 30 lines a second: one per this many seconds
FAILURE_LOG_INTERVAL_S = 60.0
# frames and their copies churn the heap on this thread; freed pages go back this often
TRIM_INTERVAL_S = 10.0


def choose_decoder(name: str) -> tuple[Decoder, str | None]:
    """The decoder the setting names, or the best available one and a note why not."""
    try:
        return make_decoder(name), None
    except DecoderUnavailable as exc:
        if name == "auto":
            raise
        return make_decoder("auto"), exc.message


class FailureLog:
    """Logs decoder failures without flooding: the first with its traceback, then a count now and then."""

    def __init__(self, interval_s: float = FAILURE_LOG_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval_s = interval_s
        self._clock = clock
        self._last_logged: float | None = None
        self._unlogged = 0

    def failed(self, exc: BaseException) -> None:
        now = self._clock()
        if self._last_logged is not None and now - self._last_logged < self.interval_s:
            self._unlogged += 1
            return
        if self._last_logged is None:
            log.error("the QR decoder failed on a camera frame; scanning goes on", exc_info=exc)
        else:
            log.error("the QR decoder failed on %d more camera frames in the last %.0f s; latest: %s: %s",
                      self._unlogged + 1, now - self._last_logged, type(exc).__name__, exc)
        self._last_logged = now
        self._unlogged = 0


class DecodeThread(threading.Thread):
    def __init__(self, frames: LatestOnly[Frame], pipeline: ScanPipeline,
                 deliver: Callable[[str, object], None], failures: FailureLog | None = None) -> None:
        super().__init__(name="scanner-decode", daemon=True)
        self._frames = frames
        self._pipeline = pipeline
        self._deliver = deliver
        self._failures = failures or FailureLog()
        self._stop_event = threading.Event()
        self.outlines: tuple[tuple[Outline, ...], float] = ((), 0.0)
        self.decoded = 0
        self.failed = 0
        # decode CPU time (ms) of recent frames in which nothing was read: what an idle counter costs
        self.idle_cpu_ms: deque[float] = deque(maxlen=900)

    def stop(self, timeout: float = 3.0) -> None:
        self._stop_event.set()
        self._frames.close()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def run(self) -> None:
        trimmed_at = time.monotonic()
        while not self._stop_event.is_set():
            if time.monotonic() - trimmed_at >= TRIM_INTERVAL_S:
                release_free_memory()
                trimmed_at = time.monotonic()
            frame = self._frames.take(timeout=0.5)
            if frame is None:
                continue
            cpu_started = time.thread_time()
            try:
                outcome = self._pipeline.process(frame.image, frame.captured_at)
            except Exception as exc:  # noqa: BLE001 - one odd frame must not end scanning; the next one may be fine
                self.failed += 1
                self._failures.failed(exc)
                continue
            self.decoded += 1
            if not outcome.decode.detections:
                self.idle_cpu_ms.append((time.thread_time() - cpu_started) * 1000.0)
            self.outlines = (outcome.outlines, frame.captured_at)
            if outcome.card:
                self._deliver("card", outcome.card)
            if outcome.rejection:
                self._deliver("rejection", outcome.rejection)


class CameraScanner(QObject):
    """Camera -> card codes. Create in the GUI thread; ``start()``, then ``stop()`` before closing.

    Signals (all emitted in the GUI thread):
      ``card_scanned(CardScan)``   a confirmed card, once per visit
      ``not_a_card(Rejection)``    a QR that is not a loyalty card (message for the cashier)
      ``status_changed(CameraStatus)``  camera state in words
      ``preview_ready()``          a new frame is waiting in ``take_preview()``
    """

    card_scanned = Signal(object)
    not_a_card = Signal(object)
    status_changed = Signal(object)
    preview_ready = Signal()
    _relay = Signal(int, str, object)

    def __init__(self, config: ScannerConfig | None = None, *, source: FrameSource | None = None,
                 decoder: Decoder | None = None, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config or ScannerConfig()
        size = (self.config.frame_width, self.config.frame_height)
        self.source = source or open_source(self.config.camera, self.config.demo_codes, size)
        if decoder is None:
            decoder, note = choose_decoder(self.config.decoder)
            if note:
                log.warning("scanner decoder %r is not available, using %s: %s",
                            self.config.decoder, decoder.name, note)
        self.decoder = decoder
        self._clock = clock
        self._frames: LatestOnly[Frame] = LatestOnly()
        self._previews: LatestOnly[Frame] = LatestOnly()
        self._capture: CaptureThread | None = None
        self._decode: DecodeThread | None = None
        self._generation = 0
        self._status = self._stopped()
        self._relay.connect(self._on_relay, Qt.ConnectionType.QueuedConnection)

    # -- control (GUI thread) -------------------------------------------------

    def start(self) -> None:
        """Start capturing and decoding; returns at once (the camera opens in the background)."""
        if self.is_running:
            return
        self._generation += 1
        generation = self._generation
        self._frames.reopen()
        self._previews.reopen()
        pipeline = self._make_pipeline()
        self._decode = DecodeThread(
            self._frames, pipeline, lambda kind, value: self._relay.emit(generation, kind, value)
        )
        self._capture = CaptureThread(
            self.source,
            on_frame=lambda frame: self._on_frame(generation, frame),
            on_status=lambda status: self._relay.emit(generation, "status", status),
            retry_interval_s=self.config.retry_interval_s,
            clock=self._clock,
        )
        self._decode.start()
        self._capture.start()

    def stop(self) -> None:
        """Stop both threads and release the camera; returns within a few seconds at most."""
        capture, decode = self._capture, self._decode
        self._capture = self._decode = None
        self._generation += 1  # anything still queued from the old threads is dropped
        if capture:
            capture.stop()
        if decode:
            decode.stop()
        self._set_status(self._stopped())

    @property
    def is_running(self) -> bool:
        return self._capture is not None

    @property
    def status(self) -> CameraStatus:
        return self._status

    def take_preview(self) -> PreviewFrame | None:
        """The newest frame with the outlines found on it, or None if none is new."""
        frame = self._previews.take_nowait()
        if frame is None:
            return None
        outlines, seen_at = self._decode.outlines if self._decode else ((), 0.0)
        if frame.captured_at - seen_at > OUTLINE_TTL_S:
            outlines = ()
        return PreviewFrame(frame.image, outlines, frame.captured_at)

    def stats(self) -> dict[str, int]:
        """Frames captured, decoded, skipped (a newer one arrived) and failed since start."""
        return {
            "captured": self._capture.frames if self._capture else 0,
            "decoded": self._decode.decoded if self._decode else 0,
            "skipped": self._frames.replaced,
            "failed": self._decode.failed if self._decode else 0,
        }

    def idle_decode_ms(self) -> tuple[float, float] | None:
        """Median and mean decode CPU ms of recent frames with nothing read (None before any).

        Both, because an idle counter decodes only every other frame: the median of
        frames costing ~0 and ~1.5 ms lands between them, the mean is the cost per frame.
        """
        costs = list(self._decode.idle_cpu_ms) if self._decode else []
        return (statistics.median(costs), statistics.fmean(costs)) if costs else None

    # -- internals ------------------------------------------------------------

    def _stopped(self) -> CameraStatus:
        return CameraStatus(CameraState.STOPPED, "The camera is off.", self.source.description, "stopped",
                            self.source.params())

    def _make_pipeline(self) -> ScanPipeline:
        cfg = self.config
        frame_decoder = FrameDecoder(self.decoder, cfg.fallback, cfg.fallback_budget_ms)
        confirmer = Confirmer(cfg.confirm_reads, cfg.confirm_window_s, cfg.repeat_window_s)
        return ScanPipeline(frame_decoder, confirmer, clock=self._clock)

    def _on_frame(self, generation: int, frame: Frame) -> None:  # capture thread
        self._frames.put(frame)
        if self._previews.put(frame):  # only one notice in flight: the GUI takes the newest
            self._relay.emit(generation, "preview", None)

    @Slot(int, str, object)
    def _on_relay(self, generation: int, kind: str, value: object) -> None:  # GUI thread
        if generation != self._generation:
            return
        if kind == "card":
            self.card_scanned.emit(value)
        elif kind == "rejection":
            self.not_a_card.emit(value)
        elif kind == "status":
            self._set_status(value)
        elif kind == "preview":
            self.preview_ready.emit()

    def _set_status(self, status: CameraStatus) -> None:
        if status != self._status:
            self._status = status
            self.status_changed.emit(status)
