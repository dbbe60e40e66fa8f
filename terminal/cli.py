"""``loyalty-terminal``: the counter window, and ``admin`` commands for owners and scripts.

PINs are never taken from the command line (they would land in the shell
history and the process list): they are prompted for, or read from standard
input with ``--pin-stdin`` for scripts.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from terminal import __version__, cli_programs
from terminal.domain.codes import format_code
from terminal.domain.errors import LoyaltyError
from terminal.domain.money import format_money, parse_amount
from terminal.domain.staff import Role
from terminal.settings import SettingsError, resolve_data_dir
from terminal.store.secret_key import SecretKeyError

# terminal.services.setup.TEMPLATES names the same; importing it here would cost --version a third of a second
TEMPLATE_NAMES = ("coffee", "hybrid", "points")


class CliError(Exception):
    pass


NO_TERMINAL = ("There is no terminal to type the PIN in, so nothing was changed. "
               "Give the PIN on standard input with --pin-stdin, e.g. "
               "`printf '%s\\n' \"$PIN\" | loyalty-terminal --pin-stdin admin ...`.")


def _has_terminal() -> bool:
    stdin = sys.stdin
    try:
        return stdin is not None and stdin.isatty()
    except (ValueError, OSError):  # closed or detached standard input
        return False


def _read_pin(args: argparse.Namespace, prompt: str, confirm: bool = False) -> str:
    if args.pin_stdin:
        line = sys.stdin.readline() if sys.stdin is not None else ""
        if not line:
            raise CliError("--pin-stdin was given but standard input is empty. Nothing was changed.")
        return line.strip()
    if not _has_terminal():
        raise CliError(NO_TERMINAL)
    try:
        pin = getpass.getpass(prompt)
        if confirm and getpass.getpass("Repeat the PIN: ") != pin:
            raise CliError("The two PINs differ. Nothing was changed.")
    except EOFError:
        raise CliError("No PIN was typed. Nothing was changed.") from None
    return pin


def _check_store_exists(data_dir: Path) -> None:
    """Refuse before opening: opening a database file creates it (and its folder)."""
    from terminal.store.db import DB_FILENAME

    if not data_dir.is_dir():
        raise CliError(f"The data folder {data_dir} does not exist, so there is no store to use; nothing was "
                       "created. Check --data-dir (or LOYALTY_DATA_DIR). For a new store, run the setup first "
                       "(loyalty-terminal admin init).")
    if not (data_dir / DB_FILENAME).is_file():
        raise CliError(f"The data folder {data_dir} has no store. Check --data-dir (or LOYALTY_DATA_DIR), "
                       "or run the setup first (loyalty-terminal admin init).")


def _services(args: argparse.Namespace, need_store: bool = True):  # noqa: ANN202
    from terminal.services.facade import open_services

    data_dir = resolve_data_dir(args.data_dir)
    if need_store:
        _check_store_exists(data_dir)
    services = open_services(data_dir)
    if need_store:
        services.ctx.store  # noqa: B018 - raises STORE_NOT_INITIALISED with what to do
    return services


def _grant(services, args: argparse.Namespace):  # noqa: ANN001, ANN202
    staff = [s for s in services.staff.list() if s.name.lower() == (args.staff or "").lower()]
    if not args.staff:
        owners = [s for s in services.staff.list() if s.role is Role.OWNER]
        staff = owners[:1]
    if not staff:
        names = ", ".join(s.name for s in services.staff.list())
        raise CliError(f"No active staff member called {args.staff!r}. Staff: {names}.")
    return services.auth.verify_pin(staff[0].staff_id, _read_pin(args, f"PIN for {staff[0].name}: "))


def _count(n: int, one: str, many: str | None = None) -> str:
    """``1 stamp``, ``2 stamps``, ``1,000 points`` (the CLI speaks English)."""
    return f"{n:,} {one if abs(n) == 1 else (many or one + 's')}"


def _print_card(view) -> None:  # noqa: ANN001
    print(f"Card     {format_code(view.code)}  ({view.status})")
    print(f"Holder   {view.holder or '-'}")
    print(f"Program  {view.program.name} ({view.program.kind})")
    if view.program.kind.has_stamps:
        print(f"Stamps   {view.balance.stamps} / {view.program.stamps_target}")
    if view.program.kind.has_points:
        tier = f"  tier {view.tier.name}" if view.tier else ""
        print(f"Points   {view.balance.points}  (lifetime {view.balance.lifetime_points}){tier}")
    for option in view.rewards:
        mark = "yes" if option.affordable else f"no - {option.reason}"
        print(f"Reward   {option.reward.name} [{option.reward.reward_id[:8]}]: {mark}")


# -- commands ---------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> None:
    pin = _read_pin(args, f"New PIN for {args.owner} (4-8 digits): ", confirm=True)  # before anything is created
    services = _services(args, need_store=False)
    services.init_store(name=args.name, timezone=args.timezone, currency=args.currency,
                        owner_name=args.owner, owner_pin=pin, template=args.template)
    print(f"Store {args.name!r} created in {services.ctx.db.path.parent}. Owner: {args.owner}.")


def cmd_demo(args: argparse.Namespace) -> None:
    from terminal.services.demo import DEMO_CASHIER, DEMO_OWNER, POINTS_CARDS, STAMP_CARDS, seed_demo

    services = _services(args, need_store=False)
    if services.initialised:
        print(f"{services.ctx.db.path.parent} already has a store; the demo was not seeded again.")
    else:
        seed_demo(services)
        print(f"Demo store created in {services.ctx.db.path.parent}.")
    print(f"Staff: {DEMO_OWNER[0]} (owner, PIN {DEMO_OWNER[1]}), {DEMO_CASHIER[0]} (cashier, PIN {DEMO_CASHIER[1]}).")
    print("Cards:", ", ".join(format_code(c) for c in [*STAMP_CARDS, *POINTS_CARDS]))
    report = services.reports.verify()
    print(f"Ledger: {_count(report.entries, 'entry', 'entries')}, {'verified' if report.ok else 'PROBLEMS FOUND'}.")


def cmd_staff_add(args: argparse.Namespace) -> None:
    services = _services(args)
    grant = _grant(services, args)
    pin = _read_pin(args, f"New PIN for {args.name}: ", confirm=True)
    info = services.staff.add(grant, args.name, Role(args.role), pin)
    print(f"Added {info.name} ({info.role}).")


def cmd_staff_list(args: argparse.Namespace) -> None:
    for s in _services(args).staff.list(include_inactive=True):
        lock = f"  locked until {s.locked_until:%Y-%m-%d %H:%M} UTC" if s.locked_until else ""
        print(f"{s.name:20} {s.role:8} {'active' if s.active else 'inactive'}{lock}")


def cmd_staff_unlock(args: argparse.Namespace) -> None:
    services = _services(args)
    target = [s for s in services.staff.list() if s.name.lower() == args.name.lower()]
    if not target:
        raise CliError(f"No active staff member called {args.name!r}.")
    services.staff.unlock(_grant(services, args), target[0].staff_id)
    print(f"{target[0].name} is unlocked.")


def cmd_card_enroll(args: argparse.Namespace) -> None:
    from terminal.services.catalog import list_programs

    services = _services(args)
    with services.ctx.db.read() as session:
        programs = list_programs(session)
    chosen = [p for p in programs if args.program in (None, p.name, p.program_id)]
    if not chosen:
        raise CliError(f"No program {args.program!r}. Programs: {', '.join(p.name for p in programs)}.")
    view = services.enrollment.enroll(_grant(services, args), chosen[0].program_id, args.holder)
    print(f"Enrolled card {format_code(view.code)} in {view.program.name}.")


def cmd_card_show(args: argparse.Namespace) -> None:
    services = _services(args)
    _print_card(services.counter.card(args.code))


def cmd_card_history(args: argparse.Namespace) -> None:
    from terminal.services.reports import HistoryFilter

    services = _services(args)
    tz = services.ctx.store.tz
    for e in services.reports.history(HistoryFilter(card=args.code, limit=args.limit)):
        print(f"{e.at.astimezone(tz):%Y-%m-%d %H:%M}  {e.kind:12} stamps {e.stamps:+d}  points {e.points:+d}"
              f"  {e.reason or ''}  [{e.entry_id[:8]}]")


def cmd_stamp(args: argparse.Namespace) -> None:
    services = _services(args)
    result = services.counter.stamp(_grant(services, args), args.code)
    print(f"Stamped. The card has {_count(result.card.balance.stamps, 'stamp')}.")


def cmd_earn(args: argparse.Namespace) -> None:
    services = _services(args)
    currency = services.ctx.store.currency
    amount = parse_amount(args.amount, currency, services.ctx.settings.max_amount_minor)
    result = services.counter.earn(_grant(services, args), args.code, amount)
    print(f"{format_money(amount, currency)} earned {_count(result.entry.points, 'point')}. "
          f"The card has {_count(result.card.balance.points, 'point')}.")


def cmd_redeem(args: argparse.Namespace) -> None:
    services = _services(args)
    view = services.counter.card(args.code)
    match = [o.reward for o in view.rewards
             if o.reward.reward_id.startswith(args.reward) or o.reward.name.lower() == args.reward.lower()]
    if not match:
        raise CliError(f"No reward {args.reward!r}; see `card show {args.code}`.")
    result = services.counter.redeem(_grant(services, args), args.code, match[0].reward_id)
    balance = result.card.balance
    print(f"Redeemed {match[0].name}. Now {_count(balance.stamps, 'stamp')}, {_count(balance.points, 'point')}.")


def cmd_verify(args: argparse.Namespace) -> None:
    report = _services(args).reports.verify()
    print(f"{_count(report.entries, 'ledger entry', 'ledger entries')}, "
          f"{_count(report.audit_events, 'audit event')}, {_count(report.cards, 'card')}.")
    if report.signatures is not None:
        print(f"Checked {_count(report.signatures, 'signature')} of this till's key and "
              f"{_count(report.receipts, 'receipt')} from the hub.")
    if not report.ok:
        for problem in report.problems:
            print("PROBLEM:", problem)
        raise CliError(f"verify found {_count(len(report.problems), 'problem')}; the first is listed first.")
    print("Every hash chain, signature and balance checks out.")


def cmd_export(args: argparse.Namespace) -> None:
    """``--format ledger`` (the default) is the raw signed ledger for auditors; csv and xlsx are for people."""
    output = args.output or args.out
    if args.format != "ledger":
        _export_for_people(args, output)
        return
    services = _services(args)
    chosen = _export_filter(args, services)
    grant = _grant(services, args)
    if output in (None, "-"):
        count = services.reports.export_csv(grant, sys.stdout, chosen)
    else:
        from terminal.services.private_files import open_private_text

        with open_private_text(output) as fh:
            count = services.reports.export_csv(grant, fh, chosen)
    print(f"Exported {_count(count, 'entry', 'entries')}.", file=sys.stderr)


def cmd_expire(args: argparse.Namespace) -> None:
    # No PIN: a system job (cron, a systemd timer) that applies what the owner set in the program,
    # as the window's own timer does; it decides nothing, and running it again writes nothing.
    from terminal.services.expiry import ExpiryService

    written = ExpiryService(_services(args).ctx).run()
    cards = len({e.card for e in written})
    print(f"Expired {_count(-sum(e.points for e in written), 'point')} on {_count(cards, 'card')}."
          if written else "Nothing to expire.")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{text!r} is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-01.") from None


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}" if isinstance(value, float) else f"{value:,}"


def cmd_report(args: argparse.Namespace) -> None:
    from terminal.services.period_report import FIGURE_NAMES, PeriodReportService, report_table

    first, last = _day(args.date_from), _day(args.date_to)
    if args.format == "xlsx" and not args.output:
        raise CliError("An XLSX report needs a file: add --output FILE. Nothing was written.")
    services = _services(args)
    report = PeriodReportService(services.ctx).report(first, last)
    if not args.output:
        print(f"{first} .. {last} (previous period in brackets)")
        for name, label in FIGURE_NAMES.items():
            now, before = getattr(report.figures, name), getattr(report.previous, name)
            print(f"{label + ':':18} {_show(now):>10}  ({_show(before)})")
        return
    from terminal.services.spreadsheet import write_table

    grant = _grant(services, args)
    services.reports.record_export(grant, report="period", first=str(first), last=str(last))
    headers, rows = report_table(report)
    try:
        write_table(args.output, args.format, headers, rows, sheet_title="Report")
    except OSError as exc:
        raise CliError(f"Could not write {args.output}: {exc.strerror}. Pick another file.") from None
    print(f"Wrote the report of {first} .. {last} to {args.output}.", file=sys.stderr)


def _export_filter(args: argparse.Namespace, services):  # noqa: ANN001, ANN202
    """The entries ``--card``, ``--from`` and ``--to`` (store-local days, both included) pick."""
    from datetime import date

    from terminal.services.daily_report import day_bounds_utc
    from terminal.services.reports import HistoryFilter

    tz = services.ctx.store.tz
    days = {}
    for option in ("from", "to"):
        text = getattr(args, f"{option}_day")
        try:
            days[option] = date.fromisoformat(text) if text else None
        except ValueError:
            raise CliError(f"--{option} {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-10. "
                           "Nothing was written.") from None
    if days["from"] and days["to"] and days["to"] < days["from"]:
        raise CliError("--to is before --from. Nothing was written.")
    return HistoryFilter(card=args.card, start=day_bounds_utc(days["from"], tz)[0] if days["from"] else None,
                         end=day_bounds_utc(days["to"], tz)[1] if days["to"] else None, limit=None)


def _export_for_people(args: argparse.Namespace, output: str | None) -> None:
    from terminal.services.history_export import export_history

    if output == "-":
        raise CliError(f"A {args.format} export is a file: give its name with --output FILE. Nothing was written.")
    path = Path(output or f"loyalty-history.{args.format}")
    if path.suffix.lower() != f".{args.format}":
        raise CliError(f"{path} does not end in .{args.format}, so a spreadsheet program would not know it. "
                       f"Name the file with --output NAME.{args.format}. Nothing was written.")
    services = _services(args)
    chosen = _export_filter(args, services)
    count = export_history(services.reports, _grant(services, args), path, args.format, chosen)
    print(f"Exported {_count(count, 'entry', 'entries')} to {path} (times in {services.ctx.store.tz}).")


# -- parser -----------------------------------------------------------------
def _add(sub, name: str, func: Callable, help_: str, staff: bool = False):  # noqa: ANN001, ANN202
    p = sub.add_parser(name, help=help_)
    p.set_defaults(func=func)
    if staff:
        p.add_argument("--staff", help="who confirms with their PIN (default: the first owner)")
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loyalty-terminal", description="Loyalty terminal for the shop counter.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", help="where the database lives (default: LOYALTY_DATA_DIR or the user data dir)")
    parser.add_argument("--demo", action="store_true", help="seed the demo store when the data dir is empty")
    parser.add_argument("--kiosk", action="store_true", help="open the counter window full screen (leave with F11)")
    parser.add_argument("--pin-stdin", action="store_true", help="read PINs from standard input (for scripts)")
    parser.add_argument("--self-test", action="store_true",
                        help="check the database, decoders, PIN hasher, cameras and translations, then exit")
    top = parser.add_subparsers(dest="command")
    admin = top.add_parser("admin", help="owner and script commands").add_subparsers(dest="admin", required=True)
    p = _add(admin, "init", cmd_init, "create the store and its owner")
    p.add_argument("--name", required=True)
    p.add_argument("--timezone", required=True, help="e.g. Europe/Berlin")
    p.add_argument("--currency", required=True, help="e.g. EUR")
    p.add_argument("--owner", required=True, help="the owner's name")
    p.add_argument("--template", choices=TEMPLATE_NAMES, default="coffee")
    _add(admin, "demo", cmd_demo, "seed the demo store")
    staff = admin.add_parser("staff", help="staff and PINs").add_subparsers(dest="staff_cmd", required=True)
    p = _add(staff, "add", cmd_staff_add, "add a staff member", staff=True)
    p.add_argument("name")
    p.add_argument("--role", choices=[r.value for r in Role], default="cashier")
    _add(staff, "list", cmd_staff_list, "list staff")
    _add(staff, "unlock", cmd_staff_unlock, "unlock a locked-out staff member", staff=True).add_argument("name")
    card = admin.add_parser("card", help="cards").add_subparsers(dest="card_cmd", required=True)
    p = _add(card, "enroll", cmd_card_enroll, "enroll a customer", staff=True)
    p.add_argument("--holder")
    p.add_argument("--program", help="program name or id (default: the first)")
    _add(card, "show", cmd_card_show, "show a card").add_argument("code")
    p = _add(card, "history", cmd_card_history, "a card's ledger entries")
    p.add_argument("code")
    p.add_argument("--limit", type=int, default=50)
    from terminal.cli_cards import add_card_commands

    add_card_commands(card, _add)
    _add(admin, "stamp", cmd_stamp, "add a stamp", staff=True).add_argument("code")
    p = _add(admin, "earn", cmd_earn, "earn points for a purchase", staff=True)
    p.add_argument("code")
    p.add_argument("amount", help="purchase amount, e.g. 12.50")
    p = _add(admin, "redeem", cmd_redeem, "redeem a reward", staff=True)
    p.add_argument("code")
    p.add_argument("reward", help="reward name or id prefix")
    _add(admin, "verify", cmd_verify, "recompute every hash chain and balance")
    p = _add(admin, "report", cmd_report, "figures of a period (a file needs the PIN)", staff=True)
    p.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD (included)")
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    p.add_argument("--output", help="file to write (default: the figures on standard output)")
    _add(admin, "expire", cmd_expire, "expire points due now (no PIN; for cron; running it again does nothing)")
    p = _add(admin, "export", cmd_export, "export the history (csv, xlsx) or the raw ledger for auditors",
             staff=True)
    p.add_argument("--format", choices=("ledger", "csv", "xlsx"), default="ledger",
                   help="ledger: the raw signed ledger for auditors (CSV, UTC, hashes; the default); csv or xlsx: "
                        "the history for people (local times, currency, holders, balance after each entry)")
    p.add_argument("--output", help="file to write (ledger default: standard output; "
                                    "csv/xlsx default: loyalty-history.csv or .xlsx in the current folder)")
    p.add_argument("--out", help=argparse.SUPPRESS)  # the older spelling of --output
    p.add_argument("--card", help="only this card's entries")
    p.add_argument("--from", dest="from_day", metavar="DATE", help="first store-local day, YYYY-MM-DD")
    p.add_argument("--to", dest="to_day", metavar="DATE", help="last store-local day (included), YYYY-MM-DD")
    cli_programs.add_commands(admin, _add)
    return parser


def _is_missing_system_library(exc: ImportError) -> bool:
    text = str(exc)
    return "shared object" in text or "DLL load failed" in text or "Library not loaded" in text


def _run_default(args: argparse.Namespace) -> int:
    try:
        from terminal.app import run_window
    except ImportError as exc:
        if _is_missing_system_library(exc):
            raise CliError(f"The window cannot open: a system library is missing ({exc}). Install the system "
                           "libraries with `python packaging/system_deps.py`, then start again.") from None
        if args.demo:
            cmd_demo(args)
            return 0
        raise CliError("The counter window is not part of this build yet. Try: loyalty-terminal --demo") from None
    return run_window(args)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        from terminal.selftest import run_self_test

        return run_self_test(args.data_dir)
    try:
        if args.command is None:
            return _run_default(args)
        args.func(args)
        return 0
    except (LoyaltyError, CliError, SettingsError, SecretKeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file named on the command line cannot be written or read
        where = f" {exc.filename}" if exc.filename else ""
        print(f"error: could not use{where}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a sentence here, the traceback in a file
        report = _save_crash_report()
        print(f"error: something unexpected went wrong ({type(exc).__name__}: {exc}). Nothing more was done. "
              f"The details are in {report}; send that file to whoever looks after this terminal.", file=sys.stderr)
        return 1


def _save_crash_report() -> str:
    import tempfile
    import time
    import traceback

    from platformdirs import user_log_dir

    text = traceback.format_exc()
    for folder in (Path(user_log_dir("loyalty-terminal", appauthor=False)), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}.txt"
            path.write_text(text, encoding="utf-8")
            return str(path)
        except OSError:
            continue
    return "standard error (no folder could be written)"


if __name__ == "__main__":
    sys.exit(main())
