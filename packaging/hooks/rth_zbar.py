"""Runtime hook: let pyzbar find the libzbar the bundle carries.

pyzbar asks ``ctypes.util.find_library("zbar")``, which only searches the
system (ldconfig); on a machine without libzbar0 that is None and the zbar
decoder would be reported missing although the bundle ships it.
"""

import ctypes.util
import glob
import os
import sys

_system_find_library = ctypes.util.find_library


def _find_library(name: str) -> str | None:
    if name == "zbar":
        # libzbar.so.0 on Linux, libzbar.0.dylib on macOS; Windows needs no help
        # (pyzbar loads the DLLs it ships from its own folder).
        bundled = sorted(glob.glob(os.path.join(sys._MEIPASS, "libzbar.so*"))
                         + glob.glob(os.path.join(sys._MEIPASS, "libzbar*.dylib")))
        if bundled:
            return bundled[0]
    return _system_find_library(name)


ctypes.util.find_library = _find_library
