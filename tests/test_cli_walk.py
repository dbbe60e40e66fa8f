"""Every command of issue 11's command line, run as a script runs it: ``python -m terminal`` in a subprocess,
PINs on standard input (``--pin-stdin``), a real store on disk, exit codes and outputs checked.

A bad input must exit non-zero with a sentence saying what is wrong, no traceback, and leave every table of the
store as it was (and write no file).
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from terminal.domain.clock import ManualClock
from terminal.domain.codes import format_code, new_code
from terminal.services.catalog import list_programs
from terminal.services.facade import open_services
from terminal.store.db import DB_FILENAME

PIN = "5173"
TZ = ZoneInfo("Asia/Jakarta")
ROOT = Path(__file__).resolve().parents[1]


def _store(data_dir: Path) -> dict[str, str]:
    """A points store whose first card earned 40 days ago (due to expire, 30-day rule) and a second card today."""
    clock = ManualClock(datetime.now(UTC) - timedelta(days=40))
    services = open_services(data_dir, clock=clock)
    try:
        services.init_store(name="Kopi Walk", timezone=TZ.key, currency="EUR", owner_name="Ida",
                            owner_pin=PIN, template="points")
        owner = services.auth.verify_pin(services.staff.list()[0].staff_id, PIN)
        with services.ctx.db.read() as session:
            program_id = list_programs(session)[0].program_id
        services.owner.edit_program(owner, program_id, points_expiry_days=30)
        old = services.enrollment.enroll(owner, program_id, "Rina Wulandari").code
        old_points = services.counter.earn(owner, old, 1_000).entry.points
        clock.set(datetime.now(UTC) - timedelta(minutes=5))
        owner = services.auth.verify_pin(services.staff.list()[0].staff_id, PIN)
        lost = services.enrollment.enroll(owner, program_id, "Sari Dewi").code
        earned = services.counter.earn(owner, lost, 4_250).entry.points
    finally:
        services.close()
    return {"old": old, "lost": lost, "earned": str(earned), "old_points": str(old_points), "program": program_id}


@pytest.fixture
def store(tmp_path) -> tuple[Path, dict[str, str]]:
    data_dir = tmp_path / "store" / "data"  # the key file lives in this test's LOYALTY_CONFIG_DIR
    return data_dir, _store(data_dir)


def cli(data_dir: Path, *args: str, pin: bool = False, stdin: str | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m terminal --data-dir D --pin-stdin ARGS`` with the owner's PIN on stdin when ``pin``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_") or k.startswith("LOYALTY_PIN_")
           or k in ("LOYALTY_SECRET_BACKEND", "LOYALTY_CONFIG_DIR")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    result = subprocess.run([sys.executable, "-m", "terminal", "--data-dir", str(data_dir), "--pin-stdin", *args],
                            input=stdin if stdin is not None else (PIN + "\n" if pin else ""),
                            capture_output=True, text=True, env=env, cwd=cwd or data_dir.parent, timeout=120,
                            check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def sheet_rows(path: Path) -> list[tuple]:
    book = load_workbook(path, read_only=True)
    try:
        return list(book.active.iter_rows(values_only=True))
    finally:
        book.close()


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (result.args, result.stdout, result.stderr)
    return result.stdout


def snapshot(data_dir: Path, skip: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table (read-only), to prove a refused command wrote nothing."""
    with sqlite3.connect(f"file:{data_dir / DB_FILENAME}?mode=ro", uri=True) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables if t not in skip}


def refused(data_dir: Path, *args: str, says: str, pin: bool = True, stdin: str | None = None,
            skip: tuple[str, ...] = ()) -> str:
    before = snapshot(data_dir, skip)
    result = cli(data_dir, *args, pin=pin, stdin=stdin)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert result.stderr.startswith("error: ") and says in result.stderr, result.stderr
    print(args, "->", result.stderr.strip())  # shown with -s, to review the messages
    assert snapshot(data_dir, skip) == before, f"{args} changed the store"
    return result.stderr


