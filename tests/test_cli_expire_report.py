"""``admin expire`` and ``admin report`` as a script runs them: a real data dir, no network."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime, timedelta

from terminal.cli import main
from terminal.domain.clock import ManualClock
from terminal.services.catalog import list_programs
from terminal.services.facade import open_services

OWNER_PIN = "5173"


def run(monkeypatch, capsys, data_dir, *args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(data_dir), "--pin-stdin", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _store_with_old_points(data_dir, days_ago: int = 40) -> str:
    clock = ManualClock(datetime.now(UTC) - timedelta(days=days_ago))
    services = open_services(data_dir, clock=clock)
    services.init_store(name="Kopi", timezone="Asia/Jakarta", currency="EUR", owner_name="Ida",
                        owner_pin=OWNER_PIN, template="points")
    owner = services.auth.verify_pin(services.staff.list()[0].staff_id, OWNER_PIN)
    with services.ctx.db.read() as session:
        program_id = list_programs(session)[0].program_id
    services.owner.edit_program(owner, program_id, points_expiry_days=30)
    code = services.enrollment.enroll(owner, program_id, "Rina").code
    services.counter.earn(owner, code, 1000)
    services.close()
    return code


def test_admin_expire_needs_no_pin_and_runs_once(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    _store_with_old_points(d)
    code, out, err = run(monkeypatch, capsys, d, "admin", "expire")
    assert code == 0, err
    assert out == "Expired 100 points on 1 card.\n"
    code, out, _ = run(monkeypatch, capsys, d, "admin", "expire")
    assert code == 0 and out == "Nothing to expire.\n"
    assert run(monkeypatch, capsys, d, "admin", "verify")[1].endswith("checks out.\n")


def test_admin_expire_without_a_store_says_what_to_do(monkeypatch, capsys, tmp_path):
    code, _, err = run(monkeypatch, capsys, tmp_path / "none", "admin", "expire")
    assert code != 0 and "admin init" in err and "Traceback" not in err


def test_admin_report_prints_figures_and_writes_csv_and_xlsx(monkeypatch, capsys, tmp_path):
    from openpyxl import load_workbook

    d = tmp_path / "d"
    _store_with_old_points(d, days_ago=3)
    today = datetime.now(UTC).date()
    span = ("--from", str(today - timedelta(days=6)), "--to", str(today))
    code, out, err = run(monkeypatch, capsys, d, "admin", "report", *span)
    assert code == 0, err
    assert "Points earned:" in out and "100" in out and "New cards:" in out
    xlsx = tmp_path / "r.xlsx"
    code, _, err = run(monkeypatch, capsys, d, "admin", "report", *span, "--format", "xlsx", "--output", str(xlsx),
                       stdin=f"{OWNER_PIN}\n")
    assert code == 0, err
    assert (xlsx.stat().st_mode & 0o777) == 0o600
    sheet = load_workbook(xlsx).active
    values = {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "Figures"}
    assert values["Points earned"] == 100 and values["New cards"] == 1 and values["Active members"] == 1
    csv_file = tmp_path / "r.csv"
    code, _, _ = run(monkeypatch, capsys, d, "admin", "report", *span, "--output", str(csv_file),
                     stdin=f"{OWNER_PIN}\n")
    assert code == 0 and "Figures,Points earned,100," in csv_file.read_text()


def test_admin_report_refuses_bad_dates_and_wrong_pins_and_writes_nothing(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    _store_with_old_points(d, days_ago=3)
    code, _, err = run(monkeypatch, capsys, d, "admin", "report", "--from", "2026-13-01", "--to", "2026-12-01")
    assert code != 0 and "YYYY-MM-DD" in err and "Traceback" not in err
    code, _, err = run(monkeypatch, capsys, d, "admin", "report", "--from", "2026-12-01", "--to", "2026-11-01")
    assert code != 0 and "before its start" in err
    out_file = tmp_path / "r.xlsx"
    code, _, err = run(monkeypatch, capsys, d, "admin", "report", "--from", "2026-11-01", "--to", "2026-11-30",
                       "--format", "xlsx")
    assert code != 0 and "--output" in err
    code, _, err = run(monkeypatch, capsys, d, "admin", "report", "--from", "2026-11-01", "--to", "2026-11-30",
                       "--format", "xlsx", "--output", str(out_file), stdin="0000\n")
    assert code != 0 and not out_file.exists() and "Traceback" not in err
