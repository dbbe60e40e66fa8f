"""``loyalty-hub``: set up and run the hub.

    loyalty-hub init --merchant "Corner Café" [--store "Main street"]
    loyalty-hub stores add --name "Station kiosk"
    loyalty-hub stores list
    loyalty-hub terminals add --store STORE_ID --name "Till 1" [--valid-hours 24]
    loyalty-hub tokens add
    loyalty-hub serve [--host 127.0.0.1] [--port 8700] [--master-key-file PATH]

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

from sqlalchemy.engine import Engine

from sync.hub import admin, reports
from sync.hub.db import DEFAULT_URL, DatabaseUrlError, create_hub_engine
from sync.hub.migrations import SchemaTooNew, migrate

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

    toks = commands.add_parser("tokens", help="owner API tokens").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    add_tok = toks.add_parser("add", help="make another owner token")
    add_tok.add_argument("--merchant")

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
        return _run(args, engine)
    except (admin.AdminError, SchemaTooNew) as exc:
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
                print(f"    terminal {term['terminal_id']}  {term['name']}  "
                      f"entries through seq {term['entries_through']}")
    elif args.command == "terminals":
        pairing = admin.add_terminal(engine, args.store, args.name,
                                     timedelta(hours=args.valid_hours))
        print(f"pairing code: {pairing.code}")
        print(f"valid until:  {pairing.expires_at} (UTC), once")
        print("enter it on the terminal to pair it with this hub")
    elif args.command == "tokens":
        print(f"owner token: {admin.add_owner_token(engine, _merchant(args, engine))}")
    elif args.command == "serve":
        return _serve(args, engine)
    return 0


def _serve(args: argparse.Namespace, engine: Engine) -> int:
    import uvicorn

    from sync.hub.app import create_app

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(engine, run_migrations=False, master_key_file=args.master_key_file)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, ws="none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
