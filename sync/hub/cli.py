"""``loyalty-hub``: set up and run the hub.

    loyalty-hub init --merchant "Corner Café" [--store "Main street"]
    loyalty-hub stores add --name "Station kiosk"
    loyalty-hub stores list
    loyalty-hub terminals add --store STORE_ID --name "Till 1" [--valid-hours 24]
    loyalty-hub terminals recover TILL [--valid-hours 24]
    loyalty-hub terminals revoke TILL
    loyalty-hub tokens add | list | revoke TOKEN_ID
    loyalty-hub integrations add --name "web shop" [--scope read|write] | list | revoke ID
    loyalty-hub programs list | allow PROGRAM STORE | disallow PROGRAM STORE
    loyalty-hub owners add EMAIL [--merchant ID] [--password-stdin] [--totp] | reset-totp EMAIL
    loyalty-hub webhooks add URL --events EVENT[,EVENT…] | list | remove ID | deliveries | replay ID | run
    loyalty-hub chain verify [--merchant ID] [--signing-key-file PATH]
    loyalty-hub serve [--host 127.0.0.1] [--port 8700] [--workers 1] [--master-key-file PATH]
                      [--signing-key-file PATH] [--max-body-mb 8] [--max-clock-ahead-minutes 5]
                      [--forwarded-allow-ips 127.0.0.1] [--db-connections 30] [--no-webhooks]

The database is ``--database-url`` or ``$LOYALTY_HUB_DATABASE_URL``, by
default the SQLite file ``loyalty-hub.db`` in the current directory;
PostgreSQL: ``postgresql+psycopg://user:password@host:5432/dbname``.
Every command brings the schema up to date first.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import get_args

from sqlalchemy.engine import Engine

from sync.hub import admin, chain_cli, flags, integration_credentials, record_rules, reports, webhook_cli, workers
from sync.hub.db import DEFAULT_URL, DatabaseUrlError, create_hub_engine, writing
from sync.hub.keywrap import MasterKeyError
from sync.hub.limits import MB, HubLimits
from sync.hub.migrations import SchemaTooNew, migrate
from sync.protocol import FlagKindName

ENV_URL = "LOYALTY_HUB_DATABASE_URL"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loyalty-hub", description="The Loyalty Terminal hub.")
    parser.add_argument("--database-url", default=os.environ.get(ENV_URL, DEFAULT_URL),
                        help=f"SQLAlchemy URL (default: ${ENV_URL} or {DEFAULT_URL})")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="create a merchant and print its owner token")
    init.add_argument("--merchant", required=True, help="the merchant's name")
    init.add_argument("--store", help="also create a first store with this name")

    stores = commands.add_parser("stores", help="manage stores").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    add_store = stores.add_parser("add", help="add a store")
    add_store.add_argument("--name", required=True)
    add_store.add_argument("--merchant", help="merchant id (needed when the hub has several)")
    list_stores = stores.add_parser("list", help="list stores and their terminals")
    list_stores.add_argument("--merchant")

    terms = commands.add_parser("terminals", help="manage terminals").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    add_term = terms.add_parser("add", help="make a one-time pairing code for a new terminal")
    add_term.add_argument("--store", required=True, help="store id (see 'stores list')")
    add_term.add_argument("--name", required=True, help="e.g. 'Till 1'")
    add_term.add_argument("--valid-hours", type=float, default=24.0,
                          help="how long the code can be used (default 24)")
    recover = terms.add_parser("recover", help="make a one-time code that re-pairs one paired till "
                                               "(reinstalled, token lost, revoked); it ends the old token")
    recover.add_argument("terminal", metavar="TILL", help="terminal id, or its first 6+ characters")
    recover.add_argument("--valid-hours", type=float, default=24.0,
                         help="how long the code can be used (default 24)")
    revoke = terms.add_parser("revoke", help="end a till's access to the hub at once")
    revoke.add_argument("terminal", metavar="TILL", help="terminal id, or its first 6+ characters")

    toks = commands.add_parser("tokens", help="owner API tokens").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    add_tok = toks.add_parser("add", help="make another owner token")
    add_tok.add_argument("--merchant")
    list_tok = toks.add_parser("list", help="list owner tokens by id (the tokens are never shown again)")
    list_tok.add_argument("--merchant")
    revoke_tok = toks.add_parser("revoke", help="end an owner token at once")
    revoke_tok.add_argument("token", metavar="TOKEN_ID", help="the id from 'tokens list' (6+ characters) "
                                                               "or the token itself")
    revoke_tok.add_argument("--merchant")

    ints = commands.add_parser("integrations", help="credentials for other systems (integration API)"
                               ).add_subparsers(dest="action", required=True, metavar="ACTION")
    add_int = ints.add_parser("add", help="make an integration credential (shown once)")
    add_int.add_argument("--name", required=True, help="what uses it, e.g. 'web shop'")
    add_int.add_argument("--scope", choices=("read", "write"), default="write",
                         help="read: look up cards and history; write: also enroll, stamp, earn, redeem, refund")
    add_int.add_argument("--merchant")
    list_int = ints.add_parser("list", help="list integration credentials by id")
    list_int.add_argument("--merchant")
    revoke_int = ints.add_parser("revoke", help="end an integration credential at once")
    revoke_int.add_argument("credential", metavar="ID", help="the id from 'integrations list'")
    revoke_int.add_argument("--merchant")

    flag_list = commands.add_parser("flags", help="list what offline tills did together that breaks a rule "
                                                  "(overdrafts, second voids, daily limit, stock)")
    flag_list.add_argument("--merchant")
    flag_list.add_argument("--kind", choices=get_args(FlagKindName), help="only flags of this kind")

    progs = commands.add_parser("programs", help="which stores' tills may change a program").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    list_progs = progs.add_parser("list", help="list programs, who changed them last and the stores allowed")
    list_progs.add_argument("--merchant")
    for action, text in (("allow", "let tills of STORE change PROGRAM (its tiers and rewards too)"),
                         ("disallow", "tills of STORE may no longer change PROGRAM")):
        rule = progs.add_parser(action, help=text)
        rule.add_argument("program", metavar="PROGRAM", help="program id (see 'programs list')")
        rule.add_argument("store", metavar="STORE", help="store id (see 'stores list')")
        rule.add_argument("--merchant")

    owner_cmds = commands.add_parser("owners", help="owner accounts of the web console").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    add_owner = owner_cmds.add_parser("add", help="an account that signs in at /console (asks for its password)")
    add_owner.add_argument("email")
    add_owner.add_argument("--merchant")
    add_owner.add_argument("--password-stdin", action="store_true",
                           help="read the password from the first line of standard input (for scripts)")
    add_owner.add_argument("--totp", action="store_true",
                           help="also turn on a second factor: prints the secret for an authenticator app")
    reset_totp = owner_cmds.add_parser(
        "reset-totp", help="turn the second factor off for an owner who lost the authenticator (and sign them "
                           "out everywhere); they turn it on again on the account page after signing in")
    reset_totp.add_argument("email")

    page = commands.add_parser("customer-page", help="the customers' card page (/c/...): on, off, or show")
    page.add_argument("action", choices=("on", "off", "status"))
    page.add_argument("--merchant")

    serve = commands.add_parser("serve", help="run the hub")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--master-key-file", type=Path, default=None,
                       help="file (0600) with the key that wraps stores' PIN keys; default "
                            "$LOYALTY_HUB_MASTER_KEY_FILE, else next to a SQLite database, else "
                            "the user's config folder. Back it up: without it joining terminals "
                            "cannot get their store's PIN key")
    serve.add_argument("--max-body-mb", type=float, default=HubLimits.max_body_bytes / MB,
                       help="largest request body accepted, in MB (default %(default)g); larger ones get 413")
    serve.add_argument("--pairing-attempts", type=int, default=HubLimits.pairing_attempts,
                       help="failed pairing attempts allowed per client address in 10 minutes "
                            "(default %(default)d); more get 429 with Retry-After")

    serve.add_argument("--max-clock-ahead-minutes", type=float, default=HubLimits.max_clock_ahead_minutes,
                       help="entries and records dated more than this many minutes ahead of the hub's "
                            "clock are refused, telling the till to fix its clock (default %(default)g)")

    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes sharing the port (default 1); more than one needs PostgreSQL. "
                            "Each also delivers webhooks; leases keep a delivery to one of them")
    serve.add_argument("--signing-key-file", type=Path, default=None,
                       help="file (0600) with the hub's Ed25519 key that signs receipts and the hub's own "
                            "chain; default $LOYALTY_HUB_SIGNING_KEY_FILE, else beside a SQLite database, "
                            "else the user's config folder. Back it up with the master key")
    serve.add_argument("--forwarded-allow-ips", default=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                       help="addresses of reverse proxies whose X-Forwarded-For/-Proto are believed "
                            "(comma-separated, default %(default)s); the pairing limit counts attempts "
                            "per client address as these headers give it")
    serve.add_argument("--db-connections", type=int, default=30,
                       help="most database connections per worker (default %(default)d); keep workers x "
                            "this below PostgreSQL's max_connections")
    serve.add_argument("--no-webhooks", action="store_true",
                       help="do not deliver webhooks from this process (run 'loyalty-hub webhooks run' instead)")
    webhook_cli.add_parser(commands)
    chain_cli.add_parser(commands)

    commands.add_parser("migrate", help="bring the database schema up to date and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        engine = create_hub_engine(args.database_url)
    except DatabaseUrlError as exc:
        print(f"loyalty-hub: {exc}", file=sys.stderr)
        return 2
    try:
        migrate(engine)
        return _flags(args, engine) if args.command == "flags" else _run(args, engine)
    except (admin.AdminError, SchemaTooNew, workers.ServeError, MasterKeyError) as exc:
        print(f"loyalty-hub: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _merchant(args: argparse.Namespace, engine: Engine) -> str:
    return args.merchant or admin.only_merchant(engine)


def _run(args: argparse.Namespace, engine: Engine) -> int:
    if args.command == "init":
        merchant = admin.create_merchant(engine, args.merchant)
        print(f"merchant:    {merchant.name} ({merchant.merchant_id})")
        print(f"owner token: {merchant.owner_token}")
        print("             keep it safe: it is shown only now (owner API: Authorization: Bearer …)")
        print(f"token id:    {admin.owner_token_id(merchant.owner_token)} (to revoke it: loyalty-hub tokens revoke ID)")
        if args.store:
            store_id = admin.add_store(engine, merchant.merchant_id, args.store)
            print(f"store:       {args.store} ({store_id})")
    elif args.command == "stores" and args.action == "add":
        store_id = admin.add_store(engine, _merchant(args, engine), args.name)
        print(f"store: {args.name} ({store_id})")
    elif args.command == "stores" and args.action == "list":
        for store in reports.list_stores(engine, _merchant(args, engine)):
            print(f"{store['store_id']}  {store['name']}")
            for term in store["terminals"]:
                revoked = f"  REVOKED {term['revoked_at']}" if term.get("revoked_at") else ""
                print(f"    terminal {term['terminal_id']}  {term['name']}  "
                      f"entries through seq {term['entries_through']}{revoked}")
    elif args.command in _COMMANDS:
        return _COMMANDS[args.command](args, engine)
    return 0


def _flags(args: argparse.Namespace, engine: Engine) -> int:
    lines = flags.flag_lines(engine, _merchant(args, engine), args.kind)
    for line in lines:
        print(line)
    if not lines:
        print("nothing flagged")
    return 0


def _terminals(args: argparse.Namespace, engine: Engine) -> int:
    if args.action == "revoke":
        terminal_id, revoked_at = admin.revoke_terminal(engine, args.terminal)
        print(f"terminal {terminal_id} revoked at {revoked_at} (UTC): its token is refused from now on")
        print(f"to let it back in: loyalty-hub terminals recover {terminal_id[:8]}")
        return 0
    if args.action == "recover":
        pairing = admin.recover_terminal(engine, args.terminal, timedelta(hours=args.valid_hours))
        print(f"recovery code: {pairing.code}")
        print(f"for terminal:  {pairing.terminal_id} ({pairing.name}); no other till can use it")
    else:
        pairing = admin.add_terminal(engine, args.store, args.name, timedelta(hours=args.valid_hours))
        print(f"pairing code: {pairing.code}")
    print(f"valid until:  {pairing.expires_at} (UTC), once")
    print("enter it on the terminal to pair it with this hub")
    return 0


def _tokens(args: argparse.Namespace, engine: Engine) -> int:
    merchant_id = _merchant(args, engine)
    if args.action == "list":
        for info in admin.list_owner_tokens(engine, merchant_id):
            state = f"revoked {info.revoked_at}" if info.revoked_at else "active"
            print(f"{info.token_id}  created {info.created_at}  {state}")
    elif args.action == "revoke":
        info = admin.revoke_owner_token(engine, merchant_id, args.token)
        print(f"owner token {info.token_id} revoked at {info.revoked_at} (UTC)")
    else:
        token = admin.add_owner_token(engine, merchant_id)
        print(f"owner token: {token}")
        print(f"token id:    {admin.owner_token_id(token)} (to revoke it: loyalty-hub tokens revoke ID)")
    return 0


def _integrations(args: argparse.Namespace, engine: Engine) -> int:
    merchant_id = _merchant(args, engine)
    if args.action == "list":
        for info in integration_credentials.list_all(engine, merchant_id):
            state = f"revoked {info.revoked_at}" if info.revoked_at else "active"
            print(f"{info.credential_id}  {info.scope:5}  {info.name}  created {info.created_at}  {state}")
    elif args.action == "revoke":
        info = integration_credentials.revoke(engine, merchant_id, args.credential)
        print(f"integration credential {info.credential_id} ({info.name}) revoked at {info.revoked_at} (UTC)")
    else:
        made = integration_credentials.create(engine, merchant_id, args.name, args.scope)
        print(f"credential:  {made.secret}")
        print("             keep it safe: it is shown only now (Authorization: Bearer …)")
        print(f"id:          {made.credential_id} (scope {made.scope}; to revoke it: "
              "loyalty-hub integrations revoke ID)")
    return 0


def _programs(args: argparse.Namespace, engine: Engine) -> int:
    merchant_id = _merchant(args, engine)
    try:
        with writing(engine) as conn:
            if args.action == "list":
                for info in record_rules.list_programs(conn, merchant_id):
                    stores = ", ".join(info["allowed_stores"]) or "none"
                    print(f"{info['program_id']}  {info['name']}  changed {info['updated_at']} by store "
                          f"{info['origin_store_id'] or '?'}  may be changed from: {stores}")
                return 0
            change = record_rules.allow if args.action == "allow" else record_rules.disallow
            allowed = change(conn, merchant_id, args.program, args.store)
    except record_rules.ProgramRuleError as exc:
        raise admin.AdminError(str(exc)) from None
    print(f"program {args.program} may now be changed from: {', '.join(allowed) or 'no store'}")
    return 0


def _owners(args: argparse.Namespace, engine: Engine) -> int:
    from sync.hub import owners, secret_store

    if args.action == "reset-totp":
        return _reset_totp(args.email, engine)
    merchant_id = _merchant(args, engine)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise admin.AdminError("the two passwords differ; run the command again")
    if args.totp:
        secret_store.master_key_for(engine)()  # a wrong key file stops here, before the account is made
    account = owners.add_owner(engine, merchant_id, args.email, password)
    print(f"owner account: {account.email} ({account.account_id})")
    if args.totp:
        secret = owners.new_totp_secret()
        owners.set_totp_secret(engine, account.account_id, secret)
        print(f"TOTP secret:   {secret} (add it to an authenticator app; sign-in asks for its code)")
    print("sign in at http(s)://HUB:PORT/console")
    return 0


def _reset_totp(email: str, engine: Engine) -> int:
    """The rescue for a lost phone: whoever runs the hub holds the database, so it needs no code.

    The sessions end too: the lost phone may still be signed in to the console.
    """
    from sync.hub import owners

    account = owners.find_account(engine, email)
    if account is None:
        raise admin.AdminError(f"no owner account {owners.normalize_email(email)!r} on this hub "
                               "(the accounts are listed on the console's account page)")
    if not account.totp:
        print(f"second factor of {account.email}: already off; nothing changed")
        return 0
    owners.set_totp_secret(engine, account.account_id, None)
    ended = owners.end_all_sessions(engine, account.account_id)
    print(f"second factor of {account.email}: turned off; {ended} console session(s) ended")
    print("they sign in with the password only, then turn it on again on the account page (/console/account)")
    return 0


def _customer_page(args: argparse.Namespace, engine: Engine) -> int:
    from sync.hub import customer_tokens

    merchant_id = _merchant(args, engine)
    if args.action != "status":
        customer_tokens.set_page_enabled(engine, merchant_id, args.action == "on")
    on = customer_tokens.page_enabled(engine, merchant_id)
    print("customer page: " + ("on (the card's second QR opens its page)" if on
                               else "off (every card's page answers 404)"))
    return 0


def _serve(args: argparse.Namespace, engine: Engine) -> int:
    from sync.hub import keywrap, signing

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.max_body_mb <= 0 or args.pairing_attempts < 1:
        raise admin.AdminError("--max-body-mb must be above 0 and --pairing-attempts at least 1")
    if not 1 <= args.max_clock_ahead_minutes <= 24 * 60:
        raise admin.AdminError("--max-clock-ahead-minutes must be from 1 to 1440 (a day)")
    workers.check_workers(engine.url.get_backend_name(), args.workers, args.db_connections)
    master = (args.master_key_file or keywrap.default_master_key_path(engine)).expanduser().resolve()
    hub_key = (args.signing_key_file or signing.default_signing_key_path(engine)).expanduser().resolve()
    try:
        workers.prepare_keys(master, hub_key)
    except (keywrap.MasterKeyError, signing.HubKeyError, ValueError) as exc:
        raise admin.AdminError(str(exc)) from None
    config = workers.WorkerConfig(
        database_url=engine.url.render_as_string(hide_password=False), master_key_file=str(master),
        signing_key_file=str(hub_key), max_body_bytes=int(args.max_body_mb * MB),
        pairing_attempts=args.pairing_attempts, max_clock_ahead_minutes=args.max_clock_ahead_minutes,
        webhooks=not args.no_webhooks, db_connections=args.db_connections)
    engine.dispose()  # the workers open their own
    workers.serve(config, host=args.host, port=args.port, workers=args.workers, log_level=args.log_level,
                  forwarded_allow_ips=args.forwarded_allow_ips)
    return 0


_COMMANDS = {"terminals": _terminals, "tokens": _tokens, "integrations": _integrations, "programs": _programs,
             "owners": _owners, "serve": _serve, "customer-page": _customer_page, "chain": chain_cli.run,
             "webhooks": lambda args, engine: webhook_cli.run(args, engine, _merchant(args, engine))}


if __name__ == "__main__":
    sys.exit(main())
