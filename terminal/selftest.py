"""``loyalty-terminal --self-test``: is this installation able to run the counter?

One line per check, then a verdict; exit status 0 when every check passed,
1 when one failed (the line says which and what to do). It runs from a
source checkout and from the frozen bundle alike, so a store owner (or the
packaging smoke test) can tell a broken install apart from a broken store.

Checks: the database (open, migrate, verify), each QR decoder on a freshly
generated symbol, the PIN hasher with the configured Argon2id parameters,
the cameras it can find (reported, never a failure: the demo camera stands
in), and the translations (.qm files load). Qt is imported only by the
translations check, and only when it runs.
"""

from __future__ import annotations

import glob
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from terminal.settings import Settings, SettingsError, load_settings, resolve_data_dir


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


class CheckFailed(Exception):
    """A check found a problem; the message says what and what to do."""


# -- database ---------------------------------------------------------------
def check_database(data_dir: Path, settings: Settings) -> str:
    from terminal.store.db import DB_FILENAME

    if (data_dir / DB_FILENAME).exists():
        return _check_store(data_dir, settings, f"store in {data_dir}")
    with tempfile.TemporaryDirectory(prefix="loyalty-selftest-") as tmp:
        # A throwaway store, keyed through a file in the temp dir: the self-test
        # must never leave a key behind in the user's keyring.
        scratch = settings.with_values(secret_backend="file", config_dir=str(Path(tmp) / "config"))
        detail = _check_store(Path(tmp) / "data", scratch, f"no store in {data_dir}; a temporary one", create=True)
    return detail


def _check_store(data_dir: Path, settings: Settings, label: str, create: bool = False) -> str:
    from terminal.services.facade import open_services
    from terminal.store.db import Database

    services = open_services(data_dir, settings)
    try:
        db = services.ctx.db
        head, current = Database.head_revision(), db.current_revision()
        if current != head:
            raise CheckFailed(f"{label}: schema at {current}, expected {head} after migrating.")
        if create:
            _write_sample(services)
        if not services.initialised:
            return f"{label} opened and migrated to {head}; no store set up yet (nothing to verify)"
        report = services.reports.verify()
        if not report.ok:
            raise CheckFailed(f"{label}: verify found {len(report.problems)} problem(s); first: "
                              f"{report.problems[0]} Run `loyalty-terminal admin verify` for all of them.")
        done = "opened, migrated to {}, " + ("enrolled a card, stamped it, " if create else "")
        return f"{label} {done.format(head)}verified ({report.entries} entries, {report.cards} cards)"
    finally:
        services.close()


def _write_sample(services) -> None:  # noqa: ANN001
    """Set up a store and write through the real path: PIN, enrolment, a stamp (BEGIN IMMEDIATE, chain)."""
    from terminal.services.catalog import list_programs

    pin = "".join(secrets.choice("0123456789") for _ in range(6))
    services.init_store(name="Self-test", timezone="UTC", currency="EUR", owner_name="Self-test",
                        owner_pin=pin, template="hybrid")
    grant = services.auth.verify_pin(services.staff.list()[0].staff_id, pin)
    with services.ctx.db.read() as session:
        program_id = list_programs(session)[0].program_id
    card = services.enrollment.enroll(grant, program_id, "Self-test")
    services.counter.stamp(grant, card.code)


# -- decoders ---------------------------------------------------------------
def _card_frame(text: str):  # noqa: ANN202 - numpy array
    import cv2
    import numpy as np

    from terminal.scanner.synthetic import Spoilers, render

    # a printed card held square-on in a 1280x720 webcam frame, as the scan worker sees it
    frame = render(text, Spoilers(symbol_px=240.0, angle=5.0), np.random.default_rng(7))
    return cv2.cvtColor(frame.image, cv2.COLOR_BGR2GRAY)


def check_decoders(settings: Settings) -> str:
    from terminal.domain.codes import new_code, payload_for
    from terminal.scanner.decoders import BACKENDS, DecoderUnavailable, make_decoder
    from terminal.scanner.payload import card_code_of

    code = new_code()
    image = _card_frame(payload_for(code))
    working, unavailable, broken = [], [], []
    for name in BACKENDS:
        try:
            decoder = make_decoder(name)
        except DecoderUnavailable as exc:
            unavailable.append((name, exc.message))
            continue
        started = time.perf_counter()
        found = decoder.decode(image)
        ms = (time.perf_counter() - started) * 1000
        if any(card_code_of(d) == code for d in found):
            working.append(f"{name} {ms:.1f} ms")
        else:
            broken.append(name)
    if broken:
        raise CheckFailed(f"{', '.join(broken)} loaded but could not read a generated card QR. "
                          "Reinstall the application.")
    if not working:
        raise CheckFailed("no QR decoder loads here: " + " ".join(msg for _, msg in unavailable))
    chosen = settings.decoder
    if chosen != "auto" and chosen in dict(unavailable):
        raise CheckFailed(f"the decoder setting asks for {chosen}, which is unavailable: "
                          f"{dict(unavailable)[chosen]}")
    detail = "read a generated card QR with " + ", ".join(working)
    if unavailable:
        detail += "; unavailable: " + ", ".join(name for name, _ in unavailable)
    return detail


