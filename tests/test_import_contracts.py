"""The import contracts that name modules one by one still name every module.

Two contracts in pyproject.toml cannot say "this package except ..." in
import-linter's terms, so they list modules: the scanner's Qt-free core, and
the parts of ``sync`` that must never import the hub server. A module added
later would slip past them unseen; these tests make adding it to the list
part of adding the module.
"""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def _contract(prefix: str) -> dict[str, Any]:
    found = [c for c in CONTRACTS if c["name"].startswith(prefix)]
    assert len(found) == 1, f"expected one contract named {prefix!r}..., found {len(found)}"
    contract: dict[str, Any] = found[0]
    return contract


def _children(package: str) -> set[str]:
    path = importlib.import_module(package).__path__
    return {f"{package}.{info.name}" for info in pkgutil.iter_modules(path)}


def test_every_scanner_module_but_the_qt_adapters_is_in_the_core_contract() -> None:
    adapters = {rule.split(" -> ")[0] for rule in _contract("Scanner core is Qt-free")["ignore_imports"]}
    assert adapters == {"terminal.scanner.worker", "terminal.scanner.wedge_filter"}
    core = _contract("Scanner core never imports the Qt adapters")
    assert adapters <= set(core["forbidden_modules"])
    assert set(core["source_modules"]) == _children("terminal.scanner") - adapters


def test_every_sync_module_outside_the_hub_is_kept_off_the_hub() -> None:
    contract = _contract("No hub server")
    assert "sync.hub" in contract["forbidden_modules"]
    assert set(contract["source_modules"]) == (_children("sync") - {"sync.hub"}) | {"terminal"}


def test_sync_outside_the_hub_is_kept_off_the_terminal() -> None:
    contract = _contract("Sync outside the hub never imports the terminal")
    assert contract["forbidden_modules"] == ["terminal"]
    assert set(contract["source_modules"]) == _children("sync") - {"sync.hub"}


def test_the_hub_may_use_the_domain_and_nothing_else_of_the_terminal() -> None:
    contract = _contract("The hub uses only the terminal's pure domain")
    assert contract["source_modules"] == ["sync.hub"]
    assert set(contract["forbidden_modules"]) == _children("terminal") - {"terminal.domain"}
