"""First-run setup: the store, its owner, and a program from a template."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.money import minor_digits
from terminal.domain.pins import check_pin
from terminal.domain.programs import ProgramKind
from terminal.domain.staff import Role
from terminal.domain.text import check_label
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.context import ServiceContext
from terminal.services.staff import check_name, insert_staff
from terminal.store.models import ProgramRow, RewardRow, StoreInfo


@dataclass(frozen=True)
class ProgramTemplate:
    key: str
    title: str
    kind: ProgramKind
    stamps_target: int
    rewards: tuple[tuple[str, int, int], ...]  # name, cost in stamps, cost in points


TEMPLATES = {
    t.key: t for t in (
        ProgramTemplate("coffee", "Coffee stamp card", ProgramKind.STAMPS, 10,
                        (("Free coffee", 10, 0),)),
        ProgramTemplate("points", "Points", ProgramKind.POINTS, 10,
                        (("Discount on your next purchase", 0, 500), ("Tote bag", 0, 1500))),
        ProgramTemplate("hybrid", "Stamps and points", ProgramKind.HYBRID, 8,
                        (("Free drink", 8, 0), ("Free lunch", 0, 2000))),
    )
}
BLANK = "blank"  # a program with no rewards, of the kind the owner picks

# Program and reward names a new program gets, in the store's language (the window's language
# when the store is created); the English name is the key. A name missing here stays English.
TEMPLATE_NAMES: dict[str, dict[str, str]] = {
    "id": {
        "Coffee stamp card": "Kartu stempel kopi", "Free coffee": "Kopi gratis", "Points": "Poin",
        "Discount on your next purchase": "Diskon untuk pembelian berikutnya", "Tote bag": "Tas belanja",
        "Stamps and points": "Stempel dan poin", "Free drink": "Minuman gratis", "Free lunch": "Makan siang gratis",
        "New program": "Program baru",
    },
}

# A sensible first earning rate per currency: about one point for each small purchase step a
# customer thinks in (points, per this many minor units). Other currencies: 10 points per
# whole unit when the unit is worth about a euro or dollar, 1 point per 100 units when it is
# worth about a cent. Owners change it in the program settings.
_PROPOSED_RATES: dict[str, tuple[int, int]] = {
    "IDR": (1, 1_000), "VND": (1, 1_000), "KRW": (1, 100), "JPY": (1, 100), "CLP": (1, 100),
    "HUF": (1, 100), "ISK": (1, 100), "COP": (1, 100_00), "PYG": (1, 1_000), "UGX": (1, 1_000),
    "LAK": (1, 1_000), "IRR": (1, 10_000_00), "INR": (1, 10_00), "PHP": (1, 10_00), "THB": (1, 10_00),
}


def proposed_rate(currency: str, points_per_whole_unit: int = 10) -> tuple[int, int | None]:
    """(points, per minor units) for a new program in ``currency``; per None: one whole unit.

    Rupiah must not give 10 points per rupiah: it proposes 1 point per Rp 1,000.
    """
    found = _PROPOSED_RATES.get(currency.upper())
    if found is not None:
        return found
    if minor_digits(currency) == 0:  # a unit worth about a cent: 1 point per 100
        return 1, 100
    return points_per_whole_unit, None


def localized(name: str, language: str) -> str:
    return TEMPLATE_NAMES.get(language, {}).get(name, name)


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           f"{name!r} is not a time zone. Use a name like Europe/Berlin or Asia/Jakarta.") from None
    return name


def check_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "A currency is a 3-letter code such as EUR or IDR.")
    return code


def add_program(session, ctx: ServiceContext, template_key: str, now, name: str | None = None,  # noqa: ANN001
                kind: ProgramKind | None = None, currency: str | None = None) -> str:
    """A new program from a template (with its rewards), or blank (``BLANK``, of ``kind``)."""
    if template_key == BLANK:
        if kind is None:
            raise LoyaltyError(ErrorCode.INVALID_INPUT, "A blank program needs a kind: stamps, points or hybrid.")
        template = ProgramTemplate(BLANK, "New program", ProgramKind(kind), 10, ())
    else:
        found = TEMPLATES.get(template_key)
        if found is None:
            raise LoyaltyError(ErrorCode.INVALID_INPUT,
                               f"Unknown program template {template_key!r}; choose {', '.join(TEMPLATES)} "
                               f"or {BLANK}.")
        template = found
    name = check_label(name, "The program name", "A program needs a name.") if name is not None else None
    language = ctx.settings.language
    points, per_minor = proposed_rate(currency or ctx.store.currency, ctx.settings.default_points_per_euro)
    program_id = str(uuid.uuid4())
    session.add(ProgramRow(
        program_id=program_id, name=name or localized(template.title, language), kind=template.kind.value,
        stamps_target=template.stamps_target, points_per_unit=points, earn_per_minor=per_minor,
        min_amount_minor=0, max_points_per_event=None, points_expiry_days=None,
        cooldown_minutes=None, daily_stamp_limit=None, active=True, updated_at=now, campaigns="[]"))
    session.flush()
    for reward_name, stamps, cost_points in template.rewards:
        session.add(RewardRow(reward_id=str(uuid.uuid4()), program_id=program_id,
                              name=localized(reward_name, language),
                              cost_stamps=stamps, cost_points=cost_points, stock=None, active=True))
    return program_id


def init_store(ctx: ServiceContext, make_hasher, *, name: str, timezone: str, currency: str,  # noqa: ANN001
               owner_name: str, owner_pin: str, template: str) -> str:
    """Create the store; ``make_hasher(store_id)`` creates the PIN key and its hasher."""
    name = check_label(name, "The store name", "The store needs a name.")
    timezone, currency = check_timezone(timezone), check_currency(currency)
    owner_name = check_name(owner_name)
    check_pin(owner_pin)
    if template not in TEMPLATES:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"Choose a program template: {', '.join(TEMPLATES)}.")
    with ctx.db.read() as session:
        if session.execute(select(StoreInfo)).first() is not None:
            raise LoyaltyError(ErrorCode.STORE_EXISTS, "This data folder already has a store.")
    store_id, terminal_id = str(uuid.uuid4()), str(uuid.uuid4())
    ctx.hasher = make_hasher(store_id)
    pin_hash = ctx.hasher.hash(owner_pin)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        session.add(StoreInfo(id=1, store_id=store_id, name=name, timezone=timezone, currency=currency,
                              terminal_id=terminal_id, created_at=now))
        owner = insert_staff(session, owner_name, Role.OWNER, pin_hash, now)
        program_id = add_program(session, ctx, template, now, currency=currency)
        session.flush()
        audit.record(session, terminal_id, now, AuditKind.STORE_CREATED, owner.staff_id, store_id,
                     name=name, timezone=timezone, currency=currency, program=program_id)
    ctx.forget_store()
    return store_id
