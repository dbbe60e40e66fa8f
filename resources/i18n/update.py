"""Regenerate the counter window's catalogues: extract strings (lupdate), compile them (lrelease).

    python resources/i18n/update.py

Translations typed into ``loyalty_<lang>.ts`` survive a re-run; strings that
left the code are kept as obsolete. The owner area and the sync widgets ship
their own catalogues (``owner_*.ts``, ``sync_*.ts``); this script touches
only ``loyalty_*``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LANGUAGES = ("id",)
# the counter window's sources; the owner area and the sync widgets have their own catalogues
OTHERS = ("owner", "sync_", "pairing", "overdrafts")


def counter_sources() -> list[str]:
    ui = sorted(p for p in (ROOT / "terminal" / "ui").glob("*.py")
                if not any(p.name.startswith(prefix) for prefix in OTHERS))
    return [str(p.relative_to(ROOT)) for p in [ROOT / "terminal" / "app.py", *ui]]


def main() -> int:
    for lang in LANGUAGES:
        ts = HERE / f"loyalty_{lang}.ts"
        subprocess.run(["pyside6-lupdate", "-locations", "none", *counter_sources(), "-ts", str(ts)],
                       cwd=ROOT, check=True)
    for ts in sorted(HERE.glob("loyalty_*.ts")):
        subprocess.run(["pyside6-lrelease", "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
