"""Reading programs, rewards, tiers and cards into domain values."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.programs import CardStatus, EarningRule, Program, ProgramKind, Reward, Tier
from terminal.store.models import CardRow, ProgramRow, RewardRow, TierRow


def program_from_row(row: ProgramRow, tiers: list[TierRow]) -> Program:
    return Program(
        program_id=row.program_id, name=row.name, kind=ProgramKind(row.kind),
        stamps_target=row.stamps_target,
        earning=EarningRule(row.points_per_unit, row.min_amount_minor, row.max_points_per_event),
        tiers=tuple(Tier(t.name, t.min_lifetime_points, t.multiplier_percent)
                    for t in sorted(tiers, key=lambda t: t.min_lifetime_points)),
        points_expiry_days=row.points_expiry_days, cooldown_minutes=row.cooldown_minutes,
        daily_stamp_limit=row.daily_stamp_limit,
    )


def load_program(session: Session, program_id: str) -> Program:
    row = session.get(ProgramRow, program_id)
    if row is None:
        raise LoyaltyError(ErrorCode.PROGRAM_NOT_FOUND, "That loyalty program does not exist.")
    tiers = session.execute(select(TierRow).where(TierRow.program_id == program_id)).scalars().all()
    return program_from_row(row, list(tiers))


def list_programs(session: Session) -> list[Program]:
    rows = session.execute(select(ProgramRow).where(ProgramRow.active).order_by(ProgramRow.name)).scalars()
    return [load_program(session, r.program_id) for r in rows]


def reward_from_row(row: RewardRow) -> Reward:
    return Reward(row.reward_id, row.name, row.cost_stamps, row.cost_points, row.stock,
                  row.valid_from, row.valid_until, row.active)


def rewards_of(session: Session, program_id: str) -> list[Reward]:
    rows = session.execute(select(RewardRow).where(RewardRow.program_id == program_id, RewardRow.active)
                           .order_by(RewardRow.cost_stamps, RewardRow.cost_points)).scalars()
    return [reward_from_row(r) for r in rows]


def load_card(session: Session, code: str) -> CardRow:
    card = session.get(CardRow, code)
    if card is None:
        raise LoyaltyError(
            ErrorCode.CARD_NOT_FOUND,
            f"No card {code[:5]}-{code[5:]} in this store. Enroll the customer, or check the code.",
        )
    return card


def require_active(card: CardRow) -> None:
    status = CardStatus(card.status)
    if status is CardStatus.SUSPENDED:
        raise LoyaltyError(ErrorCode.CARD_SUSPENDED, "This card is suspended. Ask an owner.")
    if status is CardStatus.BLOCKED:
        raise LoyaltyError(ErrorCode.CARD_BLOCKED, "This card is blocked and cannot be used.")
