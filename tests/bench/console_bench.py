"""Console benchmark: the owner's pages on a big hub, on SQLite and PostgreSQL.

    python tests/bench/console_bench.py            # 1,000,000 entries, 20 stores, 50,000 cards
    python tests/bench/console_bench.py --quick    # 100,000 entries, 10,000 cards; under a minute
    python tests/bench/console_bench.py --pg-url postgresql+psycopg://...   # else LOYALTY_TEST_PG_URL

A year of a merchant's ledger is generated straight into the hub's tables
(cards, staff, stores with their time zones, tills, balances, entries with
enrollments, stamps, earnings, redemptions, campaign bonuses, voids and
keyed expiries), not through HTTP: the pages' cost is the question, not
ingest (tests/bench/sync_bench.py measures that). The console's period
figures are then rebuilt once from the entries by the schema step's own
backfill (``daily_totals.recount``), and from there on the pages read them.

Each page is asked through the real app (FastAPI's test client, a signed-in
owner session, the real templates) several times after a warm-up: the
dashboard, card search by name and by code, a card page with its history,
and a 30-day report across all stores. Target: p95 <= 300 ms for each, on
each database; the bench exits 1 when one is missed. The last line is one
JSON object with each page's p95 per database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
import uuid
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from _common import exit_status, fresh_pg, ms, percentile, print_result, print_table

from sync.hub import admin, lifetime, owners
from sync.hub.app import create_app
from sync.hub.daily_totals import recount
from sync.hub.db import create_hub_engine, writing
from sync.hub.migrations import migrate
from sync.hub.schema import (
    balances,
    cards,
    entries,
    programs,
    staff,
    store_profiles,
    terminals,
)
from terminal.domain.campaigns import Campaign, CampaignKind

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # this Starlette warns when it runs on httpx (see tests/sync/console_helpers.py)
    from starlette.testclient import TestClient

TARGET_MS = 300.0
PG_ENV = "LOYALTY_TEST_PG_URL"
STORES = 20
TILLS_PER_STORE = 2
STAFF_PER_STORE = 3
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
FIRST = ("Siti", "Budi", "Ayu", "Dewi", "Agus", "Rina", "Joko", "Putri", "Eko", "Wati", "Andi", "Nur", "Hadi",
         "Lina", "Rudi", "Maya", "Yusuf", "Indah", "Bayu", "Sari", "Ana", "Tono", "Fitri", "Dian", "Rizky")
LAST = ("Rahayu", "Santoso", "Wijaya", "Lestari", "Saputra", "Kusuma", "Hidayat", "Pratama", "Nugroho", "Halim",
        "Susanto", "Gunawan", "Setiawan", "Utami", "Siregar", "Nasution", "Lubis", "Harahap", "Sinaga", "Tanjung")
CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
FAKE_HASH = "0" * 64
PASSWORD = "bench password 2026"




# A valid hybrid program with a campaign and tiers, so the card page and the report's tier mix do
# their real work (the tiers of 50,000 members).
PROGRAM_SETTINGS = json.dumps({
    "campaigns": [Campaign("double-tuesday", "Double Tuesdays", CampaignKind.MULTIPLIER, date(2026, 1, 1),
                           date(2026, 12, 31), weekdays=frozenset({1}), multiplier_percent=200).to_settings()],
    "tiers": [{"name": "Silver", "min_lifetime_points": 500, "multiplier_percent": 110},
              {"name": "Gold", "min_lifetime_points": 2000, "multiplier_percent": 125}]})

def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Generated:
    """What the pages are then asked about: the merchant, some card codes and holders' names."""

    def __init__(self, merchant_id: str, codes: list[str], names: list[str]) -> None:
        self.merchant_id, self.codes, self.names = merchant_id, codes, names


