"""Lint and types, run by the README's test command (and so by .ci/run).

ruff: the rules in pyproject.toml ([tool.ruff]); an unused ``noqa`` is itself an error (RUF100).
mypy: strict modules must have no error; every other file may have at most the errors
tests/gates/mypy_baseline.json allows, so the count only goes down.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.gates.update_mypy_baseline import (
    ROOT,
    UPDATE_COMMAND,
    is_strict,
    load_baseline,
    run_mypy,
    strict_patterns,
)


def test_ruff_finds_nothing() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "concise", "."],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, (
        f"ruff check . found problems (many fix themselves: ruff check --fix .):\n{result.stdout}{result.stderr}"
    )


def test_mypy_strict_modules_clean_and_baseline_not_exceeded(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_mypy()
    counts = run.counts()
    patterns = strict_patterns()
    assert patterns, "pyproject.toml lost its strict [[tool.mypy.overrides]] section"

    strict = {f for f in counts if is_strict(f, patterns)}
    assert not strict, "mypy errors in strict modules (none allowed):\n" + run.lines_for(strict)

    baseline = load_baseline()
    risen = {f for f, n in counts.items() if n > baseline.get(f, 0)}
    missing = any(e["code"] == "import-not-found" for e in run.errors)
    assert not risen, (
        ("mypy cannot find some libraries: install the extras, pip install -e '.[test,hub]'\n" if missing else "")
        + "mypy errors above tests/gates/mypy_baseline.json (fix them; for a renamed file, "
        f"{UPDATE_COMMAND} --allow-increase):\n"
        + "\n".join(f"  {f}: {counts[f]} > {baseline.get(f, 0)}" for f in sorted(risen))
        + "\n" + run.lines_for(risen)
    )

    fallen = {f: n for f, n in baseline.items() if counts.get(f, 0) < n}
    if fallen:
        fewer = sum(n - counts.get(f, 0) for f, n in fallen.items())
        with capsys.disabled():  # a passing test's output is hidden; this note must be seen
            print(f"\nmypy: {fewer} errors fewer than tests/gates/mypy_baseline.json in {len(fallen)} files; "
                  f"lower the baseline: {UPDATE_COMMAND}")
