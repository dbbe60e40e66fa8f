"""``loyalty-hub integrations add|list|revoke`` on a local SQLite file."""

from __future__ import annotations

import re

from sync.hub.cli import main


def test_add_list_revoke(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--merchant", "Corner Café", "--store", "Main"]) == 0
    capsys.readouterr()
    assert main(["integrations", "add", "--name", "web shop", "--scope", "read"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"credential:\s+lt_int_\S{40,}", out), out
    cid = re.search(r"id:\s+([0-9a-f]{12}) \(scope read", out).group(1)
    assert main(["integrations", "list"]) == 0
    assert re.search(rf"^{cid}\s+read\s+web shop\s+created \S+\s+active$", capsys.readouterr().out, re.M)
    assert main(["integrations", "revoke", cid]) == 0
    assert f"integration credential {cid} (web shop) revoked" in capsys.readouterr().out
    assert main(["integrations", "list"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(["integrations", "revoke", "000000000000"]) == 2
    assert "no integration credential" in capsys.readouterr().err
    assert main(["integrations", "add", "--name", "  "]) == 2
    assert "give the integration a name" in capsys.readouterr().err