# -- PIN hasher -------------------------------------------------------------
def check_pin_hasher(settings: Settings) -> str:
    from terminal.services.pin_hasher import PinHasher

    try:
        hasher = PinHasher(secrets.token_bytes(32), settings.pin_time_cost, settings.pin_memory_kib,
                           settings.pin_parallelism)
    except ValueError as exc:
        raise CheckFailed(f"{exc} Raise the pin_* settings.") from None
    started = time.perf_counter()
    pin_hash = hasher.hash("4829")
    if not hasher.verify(pin_hash, "4829"):
        raise CheckFailed("a PIN hashed here does not verify. Reinstall the application.")
    elapsed = (time.perf_counter() - started) / 2
    if hasher.verify(pin_hash, "4828"):
        raise CheckFailed("a wrong PIN verified. Reinstall the application.")
    return (f"Argon2id t={settings.pin_time_cost} m={settings.pin_memory_kib} KiB p={settings.pin_parallelism}: "
            f"hash and verify {elapsed * 1000:.0f} ms each")


# -- cameras ----------------------------------------------------------------
def _camera_candidates() -> list[str | int]:
    if sys.platform.startswith("linux"):
        return sorted(glob.glob("/dev/video*"), key=lambda p: (len(p), p))
    return [0, 1]  # Windows and macOS name no devices; probe the first two indexes


def check_cameras(settings: Settings) -> str:
    from terminal.scanner.sources import CameraError, CameraSource

    answered, silent = [], []
    for device in _camera_candidates():
        source = CameraSource(device, size=(640, 480))
        try:
            source.open()
            answered.append(str(device))
        except CameraError:
            silent.append(str(device))
        finally:
            source.close()
    setting = f"camera setting {settings.camera!r}"
    if answered:
        return f"{setting}; answering: {', '.join(answered)}" + (
            f"; not answering: {', '.join(silent)}" if silent else "")
    if silent:
        return f"{setting}; found {', '.join(silent)} but none sends a picture; the demo camera stands in"
    return f"{setting}; no webcam found; the demo camera stands in"


# -- translations -----------------------------------------------------------
def check_translations(settings: Settings) -> str:
    from PySide6.QtCore import QLibraryInfo, QTranslator  # lazy: the only Qt in the self-test

    from terminal.ui.i18n import LANGUAGES
    from terminal.ui.resources import i18n_dir

    folder = i18n_dir()
    ours = sorted(folder.glob("*.qm")) if folder.is_dir() else []
    bad = []
    for qm in ours:
        translator = QTranslator()
        if not translator.load(str(qm)) or translator.isEmpty():
            bad.append(qm.name)
    if bad:
        raise CheckFailed(f"{', '.join(bad)} in {folder} would not load. Reinstall the application.")
    wanted = [lang for lang in LANGUAGES if lang != "en"]
    missing = [lang for lang in wanted if not any(qm.stem.endswith(f"_{lang}") for qm in ours)]
    if settings.language in missing:
        raise CheckFailed(f"the language setting is {settings.language!r} but {folder} has no catalogue "
                          "for it. Reinstall the application.")
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    no_qt = [lang for lang in wanted if not QTranslator().load(f"qtbase_{lang}", qt_dir)]
    detail = (f"{len(ours)} loaded ({', '.join(qm.name for qm in ours)})" if ours
              else f"none shipped in {folder}; English only")
    if missing:
        detail += f"; no catalogue for {', '.join(missing)}"
    if no_qt:
        detail += f"; Qt has no qtbase strings for {', '.join(no_qt)} (its dialogs stay English)"
    return detail


# -- running ----------------------------------------------------------------
def _checks(data_dir: Path, settings: Settings) -> Iterator[tuple[str, Callable[[], str]]]:
    yield "database", lambda: check_database(data_dir, settings)
    yield "decoders", lambda: check_decoders(settings)
    yield "pin hasher", lambda: check_pin_hasher(settings)
    yield "cameras", lambda: check_cameras(settings)
    yield "translations", lambda: check_translations(settings)


def _one_line(message: str, limit: int = 300) -> str:
    # some import errors run to twenty lines; the first and the last say what matters
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    text = lines[0] if len(lines) < 2 else f"{lines[0]} ... {lines[-1]}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run_checks(data_dir: Path, settings: Settings | None = None) -> Iterator[CheckResult]:
    if settings is None:
        try:
            settings = load_settings(data_dir)
            yield CheckResult("settings", True, "settings.toml and LOYALTY_* variables are valid")
        except SettingsError as exc:
            yield CheckResult("settings", False, f"{exc} The other checks use the defaults.")
            settings = load_settings(environ={})
    for name, check in _checks(data_dir, settings):
        try:
            yield CheckResult(name, True, check())
        except CheckFailed as exc:
            yield CheckResult(name, False, str(exc))
        except Exception as exc:  # noqa: BLE001 - the point is to name any failure, not to crash
            yield CheckResult(name, False, f"{type(exc).__name__}: {_one_line(str(exc))}")


def run_self_test(data_dir: str | None = None, out=sys.stdout) -> int:  # noqa: ANN001
    """Print one line per check and a verdict; 0 when all passed, else 1."""
    from terminal import __version__

    resolved = resolve_data_dir(data_dir)
    frozen = " (bundle)" if getattr(sys, "frozen", False) else ""
    print(f"loyalty-terminal {__version__}{frozen} self-test, data dir {resolved}", file=out, flush=True)
    failed = []
    for result in run_checks(resolved):
        print(f"{'ok  ' if result.ok else 'FAIL'}  {result.name:<12}  {result.detail}", file=out, flush=True)
        if not result.ok:
            failed.append(result.name)
    if failed:
        print(f"self-test FAILED: {', '.join(failed)}", file=out, flush=True)
        return 1
    print("self-test passed", file=out, flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover - `python -m terminal.selftest`
    sys.exit(run_self_test(os.environ.get("LOYALTY_DATA_DIR")))
