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
