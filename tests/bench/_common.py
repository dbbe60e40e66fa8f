"""Helpers shared by the benchmark scripts in tests/bench (not tests themselves)."""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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


class MemoryUnmeasurable(RuntimeError):
    """Peak memory cannot be read here: a bench must stop rather than report a number it did not measure."""


def reset_peak_rss(pid: int | str = "self") -> None:
    """Start a new peak-RSS window for ``pid`` (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError as exc:
        raise MemoryUnmeasurable(f"cannot reset the peak RSS of process {pid}: {exc}") from exc


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident memory of ``pid`` since its last :func:`reset_peak_rss` (or its start), in MiB.

    Raises MemoryUnmeasurable when the process is gone or the system has no
    /proc VmHWM, never returns 0 for "no data".
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError as exc:
        raise MemoryUnmeasurable(f"cannot read the memory of process {pid}: {exc}") from exc
    found = re.search(r"^VmHWM:\s+(\d+) kB$", status, re.M)
    if not found or int(found.group(1)) <= 0:
        raise MemoryUnmeasurable(f"process {pid} reports no peak RSS (VmHWM)")
    return round(int(found.group(1)) / 1024, 1)


@contextmanager
def measured_peak_rss() -> Iterator[dict[str, float]]:
    """Peak RSS of this process over the ``with`` block only: ``{"peak_rss_mb": ...}`` once it ends."""
    reset_peak_rss()
    result: dict[str, float] = {}
    yield result
    result["peak_rss_mb"] = peak_rss_mb()


def exit_status(targets: dict[str, bool]) -> int:
    """0 when every target is met; otherwise 1, naming the missed ones on stderr."""
    missed = [name for name, met in targets.items() if not met]
    if missed:
        print(f"targets missed: {', '.join(missed)}", file=sys.stderr, flush=True)
    return 1 if missed else 0


@contextmanager
def fresh_pg(url: str, prefix: str) -> Iterator[str]:
    """A new PostgreSQL database named ``prefix`` plus a random suffix on the server of ``url``,
    dropped afterwards; yields its URL. A failed drop is reported, never raised over the bench's
    own error."""
    import uuid

    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin_engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            with admin_engine.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except sa.exc.DBAPIError as exc:
            print(f"[postgresql] could not drop the bench database {name}: {exc}", file=sys.stderr)
        admin_engine.dispose()
