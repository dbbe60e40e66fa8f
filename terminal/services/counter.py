"""The cashier's use cases: look up a card, stamp, earn, redeem.

Each action is one ``BEGIN IMMEDIATE`` transaction: the rule checks read the
ledger (entries from every terminal) and the append happens under the same
write lock. A refused action writes nothing to the ledger; the refusal is
recorded in the audit log in a transaction of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, update
from sqlalchemy.orm import Session

from terminal.domain.codes import normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import Balance, Entry, EntryKind
from terminal.domain.money import check_amount, format_money
from terminal.domain.policy import (
    StampBlock,
    StampLimits,
    check_clock_skew,
    check_stamp_allowed,
    local_day_bounds,
    stamp_block,
)
from terminal.domain.programs import Program, Reward, Tier, points_for_purchase, tier_for
from terminal.domain.staff import Permission
from terminal.services import audit, campaigns, offline_risk
from terminal.services.audit import AuditKind
from terminal.services.auth import Authenticator, Grant
from terminal.services.catalog import (
    card_facts,
    card_with_program,
    load_program,
    require_active,
    require_program_active,
    reward_from_row,
    rewards_of,
)
from terminal.services.expiry import NOTHING_EXPIRING, ExpiringSoon, ExpiryService
from terminal.store import ledger
from terminal.store.models import RewardRow

# Refusals worth an audit event: the ones that say something about fraud or misuse.
AUDITED_REFUSALS = frozenset({
    ErrorCode.COOLDOWN_ACTIVE, ErrorCode.DAILY_LIMIT_REACHED, ErrorCode.CARD_SUSPENDED,
    ErrorCode.CARD_BLOCKED, ErrorCode.NOT_PERMITTED, ErrorCode.INSUFFICIENT_BALANCE,
    ErrorCode.REWARD_OUT_OF_STOCK, ErrorCode.REWARD_NOT_AVAILABLE, ErrorCode.NOT_VOIDABLE,
    ErrorCode.OFFLINE_LIMIT, ErrorCode.PROGRAM_RETIRED,
})


@dataclass(frozen=True)
class RewardOption:
    reward: Reward
    affordable: bool
    reason: str | None  # why it cannot be redeemed now
    # the same, for a window that words it in its own language: inactive, not_yet, expired,
    # out_of_stock, stamps or points
    why: str | None = None


@dataclass(frozen=True)
class CardView:
    code: str
    holder: str | None
    status: str
    program: Program
    balance: Balance
    tier: Tier | None
    rewards: tuple[RewardOption, ...]
    # what stops a stamp right now (cooldown or daily limit), for a window that disables Add stamp
    # before the PIN; the stamp use case checks again in its own transaction
    stamp_block: StampBlock | None = None
    # the program's campaigns running now, each with when it stops (the counter's campaign line)
    campaigns_now: tuple[campaigns.RunningCampaign, ...] = ()
    expiring: ExpiringSoon = NOTHING_EXPIRING  # points that expire in the next 30 days

    @property
    def redeemable(self) -> bool:
        """Whether any reward can be redeemed now (or points can pay part of a bill)."""
        if self.program.points_money is not None and self.balance.points > 0 and self.program.active:
            return True
        return any(option.affordable for option in self.rewards)


@dataclass(frozen=True)
class ActionResult:
    entry: Entry
    card: CardView
    bonuses: tuple[Entry, ...] = ()  # campaign bonus entries written with it


def _reward_option(reward: Reward, bal: Balance, now) -> RewardOption:  # noqa: ANN001
    why = reward.unavailability(now)
    if why is not None:
        return RewardOption(reward, False, reward.unavailable_reason(now), why)
    reason = None
    if reward.stock is not None and reward.stock <= 0:
        reason, why = f"{reward.name} is out of stock.", "out_of_stock"
    elif bal.stamps < reward.cost_stamps:
        reason, why = f"Needs {reward.cost_stamps} stamps; the card has {bal.stamps}.", "stamps"
    elif bal.points < reward.cost_points:
        reason, why = f"Needs {reward.cost_points} points; the card has {bal.points}.", "points"
    return RewardOption(reward, reason is None, reason, why)


class CounterService:
    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.ctx = auth.ctx
        # this till's clock minus the hub's, as the sync last measured it (None: not paired or not known);
        # stamps are refused while it exceeds hub_clock_refuse_minutes
        self.hub_skew: timedelta | None = None

    # -- reading -----------------------------------------------------------
    def card(self, code_text: str) -> CardView:
        code = normalize_code(code_text)
        with self.ctx.db.read() as session:
            return self._view(session, card_facts(session, code))

    def _view(self, session: Session, card: Row, program: Program | None = None,
              bal: Balance | None = None, rewards: list[Reward] | None = None,
              stamps_seen: tuple[datetime | None, int] | None = None) -> CardView:
        """The card as the counter shows it. ``stamps_seen`` (last stamp, stamps today) spares the
        query when the caller has just read or written them (the stamp use case)."""
        program = program or load_program(session, card.program_id)
        bal = bal if bal is not None else ledger.balance(session, card.code)
        rewards = rewards if rewards is not None else rewards_of(session, card.program_id)
        now = self.ctx.clock.now()
        options = tuple(_reward_option(r, bal, now) for r in rewards)
        block = None
        if program.kind.has_stamps:
            if stamps_seen is None:
                block = self._stamp_block(session, card.code, program, now)
            else:
                block = stamp_block(self.stamp_limits(program), now, *stamps_seen)
        expiring = (ExpiryService(self.ctx).expiring_in(session, card.code)
                    if program.points_expiry_days and program.kind.has_points and bal.points > 0 else NOTHING_EXPIRING)
        return CardView(card.code, card.holder, card.status, program, bal,
                        tier_for(program.tiers, bal.lifetime_points), options, block,
                        campaigns.running(program, now, self.ctx), expiring)

    def _stamp_block(self, session: Session, code: str, program: Program, now: datetime) -> StampBlock | None:
        limits = self.stamp_limits(program)
        start, end = local_day_bounds(now, limits.tz)
        last, today, _ = ledger.stamp_facts(session, code, start, end, self.ctx.store.terminal_id)
        return stamp_block(limits, now, last, today)

    def stamp_limits(self, program: Program) -> StampLimits:
        s = self.ctx.settings
        cooldown = program.cooldown_minutes if program.cooldown_minutes is not None else s.default_cooldown_minutes
        daily = program.daily_stamp_limit if program.daily_stamp_limit is not None else s.max_daily_stamps
        return StampLimits(timedelta(minutes=cooldown), daily, self.ctx.store.tz)

    # -- actions -----------------------------------------------------------
    @contextmanager
    def refusals_audited(self, grant: Grant, action: str, card: str | None) -> Iterator[None]:
        try:
            yield
        except LoyaltyError as exc:
            if exc.code in AUDITED_REFUSALS:
                with self.ctx.db.write() as session:
                    audit.record(session, self.ctx.store.terminal_id, self.ctx.clock.now(),
                                 AuditKind.ACTION_REFUSED, getattr(grant, "staff_id", None), card,
                                 action=action, code=exc.code.value, message=exc.message)
            raise

    def stamp(self, grant: Grant, code_text: str) -> ActionResult:
        code = normalize_code(code_text)
        with self.refusals_audited(grant, "stamp", code), self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.STAMP)
            card, program, rewards = self._usable_card(session, code)
            if not program.kind.has_stamps:
                raise LoyaltyError(ErrorCode.WRONG_PROGRAM_KIND, f"{program.name} collects points, not stamps.")
            now = self.auth.checked_now(session)
            check_clock_skew(self.hub_skew, timedelta(minutes=self.ctx.settings.hub_clock_refuse_minutes))
            limits = self.stamp_limits(program)
            start, end = local_day_bounds(now, limits.tz)
            terminal_id = self.ctx.store.terminal_id
            last, today, head = ledger.stamp_facts(session, code, start, end, terminal_id)
            check_stamp_allowed(limits, now, last, today)
            entry, bal = ledger.append_with_balance(session, terminal_id=terminal_id, card=code, kind=EntryKind.STAMP,
                                                    at=now, stamps=1, staff_id=staff.staff_id, head=head)
            bonuses = campaigns.add_stamp_bonuses(session, self.ctx, code, program, now, staff.staff_id)
            if bonuses:
                bal = ledger.balance(session, code)
            return ActionResult(entry, self._view(session, card, program, bal, rewards, stamps_seen=(now, today + 1)),
                                tuple(bonuses))

    def earn(self, grant: Grant, code_text: str, amount_minor: int) -> ActionResult:
        code = normalize_code(code_text)
        currency = self.ctx.store.currency
        check_amount(amount_minor, currency, self.ctx.settings.max_amount_minor)
        with self.refusals_audited(grant, "earn", code), self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EARN)
            card, program, _ = self._usable_card(session, code)
            if not program.kind.has_points:
                raise LoyaltyError(ErrorCode.WRONG_PROGRAM_KIND, f"{program.name} collects stamps, not points.")
            now = self.auth.checked_now(session)
            bal = ledger.balance(session, code)
            tier = tier_for(program.tiers, bal.lifetime_points)
            points = points_for_purchase(program.earning, amount_minor, self.ctx.store.minor_digits,
                                         currency, tier.multiplier_percent if tier else 100)
            if points <= 0:
                raise LoyaltyError(ErrorCode.AMOUNT_BELOW_MINIMUM,
                                   f"{format_money(amount_minor, currency)} is too small to earn a point.")
            entry = ledger.append(session, terminal_id=self.ctx.store.terminal_id, card=code,
                                  kind=EntryKind.EARN, at=now, points=points,
                                  amount=amount_minor, staff_id=staff.staff_id)
            bonuses = campaigns.add_purchase_bonuses(session, self.ctx, code, program, amount_minor,
                                                     tier.multiplier_percent if tier else 100, points, now,
                                                     staff.staff_id)
            return ActionResult(entry, self._view(session, card, program), tuple(bonuses))

    def preview_points(self, code_text: str, amount_minor: int) -> int:
        """Points a purchase would give this card now (for the keypad, before confirming)."""
        view = self.card(code_text)
        tier_percent = view.tier.multiplier_percent if view.tier else 100
        points = points_for_purchase(view.program.earning, amount_minor, self.ctx.store.minor_digits,
                                     self.ctx.store.currency, tier_percent)
        if points <= 0:
            return points
        return points + campaigns.preview_purchase_bonus(self.ctx, view.program, amount_minor, tier_percent, points,
                                                         self.ctx.clock.now())

    def redeem(self, grant: Grant, code_text: str, reward_id: str) -> ActionResult:
        code = normalize_code(code_text)
        with self.refusals_audited(grant, "redeem", code), self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.REDEEM)
            card, program, _ = self._usable_card(session, code)
            now = self.auth.checked_now(session)
            row = session.get(RewardRow, reward_id) if isinstance(reward_id, str) else None
            if row is None or row.program_id != program.program_id:
                raise LoyaltyError(ErrorCode.REWARD_NOT_FOUND, f"That reward is not part of {program.name}.")
            reward = reward_from_row(row)
            self._check_redeemable(session, code, reward)
            offline_risk.check_redeem(session, self.ctx, code)  # a paired till offline: bounded redemptions
            offline_risk.check_stock_share(session, self.ctx, reward)  # ...and its share of the stock
            if reward.stock is not None:
                session.execute(update(RewardRow).where(RewardRow.reward_id == reward_id)
                                .values(stock=RewardRow.stock - 1))
            kind = EntryKind.STAMP_REDEEM if reward.cost_stamps and not reward.cost_points else EntryKind.REDEEM
            entry = ledger.append(session, terminal_id=self.ctx.store.terminal_id, card=code, kind=kind,
                                  at=now, stamps=-reward.cost_stamps,
                                  points=-reward.cost_points, reward_id=reward_id, staff_id=staff.staff_id)
            return ActionResult(entry, self._view(session, card, program))

    def _check_redeemable(self, session: Session, code: str, reward: Reward) -> None:
        reason = reward.unavailable_reason(self.ctx.clock.now())
        if reason:
            raise LoyaltyError(ErrorCode.REWARD_NOT_AVAILABLE, reason)
        if reward.stock is not None and reward.stock <= 0:
            raise LoyaltyError(ErrorCode.REWARD_OUT_OF_STOCK, f"{reward.name} is out of stock.", reward=reward.name)
        bal = ledger.balance(session, code)
        if bal.stamps < reward.cost_stamps or bal.points < reward.cost_points:
            need = (f"{reward.cost_stamps} stamps" if reward.cost_stamps else f"{reward.cost_points} points")
            have = (f"{bal.stamps} stamps" if reward.cost_stamps else f"{bal.points} points")
            raise LoyaltyError(ErrorCode.INSUFFICIENT_BALANCE,
                               f"{reward.name} needs {need}; the card has {have}.", reward=reward.name,
                               unit="stamps" if reward.cost_stamps else "points",
                               need=reward.cost_stamps or reward.cost_points,
                               have=bal.stamps if reward.cost_stamps else bal.points)

    def _usable_card(self, session: Session, code: str) -> tuple[Row, Program, list[Reward]]:
        card, program, rewards = card_with_program(session, code)
        require_active(card)
        require_program_active(program)
        return card, program, rewards
