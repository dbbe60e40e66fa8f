"""Regenerate the catalogues: extract strings (lupdate), compile them (lrelease).

    python resources/i18n/update.py

Three catalogues per language: ``loyalty_*`` (the counter window),
``owner_*`` (the owner area) and ``sync_*`` (pairing, sync status,
overdrafts). ``qt_*`` is kept by hand: Qt's own strings the window shows
(dialog buttons, the wizard's Back/Next, the file dialog), for languages
PySide6 ships no ``qtbase_*.qm`` for; its sources are Qt's exact wording
(context and text as in Qt's other ``qtbase_*.qm``), and lrelease compiles it
with the rest. Translations typed into the ``.ts`` files survive a re-run;
strings that left the code are kept as obsolete. New strings come out
``unfinished``: translate them, then run this again to compile.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
UI = ROOT / "terminal" / "ui"
LANGUAGES = ("id",)
SYNC_WIDGETS = ("sync_bridge.py", "pairing_dialog.py", "overdrafts_page.py")


def sources() -> dict[str, list[Path]]:
    counter = [p for p in sorted(UI.glob("*.py")) if p.name not in SYNC_WIDGETS]
    return {
        "loyalty": [ROOT / "terminal" / "app.py", *counter],
        "owner": sorted((UI / "owner").glob("*.py")),
        "sync": [UI / name for name in SYNC_WIDGETS],
    }


def main() -> int:
    for catalogue, files in sources().items():
        for lang in LANGUAGES:
            ts = HERE / f"{catalogue}_{lang}.ts"
            subprocess.run(["pyside6-lupdate", "-locations", "none",
                            *(str(p.relative_to(ROOT)) for p in files), "-ts", str(ts)], cwd=ROOT, check=True)
    for ts in sorted(HERE.glob("*.ts")):
        subprocess.run(["pyside6-lrelease", "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