def generate(engine: sa.Engine, n_entries: int, n_cards: int, rng: random.Random) -> Generated:
    """A year of one merchant's ledger, inserted in chunks straight into the hub's tables."""
    now = datetime.now(UTC)
    start = now - timedelta(days=365)
    merchant_id = admin.create_merchant(engine, "Bench Kopi").merchant_id
    store_ids = [admin.add_store(engine, merchant_id, f"Kopi {n + 1:02d}") for n in range(STORES)]
    tills: list[tuple[str, str]] = []   # (terminal_id, store_id)
    staff_of: dict[str, list[str]] = {}
    with writing(engine) as conn:
        conn.execute(sa.insert(store_profiles), [
            {"store_id": s, "name": f"Kopi {n + 1:02d}", "timezone": ZONES[n % len(ZONES)], "currency": "IDR",
             "pin_key_wrapped": "bench", "updated_at": _iso(start)} for n, s in enumerate(store_ids)])
        for store_id in store_ids:
            for n in range(TILLS_PER_STORE):
                terminal_id = str(uuid.uuid4())
                tills.append((terminal_id, store_id))
                conn.execute(sa.insert(terminals).values(
                    terminal_id=terminal_id, merchant_id=merchant_id, store_id=store_id, name=f"Till {n + 1}",
                    token_hash=uuid.uuid4().hex + uuid.uuid4().hex, paired_at=_iso(start),
                    entries_head=FAKE_HASH, audit_head=FAKE_HASH))
            staff_of[store_id] = [f"staff-{store_id[:8]}-{n}" for n in range(STAFF_PER_STORE)]
            conn.execute(sa.insert(staff), [
                {"merchant_id": merchant_id, "staff_id": sid, "name": f"{rng.choice(FIRST)} ({sid[-1]})",
                 "role": "cashier", "active": True, "pin_hash": "bench", "updated_at": _iso(start),
                 "origin_terminal_id": tills[-1][0], "change_id": 0, "store_id": store_id}
                for sid in staff_of[store_id]])
        conn.execute(sa.insert(programs).values(
            merchant_id=merchant_id, program_id="p1", name="Kopi points", kind="hybrid", updated_at=_iso(start),
            settings=PROGRAM_SETTINGS,
            origin_terminal_id=tills[0][0], change_id=0))

    codes = sorted({"".join(rng.choice(CODE_CHARS) for _ in range(10)) for _ in range(n_cards)})
    rng.shuffle(codes)
    n_cards = len(codes)
    home = [rng.randrange(STORES) for _ in codes]
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in codes]
    enrolled_day = sorted(rng.randrange(365) for _ in codes)   # card i enrolls on day enrolled_day[i]
    stamps_of = [0] * n_cards
    points_of = [0] * n_cards
    seq_of = {t: 0 for t, _ in tills}
    tills_of: dict[str, list[str]] = {}
    for t, s in tills:
        tills_of.setdefault(s, []).append(t)
    change = 0
    per_day = (n_entries - n_cards) / 365
    buffer: list[dict] = []
    enrolled = 0

    def flush(conn: sa.Connection) -> None:
        if buffer:
            conn.execute(sa.insert(entries), buffer)
            buffer.clear()

    with writing(engine) as conn:
        for day in range(365):
            day_start = start + timedelta(days=day)
            todays: list[tuple[float, int, str]] = []   # (second of day, card, kind)
            while enrolled < n_cards and enrolled_day[enrolled] <= day:
                todays.append((rng.random() * 86400, enrolled, "enroll"))
                enrolled += 1
            if enrolled:
                for _ in range(int(per_day) + (rng.random() < per_day % 1)):
                    kind = rng.choices(("stamp", "earn", "redeem", "stamp_redeem", "bonus", "adjust", "expire",
                                        "void"), (40, 35, 7, 3, 6, 2, 1, 1))[0]
                    todays.append((rng.random() * 86400, rng.randrange(enrolled), kind))
            todays.sort()
            last_earn: tuple[dict, int] | None = None
            for second, card, kind in todays:
                store = store_ids[home[card]] if rng.random() < 0.9 else rng.choice(store_ids)
                till = rng.choice(tills_of[store])
                staff_id: str | None = rng.choice(staff_of[store])
                stamps = points = 0
                amount = reward = reason = reverses = None
                if kind == "stamp":
                    stamps = 1
                elif kind == "earn":
                    amount = rng.randrange(10, 500) * 1000
                    points = amount // 1000
                elif kind == "redeem":
                    points, reward = -min(50, max(0, points_of[card])) or -1, "free-coffee"
                elif kind == "stamp_redeem":
                    stamps, reward = -10, "tenth-coffee"
                elif kind == "bonus":
                    points, reason = rng.randrange(5, 50), "campaign:double-tuesday"
                elif kind == "adjust":
                    points, reason = rng.choice((-5, 5, 10)), "goodwill"
                elif kind == "expire":
                    points, staff_id = -rng.randrange(1, 20), None
                    reason = f"expiry:age:{(day_start.date()).isoformat()}"
                elif kind == "void":
                    if last_earn is None:
                        continue
                    target, card = last_earn
                    points, reverses, reason = -target["points"], target["entry_id"], "wrong amount"
                    till, staff_id = target["terminal_id"], target["staff_id"]
                    last_earn = None
                seq_of[till] += 1
                change += 1
                stamps_of[card] += stamps
                points_of[card] += points
                at = _iso(day_start + timedelta(seconds=second))
                row = {"entry_id": str(uuid.uuid4()), "merchant_id": merchant_id, "terminal_id": till,
                       "seq": seq_of[till], "card": codes[card], "kind": kind, "stamps": stamps, "points": points,
                       "amount": amount, "reward_id": reward, "staff_id": staff_id, "reason": reason,
                       "reverses": reverses, "at": at, "prev_hash": FAKE_HASH, "hash": FAKE_HASH, "sig": None,
                       "change_id": change, "received_at": at}
                buffer.append(row)
                if kind == "earn":
                    last_earn = (row, card)
                if len(buffer) >= 10_000:
                    flush(conn)
        flush(conn)
        for t, _s in tills:
            conn.execute(sa.update(terminals).where(terminals.c.terminal_id == t).values(entries_through=seq_of[t]))
        conn.execute(sa.insert(cards), [
            {"merchant_id": merchant_id, "code": code, "program_id": "p1", "holder": names[i], "status": "active",
             "enrolled_at": _iso(start + timedelta(days=enrolled_day[i])), "updated_at": _iso(start),
             "origin_terminal_id": tills[0][0], "change_id": i + 1, "phone": f"+62812{i:07d}"}
            for i, code in enumerate(codes)])
        conn.execute(sa.insert(balances), [
            {"merchant_id": merchant_id, "card": code, "stamps": stamps_of[i], "points": points_of[i]}
            for i, code in enumerate(codes)])
        conn.execute(sa.text("UPDATE merchants SET last_change_id = :c WHERE merchant_id = :m"),
                     {"c": change + n_cards, "m": merchant_id})
    return Generated(merchant_id, codes, names)


