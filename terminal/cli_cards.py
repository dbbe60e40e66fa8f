"""``loyalty-terminal admin card ...`` for customers: find, suspend, block, reactivate, replace, contact.

Every write asks a staff PIN (an owner's: the services refuse a cashier), as the window does.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from terminal.domain.codes import format_code
from terminal.domain.programs import CardStatus

_STATUS_WORDS = {"suspend": (CardStatus.SUSPENDED, "suspended"), "block": (CardStatus.BLOCKED, "blocked"),
                 "reactivate": (CardStatus.ACTIVE, "active again")}


def cmd_card_find(args: argparse.Namespace) -> None:
    from terminal import cli

    matches = cli._services(args).customers.search(args.text, limit=args.limit)
    if not matches:
        print(f"No card found for {args.text!r} (search by name, phone, e-mail or code; at least 2 characters).")
        return
    for m in matches:
        print(f"{format_code(m.code)}  {m.status:9}  {m.holder or '-':30}  {m.phone or '-':18}  "
              f"stamps {m.stamps}  points {m.points}  {m.program_name}")


def cmd_card_status(args: argparse.Namespace) -> None:
    from terminal import cli

    services = cli._services(args)
    status, word = _STATUS_WORDS[args.card_cmd]
    services.card_status.set_status(cli._grant(services, args), args.code, status, args.reason)
    print(f"Card {format_code(services.counter.card(args.code).code)} is {word}.")


def cmd_card_replace(args: argparse.Namespace) -> None:
    from terminal import cli

    services = cli._services(args)
    done = services.replace.replace(cli._grant(services, args), args.old, args.new, args.reason)
    made = " (enrolled now)" if done.enrolled else ""
    print(f"Card {format_code(done.new)}{made} replaces {format_code(done.old)}: "
          f"{cli._count(done.stamps, 'stamp')} and {cli._count(done.points, 'point')} moved. "
          f"{format_code(done.old)} stays blocked.")


def cmd_card_contact(args: argparse.Namespace) -> None:
    from terminal import cli

    services = cli._services(args)
    current = services.customers.customer(args.code).contact
    consent = current.consent if args.consent is None else args.consent == "yes"

    def pick(given: str | None, now: str | None) -> str | None:
        return now if given is None else given

    saved = services.customers.update_contact(
        cli._grant(services, args), args.code, holder=pick(args.name, current.holder),
        phone=pick(args.phone, current.phone), email=pick(args.email, current.email),
        birthday=pick(args.birthday, current.birthday), consent=consent)
    print(f"Saved: {saved.holder or '-'}, phone {saved.phone or '-'}, e-mail {saved.email or '-'}, "
          f"birthday {saved.birthday or '-'}, contact {'yes' if saved.consent else 'no'}.")


def add_card_commands(card, add: Callable) -> None:  # noqa: ANN001 - argparse's private subparsers type
    p = add(card, "find", cmd_card_find, "find cards by name, phone, e-mail or code")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=20)
    for name, help_ in (("suspend", "suspend a card (it cannot be used until reactivated)"),
                        ("block", "block a lost or stolen card"), ("reactivate", "make a card usable again")):
        p = add(card, name, cmd_card_status, help_, staff=True)
        p.add_argument("code")
        p.add_argument("--reason", required=True, help="why; it goes in the audit log")
    p = add(card, "replace", cmd_card_replace, "move a blocked card's balance to a new card", staff=True)
    p.add_argument("old", help="the blocked card")
    p.add_argument("new", help="the new card (a pre-printed code, or an enrolled card that holds nothing)")
    p.add_argument("--reason", default="Card replaced", help="why; it goes in the ledger")
    p = add(card, "contact", cmd_card_contact, "set a card's contact details (\"\" clears one)", staff=True)
    p.add_argument("code")
    p.add_argument("--name")
    p.add_argument("--phone")
    p.add_argument("--email")
    p.add_argument("--birthday", help="YYYY-MM-DD, or MM-DD without the year")
    p.add_argument("--consent", choices=("yes", "no"), help="the customer agrees to be contacted")
