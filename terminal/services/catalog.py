"""Reading programs, rewards, tiers and cards into domain values."""

from __future__ import annotations

import json
from types import SimpleNamespace

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from terminal.domain.campaigns import Campaign
from terminal.domain.clock import from_iso
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.points_money import PointsMoney
from terminal.domain.programs import CardStatus, EarningRule, Program, ProgramKind, Reward, Tier
from terminal.store.models import CardRow, ProgramRow, RewardRow, TierRow

# Prebuilt Core statements: the counter reads these on every action, and the
# ORM's per-call statement building and identity map cost more than the SQL.
_P, _T, _R, _C = (m.__table__ for m in (ProgramRow, TierRow, RewardRow, CardRow))
_PROGRAM = select(_P).where(_P.c.program_id == bindparam("pid"))
_TIERS = select(_T.c.name, _T.c.min_lifetime_points, _T.c.multiplier_percent).where(_T.c.program_id == bindparam("pid"))
_REWARDS = (select(_R).where(_R.c.program_id == bindparam("pid"), _R.c.active)
            .order_by(_R.c.cost_stamps, _R.c.cost_points))
_CARD = select(_C.c.code, _C.c.holder, _C.c.status, _C.c.program_id).where(_C.c.code == bindparam("code"))
# A card with its program and the program's tiers (as JSON) in one round trip.
_TIERS_JSON = (select(func.json_group_array(func.json_array(_T.c.name, _T.c.min_lifetime_points,
                                                            _T.c.multiplier_percent)))
               .where(_T.c.program_id == _P.c.program_id).scalar_subquery())
_REWARD_FIELDS = ("reward_id", "name", "cost_stamps", "cost_points", "stock", "valid_from", "valid_until", "active")
_REWARDS_JSON = (select(func.json_group_array(func.json_array(*(_R.c[f] for f in _REWARD_FIELDS))))
                 .where(_R.c.program_id == _P.c.program_id, _R.c.active).scalar_subquery())
_CARD_AND_PROGRAM = (
    select(*_CARD.selected_columns, *(c.label(f"p_{c.name}") for c in _P.c if c.name != "program_id"),
           _TIERS_JSON.label("tiers_json"), _REWARDS_JSON.label("rewards_json"))
    .select_from(_C.join(_P, _C.c.program_id == _P.c.program_id))
    .where(_C.c.code == bindparam("code"))
)


def _connection(session: Session):  # noqa: ANN202
    session.flush()  # Core reads skip autoflush; ORM changes made earlier in this transaction must show
    return session.connection()


def program_from_row(row: ProgramRow | Row, tiers: list[TierRow] | list[Row]) -> Program:
    return Program(
        program_id=row.program_id, name=row.name, kind=ProgramKind(row.kind),
        stamps_target=row.stamps_target,
        earning=EarningRule(row.points_per_unit, row.min_amount_minor, row.max_points_per_event,
                            row.earn_per_minor),
        tiers=tuple(Tier(t.name, t.min_lifetime_points, t.multiplier_percent)
                    for t in sorted(tiers, key=lambda t: t.min_lifetime_points)),
        points_expiry_days=row.points_expiry_days, cooldown_minutes=row.cooldown_minutes,
        daily_stamp_limit=row.daily_stamp_limit, active=bool(row.active),
        points_money=(PointsMoney(row.money_points, row.money_value_minor, row.money_max_percent)
                      if row.money_points and row.money_value_minor and row.money_max_percent else None),
        campaigns=campaigns_from_text(row.campaigns),
    )


def campaigns_from_text(text: str | None) -> tuple[Campaign, ...]:
    """The stored campaigns; one that cannot be read (a newer till's kind) is left out, not fatal."""
    found = []
    for data in json.loads(text or "[]"):
        try:
            found.append(Campaign.from_settings(data))
        except LoyaltyError:
            continue
    return tuple(found)