def measure(engine: sa.Engine, made: Generated, workdir: Path, rounds: int, rng: random.Random) -> dict[str, float]:
    """p95 in ms of each page through the real app with a signed-in owner."""
    owner = owners.add_owner(engine, made.merchant_id, "owner@bench.example", PASSWORD)
    app = create_app(engine, run_migrations=False)
    today = datetime.now(UTC).date()
    report = f"/console/reports?period=custom&first={today - timedelta(days=29)}&last={today}"
    pages = {
        "dashboard": lambda: "/console/dashboard",
        "card_search_name": lambda: "/console/cards?q=" + rng.choice(made.names).split()[1][:5],
        "card_search_code": lambda: "/console/cards?q=" + rng.choice(made.codes)[:5],
        "card_page": lambda: "/console/cards/" + rng.choice(made.codes),
        "report_30_days": lambda: report,
    }
    timings: dict[str, float] = {}
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as web:
        form = web.get("/console/sign-in").text
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form).group(1)
        answer = web.post("/console/sign-in", data={"email": owner.email, "password": PASSWORD, "csrf": csrf})
        assert answer.status_code == 303, answer.text
        for name, path_of in pages.items():
            for _ in range(3):   # warm-up: templates compiled, caches and pages of the database file loaded
                assert web.get(path_of()).status_code == 200
            spent = []
            for _ in range(rounds):
                path = path_of()
                began = time.perf_counter()
                answer = web.get(path)
                spent.append(time.perf_counter() - began)
                assert answer.status_code == 200, (path, answer.status_code)
            timings[name] = ms(percentile(spent, 95))
    return timings


