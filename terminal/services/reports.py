"""Reading the ledger for people: history, CSV export, verification."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.domain.codes import normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import Entry, EntryKind
from terminal.domain.staff import Permission
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.auth import Authenticator, Grant
from terminal.store.chain_key import signer_of
from terminal.store.ledger import row_to_entry
from terminal.store.models import LedgerRow, StaffRow
from terminal.store.verify import VerifyKeys, VerifyReport, verify

CSV_COLUMNS = ("entry_id", "terminal_id", "seq", "at", "card", "kind", "stamps", "points", "amount",
               "reward_id", "staff_id", "staff_name", "reason", "reverses", "prev_hash", "hash")


@dataclass(frozen=True)
class HistoryFilter:
    card: str | None = None
    staff_id: str | None = None
    kinds: tuple[EntryKind, ...] = ()
    start: datetime | None = None  # inclusive, UTC-aware
    end: datetime | None = None    # exclusive
    limit: int | None = 500


def _query(f: HistoryFilter):  # noqa: ANN202
    q = select(LedgerRow.__table__)
    if f.card:
        q = q.where(LedgerRow.card == normalize_code(f.card))
    if f.staff_id:
        q = q.where(LedgerRow.staff_id == f.staff_id)
    if f.kinds:
        q = q.where(LedgerRow.kind.in_([k.value for k in f.kinds]))
    if f.start:
        q = q.where(LedgerRow.at >= f.start)
    if f.end:
        q = q.where(LedgerRow.at < f.end)
    if f.start and f.end and f.end <= f.start:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "The end of the date range must be after its start.")
    return q


class ReportService:
    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.ctx = auth.ctx

    def history(self, f: HistoryFilter = HistoryFilter()) -> list[Entry]:
        """Newest first."""
        q = _query(f).order_by(LedgerRow.at.desc(), LedgerRow.id.desc())
        if f.limit:
            q = q.limit(f.limit)
        with self.ctx.db.read() as session:
            return [row_to_entry(r) for r in session.execute(q).mappings()]

    def export_csv(self, grant: Grant, out: TextIO, f: HistoryFilter = HistoryFilter(limit=None)) -> int:
        """Write matching entries, oldest first, as CSV; returns the row count."""
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EXPORT)
            audit.record(session, self.ctx.store.terminal_id, self.ctx.clock.now(), AuditKind.EXPORT,
                         staff.staff_id, None, card=f.card, staff=f.staff_id)
        with self.ctx.db.read() as session:
            return _write_csv(session, _query(f).order_by(LedgerRow.at, LedgerRow.id), out)

    def record_export(self, grant: Grant, **details: str) -> None:
        """Check ``grant`` may export and note the export in the audit log (for exports made elsewhere)."""
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.EXPORT)
            audit.record(session, self.ctx.store.terminal_id, self.ctx.clock.now(), AuditKind.EXPORT,
                         staff.staff_id, None, **details)

    def verify(self) -> VerifyReport:
        tid = self.ctx.store.terminal_id
        signer = signer_of(self.ctx.db.session_info)
        keys = None if signer is None else VerifyKeys(signer.public_key(tid), signer.hub_key(tid))
        with self.ctx.db.read() as session:
            return verify(session, tid, keys)


def _write_csv(session: Session, query, out) -> int:  # noqa: ANN001
    names = dict(session.execute(select(StaffRow.staff_id, StaffRow.name)).all())
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in session.execute(query.execution_options(yield_per=2000)).mappings():
        values = {**row, "at": row["at"].isoformat(), "staff_name": names.get(row["staff_id"], "")}
        writer.writerow([_csv_safe(values[c]) for c in CSV_COLUMNS])
        count += 1
    return count


def _csv_safe(value):  # noqa: ANN001, ANN202
    # A reason starting with = + - @ would run as a formula when opened in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
