"""``admin program`` and ``admin campaign`` as a script uses them: a real data dir, PINs on stdin."""

import io
import sys

from terminal.cli import main
from terminal.services.demo import DEMO_OWNER, POINTS_CARDS

POINTS_CARD = next(iter(POINTS_CARDS))
PIN = DEMO_OWNER[1] + "\n"


def run(monkeypatch, capsys, data_dir, *args, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(data_dir), "--pin-stdin", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_programs_add_list_retire(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    code, out, _ = run(monkeypatch, capsys, d, "admin", "program", "add", "--template", "blank", "--kind", "points",
                       "--name", "Workshop", stdin=PIN)
    assert code == 0 and out.startswith("Added program Workshop [")
    code, out, err = run(monkeypatch, capsys, d, "admin", "program", "add", "--template", "blank", stdin=PIN)
    assert code == 2 and "--kind" in err
    code, out, _ = run(monkeypatch, capsys, d, "admin", "program", "list")
    assert code == 0 and "Workshop" in out and "10 points per 1.00 EUR" in out and "\u00d71.25" in out
    code, out, _ = run(monkeypatch, capsys, d, "admin", "program", "retire", "Workshop", stdin=PIN)
    assert code == 0 and "retired" in out
    assert "Workshop" not in run(monkeypatch, capsys, d, "admin", "program", "list")[1]
    assert "retired" in run(monkeypatch, capsys, d, "admin", "program", "list", "--all")[1]
    code, _, err = run(monkeypatch, capsys, d, "admin", "program", "retire", "Nope", stdin=PIN)
    assert code == 2 and "No program matches 'Nope'" in err and "Traceback" not in err


def test_campaign_add_applies_at_the_counter_then_ends(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    code, _, err = run(monkeypatch, capsys, d, "admin", "campaign", "add", "--program", "Café Points",
                       "--name", "Double", "--kind", "multiplier", "--multiplier", "2", "--from", "2020-01-01",
                       "--to", "2099-12-31", "--hours", "17:00-09:00", stdin=PIN)
    assert code == 2 and "end time must be after the start time" in err
    code, out, _ = run(monkeypatch, capsys, d, "admin", "campaign", "add", "--program", "Café Points",
                       "--name", "Double", "--kind", "multiplier", "--multiplier", "\u00d72", "--from", "2020-01-01",
                       "--to", "2099-12-31", stdin=PIN)
    assert code == 0 and "Added campaign Double" in out
    campaign_id = out.rsplit("[", 1)[1].split("]")[0]
    code, out, _ = run(monkeypatch, capsys, d, "admin", "campaign", "list")
    assert "Double points" in out and "running now" in out
    code, out, _ = run(monkeypatch, capsys, d, "admin", "earn", POINTS_CARD, "10.00", stdin=PIN)
    assert code == 0
    code, out, _ = run(monkeypatch, capsys, d, "admin", "card", "history", POINTS_CARD, "--limit", "2")
    assert f"campaign:{campaign_id}"[:17] in out and "bonus" in out
    code, out, _ = run(monkeypatch, capsys, d, "admin", "campaign", "end", campaign_id, stdin=PIN)
    assert code == 0 and "Double has ended" in out
    assert "over" in run(monkeypatch, capsys, d, "admin", "campaign", "list")[1]


def test_program_expiry_sets_days_and_mode_and_list_shows_them(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    code, _, err = run(monkeypatch, capsys, d, "admin", "program", "expiry", "Café Points", "--mode", "inactivity",
                       "--days", "never", stdin=PIN)
    assert code == 2 and "give --days too" in err and "Traceback" not in err
    code, _, err = run(monkeypatch, capsys, d, "admin", "program", "expiry", "Café Points", "--days", "ten",
                       stdin=PIN)
    assert code == 2 and "1 to 3650" in err
    code, out, _ = run(monkeypatch, capsys, d, "admin", "program", "expiry", "Café Points", "--days", "90",
                       "--mode", "inactivity", stdin=PIN)
    assert code == 0 and "after 90 days without a visit" in out
    code, out, _ = run(monkeypatch, capsys, d, "admin", "program", "list")
    assert "after 90 days without a visit (mode inactivity)" in out
    code, out, _ = run(monkeypatch, capsys, d, "admin", "program", "expiry", "Café Points", "--mode", "age",
                       stdin=PIN)
    assert code == 0 and "90 days after the day they were earned" in out
    code, out, _ = run(monkeypatch, capsys, d, "admin", "program", "expiry", "Café Points", "--days", "never",
                       stdin=PIN)
    assert code == 0 and "never expire" in out
    code, _, err = run(monkeypatch, capsys, d, "admin", "program", "expiry", "Café Points", stdin=PIN)
    assert code == 2 and "--days" in err


def test_campaign_end_names_a_wrong_campaign_before_asking_for_the_pin(monkeypatch, capsys, tmp_path):
    d = tmp_path / "d"
    assert run(monkeypatch, capsys, d, "admin", "demo")[0] == 0
    code, _, err = run(monkeypatch, capsys, d, "admin", "campaign", "end", "nosuchcampaign")  # no PIN given
    assert code == 2 and "No campaign 'nosuchcampaign'" in err and "standard input" not in err
    code, out, _ = run(monkeypatch, capsys, d, "admin", "campaign", "add", "--program", "Café Points",
                       "--name", "Double", "--kind", "multiplier", "--multiplier", "2", "--from", "2020-01-01",
                       "--to", "2099-12-31", stdin=PIN)
    campaign_id = out.rsplit("[", 1)[1].split("]")[0]
    code, _, err = run(monkeypatch, capsys, d, "admin", "campaign", "end", campaign_id)  # found: now the PIN
    assert code == 2 and "standard input is empty" in err
    code, _, err = run(monkeypatch, capsys, d, "admin", "campaign", "end", campaign_id, stdin="0000\n")
    assert code == 2 and "Double has ended" not in err
    assert "running now" in run(monkeypatch, capsys, d, "admin", "campaign", "list")[1]  # still running
    assert run(monkeypatch, capsys, d, "admin", "campaign", "end", campaign_id, stdin=PIN)[0] == 0
    code, _, err = run(monkeypatch, capsys, d, "admin", "campaign", "end", campaign_id)
    assert code == 2 and "Double has already ended" in err and "standard input" not in err
