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
    ({"LOYALTY_PIN_MEMORY_KIB": "1024"}, "at least 19456"),
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
