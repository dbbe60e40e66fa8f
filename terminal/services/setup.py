"""First-run setup: the store, its owner, and a program from a template."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from terminal.domain.errors import ErrorCode, LoyaltyError
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


def add_program(session, ctx: ServiceContext, template_key: str, now, name: str | None = None) -> str:  # noqa: ANN001
    template = TEMPLATES.get(template_key)
    if template is None:
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           f"Unknown program template {template_key!r}; choose {', '.join(TEMPLATES)}.")
    name = check_label(name, "The program name", "A program needs a name.") if name is not None else None
    program_id = str(uuid.uuid4())
    session.add(ProgramRow(
        program_id=program_id, name=name or template.title, kind=template.kind.value,
        stamps_target=template.stamps_target, points_per_unit=ctx.settings.default_points_per_euro,
        min_amount_minor=0, max_points_per_event=None, points_expiry_days=None,
        cooldown_minutes=None, daily_stamp_limit=None, active=True, updated_at=now))
    session.flush()
    for reward_name, stamps, points in template.rewards:
        session.add(RewardRow(reward_id=str(uuid.uuid4()), program_id=program_id, name=reward_name,
                              cost_stamps=stamps, cost_points=points, stock=None, active=True))
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
        program_id = add_program(session, ctx, template, now)
        session.flush()
        audit.record(session, terminal_id, now, AuditKind.STORE_CREATED, owner.staff_id, store_id,
                     name=name, timezone=timezone, currency=currency, program=program_id)
    ctx.forget_store()
    return store_id
