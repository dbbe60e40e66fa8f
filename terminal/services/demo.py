"""The demo store: a café with a stamp card and a points program.

Staff and PINs are stated in the README so anyone can try the terminal:
owner Olivia (PIN 9157) and cashier Sam (PIN 4829). Card codes are fixed so
the README, the demo camera and screenshots can name them.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from terminal.domain.clock import ManualClock
from terminal.domain.codes import check_character
from terminal.domain.staff import Role
from terminal.services.facade import Services, open_services
from terminal.services.setup import add_program
from terminal.store.models import ProgramRow

DEMO_OWNER = ("Olivia", "9157")
DEMO_CASHIER = ("Sam", "4829")
DEMO_STORE = {"name": "Demo Café", "timezone": "Europe/Berlin", "currency": "EUR"}


def demo_code(body: str) -> str:
    return body + check_character(body)


STAMP_CARDS = {demo_code("DEM0CAFE1"): "Ana Lima", demo_code("DEM0CAFE2"): "Budi Santoso",
               demo_code("DEM0CAFE3"): None}
POINTS_CARDS = {demo_code("DEM0PTS01"): "Chloé Martin", demo_code("DEM0PTS02"): "Dewi Lestari"}


def seed_demo(services: Services) -> None:
    """Create the demo store in an empty data dir, with some history."""
    data_dir = services.ctx.db.path.parent
    # History is written with a clock set in the past so the demo cards are
    # past their stamp cooldown and today's limit when the demo starts; the
    # store itself too, as a till refuses to write before its latest entry.
    clock = ManualClock(services.ctx.clock.now() - timedelta(days=6))
    past = open_services(data_dir, services.ctx.settings, clock)
    try:
        past.init_store(**DEMO_STORE, owner_name=DEMO_OWNER[0], owner_pin=DEMO_OWNER[1], template="coffee")
        _seed_history(past, clock)
    finally:
        past.close()
    services.ctx.hasher = services._hasher(services.ctx.store.store_id, create=False)


def _seed_history(s: Services, clock: ManualClock) -> None:
    owner_id = s.staff.list()[0].staff_id
    owner = s.auth.verify_pin(owner_id, DEMO_OWNER[1])
    s.staff.add(owner, DEMO_CASHIER[0], Role.CASHIER, DEMO_CASHIER[1])
    with s.ctx.db.read() as session:
        coffee = session.execute(select(ProgramRow.program_id)).scalar_one()
    with s.ctx.db.write() as session:
        points = add_program(session, s.ctx, "points", clock.now(), name="Café Points")
    s.owner.edit_program(owner, points, min_amount_minor=100, max_points_per_event=2000, points_expiry_days=365)
    s.owner.set_tiers(owner, points, [("Silver", 1000, 125), ("Gold", 5000, 150)])
    s.owner.save_reward(owner, coffee, "Pastry", cost_stamps=6, stock=20)
    for code, holder in STAMP_CARDS.items():
        s.enrollment.enroll(owner, coffee, holder, code=code)
    for code, holder in POINTS_CARDS.items():
        s.enrollment.enroll(owner, points, holder, code=code)
    codes = list(STAMP_CARDS)
    for day in range(5):
        clock.advance(timedelta(days=1))
        for n, code in enumerate(codes[: 2 if day % 2 else 1]):
            clock.advance(timedelta(minutes=20 + n))
            owner = s.auth.verify_pin(owner_id, DEMO_OWNER[1])
            s.counter.stamp(owner, code)
        s.counter.earn(owner, list(POINTS_CARDS)[day % 2], 850 + 1375 * day)
    s.counter.earn(owner, next(iter(POINTS_CARDS)), 24_990)
