"""Enrolling a customer: a new card with its own code and an ``enroll`` entry."""

from __future__ import annotations

from terminal.domain.codes import new_code, normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.domain.programs import CardStatus
from terminal.domain.staff import Permission
from terminal.domain.text import check_text
from terminal.services.auth import Authenticator, Grant
from terminal.services.catalog import load_program, require_program_active
from terminal.services.counter import CardView, CounterService
from terminal.store import ledger
from terminal.store.card_search import index_card
from terminal.store.models import CardBalance, CardRow
from terminal.store.sync_port import is_provisional, make_real


class EnrollmentService:
    def __init__(self, auth: Authenticator, counter: CounterService) -> None:
        self.auth = auth
        self.ctx = auth.ctx
        self.counter = counter

    def enroll(self, grant: Grant, program_id: str, holder: str | None = None,
               code: str | None = None) -> CardView:
        """Create a card; ``code`` is for pre-printed cards, otherwise a new one is drawn."""
        holder = check_text(holder, "The holder's name")[:120] or None
        with self.ctx.db.write() as session:
            staff = self.auth.require(session, grant, Permission.ENROLL)
            require_program_active(load_program(session, program_id))
            code = normalize_code(code) if code else self._unused_code(session)  # a pre-printed card's check
            now = self.ctx.clock.now()
            existing = session.get(CardRow, code)
            if existing is not None:
                if not is_provisional(session.connection(), code):
                    raise LoyaltyError(ErrorCode.CARD_EXISTS, "A card with this code is already enrolled.")
                # A card collected on offline (here or on another till) is enrolled now: it becomes
                # the real record, with what it has collected so far.
                existing.program_id, existing.holder, existing.enrolled_at = program_id, holder, now
                session.flush()
                make_real(session.connection(), code)
            else:
                session.add(CardRow(code=code, program_id=program_id, holder=holder,
                                    status=CardStatus.ACTIVE.value, enrolled_at=now))
                session.flush()  # the card row first: the balance row refers to it
                session.add(CardBalance(code=code, stamps=0, points=0, lifetime_points=0))
                session.flush()
            index_card(session.connection(), code, {"holder": holder})
            ledger.append(session, terminal_id=self.ctx.store.terminal_id, card=code, kind=EntryKind.ENROLL,
                          at=now, staff_id=staff.staff_id, reason=None)
        return self.counter.card(code)

    @staticmethod
    def _unused_code(session) -> str:  # noqa: ANN001
        while True:  # 45 random bits: a clash is astronomically rare, but cheap to rule out
            code = new_code()
            if session.get(CardRow, code) is None:
                return code
