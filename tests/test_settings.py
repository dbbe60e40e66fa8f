import pytest

from terminal.settings import SETTINGS, SettingsError, load_settings, resolve_data_dir


def test_defaults_match_the_design():
    s = load_settings(environ={})
    assert (s.pin_max_failed_attempts, s.pin_lockout_minutes, s.default_cooldown_minutes,
            s.max_daily_stamps, s.default_points_per_euro) == (5, 30, 15, 5, 10)


def test_file_then_environment(tmp_path):
    (tmp_path / "settings.toml").write_text("max_daily_stamps = 3\ndefault_cooldown_minutes = 5\n")
    s = load_settings(tmp_path, {"LOYALTY_MAX_DAILY_STAMPS": "7"})
    assert s.max_daily_stamps == 7 and s.default_cooldown_minutes == 5


@pytest.mark.parametrize("env,fragment", [
    ({"LOYALTY_MAX_DAILY_STAMPS": "many"}, "whole number"),
    ({"LOYALTY_PIN_MEMORY_KIB": "1024"}, "from 19456 to"),
    ({"LOYALTY_DECODER": "magic"}, "one of"),
])
def test_bad_values_name_the_setting(env, fragment):
    with pytest.raises(SettingsError, match=fragment):
        load_settings(environ=env)


def test_unknown_setting_in_file(tmp_path):
    (tmp_path / "settings.toml").write_text("colour = 'red'\n")
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        load_settings(tmp_path, {})


def test_every_setting_is_described():
    assert all(s.description.endswith(".") for s in SETTINGS)


def test_data_dir_precedence(tmp_path):
    assert resolve_data_dir(str(tmp_path / "a"), {"LOYALTY_DATA_DIR": "/b"}) == tmp_path / "a"
    assert str(resolve_data_dir(None, {"LOYALTY_DATA_DIR": "/b"})) == "/b"
    assert "loyalty-terminal" in str(resolve_data_dir(None, {}))


# ---- ranges (issue 12, item 6) -------------------------------------------------

@pytest.mark.parametrize("env,name", [
    ({"LOYALTY_PIN_LOCKOUT_MINUTES": "99999999999999"}, "pin_lockout_minutes"),
    ({"LOYALTY_PIN_MAX_FAILED_ATTEMPTS": "1000000000"}, "pin_max_failed_attempts"),
    ({"LOYALTY_PIN_MEMORY_KIB": "4000000000"}, "pin_memory_kib"),
    ({"LOYALTY_SYNC_PULL_SECONDS": "10000000000"}, "sync_pull_seconds"),
])
def test_out_of_range_values_stop_start_up_naming_the_setting_and_range(env, name):
    setting = next(s for s in SETTINGS if s.name == name)
    with pytest.raises(SettingsError) as refused:
        load_settings(environ=env)
    message = str(refused.value)
    assert name in message
    assert f"from {setting.minimum} to {setting.maximum}" in message


def test_out_of_range_in_the_settings_file_is_refused_too(tmp_path):
    (tmp_path / "settings.toml").write_text("pin_lockout_minutes = 99999999999999\n")
    with pytest.raises(SettingsError, match="pin_lockout_minutes must be from 1 to"):
        load_settings(tmp_path, {})


def test_every_number_setting_has_a_range_that_holds_its_default():
    for s in SETTINGS:
        if s.type is int:
            assert s.minimum is not None and s.maximum is not None, s.name
            assert s.minimum <= s.default <= s.maximum, s.name
        else:
            assert s.minimum is None and s.maximum is None, s.name


def test_the_largest_allowed_values_load(tmp_path):
    env = {"LOYALTY_" + s.name.upper(): str(s.maximum) for s in SETTINGS if s.type is int}
    loaded = load_settings(environ=env)
    assert all(getattr(loaded, s.name) == s.maximum for s in SETTINGS if s.type is int)


def test_free_text_settings_have_a_length_limit():
    with pytest.raises(SettingsError, match="camera must be at most"):
        load_settings(environ={"LOYALTY_CAMERA": "x" * 5000})


def test_start_up_stops_with_the_setting_and_its_range_and_no_traceback(tmp_path, monkeypatch, capsys):
    from terminal.cli import main

    monkeypatch.setenv("LOYALTY_PIN_LOCKOUT_MINUTES", "99999999999999")
    assert main(["--data-dir", str(tmp_path), "admin", "demo"]) == 2
    err = capsys.readouterr().err
    assert "LOYALTY_PIN_LOCKOUT_MINUTES: pin_lockout_minutes must be from 1 to 10080" in err
    assert "Traceback" not in err
    assert not (tmp_path / "loyalty.sqlite3").exists()  # nothing was written
