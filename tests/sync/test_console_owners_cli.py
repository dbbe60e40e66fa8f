"""``loyalty-hub owners add``: the password from stdin (scripts) or asked without echo."""

from __future__ import annotations

import io

from sync.hub import cli, owners
from sync.hub.db import create_hub_engine


def _run(db, argv, stdin, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(["--database-url", f"sqlite:///{db}", *argv])


def test_owners_add_then_the_password_signs_in(tmp_path, monkeypatch, capsys):
    db = tmp_path / "hub.db"
    assert _run(db, ["init", "--merchant", "Toko"], "", monkeypatch) == 0
    assert _run(db, ["owners", "add", "Owner@Toko.example", "--password-stdin", "--totp"],
                "a long password\n", monkeypatch) == 0
    out = capsys.readouterr().out
    assert "owner account: owner@toko.example" in out and "TOTP secret:" in out
    secret = out.split("TOTP secret:")[1].split()[0]
    engine = create_hub_engine(f"sqlite:///{db}")
    try:
        account = owners.check_password(engine, "owner@toko.example", "a long password")
        assert account is not None and account.totp
        assert owners.check_totp(engine, account.account_id, owners.totp(secret))
        assert owners.check_password(engine, "owner@toko.example", "a long passwore") is None
    finally:
        engine.dispose()


def test_owners_add_refuses_a_short_password_and_writes_nothing(tmp_path, monkeypatch, capsys):
    db = tmp_path / "hub.db"
    _run(db, ["init", "--merchant", "Toko"], "", monkeypatch)
    assert _run(db, ["owners", "add", "o@toko.example", "--password-stdin"], "short\n", monkeypatch) == 2
    assert "10 to 1024 characters" in capsys.readouterr().err
    engine = create_hub_engine(f"sqlite:///{db}")
    try:
        assert owners.find_account(engine, "o@toko.example") is None
    finally:
        engine.dispose()


def test_owners_add_asks_twice_without_echo(tmp_path, monkeypatch, capsys):
    db = tmp_path / "hub.db"
    _run(db, ["init", "--merchant", "Toko"], "", monkeypatch)
    answers = iter(["first password", "other password"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    assert _run(db, ["owners", "add", "o@toko.example"], "", monkeypatch) == 2
    assert "the two passwords differ" in capsys.readouterr().err
