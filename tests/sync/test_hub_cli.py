"""``loyalty-hub``: set-up commands on a local SQLite file (``serve`` runs in the chaos test)."""

from __future__ import annotations

import re

import pytest

from sync.hub.cli import main


def test_init_store_terminal_and_tokens(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default database is ./loyalty-hub.db
    assert main(["init", "--merchant", "Corner Café", "--store", "Main street"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"owner token: lt_owner_\S{40,}", out)
    store_id = re.search(r"store:\s+Main street \((\S+)\)", out).group(1)
    assert (tmp_path / "loyalty-hub.db").exists()

    assert main(["stores", "add", "--name", "Kiosk"]) == 0
    assert main(["terminals", "add", "--store", store_id, "--name", "Till 1", "--valid-hours", "2"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"pairing code: [2-9A-Z]{5}-[2-9A-Z]{5}", out)
    assert "valid until:" in out
    assert main(["stores", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Main street" in listed and "Kiosk" in listed
    assert main(["tokens", "add"]) == 0
    assert "lt_owner_" in capsys.readouterr().out


def test_clear_errors(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    assert main(["--database-url", url, "stores", "add", "--name", "Kiosk"]) == 2
    assert "run 'loyalty-hub init --merchant NAME' first" in capsys.readouterr().err
    assert main(["--database-url", url, "terminals", "add", "--store", "nope", "--name", "T"]) == 2
    assert "no store 'nope'" in capsys.readouterr().err
    assert main(["--database-url", "mysql://x/y", "migrate"]) == 2
    assert "unsupported database URL" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["init"])  # --merchant is required: argparse explains
