"""Bounding what a paired terminal can give away while it cannot reach the hub.

Offline means: this terminal is paired and its last successful exchange
with the hub is older than ``offline_after_minutes``. Then each card may be
redeemed at most ``offline_redemptions_per_card`` times on this terminal
(counted since the last sync), because other tills may be spending the
same balance unseen; the hub flags any overdraft when the entries meet.

A card unknown here while offline may collect on a provisional record
(the oldest possible version, so any real enrollment wins when it arrives)
but cannot redeem. A terminal that is not paired is never offline: it is
the whole store.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from terminal.domain.clock import from_iso
from terminal.domain.codes import normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.domain.programs import CardStatus, Reward
from terminal.domain.staff import Permission
from terminal.services.auth import Authenticator, Grant
from terminal.services.catalog import load_program
from terminal.services.context import ServiceContext
from terminal.store.models import CardBalance, CardRow, LedgerRow
from terminal.store.sync_port import (
    PROVISIONAL_VERSION,
    is_provisional,
    mark_provisional,
    mark_record,
    read_state,
)

_L = LedgerRow.__table__
_VOIDS = _L.alias("voids")
_REDEEM_KINDS = (EntryKind.REDEEM.value, EntryKind.STAMP_REDEEM.value)


def offline_since(conn: Connection, ctx: ServiceContext) -> tuple[bool, datetime | None]:
    """(offline?, last successful sync). Never offline when not paired."""
    if read_state(conn, "hub_url") is None:
        return False, None
    text = read_state(conn, "last_sync_at")
    last = from_iso(text) if text else None
    if last is None:
        return True, None
    return ctx.clock.now() - last > timedelta(minutes=ctx.settings.offline_after_minutes), last


def check_redeem(session: Session, ctx: ServiceContext, code: str) -> None:
    """Refuse a redemption the offline rules forbid (call inside the redeem transaction)."""
    conn = session.connection()
    offline, since = offline_since(conn, ctx)
    if not offline:
        return
    if is_provisional(conn, code):
        raise LoyaltyError(ErrorCode.OFFLINE_LIMIT,
                           "This card is not known to the hub yet and the terminal is offline: it can "
                           "collect now and redeem once the terminal has synced.", allowance=0)
    allowance = ctx.settings.offline_redemptions_per_card
    query = select(func.count()).select_from(_L).where(
        _L.c.card == code, _L.c.terminal_id == ctx.store.terminal_id, _L.c.kind.in_(_REDEEM_KINDS),
        ~exists().where(and_(_VOIDS.c.reverses == _L.c.entry_id)))
    if since is not None:
        query = query.where(_L.c.at >= since)
    used = conn.execute(query).scalar_one()
    if used >= allowance:
        when = (f"since {since.astimezone(ctx.store.tz):%d %b %H:%M}" if since is not None
                else "since it was paired")
        raise LoyaltyError(
            ErrorCode.OFFLINE_LIMIT,
            f"This terminal has not reached the hub {when} (more than "
            f"{ctx.settings.offline_after_minutes} minutes): each card may redeem at most {allowance} "
            f"time(s) until it syncs again, and this card has. Check the network, then try again.",
            allowance=allowance, used=used)


def check_stock_share(session: Session, ctx: ServiceContext, reward: Reward) -> None:
    """Offline, give at most ``offline_stock_share_percent`` of what was left of a reward at the last sync.

    The other tills may be giving the rest unseen; with shares that add up to at most 100 % the stock
    holds, and beyond that the hub flags the over-redemption (kind ``stock``).
    """
    if reward.stock is None:
        return
    conn = session.connection()
    offline, since = offline_since(conn, ctx)
    if not offline:
        return
    query = select(func.count()).select_from(_L).where(
        _L.c.reward_id == reward.reward_id, _L.c.terminal_id == ctx.store.terminal_id,
        _L.c.kind.in_(_REDEEM_KINDS), ~exists().where(and_(_VOIDS.c.reverses == _L.c.entry_id)))
    if since is not None:
        query = query.where(_L.c.at >= since)
    used = conn.execute(query).scalar_one()
    share = ctx.settings.offline_stock_share_percent
    left = max(0, reward.stock + used)  # what was left when this till last heard from the hub
    allowed = left * share // 100
    if used >= allowed:
        raise LoyaltyError(
            ErrorCode.OFFLINE_LIMIT,
            f"This terminal is offline: it may give at most {allowed} of the {left} {reward.name} left "
            f"({share}% of the stock, the other tills may be giving the rest) until it syncs again, and "
            f"has given {used}. Check the network, then try again.",
            stock_share=share, allowed=allowed, used=used, left=left, reward=reward.name)


class OfflineRiskService:
    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.ctx = auth.ctx

    def is_offline(self) -> bool:
        with self.ctx.db.read() as session:
            return offline_since(session.connection(), self.ctx)[0]

    def provisional_card(self, grant: Grant, code_text: str, program_id: str) -> str:
        """Let an unknown card collect while offline: a local record the hub will reconcile.

        Only while offline (online, fetch the card from the hub instead);
        the card cannot redeem until the terminal has synced.
        """
        code = normalize_code(code_text)
        with self.ctx.db.write() as session:
            self.auth.require(session, grant, Permission.EARN)
            conn = session.connection()
            if not offline_since(conn, self.ctx)[0]:
                raise LoyaltyError(ErrorCode.CARD_NOT_FOUND,
                                   "This card is not enrolled here. Enroll the customer, or check the code.")
            load_program(session, program_id)
            if session.get(CardRow, code) is not None:
                raise LoyaltyError(ErrorCode.CARD_EXISTS, "This card is already known here.")
            session.add(CardRow(code=code, program_id=program_id, holder=None,
                                status=CardStatus.ACTIVE.value, enrolled_at=self.ctx.clock.now()))
            session.flush()
            session.add(CardBalance(code=code, stamps=0, points=0, lifetime_points=0))
            session.flush()
            mark_record(conn, "cards", code, PROVISIONAL_VERSION, dirty=True)
            mark_provisional(conn, code)
        return code
