"""``admin program list|add|retire|expiry`` and ``admin campaign list|add|end``: programs and campaigns from scripts.

Writes ask the PIN of an owner (``--staff``, default the first owner) like every other write.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, time
from typing import Any

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CAMPAIGN_KINDS = ("multiplier", "fixed_bonus", "spend_bonus", "extra_stamp", "first_visit", "birthday")
PROGRAM_TEMPLATES = ("coffee", "points", "hybrid", "blank")
EXPIRY_MODES = ("age", "inactivity")


def _expiry_text(days: int | None, mode: str) -> str:
    if not days:
        return "points never expire"
    if mode == "inactivity":
        return f"the whole balance expires after {days:,} days without a visit (mode inactivity)"
    return f"points expire {days:,} days after the day they were earned, oldest first (mode age)"


def _cli() -> Any:
    from terminal import cli

    return cli


def _find(services: Any, text: str) -> Any:
    from terminal.services.programs import find_program

    with services.ctx.db.read() as session:
        return find_program(session, text)


def cmd_program_list(args: argparse.Namespace) -> None:
    from terminal.domain.money import minor_digits
    from terminal.domain.programs import format_multiplier, format_rate
    from terminal.services.expiry_mode import expiry_modes

    services = _cli()._services(args)
    currency = services.ctx.store.currency
    modes = expiry_modes(services.ctx)
    for summary in services.programs.summaries(include_retired=True):
        p = summary.program
        if not p.active and not args.all:
            continue
        state = "active" if p.active else "retired"
        print(f"{p.name:28} {p.kind:7} {state:8} {summary.cards:6,} cards  [{p.program_id[:8]}]")
        if p.kind.has_stamps:
            print(f"    {p.stamps_target} stamps for a reward")
        if p.kind.has_points:
            print(f"    {format_rate(p.earning, currency, minor_digits(currency))}")
            print(f"    {_expiry_text(p.points_expiry_days, modes.get(p.program_id, 'age'))}")
            for tier in p.tiers:
                print(f"    tier {tier.name}: from {tier.min_lifetime_points:,} lifetime points, "
                      f"points {format_multiplier(tier.multiplier_percent)}")
        if p.campaigns:
            print(f"    {len(p.campaigns)} campaign(s): admin campaign list --program {p.program_id[:8]}")


def cmd_program_add(args: argparse.Namespace) -> None:
    cli = _cli()
    if args.template == "blank" and not args.kind:
        raise cli.CliError("A blank program needs --kind stamps, points or hybrid. Nothing was changed.")
    services = cli._services(args)
    program_id = services.programs.add(cli._grant(services, args), args.template, args.name, args.kind)
    print(f"Added program {services.programs.program(program_id).name} [{program_id[:8]}].")


def cmd_program_retire(args: argparse.Namespace) -> None:
    cli = _cli()
    services = cli._services(args)
    row = _find(services, args.program)
    services.programs.retire(cli._grant(services, args), row.program_id)
    print(f"{row.name} is retired: its cards keep their history and take nothing new.")


def _expiry_days(text: str) -> int | None:
    if text.strip().lower() == "never":
        return None
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= 3650:
        raise _cli().CliError(f"--days {text!r} is not a number of days. Give 1 to 3650, or never. "
                              "Nothing was changed.")
    return days


def cmd_program_expiry(args: argparse.Namespace) -> None:
    from terminal.domain.programs import ProgramKind
    from terminal.services.expiry_mode import expiry_mode

    cli = _cli()
    if args.days is None and args.mode is None:
        raise cli.CliError("Give --days N (or never), --mode age|inactivity, or both. Nothing was changed.")
    services = cli._services(args)
    row = _find(services, args.program)
    if not ProgramKind(row.kind).has_points:
        raise cli.CliError(f"{row.name} is a stamp card: it has no points to expire. Nothing was changed.")
    changes: dict[str, Any] = {}
    if args.days is not None:
        changes["points_expiry_days"] = _expiry_days(args.days)
    days = changes.get("points_expiry_days", row.points_expiry_days)
    if args.mode is not None:
        if not days:
            raise cli.CliError(f"Points of {row.name} never expire, so a mode does nothing: give --days too. "
                               "Nothing was changed.")
        changes["points_expiry_mode"] = args.mode
    services.owner.edit_program(cli._grant(services, args), row.program_id, **changes)
    print(f"{row.name}: {_expiry_text(days, expiry_mode(services.ctx, row.program_id))}.")


def cmd_campaign_list(args: argparse.Namespace) -> None:
    from terminal.domain.campaigns import describe
    from terminal.domain.money import format_money

    services = _cli()._services(args)
    program_id = _find(services, args.program).program_id if args.program else None
    tz, now, currency = services.ctx.store.tz, services.ctx.clock.now(), services.ctx.store.currency
    rows = services.campaigns.list_campaigns(program_id)
    if not rows:
        print("No campaigns.")
    for program, c in rows:
        state = "running now" if c.is_active(now, tz) else ("over" if c.is_over(now, tz) else "scheduled")
        days = ",".join(WEEKDAYS[d] for d in sorted(c.weekdays)) or "every day"
        hours = f"{c.starts_at:%H:%M}-{c.ends_at:%H:%M}" if c.starts_at and c.ends_at else "all day"
        what = describe(c, format_money(c.min_spend_minor, currency))
        print(f"{c.name:24} {what:28} {c.first_day}..{c.last_day} {days} {hours}  {state}  "
              f"({program.name}) [{c.campaign_id[:8]}]")


def _weekdays(text: str | None) -> tuple[int, ...]:
    if not text:
        return ()
    found = []
    for part in text.lower().replace(" ", "").split(","):
        if part[:3] not in WEEKDAYS:
            raise _cli().CliError(f"{part!r} is not a weekday. Use mon,tue,wed,thu,fri,sat,sun.")
        found.append(WEEKDAYS.index(part[:3]))
    return tuple(sorted(set(found)))


def _hours(text: str | None) -> tuple[time | None, time | None]:
    if not text:
        return None, None
    try:
        start, end = text.split("-")
        return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        raise _cli().CliError(f"{text!r} is not a time range. Write it like 09:00-17:00.") from None


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _cli().CliError(f"{what} {text!r} is not a date. Write it like 2026-12-31.") from None


def cmd_campaign_add(args: argparse.Namespace) -> None:
    from terminal.domain.campaigns import Campaign, CampaignKind
    from terminal.domain.money import parse_amount
    from terminal.domain.programs import parse_multiplier

    cli = _cli()
    services = cli._services(args)
    row = _find(services, args.program)
    starts, ends = _hours(args.hours)
    first = _day(args.first_day, "--from")
    campaign = Campaign(
        campaign_id="", name=args.name, kind=CampaignKind(args.kind), first_day=first,
        last_day=_day(args.last_day, "--to") if args.last_day else first, weekdays=_weekdays(args.weekdays),
        starts_at=starts, ends_at=ends,
        multiplier_percent=parse_multiplier(args.multiplier) if args.multiplier else 100,
        points=args.points, stamps=args.stamps,
        min_spend_minor=(parse_amount(args.min_spend, services.ctx.store.currency, 10**12)
                         if args.min_spend else 0),
    ).check()  # refused before the PIN is asked
    campaign_id = services.campaigns.add(cli._grant(services, args), row.program_id, campaign)
    print(f"Added campaign {campaign.name} to {row.name} [{campaign_id[:8]}].")


def cmd_campaign_end(args: argparse.Namespace) -> None:
    cli = _cli()
    services = cli._services(args)
    services.campaigns.find(args.campaign)  # a wrong id is said before the PIN is asked for
    ended = services.campaigns.end(cli._grant(services, args), args.campaign)
    print(f"{ended.name} has ended.")


def add_commands(admin: Any, add: Callable[..., Any]) -> None:
    """Register the program and campaign commands under ``admin`` (``add`` is cli._add)."""
    program = admin.add_parser("program", help="loyalty programs").add_subparsers(dest="program_cmd", required=True)
    add(program, "list", cmd_program_list, "list programs with their rules").add_argument(
        "--all", action="store_true", help="retired programs too")
    p = add(program, "add", cmd_program_add, "add a program from a template or blank", staff=True)
    p.add_argument("--template", choices=PROGRAM_TEMPLATES, default="blank")
    p.add_argument("--kind", choices=("stamps", "points", "hybrid"), help="for --template blank")
    p.add_argument("--name", help="default: the template's name")
    add(program, "retire", cmd_program_retire, "retire a program (its cards keep their history)",
        staff=True).add_argument("program", help="program name or id (prefix)")
    p = add(program, "expiry", cmd_program_expiry, "when a points program's points expire", staff=True)
    p.add_argument("program", help="program name or id (prefix)")
    p.add_argument("--days", help="days until points expire (1-3650), or never")
    p.add_argument("--mode", choices=EXPIRY_MODES,
                   help="age: each day's points expire --days after they were earned, oldest first; "
                        "inactivity: the whole balance expires --days after the card's last visit")
    campaign = admin.add_parser("campaign", help="bonus campaigns").add_subparsers(dest="campaign_cmd", required=True)
    add(campaign, "list", cmd_campaign_list, "list campaigns").add_argument("--program", help="program name or id")
    p = add(campaign, "add", cmd_campaign_add, "add a campaign", staff=True)
    p.add_argument("--program", required=True, help="program name or id (prefix)")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", required=True, choices=CAMPAIGN_KINDS)
    p.add_argument("--from", dest="first_day", required=True, help="first day, e.g. 2026-12-01 (store time)")
    p.add_argument("--to", dest="last_day", help="last day, inclusive (default: the first day)")
    p.add_argument("--weekdays", help="e.g. tue or sat,sun (default: every day)")
    p.add_argument("--hours", help="e.g. 09:00-17:00 (default: all day)")
    p.add_argument("--multiplier", help="for multiplier: e.g. 2 or 1.5")
    p.add_argument("--points", type=int, default=0, help="bonus points")
    p.add_argument("--stamps", type=int, default=0, help="bonus stamps")
    p.add_argument("--min-spend", help="for spend_bonus: the amount a purchase must reach, e.g. 20.00")
    add(campaign, "end", cmd_campaign_end, "end a campaign now", staff=True).add_argument(
        "campaign", help="campaign id (prefix of 6 or more)")
