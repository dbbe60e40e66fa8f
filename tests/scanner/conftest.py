"""Scanner test helpers: reproducible card codes and QR frames."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pytest

from terminal.domain.codes import ALPHABET, BODY_LENGTH, check_character, payload_for
from terminal.scanner.decoders import BACKENDS, DecoderUnavailable, make_decoder


def seeded_codes(count: int, seed: int = 3) -> list[str]:
    rng = np.random.default_rng(seed)
    bodies = ("".join(rng.choice(list(ALPHABET), BODY_LENGTH)) for _ in range(count))
    return [body + check_character(body) for body in bodies]


CODES = seeded_codes(8)
PAYLOADS = [payload_for(c) for c in CODES]


def available_backends() -> list[str]:
    names = []
    for name in BACKENDS:
        try:
            make_decoder(name)
        except DecoderUnavailable:
            continue
        names.append(name)
    return names


@pytest.fixture(params=available_backends())
def backend(request: pytest.FixtureRequest) -> str:
    return request.param
