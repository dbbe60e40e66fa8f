"""``admin card find|suspend|block|reactivate|replace|contact`` as a script uses them: PINs on stdin."""

import io
import re
import sys

from terminal.cli import main
from terminal.domain.codes import format_code, new_code
from terminal.services.demo import DEMO_CASHIER, DEMO_OWNER, POINTS_CARDS

CARD = sorted(POINTS_CARDS)[0]
OWNER_PIN = DEMO_OWNER[1] + "\n"


def run(monkeypatch, capsys, data_dir, *args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(data_dir), "--pin-stdin", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_find_by_name_and_phone_after_setting_contact_details(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    code, out, err = run(monkeypatch, capsys, d, "admin", "card", "contact", CARD, "--name", "Rina Wati",
                         "--phone", "0812-555-0101", "--consent", "yes", stdin=OWNER_PIN)
    assert code == 0, err
    assert "Rina Wati, phone 0812-555-0101" in out and "contact yes" in out
    code, out, _ = run(monkeypatch, capsys, d, "admin", "card", "find", "wati")
    assert code == 0 and format_code(CARD) in out and "Rina Wati" in out
    assert format_code(CARD) in run(monkeypatch, capsys, d, "admin", "card", "find", "0812555")[1]
    code, out, _ = run(monkeypatch, capsys, d, "admin", "card", "find", "nobody here")
    assert code == 0 and "No card found" in out
    code, _, err = run(monkeypatch, capsys, d, "admin", "card", "contact", CARD, "--email", "rina@",
                       stdin=OWNER_PIN)
    assert code == 2 and "name@example.com" in err and "Traceback" not in err


def test_block_replace_and_the_old_card_stays_blocked(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    shown = run(monkeypatch, capsys, d, "admin", "card", "show", CARD)[1]
    points = int(re.search(r"^Points\s+(\d+)", shown, re.MULTILINE).group(1))
    assert points > 0
    code, _, err = run(monkeypatch, capsys, d, "admin", "card", "block", CARD, "--reason", "lost",
                       "--staff", DEMO_CASHIER[0], stdin=DEMO_CASHIER[1] + "\n")
    assert code == 2 and "Traceback" not in err and "blocked" not in run(
        monkeypatch, capsys, d, "admin", "card", "show", CARD)[1].splitlines()[0]
    code, out, _ = run(monkeypatch, capsys, d, "admin", "card", "block", CARD, "--reason", "lost on the bus",
                       stdin=OWNER_PIN)
    assert code == 0 and out.strip() == f"Card {format_code(CARD)} is blocked."
    new = new_code()
    code, out, err = run(monkeypatch, capsys, d, "admin", "card", "replace", CARD, format_code(new).lower(),
                         stdin=OWNER_PIN)
    assert code == 0, err
    assert f"{format_code(new)} (enrolled now) replaces {format_code(CARD)}" in out
    assert f"{points:,} points moved" in out
    shown = run(monkeypatch, capsys, d, "admin", "card", "show", new)[1]
    assert re.search(rf"^Points\s+{points}\b", shown, re.MULTILINE)
    code, _, err = run(monkeypatch, capsys, d, "admin", "card", "reactivate", CARD, "--reason", "found it",
                       stdin=OWNER_PIN)
    assert code == 2 and "stays blocked" in err
    assert run(monkeypatch, capsys, d, "admin", "verify")[1].endswith("checks out.\n")


def test_suspend_and_reactivate_need_a_reason_and_the_pin(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    code, _, err = run(monkeypatch, capsys, d, "admin", "card", "suspend", CARD, "--reason", "x", stdin=OWNER_PIN)
    assert code == 2 and "Say why (at least a few words); it goes in the audit log." in err  # no ledger entry
    assert "ledger" not in err
    code, _, err = run(monkeypatch, capsys, d, "admin", "card", "suspend", CARD, "--reason", "a pause")
    assert code == 2 and "standard input is empty" in err
    assert run(monkeypatch, capsys, d, "admin", "card", "suspend", CARD, "--reason", "a pause",
               stdin=OWNER_PIN)[0] == 0
    code, out, _ = run(monkeypatch, capsys, d, "admin", "card", "reactivate", CARD, "--reason", "pause over",
                       stdin=OWNER_PIN)
    assert code == 0 and "active again" in out
