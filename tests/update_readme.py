"""Rewrite the generated parts of README.md (the settings table)."""

from __future__ import annotations

import re
from pathlib import Path

from terminal.settings import settings_table

README = Path(__file__).resolve().parents[1] / "README.md"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    text = re.sub(r"(<!-- settings:begin -->\n).*?(<!-- settings:end -->)",
                  lambda m: m.group(1) + settings_table() + "\n" + m.group(2), text, flags=re.S)
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
