"""The sound port: shipped WAVs, a real player process, silence when off or when no sound card answers.

There is no sound card here, so the "player" is a small real program that
records which file it was asked to play (or fails the way aplay does without
a device); everything up to it is the app's code.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import time
import wave
from pathlib import Path

import pytest

from terminal.ui.resources import resources_dir
from terminal.ui.sounds import (
    EVENTS,
    GIVE_UP_AFTER,
    PlayerSounds,
    Silent,
    make_sounds,
    sound_file,
)

SOUNDS = resources_dir() / "sounds"
RECORDING_PLAYER = """
import sys, time
with open(sys.argv[1], "a") as log:
    log.write(sys.argv[-1] + "\\n")
time.sleep(float(sys.argv[2]))
sys.exit(int(sys.argv[3]))
"""


@pytest.fixture
def player(tmp_path: Path):
    """A command line for a player that logs the file, plays for ``seconds`` and exits with ``code``."""
    script = tmp_path / "player.py"
    script.write_text(RECORDING_PLAYER)
    log = tmp_path / "played.log"

    def command(seconds: float = 0.0, code: int = 0) -> tuple[str, ...]:
        return (sys.executable, str(script), str(log), str(seconds), str(code))

    command.log = log
    return command


def played(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def close_after():
    ports = []
    yield ports.append
    for port in ports:
        port.close()


def test_each_event_has_its_own_short_small_wav() -> None:
    digests = set()
    for event in EVENTS:
        path = sound_file(event)
        assert path.parent == SOUNDS and path.exists()
        with wave.open(str(path)) as wav:
            seconds = wav.getnframes() / wav.getframerate()
            assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        assert 0.05 <= seconds <= 0.5
        assert path.stat().st_size < 20_000
        digests.add(hashlib.sha256(path.read_bytes()).hexdigest())
    assert len(digests) == len(EVENTS)


def test_the_committed_wavs_are_what_the_script_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_sounds", SOUNDS / "make_sounds.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.SOUNDS) == set(EVENTS)
    for event, parts in module.SOUNDS.items():
        module.write(tmp_path / f"{event}.wav", parts)
        assert (tmp_path / f"{event}.wav").read_bytes() == sound_file(event).read_bytes()


def test_events_play_their_own_files_in_a_player_process(qtbot, player, close_after) -> None:
    port = make_sounds("on", player=player())
    close_after(port)
    assert isinstance(port, PlayerSounds)
    for n, event in enumerate(EVENTS, start=1):
        port.play(event)
        qtbot.waitUntil(lambda n=n: len(played(player.log)) == n and port.playing == 0, timeout=10_000)
    assert played(player.log) == [str(sound_file(event)) for event in EVENTS]
    assert port.failures == 0


def test_play_never_waits_for_the_sound(qtbot, player, close_after) -> None:
    port = make_sounds("on", player=player(seconds=5))
    close_after(port)
    started = time.perf_counter()
    port.play("success")
    port.play("refusal")  # cuts the first one short
    assert time.perf_counter() - started < 0.2
    qtbot.waitUntil(lambda: port.playing == 1, timeout=10_000)
    port.close()
    assert port.playing == 0


def test_off_is_silent(qtbot, player) -> None:
    port = make_sounds("off", player=player())
    assert isinstance(port, Silent)
    for event in EVENTS:
        port.play(event)
    qtbot.wait(300)
    assert played(player.log) == []


def test_no_player_installed_is_silent(qtbot, tmp_path: Path, close_after) -> None:
    port = make_sounds("on", player=(str(tmp_path / "no-such-player"),))
    close_after(port)
    for _ in range(GIVE_UP_AFTER):
        port.play("card_read")
        qtbot.waitUntil(lambda: port.playing == 0, timeout=10_000)
    assert port.gave_up
    port.play("success")
    assert port.attempts == GIVE_UP_AFTER  # no more processes once nothing answers


def test_no_sound_card_is_silent_and_stops_trying(qtbot, player, close_after) -> None:
    port = make_sounds("on", player=player(code=1))  # aplay without a device exits 1
    close_after(port)
    for _ in range(GIVE_UP_AFTER):
        port.play("refusal")
        qtbot.waitUntil(lambda: port.playing == 0, timeout=10_000)
    port.play("refusal")
    assert port.gave_up and port.attempts == GIVE_UP_AFTER


def test_an_unknown_event_raises_nothing(player, close_after) -> None:
    port = make_sounds("on", player=player())
    close_after(port)
    port.play("fanfare")
    assert port.attempts == 0
