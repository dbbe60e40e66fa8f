"""The admin CLI as an owner or a script uses it: a real data dir, PINs on stdin."""

import io
import sys

import pytest

from terminal.cli import main
from terminal.services.demo import DEMO_CASHIER, DEMO_OWNER, POINTS_CARDS, STAMP_CARDS

POINTS_CARD = next(iter(POINTS_CARDS))
STAMP_CARD = next(iter(STAMP_CARDS))


def run(monkeypatch, capsys, data_dir, *args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(data_dir), "--pin-stdin", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_enroll_stamp_verify_export(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    code, out, _ = run(monkeypatch, capsys, d, "admin", "init", "--name", "Kopi", "--timezone", "Asia/Jakarta",
                       "--currency", "IDR", "--owner", "Ida", "--template", "hybrid", stdin="5173\n")
    assert code == 0 and "Store 'Kopi' created" in out
    code, out, _ = run(monkeypatch, capsys, d, "admin", "card", "enroll", "--holder", "Rina", stdin="5173\n")
    card = out.split("card ")[1].split()[0]
    assert code == 0
    code, out, _ = run(monkeypatch, capsys, d, "admin", "stamp", card, stdin="5173\n")
    assert code == 0 and out == "Stamped. The card has 1 stamp.\n"  # one stamp, not "1 stamps"
    code, out, err = run(monkeypatch, capsys, d, "admin", "stamp", card, stdin="5173\n")
    assert code == 2 and "next stamp from" in err and "Traceback" not in err
    code, out, _ = run(monkeypatch, capsys, d, "admin", "earn", card, "25000", stdin="5173\n")
    assert code == 0 and "earned 25 points" in out  # IDR: 1 point per Rp 1,000, not 10 per rupiah
    assert run(monkeypatch, capsys, d, "admin", "verify")[1].endswith("checks out.\n")
    code, out, _ = run(monkeypatch, capsys, d, "admin", "export", stdin="5173\n")
    assert code == 0 and out.count("\n") == 4  # header + enroll, stamp, earn


def test_wrong_pin_and_bad_amount_are_clear_errors(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    code, _, err = run(monkeypatch, capsys, d, "admin", "earn", POINTS_CARD, "12,50",
                       "--staff", DEMO_CASHIER[0], stdin="0000\n")
    assert code == 2 and "Wrong PIN for Sam. 4 tries left" in err
    code, _, err = run(monkeypatch, capsys, d, "admin", "earn", POINTS_CARD, "abc",
                       "--staff", DEMO_CASHIER[0], stdin=DEMO_CASHIER[1] + "\n")
    assert code == 2 and "not an amount" in err


def test_demo_flag_seeds_once_and_names_the_pins(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    code, out, _ = run(monkeypatch, capsys, d, "admin", "demo")
    assert code == 0 and f"PIN {DEMO_OWNER[1]}" in out and "verified" in out
    code, out, _ = run(monkeypatch, capsys, d, "admin", "demo")
    assert "already has a store" in out


def test_no_store_yet_is_explained(monkeypatch, capsys, tmp_path):
    code, _, err = run(monkeypatch, capsys, tmp_path / "empty", "admin", "card", "show", STAMP_CARD)
    assert code == 2 and "run the setup first" in err


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert "loyalty-terminal 0.1.0" in capsys.readouterr().out


def test_cli_template_choices_are_the_setup_templates() -> None:
    from terminal.cli import TEMPLATE_NAMES
    from terminal.services.setup import TEMPLATES

    assert sorted(TEMPLATE_NAMES) == sorted(TEMPLATES)


class NoTerminal(io.StringIO):
    """Standard input of a script or a service: not a terminal, and empty."""

    def isatty(self):
        return False


ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def test_admin_action_without_a_terminal_says_how_to_give_the_pin(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    shown = run(monkeypatch, capsys, d, "admin", "card", "show", STAMP_CARD)[1]
    monkeypatch.setattr(sys, "stdin", NoTerminal(""))
    code = main(["--data-dir", str(d), "admin", "stamp", STAMP_CARD])
    err = capsys.readouterr().err
    assert code == 2 and "--pin-stdin" in err and "Traceback" not in err and "EOFError" not in err
    assert run(monkeypatch, capsys, d, "admin", "card", "show", STAMP_CARD)[1] == shown  # nothing was written


def test_admin_without_a_terminal_in_a_real_process(tmp_path):
    import subprocess

    d = tmp_path / "d"
    subprocess.run([sys.executable, "-m", "terminal", "--data-dir", str(d), "admin", "demo"], cwd=ROOT,
                   capture_output=True, check=True, timeout=120)
    done = subprocess.run([sys.executable, "-m", "terminal", "--data-dir", str(d), "admin", "stamp", STAMP_CARD],
                          cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 2
    assert "--pin-stdin" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_init_without_a_terminal_creates_nothing(monkeypatch, capsys, tmp_path):
    d = tmp_path / "new"
    monkeypatch.setattr(sys, "stdin", NoTerminal(""))
    code = main(["--data-dir", str(d), "admin", "init", "--name", "Kopi", "--timezone", "Asia/Jakarta",
                 "--currency", "IDR", "--owner", "Ida"])
    assert code == 2 and "--pin-stdin" in capsys.readouterr().err
    assert not d.exists()


@pytest.mark.parametrize("command", [["card", "show", STAMP_CARD], ["card", "history", STAMP_CARD],
                                     ["staff", "list"], ["verify"], ["stamp", STAMP_CARD]])
def test_a_data_folder_that_does_not_exist_is_named_and_not_created(monkeypatch, capsys, tmp_path, command):
    d = tmp_path / "typo"
    code, _, err = run(monkeypatch, capsys, d, "admin", *command, stdin="1234\n")
    assert code == 2
    assert f"{d} does not exist" in err and "--data-dir" in err and "Traceback" not in err
    assert not d.exists()


def test_an_empty_data_folder_is_named_and_left_empty(monkeypatch, capsys, tmp_path):
    d = tmp_path / "empty"
    d.mkdir()
    code, _, err = run(monkeypatch, capsys, d, "admin", "card", "show", STAMP_CARD)
    assert code == 2 and "has no store" in err and "admin init" in err
    assert list(d.iterdir()) == []


def test_an_export_file_that_cannot_be_written_is_a_sentence(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    out = tmp_path / "no-such-folder" / "ledger.csv"
    code, _, err = run(monkeypatch, capsys, d, "admin", "export", "--out", str(out), stdin=DEMO_OWNER[1] + "\n")
    assert code == 2 and str(out) in err and "Traceback" not in err


def test_an_unexpected_failure_is_one_sentence_and_a_report_file(monkeypatch, capsys, tmp_path):
    import terminal.cli as cli

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def broken(_args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli, "cmd_staff_list", broken)
    code = main(["--data-dir", str(tmp_path / "d"), "admin", "staff", "list"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "disk on fire" in err
    report = err.split("The details are in ")[1].split("; send")[0]
    assert "RuntimeError: disk on fire" in __import__("pathlib").Path(report).read_text(encoding="utf-8")


def test_a_holder_name_with_nul_is_refused_and_nothing_is_written(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    run(monkeypatch, capsys, d, "admin", "init", "--name", "Kopi", "--timezone", "Asia/Jakarta",
        "--currency", "IDR", "--owner", "Ida", "--template", "hybrid", stdin="5173\n")
    code, out, err = run(monkeypatch, capsys, d, "admin", "card", "enroll", "--holder", "Ri\x00na", stdin="5173\n")
    assert code == 2 and "control character (U+0000)" in err and "Retype" in err and err.count("\n") == 1
    code, out, _ = run(monkeypatch, capsys, d, "admin", "export", stdin="5173\n")
    assert code == 0 and out.count("\n") == 1  # the header alone: no card, no entry


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_for_people_needs_the_owner_pin_and_matches_the_ledger(monkeypatch, capsys, tmp_path, fmt):
    import csv

    from openpyxl import load_workbook

    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    out = tmp_path / f"history.{fmt}"
    code, _, err = run(monkeypatch, capsys, d, "admin", "export", "--format", fmt, "--output", str(out),
                       "--staff", DEMO_CASHIER[0], stdin=DEMO_CASHIER[1] + "\n")
    assert code == 2 and not out.exists() and "Traceback" not in err
    code, said, _ = run(monkeypatch, capsys, d, "admin", "export", "--format", fmt, "--output", str(out),
                        stdin=DEMO_OWNER[1] + "\n")
    assert code == 0 and str(out) in said
    if fmt == "xlsx":
        rows = [[c.value for c in r] for r in load_workbook(out).active.iter_rows()]
    else:
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    code, ledger, _ = run(monkeypatch, capsys, d, "admin", "export", stdin=DEMO_OWNER[1] + "\n")
    raw = list(csv.DictReader(ledger.splitlines()))
    assert len(rows) - 1 == len(raw) and f"Exported {len(raw)} entries" in said
    assert all("-" in str(r[1]) and len(str(r[1])) == 11 for r in rows[1:])  # dashed codes
    assert rows[0][0].startswith("When (")


def test_export_for_people_refuses_a_misnamed_file(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    out = tmp_path / "history.csv"
    code, _, err = run(monkeypatch, capsys, d, "admin", "export", "--format", "xlsx", "--output", str(out),
                       stdin=DEMO_OWNER[1] + "\n")
    assert code == 2 and ".xlsx" in err and not out.exists()


def test_export_picks_a_card_and_store_local_days(monkeypatch, capsys, tmp_path):
    import csv

    from terminal.domain.codes import format_code

    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    out = tmp_path / "one.csv"
    code, _, _ = run(monkeypatch, capsys, d, "admin", "export", "--format", "csv", "--output", str(out),
                     "--card", STAMP_CARD, stdin=DEMO_OWNER[1] + "\n")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert code == 0 and len(rows) > 2 and {r[1] for r in rows[1:]} == {format_code(STAMP_CARD)}
    first_day = rows[1][0][:10]
    code, _, _ = run(monkeypatch, capsys, d, "admin", "export", "--format", "csv", "--output", str(out),
                     "--card", STAMP_CARD, "--from", first_day, "--to", first_day, stdin=DEMO_OWNER[1] + "\n")
    same_day = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))[1:]
    assert code == 0 and same_day and all(r[0].startswith(first_day) for r in same_day)
    assert len(same_day) < len(rows) - 1
    code, _, err = run(monkeypatch, capsys, d, "admin", "export", "--format", "xlsx", "--from", "10.03.2026",
                       stdin=DEMO_OWNER[1] + "\n")
    assert code == 2 and "YYYY-MM-DD" in err and "Traceback" not in err
