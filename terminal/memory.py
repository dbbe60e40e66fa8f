"""Keep the counter's resident memory flat under a 30 fps camera (glibc only).

Each camera frame and its decoded copies are numpy buffers of 1-10 MB,
allocated and freed dozens of times a second on worker threads. glibc
serves the first ones with mmap and returns them on free, but after such a
free it raises its mmap threshold (up to 32 MB), so later frames come from
per-thread heaps that keep the freed memory: about 25 MB more RSS for no
use. A fixed threshold keeps big buffers on mmap (measured: 265 -> 240 MB
while scanning), and two arenas are plenty for our few threads.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value, now kept
ARENAS = 2


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def release_free_memory() -> bool:
    """Hand memory freed inside malloc's heaps back to the system (glibc ``malloc_trim``).

    Freed small objects leave pages resident wherever a live allocation sits
    above them in the heap; trimming returns those pages. It walks every
    arena (a few ms), so call it now and then from a worker, not per frame.
    True when glibc released something.
    """
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None)
    if trim is None:  # not glibc
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return bool(trim(0))


def tame_malloc() -> bool:
    """Call once at start-up, before threads start; True when glibc took the settings."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and other C libraries have no mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_ARENA_MAX, ARENAS))
