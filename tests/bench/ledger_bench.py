"""Benchmark: the add-stamp use case at 10k and 1M ledger entries, beside plain sqlite3.

    python tests/bench/ledger_bench.py            # 10k and 1M entries
    python tests/bench/ledger_bench.py --quick    # 10k and 100k, under a minute

What is timed is ``CounterService.stamp`` as the window calls it: the rule
checks, the ledger append and the commit, with the PIN checked once before
(its grant is reused; Argon2 is timed on its own). Beside it, in the same
run, on the same file, a reference written against sqlite3 directly does the
same reads and writes with the same durability (WAL, synchronous=FULL,
foreign keys, BEGIN IMMEDIATE): the staff row (active, lockout, role), the
card with its program, the program's tiers and active rewards, last stamp,
today's stamp count, chain head, one INSERT with its SHA-256 chain hash and
Ed25519 signature (as the till signs every entry), the
balance UPDATE returning the new balance, COMMIT, and then the card view the
window shows (balance, tier, every reward with whether it is affordable and
why not). Both take turns in blocks, so load from other processes and disk
hiccups fall on both alike.

The ledger is filled with properly chained, signed entries through executemany
(20 entries per card, as a store with 50k customers has at 1M), so the file
still verifies. Targets (docs/architecture.md): within 3x of the reference, and p95 at
the large size at most 1.5x p95 at the small one; the bench exits 1 when
one is missed.

The last line printed is one JSON object with the results.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from _common import exit_status, isolated_env, ms, percentile, print_result, print_table
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger_chain import GENESIS, entry_hash, signing
from terminal.domain.clock import ManualClock, from_iso, to_iso
from terminal.domain.codes import ALPHABET, BODY_LENGTH, check_character
from terminal.domain.ledger import EntryKind
from terminal.domain.policy import local_day_bounds
from terminal.domain.staff import Role
from terminal.services.catalog import list_programs
from terminal.services.facade import Services, open_services
from terminal.settings import load_settings, resolve_config_dir
from terminal.store import chain_key
from terminal.store.db import BUSY_TIMEOUT_MS, DB_FILENAME
from terminal.store.ledger import wire_fields

OWNER_PIN, CASHIER_PIN = "2741", "5820"
TIMEZONE = "Europe/Berlin"
ENTRIES_PER_CARD = 20
FILL_DAYS = 400
BENCH_START = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
# Stamps take turns over a pool of cards with the clock 2 minutes on per
# stamp: each card comes back every 2 * POOL * 2 min (6.7 h), clear of the
# 15-minute cooldown and at most 4 times a store day (limit 5).
POOL = 100
CLOCK_STEP = timedelta(minutes=2)
BLOCK = 50
PIN_SAMPLES = 5
TARGET_RATIO = 3.0
TARGET_GROWTH = 1.5

LEDGER_COLUMNS = ("entry_id", "terminal_id", "seq", "card", "kind", "stamps", "points", "amount",
                  "reward_id", "staff_id", "reason", "reverses", "at", "prev_hash", "hash", "sig")
INSERT_ENTRY = f"INSERT INTO ledger ({', '.join(LEDGER_COLUMNS)}) VALUES ({', '.join('?' * len(LEDGER_COLUMNS))})"
NOT_VOIDED = "NOT EXISTS (SELECT 1 FROM ledger AS v WHERE v.reverses = ledger.entry_id)"
LAST_STAMP = (f"SELECT at FROM ledger WHERE card = ? AND kind = 'stamp' AND {NOT_VOIDED} "
              "ORDER BY at DESC LIMIT 1")
STAMPS_TODAY = (f"SELECT count(*) FROM ledger WHERE card = ? AND kind = 'stamp' AND at >= ? AND at < ? "
                f"AND {NOT_VOIDED}")
CHAIN_HEAD = "SELECT seq, hash FROM ledger WHERE terminal_id = ? ORDER BY seq DESC LIMIT 1"
STAFF = "SELECT staff_id, name, role, active, locked_until FROM staff WHERE staff_id = ?"
CARD = "SELECT code, holder, status, program_id FROM cards WHERE code = ?"
PROGRAM = "SELECT * FROM programs WHERE program_id = ?"
TIERS = "SELECT name, min_lifetime_points, multiplier_percent FROM tiers WHERE program_id = ?"
REWARDS = ("SELECT reward_id, name, cost_stamps, cost_points, stock, valid_from, valid_until FROM rewards "
           "WHERE program_id = ? AND active ORDER BY cost_stamps, cost_points")
ADD_STAMP = ("UPDATE card_balances SET stamps = stamps + 1 WHERE code = ? "
             "RETURNING stamps, points, lifetime_points")


@dataclass
class Store:
    data_dir: Path
    terminal_id: str
    program_id: str
    owner_id: str
    cashier_id: str
    cards: list[str]
    signing_key: Ed25519PrivateKey  # the till's chain key: filled and reference entries are signed like the app's
    entries: int = 0

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILENAME


def settings_for(data_dir: Path):
    # A grant that outlives the bench's clock, so the PIN is checked once per size.
    return load_settings(data_dir).with_values(grant_seconds=10**9)


def create_store(data_dir: Path, clock: ManualClock) -> Store:
    services = open_services(data_dir, settings_for(data_dir), clock)
    services.init_store(name="Bench Café", timezone=TIMEZONE, currency="EUR", owner_name="Olga",
                        owner_pin=OWNER_PIN, template="hybrid")
    owner_id = services.staff.list()[0].staff_id
    owner = services.auth.verify_pin(owner_id, OWNER_PIN)
    cashier_id = services.staff.add(owner, "Carl", Role.CASHIER, CASHIER_PIN).staff_id
    with services.ctx.db.read() as session:
        program_id = list_programs(session)[0].program_id
    settings = services.ctx.settings
    tid = services.ctx.store.terminal_id
    key = chain_key.load_chain_key(settings.secret_backend, resolve_config_dir(settings), tid)
    store = Store(data_dir, services.ctx.store.terminal_id, program_id, owner_id, cashier_id, [], key.private)
    services.close()
    return store


def card_code(number: int) -> str:
    body = "".join(ALPHABET[(number >> (5 * k)) & 31] for k in range(BODY_LENGTH - 1, -1, -1))
    return body + check_character(body)


def ledger_row(values: dict, prev_hash: str, digest: str, key: Ed25519PrivateKey) -> tuple:
    return (*(values[name] for name in LEDGER_COLUMNS[:-3]), prev_hash, digest,
            signing.sign_record(key, "entries", digest))


class Filler:
    """Chained ledger rows for ``executemany``, with the balances they add up to."""

    def __init__(self, store: Store, entries: int, rng: random.Random) -> None:
        self.store = store
        self.rng = rng
        self.total = entries
        self.cards = [card_code(n) for n in range(max(1, entries // ENTRIES_PER_CARD))]
        self.balances = {code: [0, 0, 0] for code in self.cards}
        self.start = BENCH_START - timedelta(days=FILL_DAYS)
        self.step = (BENCH_START - timedelta(days=1) - self.start) / entries
        self.seq, self.prev = 0, GENESIS

    def enrolled_at(self, number: int) -> str:
        return to_iso(self.start + self.step * (number + 1))  # card n is enrolled by entry n + 1

    def entry(self, card: str, kind: EntryKind, stamps: int = 0, points: int = 0, amount: int | None = None,
              reason: str | None = None, reverses: str | None = None) -> tuple:
        self.seq += 1
        values = {
            "entry_id": str(uuid.uuid4()), "terminal_id": self.store.terminal_id, "seq": self.seq,
            "card": card, "kind": kind.value, "stamps": stamps, "points": points, "amount": amount,
            "reward_id": None, "reason": reason, "reverses": reverses,
            "staff_id": self.store.owner_id if kind is EntryKind.VOID else self.store.cashier_id,
            "at": to_iso(self.start + self.step * self.seq),
        }
        digest = entry_hash(self.prev, wire_fields(values))
        row = ledger_row(values, self.prev, digest, self.store.signing_key)
        self.prev = digest
        balance = self.balances[card]
        balance[0] += stamps
        balance[1] += points
        if kind is EntryKind.EARN:
            balance[2] += points
        return row

    def rows(self):
        for card in self.cards:
            yield self.entry(card, EntryKind.ENROLL)
        rng, cards = self.rng, self.cards
        while self.seq < self.total:
            card = rng.choice(cards)
            if rng.random() < 0.7:
                stamp = self.entry(card, EntryKind.STAMP, stamps=1)
                yield stamp
                if rng.random() < 0.01 and self.seq < self.total:
                    yield self.entry(card, EntryKind.VOID, stamps=-1, reason="stamped twice",
                                     reverses=stamp[0])
            else:
                amount = rng.randrange(100, 5000)
                yield self.entry(card, EntryKind.EARN, points=amount // 10, amount=amount)


def fill(store: Store, entries: int, rng: random.Random) -> None:
    """Load ``entries`` chained ledger entries straight into the (closed) store's file."""
    filler = Filler(store, entries, rng)
    conn = sqlite3.connect(store.db_path, isolation_level=None)
    try:
        assert conn.execute("SELECT count(*) FROM ledger").fetchone()[0] == 0
        # Setup, not measured: one big transaction without a WAL the size of the file.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -1048576")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        # Building the two secondary indexes once, over sorted keys, beats
        # a million random inserts into them; their DDL comes back verbatim.
        indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                               "AND tbl_name = 'ledger' AND sql IS NOT NULL").fetchall()
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        conn.executemany(
            "INSERT INTO cards (code, program_id, holder, status, enrolled_at) VALUES (?, ?, NULL, 'active', ?)",
            ((code, store.program_id, filler.enrolled_at(n)) for n, code in enumerate(filler.cards)),
        )
        conn.executemany(INSERT_ENTRY, filler.rows())
        conn.executemany(
            "INSERT INTO card_balances (code, stamps, points, lifetime_points) VALUES (?, ?, ?, ?)",
            ((code, *sums) for code, sums in filler.balances.items()),
        )
        for _, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    store.cards, store.entries = filler.cards, entries


