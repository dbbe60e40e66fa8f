"""Recompute every hash chain and every balance; name the first bad record.

Chains are per terminal. This terminal's chain must run from seq 1 without
gaps. Entries pulled from other terminals may be a subset of their chains
(only cards this store has seen), so for them each hash is recomputed and a
link is checked wherever the previous seq is present.

Signatures: from the boundary kept with this till's signing key on, every
record of this till must carry a valid Ed25519 signature of that key, whose
public half is derived from the key file (the database is not trusted for
it). Records before the boundary were written by an older version, unsigned.
Receipts: each receipt the hub signed (with the hub key learned at pairing,
kept outside the database) names a seq and the hash the hub holds there;
the local record at that seq must have that hash. Other tills' entries are
checked by hash and link only: their keys are the hub's business.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger_chain import GENESIS, audit_hash, entry_hash, signing
from terminal.domain.clock import to_iso
from terminal.domain.ledger import TRANSFER_KINDS, EntryKind, lifetime_delta
from terminal.domain.replacement import mirrors
from terminal.store.chain_key import ChainKey
from terminal.store.expiry_keys import not_counted_ids
from terminal.store.ledger import wire_fields
from terminal.store.models import AuditRow, CardBalance, ChainReceipt, LedgerRow

_NOUN = {"entries": "Ledger entry", "audit": "Audit event"}
_TRANSFERS = frozenset(kind.value for kind in TRANSFER_KINDS)


@dataclass
class VerifyReport:
    entries: int = 0
    audit_events: int = 0
    cards: int = 0
    signatures: int | None = None  # records whose signature was checked; None: no keys given
    receipts: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_link(report, label, terminal_id, local_id, prev, row, expect_contiguous) -> None:  # noqa: ANN001
    last_seq, last_hash = prev.get(terminal_id, (0, GENESIS))
    if row.seq == last_seq + 1 and row.prev_hash != last_hash:
        report.problems.append(
            f"{label} {row.key} (terminal {terminal_id}, seq {row.seq}) does not continue the chain: "
            "an earlier record was changed or removed."
        )
    elif row.seq != last_seq + 1 and (terminal_id == local_id or expect_contiguous):
        report.problems.append(
            f"{label} {row.key} (terminal {terminal_id}) has seq {row.seq}; expected {last_seq + 1}: "
            "records are missing."
        )


class _Row:
    __slots__ = ("key", "prev_hash", "seq")

    def __init__(self, key: str, seq: int, prev_hash: str) -> None:
        self.key, self.seq, self.prev_hash = key, seq, prev_hash


def _verify_entries(session: Session, local_id: str, report: VerifyReport) -> dict[str, list[int]]:
    prev: dict[str, tuple[int, str]] = {}
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    pairs: list[tuple[str, str]] = []  # (transfer_in, the transfer_out it names)
    # All earn ids first: a void may come from another terminal whose chain
    # sorts before the earn's own terminal.
    earn_ids: set[str] = set(session.execute(
        select(LedgerRow.entry_id).where(LedgerRow.kind == EntryKind.EARN.value)).scalars())
    uncounted = not_counted_ids(session.connection())  # keyed expire duplicates count zero
    rows = session.execute(
        select(LedgerRow.__table__).order_by(LedgerRow.terminal_id, LedgerRow.seq)
        .execution_options(yield_per=5000)
    ).mappings()
    transfers: dict[str, tuple[int, int, int | None]] = {}
    for row in rows:
        report.entries += 1
        if row["kind"] in _TRANSFERS:
            transfers[row["entry_id"]] = (row["stamps"], row["points"], row["amount"])
            if row["kind"] == EntryKind.TRANSFER_IN.value and row["reverses"]:
                pairs.append((row["entry_id"], row["reverses"]))
        if entry_hash(row["prev_hash"], wire_fields(dict(row))) != row["hash"]:
            report.problems.append(
                f"Ledger entry {row['entry_id']} (terminal {row['terminal_id']}, seq {row['seq']}) "
                "was changed after it was written: its hash does not match its contents."
            )
        _check_link(report, "Ledger entry", row["terminal_id"], local_id, prev,
                    _Row(row["entry_id"], row["seq"], row["prev_hash"]), False)
        prev[row["terminal_id"]] = (row["seq"], row["hash"])
        kind = EntryKind(row["kind"])
        total = sums[row["card"]]
        total[0] += row["stamps"]
        total[1] += 0 if row["entry_id"] in uncounted else row["points"]
        reversed_kind = EntryKind.EARN if row["reverses"] in earn_ids else None
        total[2] += lifetime_delta(kind, row["points"], reversed_kind, reason=row["reason"], amount=row["amount"])
    for came, out in pairs:
        if out in transfers and not mirrors(transfers[out], transfers[came]):
            report.problems.append(
                f"Ledger entry {came} (transfer_in) does not give back what its transfer_out {out} took "
                "(stamps, points, lifetime points): the card replacement is damaged.")
    return sums


def _verify_balances(session: Session, sums: dict[str, list[int]], report: VerifyReport) -> None:
    cached = {r.code: (r.stamps, r.points, r.lifetime_points)
              for r in session.execute(select(CardBalance.__table__)).all()}
    report.cards = len(cached)
    for card in sorted(set(cached) | set(sums)):
        want = tuple(sums.get(card, (0, 0, 0)))
        have = cached.get(card)
        if have != want:
            report.problems.append(
                f"Balance of card {card} is {have} (stamps, points, lifetime) but its ledger "
                f"entries add up to {want}."
            )


def _verify_audit(session: Session, local_id: str, report: VerifyReport) -> None:
    prev: dict[str, tuple[int, str]] = {}
    rows = session.execute(select(AuditRow.__table__).order_by(AuditRow.terminal_id, AuditRow.seq)).mappings()
    for row in rows:
        report.audit_events += 1
        fields = {**row, "at": to_iso(row["at"])}
        if audit_hash(row["prev_hash"], fields) != row["hash"]:
            report.problems.append(
                f"Audit event {row['event_id']} (seq {row['seq']}) was changed after it was written."
            )
        _check_link(report, "Audit event", row["terminal_id"], local_id, prev,
                    _Row(row["event_id"], row["seq"], row["prev_hash"]), False)
        prev[row["terminal_id"]] = (row["seq"], row["hash"])


def _verify_signatures(session: Session, local_id: str, key: ChainKey | None, report: VerifyReport) -> None:
    for stream, table, ident in (("entries", LedgerRow, LedgerRow.entry_id), ("audit", AuditRow, AuditRow.event_id)):
        rows = session.execute(select(ident, table.seq, table.hash, table.sig)
                               .where(table.terminal_id == local_id).order_by(table.seq)
                               .execution_options(yield_per=5000))
        if key is None:
            if any(row.sig is not None for row in rows):
                report.problems.append(
                    "This till's signing key is missing, but its records are signed: restore the key file "
                    "(chain-key-…) from backup; without it nothing can prove these records are this till's.")
                return
            continue
        public = signing.public_key(key.public)
        start = key.signed_from(stream)  # type: ignore[arg-type]
        for row in rows:
            report.signatures = (report.signatures or 0) + (row.seq >= start)
            if row.seq >= start and not signing.record_signed(public, stream, row.hash, row.sig):  # type: ignore[arg-type]
                report.problems.append(
                    f"{_NOUN[stream]} {row[0]} (seq {row.seq}) is not signed with this till's key: it was "
                    "written or rewritten by someone who does not hold the key (the database was edited).")


def _verify_receipts(session: Session, local_id: str, hub_key: str | None, report: VerifyReport) -> None:
    receipts = session.execute(select(ChainReceipt).order_by(ChainReceipt.stream, ChainReceipt.seq)).scalars().all()
    if not receipts:
        return
    if hub_key is None:
        report.problems.append("This till holds receipts from the hub but not the hub's key, so they cannot be "
                               "checked: pair the till again with a recovery code from the owner.")
        return
    public = signing.public_key(hub_key)
    report.receipts = len(receipts)
    for receipt in receipts:
        noun = _NOUN.get(receipt.stream, receipt.stream)
        fields = {"author": local_id, "stream": receipt.stream, "seq": receipt.seq, "hash": receipt.hash,
                  "at": receipt.at}
        if not signing.receipt_signed(public, fields, receipt.sig):
            report.problems.append(f"The hub's receipt for {noun.lower()} seq {receipt.seq} is not signed by the "
                                   "hub: the receipts were edited.")
            continue
        table = LedgerRow if receipt.stream == "entries" else AuditRow
        local = session.execute(select(table.hash).where(table.terminal_id == local_id,
                                                         table.seq == receipt.seq)).scalar()
        if local is None:
            report.problems.append(
                f"On {receipt.at} the hub confirmed it holds this till's {noun.lower()} seq {receipt.seq}, but "
                "this till no longer has it: records were removed after they were sent to the hub.")
        elif local != receipt.hash:
            report.problems.append(
                f"{noun} seq {receipt.seq} differs from what the hub confirmed holding on {receipt.at}: "
                "it was changed on this till after it was sent; the hub's copy is the one sent.")


@dataclass(frozen=True)
class VerifyKeys:
    """The keys verify checks with, both read from outside the database (None: not there)."""

    chain_key: ChainKey | None
    hub_key: str | None  # base64


def verify(session: Session, local_terminal_id: str, keys: VerifyKeys | None = None) -> VerifyReport:
    """Hashes, links and balances; with ``keys`` also signatures and the hub's receipts."""
    report = VerifyReport()
    sums = _verify_entries(session, local_terminal_id, report)
    _verify_balances(session, sums, report)
    _verify_audit(session, local_terminal_id, report)
    if keys is not None:
        report.signatures = 0
        _verify_signatures(session, local_terminal_id, keys.chain_key, report)
        _verify_receipts(session, local_terminal_id, keys.hub_key, report)
    return report
