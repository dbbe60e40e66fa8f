"""Writes the counter's three sounds as small WAV files beside this script (stdlib only).

    python resources/sounds/make_sounds.py

Each sound is a few sine tones with a short fade in and out (no clicks),
16-bit mono at 16 kHz: a few kilobytes each. They are told apart by pitch and
shape, not loudness: card read is one short high blip, success a rising pair,
refusal a falling, longer pair a little rougher in tone.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 16_000
FADE_S = 0.008
VOLUME = 0.45

# name -> [(frequency Hz, seconds, overtone share)], played one after the other
SOUNDS: dict[str, list[tuple[float, float, float]]] = {
    "card_read": [(1568.0, 0.07, 0.0)],
    "success": [(1046.5, 0.09, 0.0), (1568.0, 0.16, 0.0)],
    "refusal": [(392.0, 0.16, 0.25), (261.6, 0.26, 0.25)],
}


def tone(frequency: float, seconds: float, overtone: float) -> list[float]:
    count = int(RATE * seconds)
    fade = int(RATE * FADE_S)
    samples = []
    for n in range(count):
        t = n / RATE
        value = math.sin(2 * math.pi * frequency * t) + overtone * math.sin(2 * math.pi * 3 * frequency * t)
        envelope = min(1.0, n / fade, (count - 1 - n) / fade)
        samples.append(value / (1 + overtone) * envelope)
    return samples


def write(path: Path, parts: list[tuple[float, float, float]]) -> None:
    samples = [s for part in parts for s in tone(*part)]
    frames = b"".join(struct.pack("<h", round(s * VOLUME * 32767)) for s in samples)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def main() -> None:
    here = Path(__file__).resolve().parent
    for name, parts in SOUNDS.items():
        write(here / f"{name}.wav", parts)
        print(f"{name}.wav")


if __name__ == "__main__":
    main()
