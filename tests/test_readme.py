"""The README stays true: its test command is what CI runs, its settings table is the code's."""

from __future__ import annotations

import re
from pathlib import Path

from terminal.settings import settings_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_readme_has_exactly_a_run_and_a_test_command() -> None:
    commands = _commands()
    assert len(commands) == 2, commands
    run, test = commands
    assert "python -m terminal --demo" in run
    assert test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == _commands()[1]


def test_settings_table_matches_the_declared_settings() -> None:
    found = re.search(r"<!-- settings:begin -->\n(.*?)\n?<!-- settings:end -->", README, re.S)
    assert found, "README lost its settings markers"
    assert found.group(1).strip() == settings_table(), "run: python tests/update_readme.py"
