"""Adding, changing and retiring a reward inside a caller's transaction.

``OwnerService.save_reward``/``retire_reward`` write one reward each; the program page's one
Save writes its rewards with the rest of the program (``ProgramService.save``), so all of it
commits or none does. Checks that need no database run first (``check``), so a Save with a
reward typed wrong stops before anything is written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.text import check_label
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.context import ServiceContext
from terminal.store import reward_stock
from terminal.store.models import RewardRow

_MAX = 10**12


@dataclass(frozen=True)
class RewardChange:
    """One reward to add (no ``reward_id``, or one not stored yet), change, or retire."""

    name: str = ""
    cost_stamps: int = 0
    cost_points: int = 0
    stock: int | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    reward_id: str | None = None
    retire: bool = False


def _whole(what: str, value: object, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"{what} must be a whole number of at least 0.")


def check(change: RewardChange) -> RewardChange:
    """The change with its name tidied, or INVALID_INPUT saying what is wrong."""
    if change.retire:
        if not change.reward_id:
            raise LoyaltyError(ErrorCode.REWARD_NOT_FOUND, "No such reward.")
        return change
    name = check_label(change.name, "The reward name", "A reward needs a name.")
    _whole("cost in stamps", change.cost_stamps)
    _whole("cost in points", change.cost_points)
    _whole("stock", change.stock, nullable=True)
    if not change.cost_stamps and not change.cost_points:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "A reward costs stamps or points.")
    if change.valid_from and change.valid_until and change.valid_until <= change.valid_from:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "A reward's validity must end after it starts.")
    return RewardChange(name, change.cost_stamps, change.cost_points, change.stock, change.valid_from,
                        change.valid_until, change.reward_id)


def write(session: Session, ctx: ServiceContext, staff_id: str, program_id: str, change: RewardChange) -> str:
    """Apply one checked change of ``program_id``'s rewards; returns the reward's id."""
    if change.retire:
        assert change.reward_id is not None  # check() refuses a retirement without one
        retire(session, ctx, staff_id, change.reward_id, program_id)
        return change.reward_id
    row = session.get(RewardRow, change.reward_id) if change.reward_id else None
    if row is not None and row.program_id != program_id:
        raise LoyaltyError(ErrorCode.REWARD_NOT_FOUND, f"The reward {row.name} belongs to another program.")
    if row is None:
        row = RewardRow(reward_id=change.reward_id or str(uuid.uuid4()), program_id=program_id, active=True)
        session.add(row)
    restocked = row.stock != change.stock
    row.name, row.cost_stamps, row.cost_points, row.stock = (change.name, change.cost_stamps, change.cost_points,
                                                              change.stock)
    row.valid_from, row.valid_until = change.valid_from, change.valid_until
    session.flush()
    if restocked:  # a new program version states the new stock to the hub and the other tills
        reward_stock.restocked(session.connection(), row.program_id)
    audit.record(session, ctx.store.terminal_id, ctx.clock.now(), AuditKind.REWARD_CHANGED, staff_id,
                 row.reward_id, name=row.name, cost_stamps=change.cost_stamps, cost_points=change.cost_points,
                 stock=change.stock)
    return row.reward_id


def retire(session: Session, ctx: ServiceContext, staff_id: str, reward_id: str,
           program_id: str | None = None) -> None:
    row = session.get(RewardRow, reward_id)
    if row is None or (program_id is not None and row.program_id != program_id):
        raise LoyaltyError(ErrorCode.REWARD_NOT_FOUND, "No such reward.")
    row.active = False
    audit.record(session, ctx.store.terminal_id, ctx.clock.now(), AuditKind.REWARD_CHANGED, staff_id,
                 reward_id, active=False)
