"""Post a register's orders from a CSV file to the loyalty hub: safe to run twice.

    python post_orders.py --hub https://hub.example.com --source register-1 orders.csv
    (the credential is read from $LOYALTY_INTEGRATION_CREDENTIAL)

The CSV has a header row and the columns ``order_id,card,amount`` (amount in
integer minor units: cents, or rupiah) and optionally ``refund_id``. A row
without a refund id earns points for the order; a row with one refunds that
much of the order. Each row's Idempotency-Key is made from the row itself
(``order:<source>:<order_id>`` or ``refund:<source>:<order_id>:<refund_id>``),
so running the file again, or again after a crash half-way, writes nothing
twice: the hub answers the first answer again. Network errors and 5xx answers
are retried with the same key. Standard library only.

Exit status: 0 when every row is done (now or before), 1 when the hub refused
some rows (printed with the hub's code and message), 2 on bad input.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

RETRIES = 4


def post(hub: str, credential: str, path: str, key: str, body: dict) -> tuple[int, dict]:
    """POST with an Idempotency-Key; retried with the same key on network errors and 5xx."""
    request = urllib.request.Request(
        hub.rstrip("/") + "/api/v1/integration" + path, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {credential}", "Idempotency-Key": key,
                 "Content-Type": "application/json"})
    for attempt in range(RETRIES + 1):
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as exc:
            if exc.code < 500 or attempt == RETRIES:
                return exc.code, json.loads(exc.read() or b"{}")
        except (urllib.error.URLError, TimeoutError):
            if attempt == RETRIES:
                raise
        time.sleep(min(2 ** attempt, 10))
    raise AssertionError("unreachable")


def post_rows(hub: str, credential: str, source: str, rows: list[dict[str, str]]) -> int:
    refused = 0
    for line, row in enumerate(rows, start=2):
        order_id, card, amount = row["order_id"].strip(), row["card"].strip(), int(row["amount"])
        refund_id = (row.get("refund_id") or "").strip()
        if refund_id:
            status, body = post(hub, credential, "/refunds", f"refund:{source}:{order_id}:{refund_id}",
                                {"source": source, "order_id": order_id, "amount": amount})
        else:
            status, body = post(hub, credential, "/orders", f"order:{source}:{order_id}",
                                {"source": source, "order_id": order_id, "card": card, "amount": amount})
        if status == 201:
            what = f"refunded {body['refunded_points']} points in all" if refund_id else f"earned {body['points']}"
            print(f"line {line}: order {order_id}: {what}; card {body['card']['code']} has {body['card']['points']}")
        elif status == 409 and body.get("code") == "order_exists":
            print(f"line {line}: order {order_id} had already earned its points")
        else:
            refused += 1
            print(f"line {line}: order {order_id} refused: {body.get('code')}: {body.get('message')}", file=sys.stderr)
    return refused


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.com")
    parser.add_argument("--source", required=True, help="this system's name, e.g. register-1")
    args = parser.parse_args(argv)
    credential = os.environ.get("LOYALTY_INTEGRATION_CREDENTIAL", "")
    if not credential.startswith("lt_int_"):
        print("set LOYALTY_INTEGRATION_CREDENTIAL to a credential from 'loyalty-hub integrations add'",
              file=sys.stderr)
        return 2
    try:
        with args.csv.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            int(row["amount"])
            _ = row["order_id"], row["card"]
    except (OSError, KeyError, ValueError, TypeError) as exc:
        print(f"{args.csv}: needs a header row with order_id,card,amount (amount a whole number): {exc}",
              file=sys.stderr)
        return 2
    return 1 if post_rows(args.hub, credential, args.source, rows) else 0


if __name__ == "__main__":
    sys.exit(main())
