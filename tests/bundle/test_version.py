"""The version lives in terminal/__init__.py only; everything else reads it from there."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from terminal import __version__
from terminal.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_reads_the_version_from_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "terminal.__version__"}


def test_changelog_newest_release_is_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+[^\]]*)\] - \d{4}-\d{2}-\d{2}$", text, re.M)
    assert releases and releases[0] == __version__
    assert re.search(rf"^\[{re.escape(__version__)}\]: ", text, re.M), "link reference for the release"


def test_version_option_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"loyalty-terminal {__version__}"