def run(url: str, label: str, n_entries: int, n_cards: int, rounds: int, workdir: Path) -> dict:
    engine = create_hub_engine(url)
    try:
        migrate(engine)
        rng = random.Random(20261130)
        began = time.perf_counter()
        made = generate(engine, n_entries, n_cards, rng)
        loaded = time.perf_counter() - began
        began = time.perf_counter()
        with writing(engine) as conn:
            recount(conn)
            lifetime.recount(conn)
        backfilled = time.perf_counter() - began
        with engine.connect() as conn:
            stored = conn.execute(sa.select(sa.func.count()).select_from(entries)).scalar_one()
        if label == "postgresql":
            # As autovacuum would have by now on a live hub; left to run during the timing, a
            # vacuum of the freshly loaded tables would be what is measured.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        print(f"[{label}] {stored:,} entries, {len(made.codes):,} cards loaded in {loaded:.1f} s; "
              f"figures backfilled in {backfilled:.1f} s", flush=True)
        timings = measure(engine, made, workdir, rounds, rng)
        print_table(["page", f"{label} p95 ms"], [[k, v] for k, v in timings.items()])
        return {"entries": stored, "load_s": round(loaded, 1), "backfill_s": round(backfilled, 1),
                **{f"{k}_p95_ms": v for k, v in timings.items()}}
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 entries and 10,000 cards; under a minute")
    parser.add_argument("--entries", type=int)
    parser.add_argument("--cards", type=int)
    parser.add_argument("--rounds", type=int, help="requests per page after the warm-up")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="measure one database only")
    parser.add_argument("--pg-url", default=os.environ.get(PG_ENV, "").strip(),
                        help=f"a PostgreSQL server to make a fresh database on (default ${PG_ENV})")
    args = parser.parse_args()
    n_entries = args.entries or (100_000 if args.quick else 1_000_000)
    n_cards = args.cards or (10_000 if args.quick else 50_000)
    rounds = args.rounds or (20 if args.quick else 60)
    result: dict = {"mode": "quick" if args.quick else "full", "entries": n_entries, "cards": n_cards,
                    "stores": STORES, "target_p95_ms": TARGET_MS}
    with tempfile.TemporaryDirectory(prefix="console-bench-") as tmp:
        workdir = Path(tmp)
        os.environ["LOYALTY_HUB_MASTER_KEY_FILE"] = str(workdir / "hub-master.key")
        os.environ["LOYALTY_HUB_SIGNING_KEY_FILE"] = str(workdir / "hub-signing.key")
        if args.only != "postgresql":
            result["sqlite"] = run(f"sqlite:///{workdir / 'hub.db'}", "sqlite", n_entries, n_cards, rounds, workdir)
        if args.pg_url and args.only != "sqlite":
            with fresh_pg(args.pg_url, "loyalty_console_bench") as url:
                result["postgresql"] = run(url, "postgresql", n_entries, n_cards, rounds, workdir)
        else:
            print(f"[postgresql] skipped: pass --pg-url or set {PG_ENV} (bash .ci/postgres.sh prints one)",
                  flush=True)
    targets = {f"{db} {key[:-7]} p95 <= {TARGET_MS:.0f} ms": value <= TARGET_MS
               for db in ("sqlite", "postgresql") if db in result
               for key, value in result[db].items() if key.endswith("_p95_ms")}
    result["meets_target"] = all(targets.values())
    print_result(result)
    return exit_status(targets)


if __name__ == "__main__":
    sys.exit(main())
