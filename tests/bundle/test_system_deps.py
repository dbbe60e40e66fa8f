"""packaging/system_deps.py: which Debian packages a machine lacks, and nothing to do when none."""

from __future__ import annotations

import ctypes.util
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "system_deps.py"


@pytest.fixture
def system_deps():
    spec = importlib.util.spec_from_file_location("system_deps", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_libraries_name_their_packages(system_deps, monkeypatch: pytest.MonkeyPatch) -> None:
    absent = {"zbar", "xcb-cursor"}
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None if name in absent else real(name) or name)
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    # the X libraries are wanted with or without a display: the window may be shown from another session
    for display in ("", ":0"):
        monkeypatch.setenv("DISPLAY", display)
        assert system_deps.missing_packages() == ["libxcb-cursor0", "libzbar0"]


def test_missing_test_programs_name_their_packages(system_deps, monkeypatch: pytest.MonkeyPatch) -> None:
    real = ctypes.util.find_library
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: real(name) or name)
    monkeypatch.setattr(shutil, "which", lambda name: None if name in ("Xvfb", "openbox") else f"/usr/bin/{name}")
    assert system_deps.missing_packages() == ["openbox", "xvfb"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the libraries are looked up on Linux")
def test_this_machine_has_what_the_tests_need_and_the_script_does_nothing() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and done.stderr == "", done.stderr
