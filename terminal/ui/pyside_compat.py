"""Work around PySide6 6.12.0's reference counting of None, True and False on CPython 3.11.

PySide6 6.12.0 returns ``None`` from void methods (``widget.update()``,
``timer.start()``, ``processEvents()``...) and ``True`` from
``Signal.emit()`` without a new reference, as if they were immortal; they
are immortal only from Python 3.12 on. On 3.11 every such call takes one
reference away, and after some thousands of calls (a 30 fps camera makes
hundreds a second) CPython aborts with "none_dealloc" or "bool_dealloc".

``make_singletons_immortal()`` measures whether this PySide loses
references, and only then does what Python 3.12 does: it gives the three
singletons a reference count so large it cannot run out. Call it once at
start-up, before the window exists (the composition root does). The real fix
is a PySide6 that does not lose them, or Python 3.12+.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer, Signal

_PROBES = 16
_SPARE_REFERENCES = 1 << 40  # a million years of calls at a million a second


class _Probe(QObject):
    fired = Signal()


def references_lost() -> bool:
    """True if void calls or emits of this PySide take references from None or True."""
    probe, timer = _Probe(), QTimer()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(_PROBES):
        timer.stop()
        probe.fired.emit()
    return (none_before - sys.getrefcount(None) >= _PROBES // 2
            or true_before - sys.getrefcount(True) >= _PROBES // 2)


def make_singletons_immortal() -> bool:
    """Returns whether the workaround was needed (and applied)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or not references_lost():
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object; id() is the object's address
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _SPARE_REFERENCES:
            count.value += _SPARE_REFERENCES
    return True
