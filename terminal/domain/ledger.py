"""Ledger entry kinds and the value every ledger entry carries."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class EntryKind(enum.StrEnum):
    ENROLL = "enroll"
    STAMP = "stamp"
    STAMP_REDEEM = "stamp_redeem"
    EARN = "earn"
    REDEEM = "redeem"
    ADJUST = "adjust"
    VOID = "void"
    EXPIRE = "expire"
    BONUS = "bonus"  # a campaign's bonus; reason "campaign:<campaign_id>"
    # Replacing a card: the blocked card's balance leaves it (transfer_out) and arrives on the new
    # card (transfer_in, whose ``reverses`` names the transfer_out entry): a pair, one transaction.
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"


# Kinds whose positive points count toward lifetime points (tiers).
EARNING_KINDS = frozenset({EntryKind.EARN})
# The two entries of a card replacement. Their ``amount`` is not money: it is the lifetime
# points the pair moves (terminal/domain/replacement.py), so the new card keeps the tier.
TRANSFER_KINDS = frozenset({EntryKind.TRANSFER_OUT, EntryKind.TRANSFER_IN})
VOIDABLE_KINDS = frozenset({
    EntryKind.STAMP, EntryKind.STAMP_REDEEM, EntryKind.EARN, EntryKind.REDEEM, EntryKind.ADJUST,
    EntryKind.BONUS,
})


@dataclass(frozen=True)
class Entry:
    entry_id: str
    terminal_id: str
    seq: int
    card: str
    kind: EntryKind
    stamps: int
    points: int
    amount: int | None
    reward_id: str | None
    staff_id: str | None
    reason: str | None
    reverses: str | None
    at: datetime
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Balance:
    stamps: int = 0
    points: int = 0
    lifetime_points: int = 0


# The reason of the adjustment that refunds (part of) an order's earned points, written by the hub's
# integration API as ``refund:<source>:<order_id>``. A refund undoes an earn as a void does, in part, so
# it takes lifetime points back too; the share of campaign bonuses it takes back has a reason of its own
# (bonuses never counted toward lifetime points).
ORDER_REFUND_REASON = "refund:"
ORDER_REFUND_BONUS_REASON = "refund-bonus:"


def lifetime_delta(kind: EntryKind, points: int, reverses_kind: EntryKind | None = None,
                   *, reason: str | None = None, amount: int | None = None) -> int:
    """How an entry moves lifetime points: earning counts; voiding an earn, or refunding an order's earn
    (``reason``), takes it back; a replacement's pair moves them from the old card to the new one (in
    the entries' ``amount``)."""
    if kind in EARNING_KINDS:
        return points
    if kind is EntryKind.VOID and reverses_kind in EARNING_KINDS:
        return points
    if kind is EntryKind.ADJUST and points < 0 and reason is not None and reason.startswith(ORDER_REFUND_REASON):
        return points
    if kind in TRANSFER_KINDS:
        return amount or 0
    return 0


def purchase_amount(kind: EntryKind, amount: int | None) -> int | None:
    """The money an entry names, in minor units; None for a transfer, whose amount is lifetime points."""
    return None if kind in TRANSFER_KINDS else amount
