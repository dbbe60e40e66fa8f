"""``loyalty-hub chain verify``: check the hub's own signed chain (integration and console writes).

The check is ``hub_chain.verify``: every link, every hash against the
entry's contents, every signature against the hub's key. The key it trusts
is the hub's key *file*, not the public key stored beside the chain in the
database: someone who could rewrite the database could rewrite that too.
Exit code 0 when every merchant's chain checks out, 1 when a problem is
found (each is printed), 2 when the check cannot run (no key file).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ledger_chain import signing as chain_signing
from sync.hub import admin, hub_chain, signing
from sync.hub.schema import entries, merchants, terminals


def add_parser(commands: Any) -> None:
    chain = commands.add_parser("chain", help="the hub's own signed chain").add_subparsers(
        dest="action", required=True, metavar="ACTION")
    verify = chain.add_parser("verify", help="check every link, hash and signature of the hub's chain; "
                                             "exit code 1 when something does not check out")
    verify.add_argument("--merchant", help="only this merchant's chain (default: every merchant's)")
    verify.add_argument("--signing-key-file", type=Path, default=None,
                        help="the hub's signing key file (default as for 'serve')")


def run(args: argparse.Namespace, engine: Engine) -> int:
    path = args.signing_key_file or signing.default_signing_key_path(engine)
    try:
        public = chain_signing.public_key_of(signing.load_hub_key(path, create=False))
    except signing.HubKeyError as exc:
        raise admin.AdminError(f"{exc} (or name it with --signing-key-file)") from None
    with engine.connect() as conn:
        query = sa.select(merchants.c.merchant_id, merchants.c.name).order_by(merchants.c.name)
        if args.merchant:
            query = query.where(merchants.c.merchant_id == args.merchant)
        chosen = conn.execute(query).all()
    if args.merchant and not chosen:
        raise admin.AdminError(f"no merchant {args.merchant!r} on this hub")
    broken = 0
    for merchant_id, name in chosen:
        problems = hub_chain.verify(engine, merchant_id, public)
        count = _entry_count(engine, merchant_id)
        if problems:
            broken += 1
            print(f"{name} ({merchant_id}): {len(problems)} problem(s) in the hub chain of {count} entries:")
            for problem in problems:
                print(f"    {problem}")
        else:
            print(f"{name} ({merchant_id}): hub chain of {count} entries checks out "
                  "(links, hashes and signatures)")
    if broken:
        print("an entry changed or removed outside the hub: restore the database from a backup "
              "taken before it, and find out who could write to it")
    return 1 if broken else 0


def _entry_count(engine: Engine, merchant_id: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(entries.join(terminals,
                                                                terminals.c.terminal_id == entries.c.terminal_id))
            .where(terminals.c.merchant_id == merchant_id, terminals.c.is_hub.is_(sa.true()))).scalar_one()
