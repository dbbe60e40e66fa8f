"""Every setting declared once: name, type, default, description.

Values come from the defaults, then ``settings.toml`` in the data dir, then
``LOYALTY_<NAME>`` environment variables (the last wins). A bad value is
refused with a message naming the setting and what it accepts.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "loyalty-terminal"
MAX_TEXT = 1000  # the range of a free-text setting (paths, camera names)


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str
    minimum: int | None = None
    maximum: int | None = None  # every number has a range: one past it is refused at start-up
    choices: tuple[str, ...] | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("pin_max_failed_attempts", int, 5, "Wrong PINs in a row before a staff member is locked out.", 1, 1000),
    Setting("pin_lockout_minutes", int, 30,
            "How long a locked-out staff member must wait (an owner can unlock sooner); "
            "each further lockout doubles it, up to a day.", 1, 10_080),
    Setting("pin_disable_after_failures", int, 100,
            "Wrong PINs (counted across lockouts) after which the PIN is disabled until an owner resets it.",
            1, 1000),
    Setting("clock_tolerance_minutes", int, 5,
            "Actions are refused while the computer's clock is this much earlier than the till's last entry.",
            1, 1440),
    Setting("hub_clock_refuse_minutes", int, 15,
            "A paired till refuses stamps while its clock differs from the hub's by more than this.", 3, 1440),
    Setting("default_cooldown_minutes", int, 15,
            "Minimum time between two stamps on one card, unless the program sets its own.", 0, 1440),
    Setting("max_daily_stamps", int, 5,
            "Most stamps one card may get per store-local day, unless the program sets its own.", 1, 1000),
    Setting("default_points_per_euro", int, 10, "Points per currency unit for new points programs.", 0, 10_000),
    Setting("max_amount_minor", int, 1_000_000,
            "Largest purchase amount accepted, in minor units (cents).", 1, 10_000_000_000),
    Setting("grant_seconds", int, 120, "How long a confirmed PIN authorises actions.", 1, 1_000_000_000),
    Setting("cashier_undo_seconds", int, 120,
            "How long after an action its cashier may undo it with their own PIN; later, "
            "or for someone else's action, an owner confirms.", 0, 86_400),
    Setting("counter_idle_seconds", int, 30,
            "After an action, the card leaves the counter screen when nobody touches the counter for this long.",
            5, 3600),
    Setting("owner_idle_seconds", int, 300,
            "The owner area locks (back to the counter, the owner's PIN asked again) after this long untouched.",
            15, 3600),
    Setting("pin_time_cost", int, 3, "Argon2id iterations for PIN hashes (OWASP minimum 2).", 2, 20),
    Setting("pin_memory_kib", int, 65536,
            "Argon2id memory for PIN hashes in KiB (OWASP minimum 19456).", 19456, 1_048_576),
    Setting("pin_parallelism", int, 1, "Argon2id lanes for PIN hashes.", 1, 16),
    Setting("secret_backend", str, "auto",
            "Where the PIN key lives: the OS keyring, a 0600 file, or auto (keyring, else file).",
            choices=("auto", "keyring", "file")),
    Setting("config_dir", str, "", "Folder for the PIN key file; empty means the user's config folder."),
    Setting("language", str, "en", "Language of the window.", choices=("en", "id")),
    Setting("theme", str, "system", "Colours of the window: light, dark, or follow the system.",
            choices=("light", "dark", "system")),
    Setting("kiosk", str, "off", "Kiosk mode: the counter window fills the screen (on or off).", choices=("off", "on")),
    Setting("sounds", str, "on", "Sounds for a card read, a success and a refusal (on or off).", choices=("on", "off")),
    Setting("camera", str, "auto", "Camera: auto, demo, an index (0), a device path or a video file."),
    Setting("decoder", str, "auto",
            "QR decoder: auto, zxing, zbar or opencv.", choices=("auto", "zxing", "zbar", "opencv")),
    Setting("offline_after_minutes", int, 60,
            "A paired terminal whose last successful sync is older than this is offline: redemptions are limited.",
            1, 10_080),
    Setting("offline_redemptions_per_card", int, 1,
            "Redemptions one card may get on this terminal while it is offline (0: none).", 0, 100),
    Setting("offline_stock_share_percent", int, 50,
            "Share of a reward's remaining stock this terminal may give while offline (the other tills may "
            "be giving the rest); 0: none.", 0, 100),
    Setting("sync_pull_seconds", int, 30,
            "How often a paired terminal asks the hub for other terminals' changes.", 1, 86_400),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class SettingsError(ValueError):
    pass


def _coerce(setting: Setting, raw: Any, source: str) -> Any:
    value: int | str
    try:
        if setting.type is int:
            if isinstance(raw, bool):
                raise ValueError
            value = int(str(raw).strip())
        else:
            value = str(raw).strip()
    except ValueError:
        raise SettingsError(
            f"{source}: {setting.name} must be a whole number, not {raw!r}. {setting.description}"
        ) from None
    if isinstance(value, int):
        low = setting.minimum if setting.minimum is not None else 0
        if setting.maximum is not None and not low <= value <= setting.maximum:
            raise SettingsError(f"{source}: {setting.name} must be from {low} to {setting.maximum}, "
                                f"not {value}. {setting.description}")
        if value < low:
            raise SettingsError(f"{source}: {setting.name} must be at least {low}, not {value}.")
    elif len(value) > MAX_TEXT:
        raise SettingsError(f"{source}: {setting.name} must be at most {MAX_TEXT} characters long, "
                            f"not {len(value)}.")
    if setting.choices and value not in setting.choices:
        raise SettingsError(
            f"{source}: {setting.name} must be one of {', '.join(setting.choices)}, not {value!r}."
        )
    return value


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def with_values(self, **changes: Any) -> Settings:
        for name, value in changes.items():
            _coerce(_BY_NAME[name], value, "override")
        return Settings({**self.values, **changes})


def load_settings(data_dir: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    if data_dir is not None and (path := data_dir / "settings.toml").exists():
        with path.open("rb") as fh:
            try:
                from_file = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(f"{path} is not valid TOML: {exc}. Fix or remove the file.") from None
        for name, raw in from_file.items():
            if name not in _BY_NAME:
                raise SettingsError(f"{path}: unknown setting {name!r}. Known: {', '.join(_BY_NAME)}.")
            values[name] = _coerce(_BY_NAME[name], raw, str(path))
    for setting in SETTINGS:
        env_name = "LOYALTY_" + setting.name.upper()
        if env_name in environ:
            values[setting.name] = _coerce(setting, environ[env_name], env_name)
    return Settings(values)


def resolve_data_dir(cli_value: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """--data-dir, else LOYALTY_DATA_DIR, else the platform's user data dir."""
    environ = os.environ if environ is None else environ
    chosen = cli_value or environ.get("LOYALTY_DATA_DIR") or user_data_dir(APP_NAME, appauthor=False)
    return Path(chosen).expanduser()


def resolve_config_dir(settings: Settings) -> Path:
    return Path(settings.config_dir or user_config_dir(APP_NAME, appauthor=False)).expanduser()


def settings_table() -> str:
    """The settings as a Markdown table, for the README (a test keeps the two equal)."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default != "" else "(empty)"
        allowed = f" One of: {', '.join(s.choices)}." if s.choices else ""
        lines.append(f"| `LOYALTY_{s.name.upper()}` | {default} | {s.description}{allowed} |")
    return "\n".join(lines)
