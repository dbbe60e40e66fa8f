"""Helpers shared by the benchmark scripts in tests/bench (not tests themselves)."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from pathlib import Path


def isolated_env(config_dir: Path) -> None:
    """Production settings, but nothing of this machine's or the developer's.

    Every ``LOYALTY_*`` override goes (the test suite's cheap Argon2 would
    make PIN timings meaningless), and the PIN key lives in a file under
    ``config_dir`` instead of the OS keyring.
    """
    for name in [n for n in os.environ if n.startswith("LOYALTY_")]:
        del os.environ[name]
    os.environ["LOYALTY_CONFIG_DIR"] = str(config_dir)
    os.environ["LOYALTY_SECRET_BACKEND"] = "file"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def print_result(result: dict) -> None:
    """The last line a benchmark prints: one JSON object, for CI and for people comparing runs."""
    print(json.dumps(result, sort_keys=True), flush=True)
