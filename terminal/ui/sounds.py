"""The counter's sounds: card read, success, refusal.

The counter flow calls a small port, ``play(event)``; the app passes a real
one. Qt's QSoundEffect lives in QtMultimedia, which PySide6-Essentials does
not ship (it is in PySide6-Addons, a far larger download), so the WAV files
in ``resources/sounds`` are handed to the platform's own player: ``winsound``
on Windows, ``afplay`` on macOS, PipeWire, PulseAudio or ALSA's player on
Linux. Playing never blocks (a child process reaped by a timer, or winsound's
async flag) and never raises; a machine without a player or without a sound
card stays silent, and after a few failures in a row the player is not tried
again.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer

from terminal.ui.resources import resources_dir

log = logging.getLogger(__name__)

EVENTS = ("card_read", "success", "refusal")
# each player with the arguments that keep it quiet on the terminal; the file comes last
_PLAYERS: tuple[tuple[str, ...], ...] = (("pw-play",), ("paplay",), ("aplay", "-q"), ("afplay",))
GIVE_UP_AFTER = 3  # failures in a row: no sound card answers, stop starting players
REAP_INTERVAL_MS = 200


class SoundPort(Protocol):
    def play(self, event: str) -> None: ...


def sound_file(event: str, folder: Path | None = None) -> Path:
    return (folder or resources_dir() / "sounds") / f"{event}.wav"


class Silent:
    """Sounds switched off, or nothing here can play them."""

    def play(self, event: str) -> None:
        pass

    def close(self) -> None:
        pass


class PlayerSounds(QObject):
    """Plays each event's WAV with an external player, one sound at a time (a new one cuts the old)."""

    def __init__(self, command: Sequence[str], folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.command = tuple(command)
        self.files = {event: sound_file(event, folder) for event in EVENTS}
        self.failures = 0
        self.attempts = 0
        self._running: list[subprocess.Popen] = []
        self._reaper = QTimer(self)
        self._reaper.setInterval(REAP_INTERVAL_MS)
        self._reaper.timeout.connect(self.reap)

    @property
    def gave_up(self) -> bool:
        return self.failures >= GIVE_UP_AFTER

    @property
    def playing(self) -> int:
        return len(self._running)

    def play(self, event: str) -> None:
        path = self.files.get(event)
        if path is None:
            log.warning("no sound for %r", event)
            return
        if self.gave_up or not path.exists():
            return
        for old in self._running:
            old.kill()  # the newest event is the one the cashier needs to hear
        self.attempts += 1
        try:
            process = subprocess.Popen([*self.command, str(path)], stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:  # the player is gone
            self.failures += 1
            return
        self._running.append(process)
        self._reaper.start()

    def reap(self) -> None:
        """Collect finished players; a player that cannot open the sound card exits with an error."""
        for process in list(self._running):
            code = process.poll()
            if code is None:
                continue
            self._running.remove(process)
            if code >= 0:  # negative: cut short by a newer sound
                self.failures = 0 if code == 0 else self.failures + 1
        if not self._running:
            self._reaper.stop()

    def close(self) -> None:
        """Stop what is still playing and collect it."""
        self._reaper.stop()
        for process in self._running:
            process.kill()
            process.wait(timeout=2)
        self._running.clear()


class WindowsSounds:
    """winsound plays asynchronously from memory-mapped files; it raises when no device answers."""

    def __init__(self, folder: Path | None = None) -> None:
        import winsound

        self._winsound = winsound
        self.files = {event: sound_file(event, folder) for event in EVENTS}

    def play(self, event: str) -> None:
        path = self.files.get(event)
        if path is None or not path.exists():
            return
        winsound: Any = self._winsound  # typeshed declares winsound's names on Windows only
        flags = winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT
        with contextlib.suppress(RuntimeError):  # no sound device: silent
            winsound.PlaySound(str(path), flags)

    def close(self) -> None:
        pass


def find_player() -> tuple[str, ...] | None:
    for command in _PLAYERS:
        found = shutil.which(command[0])
        if found:
            return (found, *command[1:])
    return None


def make_sounds(setting: str, parent: QObject | None = None,
                player: Sequence[str] | None = None) -> PlayerSounds | WindowsSounds | Silent:
    """The port for the ``sounds`` setting: silent when off or when nothing here can play a WAV."""
    if setting != "on":
        return Silent()
    if player is None and sys.platform == "win32":
        return WindowsSounds()
    command = tuple(player) if player is not None else find_player()
    if not command:
        return Silent()
    return PlayerSounds(command, parent=parent)
