"""Customers: finding a card by name, phone or code; a card's contact details; its history.

Contact details are optional and sync with the card (the card's sync trigger
marks it dirty). Search reads ``card_terms`` by index (terminal.store.card_search).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from terminal.domain.campaigns import readable_reason
from terminal.domain.codes import normalize_code
from terminal.domain.contact import Contact, check_contact
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.domain.staff import Permission
from terminal.services import audit
from terminal.services.audit import AuditKind
from terminal.services.auth import Authenticator, Grant
from terminal.services.catalog import campaign_names, load_card
from terminal.services.counter import CardView, CounterService
from terminal.store.card_search import find_codes, index_card
from terminal.store.models import CardBalance, CardRow, LedgerRow, ProgramRow, StaffRow

MAX_RESULTS = 50
MAX_QUERY = 120


@dataclass(frozen=True)
class CustomerMatch:
    code: str
    holder: str | None
    phone: str | None
    email: str | None
    status: str
    program_name: str
    stamps: int
    points: int


@dataclass(frozen=True)
class HistoryLine:
    """One ledger entry of a card with the card's balance right after it."""

    entry_id: str
    at: datetime
    kind: EntryKind
    stamps: int
    points: int
    amount: int | None
    staff_name: str | None
    reason: str | None
    stamps_after: int
    points_after: int


@dataclass(frozen=True)
class CustomerView:
    card: CardView
    contact: Contact
    replaced_by: str | None  # the card that took over this one's balance
    replaces: tuple[str, ...]  # the blocked cards whose balance moved to this one
    history: tuple[HistoryLine, ...]  # newest first


def _check_query(text: str) -> str:
    if not isinstance(text, str):
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "Type a name, phone number or card code to search.")
    return " ".join(text.split())[:MAX_QUERY]


class CustomersService:
    def __init__(self, auth: Authenticator, counter: CounterService) -> None:
        self.auth = auth
        self.ctx = auth.ctx
        self.counter = counter

    def search(self, text: str, limit: int = MAX_RESULTS) -> list[CustomerMatch]:
        """Cards found by code, name, phone or e-mail (at least 2 characters), best first."""
        query = _check_query(text)
        if len(query) < 2:
            return []
        with self.ctx.db.read() as session:
            conn = session.connection()
            codes = find_codes(conn, query, max(1, min(limit, MAX_RESULTS)))
            if not codes:
                return []
            rows = {r.code: r for r in conn.execute(
                select(CardRow.code, CardRow.holder, CardRow.phone, CardRow.email, CardRow.status,
                       ProgramRow.name.label("program_name"), CardBalance.stamps, CardBalance.points)
                .join(ProgramRow, ProgramRow.program_id == CardRow.program_id)
                .outerjoin(CardBalance, CardBalance.code == CardRow.code)
                .where(CardRow.code.in_(codes)))}
        return [CustomerMatch(r.code, r.holder, r.phone, r.email, r.status, r.program_name,
                              r.stamps or 0, r.points or 0) for code in codes if (r := rows.get(code))]

    def customer(self, code_text: str, history_limit: int = 500) -> CustomerView:
        code = normalize_code(code_text)
        view = self.counter.card(code)
        with self.ctx.db.read() as session:
            card = load_card(session, code)
            contact = Contact(card.holder, card.phone, card.email, card.birthday, bool(card.contact_consent))
            replaces = tuple(session.execute(select(CardRow.code).where(CardRow.replaced_by == code)
                                             .order_by(CardRow.code)).scalars())
            history = _history(session, code, history_limit)
        return CustomerView(view, contact, card.replaced_by, replaces, history)

    def update_contact(self, grant: Grant, code_text: str, *, holder: str | None, phone: str | None,
                       email: str | None, birthday: str | None, consent: bool) -> Contact:
        """Save a card's contact details (every field; None or "" clears one). Audited, with the
        names of the fields that changed but not their values (the audit log is not a contact list)."""
        code = normalize_code(code_text)
        today = self.ctx.clock.now().astimezone(self.ctx.store.tz).date()
        contact = check_contact(holder, phone, email, birthday, consent, today)
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.ENROLL)
            card = load_card(session, code)
            before = Contact(card.holder, card.phone, card.email, card.birthday, bool(card.contact_consent))
            changed = [name for name in ("holder", "phone", "email", "birthday", "consent")
                       if getattr(before, name) != getattr(contact, name)]
            if not changed:
                return contact
            card.holder, card.phone, card.email = contact.holder, contact.phone, contact.email
            card.birthday, card.contact_consent = contact.birthday, contact.consent
            session.flush()
            index_card(session.connection(), code, {"holder": contact.holder, "phone": contact.phone,
                                                    "email": contact.email})
            audit.record(session, self.ctx.store.terminal_id, self.auth.checked_now(session),
                         AuditKind.CONTACT_CHANGED, staff.staff_id, code, fields=changed)
        return contact


def _history(session, code: str, limit: int) -> tuple[HistoryLine, ...]:  # noqa: ANN001
    rows = session.execute(
        select(LedgerRow.entry_id, LedgerRow.at, LedgerRow.kind, LedgerRow.stamps, LedgerRow.points,
               LedgerRow.amount, LedgerRow.reason, StaffRow.name.label("staff_name"))
        .outerjoin(StaffRow, StaffRow.staff_id == LedgerRow.staff_id)
        .where(LedgerRow.card == code).order_by(LedgerRow.at, LedgerRow.id)).all()
    stamps = points = 0
    lines = []
    campaigns = campaign_names(session)
    for r in rows:  # the running balance needs every entry, oldest first
        stamps += r.stamps
        points += r.points
        lines.append(HistoryLine(r.entry_id, r.at, EntryKind(r.kind), r.stamps, r.points, r.amount,
                                 r.staff_name, readable_reason(r.reason, campaigns), stamps, points))
    lines.reverse()
    return tuple(lines[:limit])
