"""``--self-test``: one line per check, exit 0 when all pass, 1 naming what failed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from terminal import selftest
from terminal.selftest import CheckFailed, check_database, check_decoders, check_pin_hasher, run_checks
from terminal.settings import load_settings
from terminal.store.db import DB_FILENAME

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ("settings", "database", "decoders", "pin hasher", "cameras", "translations")


def _self_test(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", "--self-test", "--data-dir", str(data_dir)],
                          cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120)


def test_fresh_data_dir_passes_and_is_left_empty(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = _self_test(data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "self-test passed"
    # one line per check, in order, each marked ok
    body = lines[1:-1]
    assert [line[6:].split("  ")[0].strip() for line in body] == list(CHECKS)
    assert all(line.startswith("ok    ") for line in body), result.stdout
    assert "a temporary one opened, migrated" in result.stdout
    assert not (data_dir / DB_FILENAME).exists()  # the check used a throwaway store


def test_existing_store_is_verified_in_place(services, cashier, card, data_dir: Path) -> None:
    services.counter.stamp(cashier, card)
    services.close()
    result = _self_test(data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(x for x in result.stdout.splitlines() if "database" in x)
    assert f"store in {data_dir}" in line
    entries = int(line.split("verified (")[1].split(" entries")[0])
    assert entries >= 2  # the enrolment and the stamp


def test_tampered_ledger_fails_the_database_check(services, cashier, card, data_dir: Path) -> None:
    services.counter.stamp(cashier, card)
    services.close()
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    conn.executescript("DROP TRIGGER ledger_no_update; UPDATE ledger SET stamps = stamps + 5;")
    conn.close()
    result = _self_test(data_dir)
    assert result.returncode == 1
    assert any(x.startswith("FAIL  database") and "verify found" in x for x in result.stdout.splitlines())
    assert result.stdout.splitlines()[-1] == "self-test FAILED: database"


def test_bad_setting_is_named_and_the_rest_still_runs(tmp_path: Path) -> None:
    result = _self_test(tmp_path / "data", LOYALTY_PIN_TIME_COST="fast")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[1].startswith("FAIL  settings") and "LOYALTY_PIN_TIME_COST" in lines[1]
    assert sum(line.startswith("ok    ") for line in lines) == len(CHECKS) - 1
    assert lines[-1] == "self-test FAILED: settings"


def test_missing_pin_key_fails_the_database_check(services, data_dir: Path, tmp_path: Path) -> None:
    services.close()
    for key in (tmp_path / "config").glob("pin-key-*"):
        key.unlink()
    results = {r.name: r for r in run_checks(data_dir)}
    assert not results["database"].ok
    assert "PIN key" in results["database"].detail


def test_pin_hasher_below_owasp_minimum_fails() -> None:
    settings = load_settings(environ={}).with_values(pin_memory_kib=19456)
    assert "Argon2id" in check_pin_hasher(settings)
    weak = load_settings(environ={})
    weak = type(weak)({**weak.values, "pin_time_cost": 1})  # with_values refuses it, as it should
    with pytest.raises(CheckFailed, match="OWASP"):
        check_pin_hasher(weak)


def test_every_available_decoder_reads_the_card(monkeypatch: pytest.MonkeyPatch) -> None:
    detail = check_decoders(load_settings(environ={}))
    assert "zxing" in detail and "opencv" in detail


def test_decoder_that_reads_nothing_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    monkeypatch.setattr(selftest, "_card_frame", lambda text: np.full((720, 1280), 128, np.uint8))
    with pytest.raises(CheckFailed, match="could not read a generated card QR"):
        check_decoders(load_settings(environ={}))


def test_corrupt_translation_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "loyalty_id.qm").write_bytes(b"not a catalogue")
    monkeypatch.setattr("terminal.ui.resources.resources_dir", lambda: tmp_path)
    results = {r.name: r for r in run_checks(tmp_path / "data")}
    assert not results["translations"].ok
    assert "loyalty_id.qm" in results["translations"].detail


def test_chosen_language_without_catalogue_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("terminal.ui.resources.resources_dir", lambda: tmp_path)
    monkeypatch.setenv("LOYALTY_LANGUAGE", "id")
    results = {r.name: r for r in run_checks(tmp_path / "data")}
    assert not results["translations"].ok
    assert "'id'" in results["translations"].detail


def test_fresh_check_database_leaves_no_key_behind(tmp_path: Path) -> None:
    settings = load_settings(environ={}).with_values(config_dir=str(tmp_path / "config"),
                                                     pin_time_cost=2, pin_memory_kib=19456)
    assert "verified" in check_database(tmp_path / "data", settings)
    assert not (tmp_path / "config").exists()
    assert not (tmp_path / "data").exists()