def load_program(session: Session, program_id: str) -> Program:
    conn = _connection(session)
    row = conn.execute(_PROGRAM, {"pid": program_id}).first()
    if row is None:
        raise LoyaltyError(ErrorCode.PROGRAM_NOT_FOUND, "That loyalty program does not exist.")
    return program_from_row(row, list(conn.execute(_TIERS, {"pid": program_id})))


def list_programs(session: Session, include_retired: bool = False) -> list[Program]:
    query = select(ProgramRow).order_by(ProgramRow.active.desc(), ProgramRow.name)
    if not include_retired:
        query = query.where(ProgramRow.active)
    rows = session.execute(query).scalars()
    return [load_program(session, r.program_id) for r in rows]


def reward_from_row(row: RewardRow | Row) -> Reward:
    return Reward(row.reward_id, row.name, row.cost_stamps, row.cost_points, row.stock,
                  row.valid_from, row.valid_until, row.active)


def rewards_of(session: Session, program_id: str) -> list[Reward]:
    return [reward_from_row(r) for r in _connection(session).execute(_REWARDS, {"pid": program_id})]


def load_card(session: Session, code: str) -> CardRow:
    """The card as an ORM object, for use cases that change it."""
    card = session.get(CardRow, code)
    if card is None:
        raise _no_card(code)
    return card


def card_facts(session: Session, code: str) -> Row:
    """The card's code, holder, status and program_id, read without the ORM."""
    card = _connection(session).execute(_CARD, {"code": code}).first()
    if card is None:
        raise _no_card(code)
    return card


def card_with_program(session: Session, code: str) -> tuple[Row, Program, list[Reward]]:
    """The card's facts (as ``card_facts``), its program and the program's active rewards.

    One statement instead of four: this runs on every counter action.
    """
    row = _connection(session).execute(_CARD_AND_PROGRAM, {"code": code}).first()
    if row is None:
        raise _no_card(code)
    fields = {name[2:]: value for name, value in row._mapping.items() if name.startswith("p_")}
    tiers = [SimpleNamespace(name=n, min_lifetime_points=t, multiplier_percent=m)
             for n, t, m in json.loads(row.tiers_json)]
    program = program_from_row(SimpleNamespace(program_id=row.program_id, **fields), tiers)
    rewards = []
    for values in json.loads(row.rewards_json):
        r = SimpleNamespace(**dict(zip(_REWARD_FIELDS, values, strict=True)))
        r.valid_from = from_iso(r.valid_from) if r.valid_from else None
        r.valid_until = from_iso(r.valid_until) if r.valid_until else None
        r.active = bool(r.active)
        rewards.append(reward_from_row(r))
    rewards.sort(key=lambda r: (r.cost_stamps, r.cost_points))
    return row, program, rewards


def _no_card(code: str) -> LoyaltyError:
    return LoyaltyError(
        ErrorCode.CARD_NOT_FOUND,
        f"No card {code[:5]}-{code[5:]} in this store. Enroll the customer, or check the code.",
    )


def require_program_active(program: Program) -> None:
    if not program.active:
        raise LoyaltyError(ErrorCode.PROGRAM_RETIRED,
                           f"{program.name} was retired: its cards keep their history but take no new "
                           "stamps, points or rewards. Ask an owner.", program=program.name)


def require_active(card: CardRow | Row) -> None:
    status = CardStatus(card.status)
    if status is CardStatus.SUSPENDED:
        raise LoyaltyError(ErrorCode.CARD_SUSPENDED, "This card is suspended. Ask an owner.")
    if status is CardStatus.BLOCKED:
        raise LoyaltyError(ErrorCode.CARD_BLOCKED, "This card is blocked and cannot be used.")


def campaign_names(session: Session) -> dict[str, str]:
    """Every campaign's name by id, retired programs' too (a bonus entry names its campaign by id)."""
    return {c.campaign_id: c.name for p in list_programs(session, True) for c in p.campaigns}
