"""The history as an owner reads it in a spreadsheet: local times, money with its currency, holder names,
dashed codes, and each card's balance after every entry.

The raw signed ledger (``ReportService.export_csv``) stays the auditors' export; this one is for people.
A balance after an entry counts every earlier entry of the card, also those the filter leaves out, so
the column says what the card held at that moment whatever rows were picked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal.domain.campaigns import readable_reason
from terminal.domain.codes import format_code, normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind, purchase_amount
from terminal.domain.money import minor_digits
from terminal.domain.staff import Permission
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.auth import Grant
from terminal.services.catalog import campaign_names
from terminal.services.reports import HistoryFilter, ReportService
from terminal.services.spreadsheet import Cell, write_table
from terminal.store.models import CardRow, LedgerRow, StaffRow

ENGLISH_KINDS: Mapping[EntryKind, str] = {
    EntryKind.ENROLL: "Enrolled", EntryKind.STAMP: "Stamp", EntryKind.STAMP_REDEEM: "Stamp reward",
    EntryKind.EARN: "Points earned", EntryKind.REDEEM: "Points reward", EntryKind.ADJUST: "Adjustment",
    EntryKind.VOID: "Void", EntryKind.EXPIRE: "Points expired",
}
AMOUNT_COLUMN = 6


@dataclass(frozen=True)
class HistoryLabels:
    """The words of the export; the window passes its own language's, the command line uses these.

    ``when`` holds ``%1`` for the time zone's name.
    """

    when: str = "When (%1)"
    card: str = "Card"
    holder: str = "Holder"
    what: str = "What"
    stamps: str = "Stamps"
    points: str = "Points"
    amount: str = "Amount"
    currency: str = "Currency"
    staff: str = "Staff"
    reason: str = "Reason"
    stamps_after: str = "Stamps after"
    points_after: str = "Points after"
    sheet_title: str = "History"
    kinds: Mapping[EntryKind, str] = field(default_factory=lambda: dict(ENGLISH_KINDS))

    def headers(self, tz: tzinfo) -> list[str]:
        return [self.when.replace("%1", str(tz)), self.card, self.holder, self.what, self.stamps, self.points,
                self.amount, self.currency, self.staff, self.reason, self.stamps_after, self.points_after]


def _running_sum(column):  # noqa: ANN001, ANN202
    """The card's sum of ``column`` over its entries up to and including this one, in ledger order."""
    return func.sum(column).over(partition_by=LedgerRow.card, order_by=(LedgerRow.at, LedgerRow.id), rows=(None, 0))


def _running_query(f: HistoryFilter):  # noqa: ANN202
    inner = (select(LedgerRow.id, LedgerRow.at, LedgerRow.card, LedgerRow.kind, LedgerRow.stamps,
                    LedgerRow.points, LedgerRow.amount, LedgerRow.staff_id, LedgerRow.reason, CardRow.holder,
                    _running_sum(LedgerRow.stamps).label("stamps_after"),
                    _running_sum(LedgerRow.points).label("points_after"))
             .outerjoin(CardRow, CardRow.code == LedgerRow.card))
    if f.card:
        inner = inner.where(LedgerRow.card == normalize_code(f.card))  # a card's running sum is its own
    rows = inner.subquery()
    q = select(rows)
    if f.staff_id:
        q = q.where(rows.c.staff_id == f.staff_id)
    if f.kinds:
        q = q.where(rows.c.kind.in_([k.value for k in f.kinds]))
    if f.start:
        q = q.where(rows.c.at >= f.start)
    if f.end:
        q = q.where(rows.c.at < f.end)
    if f.start and f.end and f.end <= f.start:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "The end of the date range must be after its start.")
    q = q.order_by(rows.c.at, rows.c.id)
    return q.limit(f.limit) if f.limit else q


def history_rows(session: Session, f: HistoryFilter, tz: tzinfo, currency: str,
                 kinds: Mapping[EntryKind, str] = ENGLISH_KINDS) -> Iterator[list[Cell]]:
    """Rows for ``HistoryLabels.headers``, oldest first."""
    names = dict(session.execute(select(StaffRow.staff_id, StaffRow.name)).all())
    campaigns = campaign_names(session)
    scale = Decimal(10) ** -minor_digits(currency)
    for row in session.execute(_running_query(f).execution_options(yield_per=2000)).mappings():
        amount = purchase_amount(EntryKind(row["kind"]), row["amount"])
        yield [row["at"].astimezone(tz), format_code(row["card"]), row["holder"] or "",
               kinds.get(EntryKind(row["kind"]), row["kind"]), row["stamps"] or None, row["points"] or None,
               Decimal(amount) * scale if amount else None, currency if amount else "",
               names.get(row["staff_id"], ""), readable_reason(row["reason"], campaigns) or "",
               int(row["stamps_after"]), int(row["points_after"])]


def money_format(currency: str) -> str:
    """The Excel number format for an amount in ``currency``: ``#,##0.00``, ``#,##0`` for rupiah."""
    digits = minor_digits(currency)
    return "#,##0" + ("." + "0" * digits if digits else "")


def export_history(reports: ReportService, grant: Grant, path: str | Path, fmt: str,
                   f: HistoryFilter | None = None, labels: HistoryLabels | None = None) -> int:
    """Write the filtered history (default: all of it) to ``path`` as ``fmt`` (csv or xlsx); returns the row count.

    Needs the owner's export permission and is audited like the ledger export.
    """
    f = f or HistoryFilter(limit=None)
    labels = labels or HistoryLabels()
    ctx = reports.ctx
    store = ctx.store
    with ctx.db.write() as session:
        staff = reports.auth.require(session, grant, Permission.EXPORT)
        audit.record(session, store.terminal_id, ctx.clock.now(), AuditKind.EXPORT, staff.staff_id, None,
                     card=f.card, staff=f.staff_id, format=fmt)
    with ctx.db.read() as session:
        rows = history_rows(session, f, store.tz, store.currency, labels.kinds)
        return write_table(path, fmt, labels.headers(store.tz), rows, sheet_title=labels.sheet_title,
                           number_formats={AMOUNT_COLUMN: money_format(store.currency)})
