"""Static proof that the ports the syncer is given implement ``sync.port.SyncPort``.

Nothing here runs: mypy checks this module (``[tool.mypy] files`` in pyproject.toml) in strict
mode, and tests/test_gates.py fails on any error in it. A method of the terminal's port (or of
the test double) whose name, parameters or return type drift from the Protocol makes the
``return`` below an error. When the port moves, only its import line here changes.
"""

from __future__ import annotations

from sync.port import SyncPort
from terminal.store.sync_port import StoreSyncPort
from tests.sync.terminal_double import TerminalDouble


def terminal_store_port(port: StoreSyncPort) -> SyncPort:
    return port


def double_port(port: TerminalDouble) -> SyncPort:
    return port
