"""What the pair of ledger entries of a card replacement carries, said once for the till and the hub.

Replacing a blocked card writes two entries in one transaction:

- ``transfer_out`` on the old card: stamps = -S, points = -P, amount = -L;
- ``transfer_in`` on the new card: stamps = +S, points = +P, amount = +L, and
  ``reverses`` names the ``transfer_out``;

where S, P and L are the old card's stamps, points and lifetime points when
it is replaced. On these two kinds ``amount`` is not money: it is the
lifetime points the pair moves (``terminal.domain.ledger.lifetime_delta``
counts it), so the new card keeps the old card's tier and the two cards
together keep the lifetime they had. The field is one the hash already
covers and the wire already carries, so an older peer validates and checks
the pair unchanged (it just does not count the lifetime). Every peer sums
the same entries, so tills and the hub agree once they hold the pair, and a
late entry on the old card (written offline before the block arrived)
stays on the old card at every peer alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from terminal.domain.ledger import Balance, EntryKind


@dataclass(frozen=True)
class TransferEntry:
    """One side of the pair: the values of the entry to write."""

    kind: EntryKind
    stamps: int
    points: int
    amount: int  # the lifetime points this entry moves


@dataclass(frozen=True)
class ReplacementPair:
    transfer_out: TransferEntry  # on the old card
    transfer_in: TransferEntry   # on the new card; its ``reverses`` names the transfer_out

    @property
    def lifetime_points(self) -> int:
        return self.transfer_in.amount


def replacement_pair(old: Balance) -> ReplacementPair:
    """The pair that moves ``old`` (the replaced card's balance and lifetime points) to the new card."""
    return ReplacementPair(
        TransferEntry(EntryKind.TRANSFER_OUT, -old.stamps, -old.points, -old.lifetime_points),
        TransferEntry(EntryKind.TRANSFER_IN, old.stamps, old.points, old.lifetime_points),
    )


def mirrors(out: tuple[int, int, int | None], came: tuple[int, int, int | None]) -> bool:
    """True when a transfer_in's (stamps, points, amount) gives back exactly what its transfer_out took.

    A pair written before lifetime moved has no amount on either side; that pair still mirrors.
    """
    return out[0] == -came[0] and out[1] == -came[1] and (out[2] or 0) == -(came[2] or 0)
