"""Remove the codes ruff reports as unused in ``noqa`` comments (RUF100), keeping the reason.

``ruff check --fix`` removes an unused ``# noqa: BLE001 - the loop must survive`` whole, and
the reason with it. This script drops only the unused codes: a comment left with no code keeps
its reason as a plain comment (``# the loop must survive``). Run it before ``ruff check --fix``::

    python tests/gates/drop_unused_noqa.py [PATH ...]
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOQA = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)(?P<rest>.*)$")


def unused_noqa(paths: list[str]) -> dict[Path, dict[int, set[str]]]:
    """{file: {line number: unused codes}} as ruff reports them."""
    result = subprocess.run(
        # All configured rules, not --select RUF100: with only RUF100 on, every other code looks unused.
        [sys.executable, "-m", "ruff", "check", "--output-format", "json", *paths],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    found: dict[Path, dict[int, set[str]]] = defaultdict(dict)
    for item in json.loads(result.stdout or "[]"):
        if item["code"] != "RUF100":
            continue
        # RUF100's message lists the codes: "Unused `noqa` directive (unused: `E501`; non-enabled: `ANN001`)"
        codes = set(re.findall(r"`([A-Z]+[0-9]+)`", item["message"]))
        found[Path(item["filename"])][item["location"]["row"]] = codes
    return found


def tidy(line: str, unused: set[str]) -> str:
    match = NOQA.search(line)
    if match is None:
        return line
    kept = [c.strip() for c in match["codes"].split(",") if c.strip() not in unused]
    reason = match["rest"].strip().lstrip("-–:(").rstrip(")").strip()
    code_part = line[: match.start()].rstrip()
    if kept:
        return f"{code_part}  # noqa: {', '.join(kept)}{match['rest']}"
    return f"{code_part}  # {reason}" if reason else code_part


def main(argv: list[str]) -> int:
    changed = 0
    for path, lines in unused_noqa(argv or ["."]).items():
        text = path.read_text(encoding="utf-8").split("\n")
        for row, codes in lines.items():
            text[row - 1] = tidy(text[row - 1], codes)
            changed += 1
        path.write_text("\n".join(text), encoding="utf-8")
    print(f"tidied {changed} noqa comments")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
