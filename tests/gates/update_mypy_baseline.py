"""The mypy ratchet: run mypy as pyproject.toml configures it and count errors per file.

``python tests/gates/update_mypy_baseline.py`` writes the counts to mypy_baseline.json beside
this file. tests/test_gates.py fails when a file has more errors than its baseline says (a file
missing from the baseline may have none), or when a strict module has any; it reports when
counts fell, so the baseline can be lowered with this script.

The script refuses to raise a count: fix the new error instead. When a file was renamed or
moved, its errors move with it; ``--allow-increase`` accepts that, and the diff of the baseline
shows the reviewer what moved.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).with_name("mypy_baseline.json")
UPDATE_COMMAND = "python tests/gates/update_mypy_baseline.py"
TIMEOUT_S = 600


@dataclass(frozen=True)
class MypyRun:
    errors: list[dict[str, object]]  # mypy's JSON lines with severity "error"
    output: str  # everything mypy printed, for failure messages

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(str(e["file"]) for e in self.errors).items()))

    def lines_for(self, files: set[str]) -> str:
        return "\n".join(
            f"{e['file']}:{e['line']}: {e['message']}  [{e['code']}]" for e in self.errors if e["file"] in files
        )


def run_mypy() -> MypyRun:
    """Run mypy on the files pyproject.toml names; its cache is .mypy_cache (git-ignored)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--output", "json", "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S,
    )
    messages = []
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            messages.append(json.loads(line))
    errors = [m for m in messages if m.get("severity") == "error"]
    # 0: clean, 1: type errors found. Anything else (2) is mypy failing to run: bad config, crash.
    if result.returncode not in (0, 1) or (result.returncode == 1 and not errors):
        raise RuntimeError(f"mypy did not run (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    for e in errors:
        e["file"] = Path(str(e["file"])).as_posix()
    return MypyRun(errors, result.stdout + result.stderr)


def strict_patterns() -> list[str]:
    """Module patterns of the strict override in pyproject.toml (the one with disallow_untyped_defs)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns: list[str] = []
    for override in config["tool"]["mypy"].get("overrides", []):
        if override.get("disallow_untyped_defs"):
            modules = override["module"]
            patterns += [modules] if isinstance(modules, str) else modules
    return patterns


def is_strict(file: str, patterns: list[str]) -> bool:
    module = file.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return any(fnmatch.fnmatchcase(module, pattern) for pattern in patterns)


def load_baseline() -> dict[str, int]:
    return dict(json.loads(BASELINE.read_text(encoding="utf-8"))["errors_per_file"])


def write_baseline(counts: dict[str, int]) -> None:
    document = {
        "about": f"mypy errors per file, which may only go down. Lower it with: {UPDATE_COMMAND}",
        "total": sum(counts.values()),
        "errors_per_file": dict(sorted(counts.items())),
    }
    BASELINE.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allow-increase", action="store_true",
                        help="accept higher counts (only for files renamed or moved)")
    args = parser.parse_args(argv)
    run = run_mypy()
    counts = run.counts()
    patterns = strict_patterns()
    strict = {f for f in counts if is_strict(f, patterns)}
    if strict:
        print("Strict modules must have no mypy error; fix these first:\n" + run.lines_for(strict))
        return 1
    first = not BASELINE.exists()
    old = {} if first else load_baseline()
    risen = {f for f, n in counts.items() if n > old.get(f, 0)}
    if risen and not (first or args.allow_increase):
        print("These files have more mypy errors than the baseline allows; fix them "
              "(or, for a renamed file, pass --allow-increase):\n" + run.lines_for(risen))
        return 1
    write_baseline(counts)
    print(f"{BASELINE.relative_to(ROOT)}: {sum(old.values())} -> {sum(counts.values())} errors "
          f"in {len(counts)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