class Reference:
    """The same stamp, written against sqlite3 with nothing in between."""

    def __init__(self, store: Store, tz, cooldown: timedelta, daily_limit: int) -> None:
        self.store, self.tz, self.cooldown, self.daily_limit = store, tz, cooldown, daily_limit
        self.last: tuple[str, dict] | None = None  # the last stamped card and its view
        self.conn = sqlite3.connect(store.db_path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        for pragma in (f"busy_timeout = {BUSY_TIMEOUT_MS}", "journal_mode = WAL", "synchronous = FULL",
                       "foreign_keys = ON"):
            self.conn.execute(f"PRAGMA {pragma}")

    def stamp(self, code: str, now: datetime) -> dict:
        """Stamp ``code``; return the card view (as the use case returns its CardView)."""
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            staff = c.execute(STAFF, (self.store.cashier_id,)).fetchone()
            if not staff[3] or (staff[4] and from_iso(staff[4]) > now) or staff[2] not in ("cashier", "owner"):
                raise RuntimeError("reference: staff may not stamp")
            card = c.execute(CARD, (code,)).fetchone()
            program = c.execute(PROGRAM, (card[3],)).fetchone()
            tiers = c.execute(TIERS, (card[3],)).fetchall()
            rewards = c.execute(REWARDS, (card[3],)).fetchall()
            if card[2] != "active" or program[2] == "points":
                raise RuntimeError("reference: not allowed")
            last = c.execute(LAST_STAMP, (code,)).fetchone()
            start, end = local_day_bounds(now, self.tz)
            today = c.execute(STAMPS_TODAY, (code, to_iso(start), to_iso(end))).fetchone()[0]
            if (last and now - from_iso(last[0]) < self.cooldown) or today >= self.daily_limit:
                raise RuntimeError("reference: cooldown or daily limit")
            head = c.execute(CHAIN_HEAD, (self.store.terminal_id,)).fetchone()
            seq, prev = head if head else (0, GENESIS)
            values = {
                "entry_id": str(uuid.uuid4()), "terminal_id": self.store.terminal_id, "seq": seq + 1,
                "card": code, "kind": "stamp", "stamps": 1, "points": 0, "amount": None, "reward_id": None,
                "staff_id": self.store.cashier_id, "reason": None, "reverses": None, "at": to_iso(now),
            }
            c.execute(INSERT_ENTRY, ledger_row(values, prev, entry_hash(prev, values), self.store.signing_key))
            stamps, points, lifetime = c.execute(ADD_STAMP, (code,)).fetchone()
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        view = card_view(card, program, tiers, rewards, (stamps, points, lifetime), now)
        self.last = (code, view)
        return view

    def close(self) -> None:
        self.conn.close()


def card_view(card: tuple, program: tuple, tiers: list[tuple], rewards: list[tuple],
              balance: tuple[int, int, int], now: datetime) -> dict:
    """What the window shows after a stamp, as the use case's CardView has it, in plain Python."""
    stamps, points, lifetime = balance
    tier = max((t for t in tiers if lifetime >= t[1]), key=lambda t: t[1], default=None)
    options = []
    for reward_id, name, cost_stamps, cost_points, stock, valid_from, valid_until in rewards:
        if (valid_from and from_iso(valid_from) > now) or (valid_until and from_iso(valid_until) <= now):
            why = "not_yet" if valid_from and from_iso(valid_from) > now else "expired"
        elif stock is not None and stock <= 0:
            why = "out_of_stock"
        elif stamps < cost_stamps:
            why = "stamps"
        elif points < cost_points:
            why = "points"
        else:
            why = None
        options.append({"reward_id": reward_id, "name": name, "affordable": why is None, "why": why})
    return {"code": card[0], "holder": card[1], "status": card[2], "program": program[1],
            "balance": {"stamps": stamps, "points": points, "lifetime_points": lifetime},
            "tier": tier[0] if tier else None, "rewards": options}


Method = tuple[str, int]  # ("app" or "ref", ledger size)
Timings = dict[Method, dict[str, list[float]]]


def take_turns(methods: dict, clock: ManualClock, warmup: int, samples: int,
               profiler: cProfile.Profile | None, profiled: Method | None) -> Timings:
    """Run each method ``warmup`` then ``samples`` times, all taking turns in blocks.

    Turns put the app and the reference, and both sizes, under the same
    machine load and disk state. Wall time is what the cashier waits for;
    CPU time leaves out fsync and other processes, so it shows the code's
    own cost on a busy machine.
    """
    timings: Timings = {method: {"wall": [], "cpu": []} for method in methods}
    for first, count, record in ((0, warmup, False), (warmup, samples, True)):
        for block in range(first, first + count, BLOCK):
            for method, stamp in methods.items():
                profiling = record and profiler is not None and method == profiled
                for i in range(block, min(block + BLOCK, first + count)):
                    clock.advance(CLOCK_STEP)
                    if profiling:
                        profiler.enable()
                    wall, cpu = time.perf_counter(), time.process_time()
                    stamp(i)
                    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                    if profiling:
                        profiler.disable()
                    if record:
                        timings[method]["wall"].append(wall)
                        timings[method]["cpu"].append(cpu)
    return timings


def summary(timings: Timings, entries: int) -> dict:
    app, ref = timings["app", entries], timings["ref", entries]
    p50, p95 = percentile(app["wall"], 50), percentile(app["wall"], 95)
    ref_p50, ref_p95 = percentile(ref["wall"], 50), percentile(ref["wall"], 95)
    return {
        "entries": entries,
        "stamp_p50_ms": ms(p50), "stamp_p95_ms": ms(p95),
        "reference_p50_ms": ms(ref_p50), "reference_p95_ms": ms(ref_p95),
        "ratio_p50": round(p50 / ref_p50, 2), "ratio_p95": round(p95 / ref_p95, 2),
        "stamp_cpu_p50_ms": ms(percentile(app["cpu"], 50)),
        "reference_cpu_p50_ms": ms(percentile(ref["cpu"], 50)),
        "samples": len(app["wall"]),
    }


def time_pin(services: Services, store: Store) -> float:
    took = []
    for _ in range(PIN_SAMPLES):
        t = time.perf_counter()
        services.auth.verify_pin(store.cashier_id, CASHIER_PIN)
        took.append(time.perf_counter() - t)
    return statistics.median(took)


def measure(stores: list[Store], args: argparse.Namespace, rng: random.Random) -> tuple[list[dict], float]:
    """Stamp summaries per store, and the PIN check time."""
    clock = ManualClock(BENCH_START)
    methods = {}
    checks = []
    with ExitStack() as open_stores:
        for store in stores:
            services = open_stores.enter_context(
                closing(open_services(store.data_dir, settings_for(store.data_dir), clock)))
            grant = services.auth.verify_pin(store.cashier_id, CASHIER_PIN)
            limits = services.counter.stamp_limits(services.counter.card(store.cards[0]).program)
            reference = open_stores.enter_context(
                closing(Reference(store, limits.tz, limits.cooldown, limits.daily_limit)))
            pool = rng.sample(store.cards, 2 * POOL)
            methods["app", store.entries] = partial(_app_stamp, services, grant, pool[:POOL])
            methods["ref", store.entries] = partial(_ref_stamp, reference, clock, pool[POOL:])
            checks.append((services, reference))
        profiled = ("app", stores[-1].entries)
        profiler = cProfile.Profile() if args.profile else None
        timings = take_turns(methods, clock, args.warmup, args.samples, profiler, profiled)
        for services, reference in checks:
            same_view(reference, services)
        pin = time_pin(services, store)  # any one store: Argon2 does not care about the ledger
    if profiler:
        print(f"\ncProfile of {args.samples} add-stamp use cases at {profiled[1]:,} entries:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    return [summary(timings, store.entries) for store in stores], pin


def same_view(reference: Reference, services: Services) -> None:
    """The reference's card view must be the one the use case shows, or it did not do the same work."""
    code, view = reference.last
    app = services.counter.card(code)
    shown = {"code": app.code, "holder": app.holder, "status": app.status, "program": app.program.name,
             "balance": {"stamps": app.balance.stamps, "points": app.balance.points,
                         "lifetime_points": app.balance.lifetime_points},
             "tier": app.tier.name if app.tier else None,
             "rewards": [{"reward_id": o.reward.reward_id, "name": o.reward.name, "affordable": o.affordable,
                          "why": o.why} for o in app.rewards]}
    if view != shown:
        raise SystemExit(f"the sqlite3 reference's card view differs from the use case's:\n{view}\n{shown}")


def _app_stamp(services: Services, grant, cards: list[str], i: int) -> None:
    services.counter.stamp(grant, cards[i % len(cards)])


def _ref_stamp(reference: Reference, clock: ManualClock, cards: list[str], i: int) -> None:
    reference.stamp(cards[i % len(cards)], clock.now())


def verify(store: Store) -> bool:
    services = open_services(store.data_dir, settings_for(store.data_dir), ManualClock(BENCH_START))
    try:
        t = time.perf_counter()
        report = services.reports.verify()
        print(f"  verify: {'ok' if report.ok else 'FAILED'} over {report.entries:,} entries "
              f"in {time.perf_counter() - t:.1f} s", flush=True)
        return report.ok
    finally:
        services.close()


def build(root: Path, entries: int, rng: random.Random) -> Store:
    store = create_store(root / f"store-{entries}", ManualClock(BENCH_START - timedelta(days=FILL_DAYS + 1)))
    t = time.perf_counter()
    fill(store, entries, rng)
    print(f"  {entries:>9,} entries over {len(store.cards):,} cards filled in {time.perf_counter() - t:.1f} s",
          flush=True)
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k and 100k entries (under a minute)")
    parser.add_argument("--samples", type=int, default=400, help="timed stamps per method and size")
    parser.add_argument("--warmup", type=int, default=100, help="untimed stamps per method and size first")
    parser.add_argument("--verify-large", action="store_true", help="also verify the large ledger (slow at 1M)")
    parser.add_argument("--profile", action="store_true", help="cProfile the add-stamp use case at the large size")
    parser.add_argument("--dir", type=Path, default=None, help="where the temporary stores go")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = (10_000, 100_000) if args.quick else (10_000, 1_000_000)
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="ledger-bench-", dir=args.dir) as tmp:
        root = Path(tmp)
        isolated_env(root / "config")
        settings = load_settings()
        print(f"ledger bench ({'quick' if args.quick else 'full'}): Python {sys.version.split()[0]}, "
              f"SQLite {sqlite3.sqlite_version}, Argon2id t={settings.pin_time_cost} "
              f"m={settings.pin_memory_kib} KiB p={settings.pin_parallelism}", flush=True)
        stores = [build(root, entries, rng) for entries in sizes]
        (small, large), pin = measure(stores, args, rng)
        # After the timed stamps, so the app's and the reference's entries are checked too.
        checked = stores if args.quick or args.verify_large else stores[:1]
        if not all([verify(store) for store in checked]):
            raise SystemExit("a ledger does not verify: the bench wrote bad data")

    print()
    print_table(
        ("entries", "stamp p50 ms", "stamp p95 ms", "sqlite3 p50 ms", "sqlite3 p95 ms", "ratio p50",
         "ratio p95", "stamp CPU p50 ms", "sqlite3 CPU p50 ms"),
        [(f"{r['entries']:,}", r["stamp_p50_ms"], r["stamp_p95_ms"], r["reference_p50_ms"],
          r["reference_p95_ms"], r["ratio_p50"], r["ratio_p95"], r["stamp_cpu_p50_ms"],
          r["reference_cpu_p50_ms"]) for r in (small, large)],
    )
    growth = round(large["stamp_p95_ms"] / small["stamp_p95_ms"], 2)
    ratio = large["ratio_p95"]
    print(f"\nPIN verify (Argon2id t={settings.pin_time_cost} m={settings.pin_memory_kib} KiB, "
          f"median of {PIN_SAMPLES}): {pin * 1000:.0f} ms")
    print(f"ratio to sqlite3 (p95) at {large['entries']:,}: {ratio} (target <= {TARGET_RATIO}); "
          f"p95 growth {small['entries']:,} -> {large['entries']:,}: {growth} (target <= {TARGET_GROWTH})")
    targets = {f"ratio to sqlite3 (p95) <= {TARGET_RATIO}": ratio <= TARGET_RATIO,
               f"p95 growth <= {TARGET_GROWTH}": growth <= TARGET_GROWTH}
    print_result({
        "mode": "quick" if args.quick else "full",
        "stamp_p50_ms": large["stamp_p50_ms"], "stamp_p95_ms": large["stamp_p95_ms"],
        "reference_p50_ms": large["reference_p50_ms"], "reference_p95_ms": large["reference_p95_ms"],
        "ratio_vs_sqlite3": ratio, "ratio_p50_vs_sqlite3": large["ratio_p50"],
        "growth_large_vs_small": growth, "pin_verify_ms": ms(pin),
        "pin_params": {"t": settings.pin_time_cost, "m_kib": settings.pin_memory_kib, "p": settings.pin_parallelism},
        "small": small, "large": large,
        "targets_met": all(targets.values()),
    })
    return exit_status(targets)


if __name__ == "__main__":
    sys.exit(main())
