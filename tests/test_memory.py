"""The malloc settings the app makes at start-up (see terminal/memory.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

# A camera thread hands frames to a decoder thread that makes resized copies, with small
# long-lived allocations in between: the pattern that leaves freed frames resident.
PROBE = r"""
import sys, threading, queue, numpy as np, cv2
from terminal.memory import tame_malloc
def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS")) // 1024
if sys.argv[1] == "tamed":
    assert tame_malloc()
frames, kept = queue.Queue(maxsize=2), []
def camera():
    for i in range(300):
        kept.append(bytearray(100 + i))
        frames.put(np.full((720, 1280, 3), i % 255, np.uint8))
    frames.put(None)
def decoder():
    while (frame := frames.get()) is not None:
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        copies = cv2.resize(gray, None, fx=1.5, fy=1.5), cv2.resize(gray, None, fx=0.5, fy=0.5)
        del frame, gray, copies
start = rss()
threads = [threading.Thread(target=camera), threading.Thread(target=decoder)]
for t in threads: t.start()
for t in threads: t.join()
print(rss() - start)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_frames_freed_on_worker_threads_do_not_stay_resident() -> None:
    # In child processes: the settings are process-wide and must come before threads.
    grown = {mode: int(subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                                      check=True).stdout) for mode in ("plain", "tamed")}
    assert grown["tamed"] <= 4, grown  # without the settings: 7 to 19 MB here


TRIM_PROBE = r"""
import sys
from terminal.memory import release_free_memory
def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS")) // 1024
# 200 MB of small objects, then all freed but one at the top of the heap, which pins the rest
blocks = [bytearray(2000) for _ in range(100_000)]
last = bytearray(2000)
del blocks
before = rss()
released = release_free_memory()
print(released, before - rss())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_freed_heap_memory_is_handed_back() -> None:
    released, shrunk = subprocess.run([sys.executable, "-c", TRIM_PROBE], capture_output=True, text=True,
                                      check=True).stdout.split()
    assert released == "True"
    assert int(shrunk) >= 100, shrunk  # of the ~200 MB freed