def test_every_back_office_command_runs_in_a_script(store, tmp_path) -> None:
    d, cards = store
    lost, old = cards["lost"], cards["old"]
    # find: by name (any case, any accent), by phone-less partial name, by code with or without the dash
    out = ok(cli(d, "admin", "card", "find", "sari"))
    assert format_code(lost) in out and "Sari Dewi" in out and f"points {cards['earned']}" in out
    assert format_code(lost) in ok(cli(d, "admin", "card", "find", lost.lower()))
    assert "No card found" in ok(cli(d, "admin", "card", "find", "nobody here"))

    # status: suspend, reactivate, block with a reason, each after the owner's PIN
    assert f"Card {format_code(lost)} is suspended." in ok(
        cli(d, "admin", "card", "suspend", lost, "--reason", "customer asked", pin=True))
    assert "suspended" in ok(cli(d, "admin", "card", "show", lost))
    assert "active again" in ok(cli(d, "admin", "card", "reactivate", lost, "--reason", "back", pin=True))
    assert "is blocked" in ok(cli(d, "admin", "card", "block", format_code(lost), "--reason", "lost", pin=True))
    assert "(blocked)" in ok(cli(d, "admin", "card", "show", lost))

    # replace: the balance moves to a pre-printed card, enrolled now
    fresh = new_code()
    out = ok(cli(d, "admin", "card", "replace", lost, format_code(fresh), pin=True))
    assert f"{format_code(fresh)} (enrolled now) replaces {format_code(lost)}" in out
    assert f"{int(cards['earned']):,} points moved" in out
    shown = ok(cli(d, "admin", "card", "show", fresh))
    assert f"Points   {cards['earned']}" in shown and "(active)" in shown
    assert "Points   0" in ok(cli(d, "admin", "card", "show", lost))

    # programs: list, add, retire
    out = ok(cli(d, "admin", "program", "list"))
    assert "Points" in out and "active" in out
    out = ok(cli(d, "admin", "program", "add", "--template", "blank", "--kind", "stamps", "--name", "Workshop",
                 pin=True))
    assert out.startswith("Added program Workshop [")
    assert "Workshop" in ok(cli(d, "admin", "program", "list"))
    assert "Workshop is retired" in ok(cli(d, "admin", "program", "retire", "workshop", pin=True))
    assert "Workshop" not in ok(cli(d, "admin", "program", "list"))
    assert "retired" in ok(cli(d, "admin", "program", "list", "--all"))

    # campaigns: add a Tuesday double-points campaign, list it, end it
    today = datetime.now(TZ).date()
    out = ok(cli(d, "admin", "campaign", "add", "--program", cards["program"][:8], "--name", "Tuesday double",
                 "--kind", "multiplier", "--multiplier", "2", "--weekdays", "tue", "--from", str(today),
                 "--to", str(today + timedelta(days=60)), pin=True))
    assert out.startswith("Added campaign Tuesday double")
    campaign_id = out.rsplit("[", 1)[1].split("]")[0]
    listed = ok(cli(d, "admin", "campaign", "list"))
    assert "Tuesday double" in listed and " tue " in listed and campaign_id in listed
    assert "Tuesday double has ended" in ok(cli(d, "admin", "campaign", "end", campaign_id, pin=True))
    assert "over" in ok(cli(d, "admin", "campaign", "list", "--program", cards["program"][:8]))

    # expiry: no PIN (cron), the 40-day-old points go once; the second run finds nothing
    assert ok(cli(d, "admin", "expire")) == f"Expired {cards['old_points']} points on 1 card.\n"
    assert ok(cli(d, "admin", "expire")) == "Nothing to expire.\n"
    assert "Points   0" in ok(cli(d, "admin", "card", "show", old))

    # report: the figures on stdout, then CSV and XLSX files after the PIN
    first, last = str(today - timedelta(days=45)), str(today)
    out = ok(cli(d, "admin", "report", "--from", first, "--to", last))
    figures = {line.split(":")[0].strip(): line.split(":", 1)[1].split()[0] for line in out.splitlines()[1:]}
    earned_now = int(cards["old_points"]) + int(cards["earned"])
    assert figures["Points earned"] == f"{earned_now:,}" and figures["New cards"] == "3"
    assert figures["Points expired"] == cards["old_points"]
    report_csv, report_xlsx = tmp_path / "report.csv", tmp_path / "report.xlsx"
    ok(cli(d, "admin", "report", "--from", first, "--to", last, "--output", str(report_csv), pin=True))
    total = int(cards["old_points"]) + int(cards["earned"])
    table = csv_rows(report_csv)
    assert [r[2] for r in table if r[1] == "Points earned"] == [str(total)]
    ok(cli(d, "admin", "report", "--from", first, "--to", last, "--format", "xlsx", "--output", str(report_xlsx),
           pin=True))
    sheet = sheet_rows(report_xlsx)
    assert [r[2] for r in sheet if r[1] == "Points earned"] == [total]
    assert [r[:2] for r in sheet] == [tuple(r[:2]) for r in table]  # the same table in both files

    # export for people: XLSX and CSV with holders, dashed codes, the balance after each entry
    export_xlsx, export_csv = tmp_path / "history.xlsx", tmp_path / "history.csv"
    out = ok(cli(d, "admin", "export", "--format", "xlsx", "--output", str(export_xlsx), pin=True))
    assert out.startswith("Exported ") and "Asia/Jakarta" in out
    ok(cli(d, "admin", "export", "--format", "csv", "--output", str(export_csv), pin=True))
    sheet, table = sheet_rows(export_xlsx), csv_rows(export_csv)
    assert len(sheet) == len(table) and int(out.split()[1]) == len(table) - 1
    text = "\n".join(",".join(r) for r in table)
    assert format_code(fresh) in text and "Sari Dewi" in text and "Rina Wulandari" in text
    assert "€" in text or "EUR" in text

    # and the whole ledger still checks out
    assert "Every hash chain, signature and balance checks out." in ok(cli(d, "admin", "verify"))


