"""The layering of docs/architecture.md, checked by import-linter against the contracts in pyproject.toml.

The verdict is import-linter's exit status, cross-checked against its
report: every contract declared in pyproject.toml must appear in the report
as KEPT (a contract that was not checked at all is as bad as a broken one),
and the summary line must count them all as kept and none as broken.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# "Name KEPT", or "Name KEPT (3 ignored imports)" for a contract with ignore_imports
VERDICT = re.compile(r"^(?P<name>.+?) (?P<verdict>KEPT|BROKEN)(?: \(\d+ ignored imports?\))?$", re.M)
SUMMARY = re.compile(r"^Contracts: (?P<kept>\d+) kept, (?P<broken>\d+) broken\.$", re.M)


def lint_imports(config: Path) -> tuple[int, dict[str, str], tuple[int, int], str]:
    """Exit status, verdict per contract name, (kept, broken) from the summary, and the raw output."""
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([exe, "--no-cache", "--no-logo", str(config)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    verdicts = {m["name"].strip(): m["verdict"] for m in VERDICT.finditer(result.stdout)}
    summary = SUMMARY.search(result.stdout)
    counts = (int(summary["kept"]), int(summary["broken"])) if summary else (-1, -1)
    return result.returncode, verdicts, counts, output


def declared_contracts(config: Path) -> list[str]:
    with config.open("rb") as f:
        return [c["name"] for c in tomllib.load(f)["tool"]["importlinter"]["contracts"]]


def test_import_contracts_hold():
    config = ROOT / "pyproject.toml"
    declared = declared_contracts(config)
    status, verdicts, counts, output = lint_imports(config)
    assert status == 0, output
    assert verdicts == dict.fromkeys(declared, "KEPT"), output
    assert counts == (len(declared), 0), output


def test_a_broken_contract_is_read_as_broken(tmp_path):
    """The reading above must see a failure: a contract the UI is bound to break."""
    config = ROOT / "pyproject.toml"
    text = config.read_text(encoding="utf-8")
    text += ('\n[[tool.importlinter.contracts]]\nname = "UI without Qt (cannot hold)"\ntype = "forbidden"\n'
             'source_modules = ["terminal.ui"]\nforbidden_modules = ["PySide6"]\n')
    broken_config = tmp_path / "pyproject.toml"
    broken_config.write_text(text, encoding="utf-8")
    declared = declared_contracts(broken_config)
    status, verdicts, counts, output = lint_imports(broken_config)
    assert status != 0, output
    assert verdicts["UI without Qt (cannot hold)"] == "BROKEN", output
    assert counts == (len(declared) - 1, 1), output
