"""Keep the counter's resident memory flat under a 30 fps camera (glibc only).

Each camera frame and its decoded copies are numpy buffers of 1-10 MB,
allocated and freed dozens of times a second on worker threads. glibc
serves the first ones with mmap and returns them on free, but after such a
free it raises its mmap threshold (up to 32 MB), so later frames come from
per-thread heaps that keep the freed memory: about 25 MB more RSS for no
use. A fixed threshold keeps big buffers on mmap (measured: 265 -> 240 MB
while scanning), and two arenas are plenty for our few threads.

PySide6 (6.12) looks at every module imported after it to see whether it
uses PySide's ``__feature__`` switches, with ``inspect.getsource``, which
keeps every source file it read in ``linecache``: ~20 MB of source lines
for SQLAlchemy, pydantic and the rest, for the life of the process.
:func:`lean_pyside_imports` answers the same question from the file
without keeping it; importing this module applies it when PySide6 is
already loaded (``terminal.app`` imports it right after PySide6).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value, now kept
ARENAS = 2


def _mentions_pyside(module: object) -> bool:
    """What PySide's own check answers ("PySide6" in the module's source), without keeping the source."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False  # built-in, extension or source-less: inspect.getsource finds nothing either
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def lean_pyside_imports() -> bool:
    """Stop PySide6's import hook from caching the source of every later import; True when applied."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False  # PySide6 not loaded yet, or a version without that check
    feature._mod_uses_pyside = _mentions_pyside  # type: ignore[attr-defined]  # looked up as a global per import
    return True


lean_pyside_imports()


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