def test_bad_input_exits_non_zero_says_why_and_writes_nothing(store, tmp_path) -> None:
    d, cards = store
    lost = cards["lost"]
    refused(d, "admin", "card", "block", "7K3QP-9ZX2N", "--reason", "lost", says="check")
    refused(d, "admin", "card", "suspend", cards["old"], "--reason", "x", says="Say why")
    refused(d, "admin", "card", "replace", cards["old"], format_code(new_code()), says="block it first")
    refused(d, "admin", "card", "block", lost, "--reason", "lost", pin=False,
            says="--pin-stdin was given but standard input is empty. Nothing was changed.")
    refused(d, "admin", "program", "add", "--template", "blank", says="--kind")
    refused(d, "admin", "program", "retire", "No such program", says="No program matches")
    refused(d, "admin", "campaign", "add", "--program", cards["program"][:8], "--name", "Bad", "--kind",
            "multiplier", "--multiplier", "2", "--weekdays", "tuesday,funday", "--from", "2026-12-01",
            says="'funday' is not a weekday")
    refused(d, "admin", "campaign", "add", "--program", cards["program"][:8], "--name", "Bad", "--kind",
            "multiplier", "--multiplier", "2", "--from", "2026-12-31", "--to", "2026-12-01", says="day")
    refused(d, "admin", "campaign", "end", "nothere", says="campaign")
    refused(d, "admin", "report", "--from", "2026-13-01", "--to", "2026-12-31", says="is not a date")
    refused(d, "admin", "report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "xlsx",
            says="needs a file")
    refused(d, "admin", "export", "--format", "xlsx", "--output", str(tmp_path / "h.csv"), says="does not end in")
    refused(d, "admin", "export", "--format", "csv", "--output", str(tmp_path / "h.csv"), "--from", "yesterday",
            says="is not a date")
    # a wrong PIN counts as a failed try (staff, lock and audit rows), and changes nothing else
    refused(d, "admin", "card", "block", lost, "--reason", "lost", stdin="0000\n", says="PIN",
            skip=("staff", "staff_locks", "audit", "sync_records"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config", "store"]  # no file was written
    missing = cli(tmp_path / "nowhere", "admin", "expire")
    assert missing.returncode == 2 and "does not exist" in missing.stderr and not (tmp_path / "nowhere").exists()
